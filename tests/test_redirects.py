"""Old URLs keep working: ``aliases`` redirect pages, ``_redirects``, and collisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from generator.errors import BuildFailed
from tests.helpers import build_site, make_site
from tests.served import served


def post(title: str, date: str, *extra: str) -> str:
    return "\n".join(["---", f"title: {title}", f"date: {date}", *extra, "---", "", "Text.", ""])


def messages(failure: pytest.ExceptionInfo[BuildFailed]) -> list[str]:
    return [str(error) for error in failure.value.errors]


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path, {
        "articles/rust.md": post("Announcing Rust 1.1", "2015-06-25",
                                 "aliases: [/2015/06/25/Rust-1.1.html, /releases/1.1.0/, /old/no-slash]"),
        "articles/tock.md": post("Tock &amp; time", "2015-05-21", "redirect_from: /2015/05/21/TockingTime/"),
        "articles/plain.md": post("Plain", "2015-05-20"),
    })


def test_each_alias_is_a_redirect_page(site: Path) -> None:
    build_site(site)
    out = site / "output"
    for name in ("2015/06/25/Rust-1.1.html", "releases/1.1.0/index.html", "old/no-slash/index.html"):
        doc = lxml_html.fromstring((out / name).read_bytes())
        assert doc.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=/2015/06/announcing-rust-1-1/"]
        assert doc.xpath("//link[@rel='canonical']/@href") == ["https://example.org/2015/06/announcing-rust-1-1/"]
        assert doc.xpath("//a/@href") == ["/2015/06/announcing-rust-1-1/"]
        assert doc.xpath("string(//a)") == "Announcing Rust 1.1"
    tock = lxml_html.fromstring((out / "2015/05/21/TockingTime/index.html").read_bytes())
    assert tock.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=/2015/05/tock-time/"]


def test_redirects_file_and_never_in_sitemap_or_feeds(site: Path) -> None:
    build_site(site)
    out = site / "output"
    assert (out / "_redirects").read_text().splitlines() == [
        "/2015/06/25/Rust-1.1.html /2015/06/announcing-rust-1-1/ 301",
        "/releases/1.1.0/ /2015/06/announcing-rust-1-1/ 301",
        "/old/no-slash /2015/06/announcing-rust-1-1/ 301",
        "/2015/05/21/TockingTime/ /2015/05/tock-time/ 301",
    ]
    for name in ("sitemap.xml", "feed.xml", "rss.xml"):
        text = (out / name).read_text()
        assert "Rust-1.1.html" not in text and "releases" not in text and "TockingTime" not in text


def test_the_sites_own_redirects_come_first(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": post("A", "2020-01-02", "aliases: [/old-a/]"),
                                "_redirects": "/community/* https://community.example.org/:splat 302"})
    build_site(site)
    assert (site / "output" / "_redirects").read_text() == (
        "/community/* https://community.example.org/:splat 302\n/old-a/ /2020/01/a/ 301\n")


def test_aliases_under_a_base_path(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": post("A", "2020-01-02", "aliases: [/old-a/]")},
                     'title = "T"\nbase_url = "https://example.org/blog/"\n')
    build_site(site)
    page = (site / "output" / "old-a" / "index.html").read_text()
    assert 'content="0; url=/blog/2020/01/a/"' in page
    assert (site / "output" / "_redirects").read_text() == "/blog/old-a/ /blog/2020/01/a/ 301\n"


def test_alias_colliding_with_a_page_names_both_files(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": post("A", "2020-01-02", "aliases: [/2020/01/b/]"),
                                "articles/b.md": post("B", "2020-01-03")})
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    [message] = messages(failure)
    assert "content/articles/a.md:4" in message and "content/articles/b.md" in message
    assert "'2020/01/b/index.html'" in message
    assert not (site / "output").exists()


def test_two_articles_claiming_one_alias_name_both_files(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": post("A", "2020-01-02", "aliases: [/old/]"),
                                "articles/b.md": post("B", "2020-01-03", "aliases: [/old/]")})
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    [message] = messages(failure)
    assert "content/articles/a.md:4" in message and "content/articles/b.md:4" in message


@pytest.mark.parametrize(("alias", "problem"), [
    ("old/path/", "must be a path on this site starting with '/', such as '/2015/06/25/old-name.html'"),
    ("https://old.example.org/x/", "must be a path on this site starting with '/', such as '/2015/06/25/old-name.html'"),
    ("/a/../../etc/", "must not contain '.' or '..' segments"),
    ("/a/%2e%2e/b/", "must not contain '.' or '..' segments"),
    ("/x/?p=12", "must be a path without '?' or '#'"),
    ("/", "cannot be the front page"),
])
def test_bad_aliases_are_errors_on_their_line(tmp_path: Path, alias: str, problem: str) -> None:
    site = make_site(tmp_path, {"articles/a.md": post("A", "2020-01-02", f"aliases: ['{alias}']")})
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert messages(failure) == [f"content/articles/a.md:4: 'aliases' entry '{alias}' {problem}"]


def test_drafts_have_no_redirects(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": post("A", "2020-01-02", "draft: true", "aliases: [/old/]"),
                                "articles/b.md": post("B", "2020-01-03")})
    build_site(site)
    assert not (site / "output" / "old").exists() and not (site / "output" / "_redirects").exists()


def test_old_urls_answer_over_http(site: Path) -> None:
    with served(site) as server:
        for old in ("/2015/06/25/Rust-1.1.html", "/releases/1.1.0/", "/old/no-slash/", "/2015/05/21/TockingTime/"):
            answer = server.answer(old)
            assert answer.status == 200 and answer.redirected_to is not None
            assert "<h1" in answer.body
        assert "Announcing Rust 1.1" in server.answer("/releases/1.1.0/").body
        assert server.get("/2015/06/25/nothing.html")[0] == 404
