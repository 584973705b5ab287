"""End-to-end: the sample site, built into a temp folder, read with real parsers."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree

from tests.golden import build_sample
from tests.helpers import parse

SEED_CALL = "2020/08/lukashenko-putin-discuss-belarus-protests-state-news-agency/index.html"
SEED_MEDALS = "2020/08/lukashenko-awards-medals-to-security-forces/index.html"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("sample") / "output"
    build_sample(output)
    return output


NOINDEX = b'<meta name="robots" content="noindex">'


def article_files(site: Path) -> list[Path]:
    """Article pages: not an expired article's "no longer available" page, which stands at its URL."""
    return sorted(p for p in site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html") if NOINDEX not in p.read_bytes())


def test_seed_articles_have_their_dates_and_headlines(site: Path) -> None:
    call = parse(site / SEED_CALL)
    assert call.findtext(".//h1") == "Lukashenko, Putin Discuss Belarus Protests: State News Agency"
    assert call.xpath("//article//time/@datetime")[0] == "2020-08-15T18:40:00+03:00"
    assert call.xpath("//article//time/text()")[0] == "15 August 2020 16:40"  # Saturday, in London time

    medals = parse(site / SEED_MEDALS)
    assert "Impeccable Service" in medals.findtext(".//h1")
    assert medals.xpath("//article//time/@datetime")[0] == "2020-08-18T09:15:00+00:00"
    assert medals.xpath("//article//time/text()")[0] == "18 August 2020 10:15"  # Tuesday, 09:15 UTC in London
    body = medals.xpath("string(//div[@class='story-body'])")
    assert "Leave a Reply" not in body and "more than 300 members" in body


def test_seed_article_tags_section_and_author(site: Path) -> None:
    call = parse(site / SEED_CALL)
    assert call.xpath("//ul[@class='tags']//a/text()") == ["Belarus", "Protests", "Russia"]
    assert call.xpath("//header[@class='story-header']/p[@class='kicker']/a/@href") == ["/world/"]
    assert call.xpath("//header[@class='story-header']//a[@rel='author']/@href") == ["/authors/staff-reporter/"]


def test_tag_page_lists_exactly_the_tagged_articles(site: Path) -> None:
    belarus = parse(site / "tags/belarus/index.html")
    links = belarus.xpath("//ol[@class='story-list']//h2/a/@href")
    assert links == [
        "/" + SEED_MEDALS.removesuffix("index.html"),
        "/" + SEED_CALL.removesuffix("index.html"),
    ]


def test_tags_differing_in_case_or_accents_are_one_tag(site: Path) -> None:
    names = parse(site / "tags/index.html").xpath("//ul[@class='term-cloud']//a/text()")
    names = [name.strip() for name in names]
    assert names.count("Elections") == 1 and "elections" not in names
    assert "Économie" in names and "Economie" not in names
    elections = parse(site / "tags/elections/index.html").xpath("//ol[@class='story-list']//h2/a/@href")
    assert len(elections) == 3  # spelt "Elections" twice and "elections" once in the content


def test_archive_month_lists_its_articles(site: Path) -> None:
    august = parse(site / "archive/2020/08/index.html")
    assert len(august.xpath("//ol[@class='story-list']/li")) == 2
    archive = parse(site / "archive/index.html")
    assert "August 2020" in archive.xpath("string(//section[@aria-labelledby='year-2020'])")


def test_drafts_are_left_out(site: Path) -> None:
    assert not list(site.glob("2024/08/*"))
    assert "street trees" not in (site / "feed.xml").read_text().lower()


def test_feeds_parse_and_hold_every_article(site: Path) -> None:
    count = len(article_files(site))
    for name in ("feed.xml", "rss.xml"):
        etree.fromstring((site / name).read_bytes())  # well-formed XML
        feed = feedparser.parse((site / name).read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert len(feed.entries) == count
        for entry in feed.entries:
            assert entry.link.startswith("https://example.org/20")
            assert entry.title and entry.get("published")
    atom = feedparser.parse((site / "feed.xml").read_bytes())
    assert all(entry.content[0].value for entry in atom.entries)
    assert 'src="https://example.org/media/harbour-cranes.png"' in (site / "feed.xml").read_text()


def test_sitemap_lists_every_page(site: Path) -> None:
    tree = etree.fromstring((site / "sitemap.xml").read_bytes())
    listed = {urlsplit(loc).path for loc in tree.xpath("//s:loc/text()", namespaces=SITEMAP_NS)}
    pages = {
        "/" + path.relative_to(site).as_posix().removesuffix("index.html")
        for path in site.rglob("index.html") if NOINDEX not in path.read_bytes()
    }
    assert listed == pages
    assert "Sitemap: https://example.org/sitemap.xml" in (site / "robots.txt").read_text()


def test_every_internal_link_resolves(site: Path) -> None:
    missing = []
    for page in site.rglob("*.html"):
        tree = parse(page)
        for url in tree.xpath("//a/@href | //link/@href | //img/@src"):
            parts = urlsplit(url)
            if parts.netloc or not parts.path.startswith("/"):
                continue
            target = site / parts.path.lstrip("/")
            if parts.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                missing.append(f"{page.relative_to(site)} -> {url}")
    assert missing == []


def test_one_h1_and_canonical_on_every_page(site: Path) -> None:
    for page in site.rglob("*.html"):
        tree = parse(page)
        assert len(tree.xpath("//h1")) == 1, page
        canonical = tree.xpath("//link[@rel='canonical']/@href")
        if tree.xpath("//meta[@name='robots'][@content='noindex']"):  # 404, withdrawn: not to be indexed
            assert canonical == [] and tree.xpath("//meta[@property='og:url']") == [], page
            continue
        assert len(canonical) == 1 and canonical[0].startswith("https://example.org/"), page


def test_lead_image_and_open_graph(site: Path) -> None:
    cranes = parse(site / "2021/03/kestrel-bay-port-orders-electric-cranes-in-bid-to-cut-emissions/index.html")
    image = cranes.xpath("//figure[@class='lead-image']//img")[0]
    assert image.get("src") == "/media/harbour-cranes.png" and image.get("alt")
    assert cranes.xpath("//figure[@class='lead-image']/figcaption/text()")
    assert cranes.xpath("//meta[@property='og:image']/@content") == [
        "https://example.org/cards/2021/03/kestrel-bay-port-orders-electric-cranes-in-bid-to-cut-emissions.jpg"]
    assert cranes.xpath("//meta[@name='twitter:card']/@content") == ["summary_large_image"]
    assert (site / "media/harbour-cranes.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_previous_next_and_related(site: Path) -> None:
    call = parse(site / SEED_CALL)
    assert call.xpath("//a[@rel='next']/@href") == ["/" + SEED_MEDALS.removesuffix("index.html")]
    related = call.xpath("//aside[@class='related']//h3/a/@href")
    assert "/" + SEED_MEDALS.removesuffix("index.html") in related
    assert len(related) <= 3


def test_about_page_and_404(site: Path) -> None:
    about = parse(site / "about/index.html")
    assert about.findtext(".//h1") == "About"
    assert parse(site / "404.html").findtext(".//h1") == "Page not found"
