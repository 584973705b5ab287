"""``dateline import pelican``: our own Pelican site (Pelican's test content is AGPL), reST, Markdown and HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests.importing import DATA, assert_no_raw_syntax, assert_old_urls_answer, html_pages, imported_and_built, report_counts

SOURCE = DATA / "pelican"

# Pelican's rules by hand: ARTICLE_URL = "posts/{date:%Y}/{date:%m}/{slug}/" with dates in Europe/Rome,
# slugs from :slug: or the title; PAGE_URL = "pages/{slug}.html".
OLD_URLS = {
    "/posts/2010/12/first-article/": "This is a super article",
    "/posts/2011/04/a-markdown-article-about-ldquoquotesrdquo/": "quotes",
    "/posts/2012/11/dated-by-its-file-name/": "Dated by its file name",
    "/posts/2012/01/an-article-in-html/": "An article in HTML",
    "/pages/about.html": "We write about pelicans.",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built, _ = imported_and_built("pelican", SOURCE, tmp_path_factory.mktemp("pelican"))
    return built


def test_no_link_syntax_reaches_a_page(site: Path) -> None:
    assert_no_raw_syntax(site)


def test_counts_add_up(site: Path) -> None:
    assert report_counts(site) == {"found": 8, "imported": 7, "skipped": 1}
    report = (site / "import-report.txt").read_text()
    assert "content/no-date.md: an article without a date" in report
    assert "pelicanconf.py:9: ARTICLE_SAVE_AS is computed, not written out; not read" in report


def test_rest_markdown_and_html_are_converted(site: Path) -> None:
    doc = lxml_html.fromstring((site / "output/posts/2010/12/first-article/index.html").read_bytes())
    assert doc.xpath("string(//h1)").strip() == "This is a super article !"
    links = doc.xpath("//article//a/@href")
    assert "/posts/2011/04/a-markdown-article-about-ldquoquotesrdquo/" in links
    assert doc.xpath("//article//img[@alt='The logo']/@src") == ["/images/logo.png"]
    assert (site / "output/images/logo.png").is_file()
    assert '{filename} in code stays' in doc.xpath("string(//article//pre)")
    assert "{static}" in doc.xpath("//article//code/text()")
    assert [a.text for a in doc.xpath("//a[contains(@href, '/authors/')]")][:2] == ["Okafor, Maya", "Chan, Lee"]
    other = lxml_html.fromstring(next((site / "output").rglob("a-markdown-article-about-ldquoquotesrdquo/index.html"))
                                 .read_bytes())
    assert other.xpath("string(//h1)").strip() == "A Markdown article about \u201cquotes\u201d"
    assert "/tags/foo/" in other.xpath("//article//a/@href")
    html_post = lxml_html.fromstring((site / "output/posts/2012/01/an-article-in-html/index.html").read_bytes())
    assert html_post.xpath("string(//article//strong)") == "HTML"


def test_rest_cannot_read_outside_the_source(site: Path) -> None:
    everything = "".join(p.read_text(errors="replace") for p in site.rglob("*") if p.is_file())
    assert "root:" not in everything
    page = lxml_html.fromstring((site / "output/posts/2014/01/reading-outside/index.html").read_bytes())
    assert "Safe text." in page.xpath("string(//article)")


def test_drafts_stay_drafts(site: Path) -> None:
    assert "Unfinished" not in "".join(p.read_text() for p in html_pages(site))


def test_every_old_url_answers_over_http(site: Path) -> None:
    assert_old_urls_answer(site, OLD_URLS)
