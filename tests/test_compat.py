"""Native compatibility with content written for other generators, without importing it."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build
from generator.options import BuildOptions
from tests.helpers import MINIMAL_CONFIG, NOW, age, build_site, make_site, parse, tiny_png


def page_of(site: Path, url: str) -> str:
    return (site / "output" / url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_excerpt_is_the_summary(tmp_path: Path) -> None:
    # Jekyll sites (18F: 504 of 505 posts) write their summaries as 'excerpt', often as HTML.
    site = make_site(tmp_path, {"articles/a.md": "---\ntitle: A\ndate: 2020-08-15\n"
                                "excerpt: <p>When asked, &ldquo;why&rdquo;?</p>\n---\n\nFirst paragraph.\n"})
    build_site(site)
    front = parse(site / "output" / "index.html")
    assert "When asked, \u201cwhy\u201d?" in front.text_content()
    assert "First paragraph." not in front.text_content()


def test_more_marker_with_spaces_splits_the_summary(tmp_path: Path) -> None:
    body = "Lead paragraph.\n\nSecond paragraph.\n\n<!-- more -->\n\nThe rest.\n"
    site = make_site(tmp_path, {"articles/a.md": f"---\ntitle: A\ndate: 2020-08-15\n---\n\n{body}"})
    build_site(site)
    front = parse(site / "output" / "index.html").text_content()
    assert "Second paragraph." in front and "The rest." not in front
    assert "<!-- more -->" not in page_of(site, "/2020/08/a/")


def test_titles_with_entities_and_inline_html_are_text(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "articles/a.md": "---\ntitle: '&ldquo;Quoted&rdquo;: small <em>and</em> fast'\ndate: 2020-08-15\n---\n\nBody.\n",
    })
    build_site(site)
    url = "/2020/08/quoted-small-and-fast/"
    doc = parse(site / "output" / url.strip("/") / "index.html")
    assert doc.findtext(".//title").startswith("\u201cQuoted\u201d: small and fast")
    assert doc.xpath("string(//h1)").strip() == "\u201cQuoted\u201d: small and fast"
    assert doc.xpath("string(//meta[@property='og:title']/@content)") == "\u201cQuoted\u201d: small and fast"
    assert "&amp;ldquo;" not in page_of(site, url) and "&lt;em&gt;" not in page_of(site, url)


def test_slug_from_a_file_name_and_literal_ending(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG + '[urls]\narticle = "/{year}/{month}/{day}/{filename}.html"\n'
    site = make_site(tmp_path, {"_posts/2015-06-25-Rust-1.1.md": "---\ntitle: Announcing Rust 1.1\n---\n\nBody.\n"},
                     config)
    build_site(site)
    assert (site / "output" / "2015" / "06" / "25" / "Rust-1.1.html").is_file()


SUBPATH_CONFIG = 'title = "Test Times"\nbase_url = "https://example.org/blog/"\n'


@pytest.mark.parametrize("engine", ["python-markdown", "pulldown-cmark"])
def test_root_relative_links_get_the_base_path_only_when_they_name_this_site(tmp_path: Path, engine: str) -> None:
    body = ("[story](/2020/08/b/) [feed](/feed.xml) [file](/media/a.png) [tag](/tags/x/) [home](/)\n\n"
            "[community](/community/) [docs](/docs/guide.html) [already](/blog/2020/08/b/)\n\n"
            '<a href="/2020/08/b/">raw</a> <a href="/forum/">raw elsewhere</a>\n')
    site = make_site(tmp_path, {
        "articles/a.md": f"---\ntitle: A\ndate: 2020-08-16\ntags: [x]\n---\n\n{body}",
        "articles/b.md": "---\ntitle: B\ndate: 2020-08-15\n---\n\nB.\n",
        "media/a.png": "png",
    }, SUBPATH_CONFIG + f'[markdown]\nengine = "{engine}"\n')
    build_site(site)
    doc = parse(site / "output" / "2020" / "08" / "a" / "index.html")
    hrefs = doc.xpath("//main//a/@href | //article//a/@href")
    for ours in ("/blog/2020/08/b/", "/blog/feed.xml", "/blog/media/a.png", "/blog/tags/x/", "/blog/"):
        assert ours in hrefs
    for theirs in ("/community/", "/docs/guide.html", "/forum/"):
        assert theirs in hrefs
    assert "/2020/08/b/" not in hrefs and "/blog/blog/2020/08/b/" not in hrefs


def test_a_new_page_makes_old_links_to_it_local(tmp_path: Path) -> None:
    # The rewrite depends on the rest of the site: an incremental build must see the new page.
    site = make_site(tmp_path, {"articles/a.md": "---\ntitle: A\ndate: 2020-08-16\n---\n\n[c](/community/)\n"},
                     SUBPATH_CONFIG)
    age(site)
    first = build(BuildOptions(site_dir=site, output=site / "output", now=NOW))
    assert 'href="/community/"' in page_of(site, "/2020/08/a/")
    (site / "content" / "pages").mkdir()
    (site / "content" / "pages" / "community.md").write_text("---\ntitle: Community\n---\n\nHi.\n")
    build(BuildOptions(site_dir=site, output=site / "output", now=NOW), state=first.state,
          changed=[site / "content" / "pages" / "community.md"])
    assert 'href="/blog/community/"' in page_of(site, "/2020/08/a/")


def test_exclude_globs_and_files_dateline_cannot_read(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "README.md": "# Not an article, no frontmatter\n",
        "articles/_index.md": "+++\ntitle = 'Section'\n+++\n",
        "articles/drafts/old.md": "no frontmatter either\n",
        "articles/a.md": "---\ntitle: A\ndate: 2020-08-16\n---\n\nA.\n",
        "articles/b.mdx": "---\ntitle: B\n---\n\n<Chart />\n",
        "articles/c.rst": "C\n=\n",
    }, MINIMAL_CONFIG + 'exclude = ["README.md", "**/_index.md", "articles/drafts/"]\n')
    result = build_site(site)
    assert [str(w) for w in result.warnings] == [
        f"content/articles/{name}: Dateline cannot read .{suffix} files; it is left out of the site (convert it "
        "to Markdown, or list it under 'exclude' in config.toml)" for name, suffix in (("b.mdx", "mdx"), ("c.rst", "rst"))]
    files = {p.relative_to(site / "output").as_posix() for p in (site / "output").rglob("*") if p.is_file()}
    assert not any(name.endswith((".mdx", ".rst", "README.md", "_index.md")) for name in files)
    assert "2020/08/a/index.html" in files


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/blog/"])
def test_page_bundle_files_are_published_beside_the_page(tmp_path: Path, base_url: str) -> None:
    site = make_site(tmp_path, {
        "posts/launch/index.md": "---\ntitle: Launch day\ndate: 2021-03-02\n---\n\n![The crane](photo.png)\n",
        "posts/launch/data/table.csv": "a,b\n",
        "posts/secret/index.md": "---\ntitle: Secret\ndate: 2021-03-02\ndraft: true\n---\n\n![x](plan.png)\n",
        "posts/secret/plan.png": "private",
    }, f'title = "T"\nbase_url = "{base_url}"\n')
    (site / "content/posts/launch/photo.png").write_bytes(tiny_png())
    build_site(site)
    out = site / "output"
    assert (out / "2021/03/launch-day/photo.png").read_bytes() == tiny_png()  # no metadata: as it was
    assert (out / "2021/03/launch-day/data/table.csv").is_file()
    assert not (out / "posts").exists()  # neither the bundle's files at their old place nor the draft's
    assert not any(p.name == "plan.png" for p in out.rglob("*"))
    img = parse(out / "2021/03/launch-day/index.html").xpath("//article//img/@src")
    assert img == [base_url.removeprefix("https://example.org") + "2021/03/launch-day/photo.png"]
