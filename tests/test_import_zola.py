"""``dateline import zola`` on Zola's own test site, three Rust blog posts and our own forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests.importing import DATA, assert_no_raw_syntax, assert_old_urls_answer, imported_and_built, report_counts

SOURCE = DATA / "zola"

# Zola's rules by hand: a section's folders plus the slug (file name without its date, or the
# bundle's folder, slugified as [slugify] paths = "on" says), or `path`; and each page's aliases.
OLD_URLS = {
    "/posts/simple/": "Simple article with shortcodes",
    "/posts/a-post-with-dates/": "post with dates",  # 2016-10-08_a-post-with-dates.md
    "/posts/something-else/": "Fixed slug",  # slug = "something-&-else"
    "/an-old-url/old-page": "Fixed slug",  # aliases
    "/an-old-url/an-old-alias.html": "Fixed slug",
    "/a-fixed-url/": "Fixed URL",  # path
    "/top-level.html": "Top level alias",
    "/posts/tutorials/programming/python/": "Python tutorial",
    "/2015/06/25/Rust-1.1/": "Rust 1.1 stable",  # the Rust blog: path, with the date only there
    "/2015/06/25/Rust-1.1.html": "Rust 1.1 stable",
    "/releases/1.1.0/": "Rust 1.1 stable",
    "/2021/08/03/GATs-stabilization-push/": "The push for GATs stabilization",
    "/news/own-forms-2021/": "own forms",
    "/2021/03/02/own-forms.html": "own forms",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built, _ = imported_and_built("zola", SOURCE, tmp_path_factory.mktemp("zola"))
    return built


def test_no_template_syntax_reaches_a_page(site: Path) -> None:
    assert_no_raw_syntax(site)


def test_counts_add_up_and_ignored_content_is_left_out(site: Path) -> None:
    counts = report_counts(site)
    assert counts["found"] == counts["imported"] + counts["skipped"]
    assert counts["found"] == 44  # every page but the sections (_index.md), ignored.md and the hidden file
    assert not any("ignored" in p.name for p in (site / "content").rglob("*.md"))


def test_shortcodes_links_and_escapes(site: Path) -> None:
    report = (site / "import-report.txt").read_text()
    assert "content/posts/python.md:13: template syntax removed from the page: {{ pirate(name=\"Bob\") }}" in report
    assert "content/own/2021-03-02-own-forms.md:16: shortcode 'callout' has no equivalent" in report
    simple = lxml_html.fromstring(next((site / "output").glob("posts/simple/index.html")).read_bytes())
    assert simple.xpath("//article//iframe/@src") == ["https://www.youtube-nocookie.com/embed/e1C9kpMV2e8"] * 2
    own = lxml_html.fromstring((site / "output/posts/own-forms-2021/index.html").read_bytes())
    assert own.xpath("string(//h1)").strip() == "Small & fast: own forms"
    assert own.xpath("string(//article//blockquote//em)") == "fast"
    links = own.xpath("//article//a/@href")
    assert "/posts/simple/" in links and "/posts/a-post-with-dates/#top" in links
    assert own.xpath("//article//code/text()")[0] == '{{ youtube(id="x") }}'
    assert "{% quote(author=\"A\") %}Text{% end %}" in own.xpath("string(//article//pre)")


def test_bundle_images_beside_the_page(site: Path) -> None:
    [page] = [p.parent for p in (site / "output").rglob("GATs-stabilization-push/index.html")
              if 'http-equiv="refresh"' not in p.read_text()]  # the page, not the redirect at its old URL
    assert (page / "gats-reactions.png").is_file()
    doc = lxml_html.fromstring((page / "index.html").read_bytes())
    # Root-relative once made in several widths (see tests/test_images.py): it is the same file.
    assert "/posts/GATs-stabilization-push/gats-reactions.png" in doc.xpath("//article//img/@src")


def test_every_old_url_answers_over_http(site: Path) -> None:
    assert_old_urls_answer(site, OLD_URLS)
