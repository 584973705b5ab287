"""The Google News sitemap: the last two days' articles, valid against Google's and sitemaps.org's schemas."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from generator.build import build
from generator.options import BuildOptions
from generator.render.newsroom import news_language
from tests.helpers import NOW, article, make_site, sitemap_schema

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}
CONFIG = """\
title = "Test Times"
base_url = "https://example.org/"
timezone = "Europe/London"
language = "en-GB"

[publisher]
name = "The Test Times"
"""


def _schema(tmp_path: Path) -> etree.XMLSchema:
    """sitemaps.org's schema with Google's News extension imported, as a crawler validates both."""
    return sitemap_schema(tmp_path, {NS["n"]: "sitemap-news.xsd"})


def _build(site: Path, now: datetime) -> etree._ElementTree:
    build(BuildOptions(site_dir=site, output=site / "output", now=now))
    return etree.parse(str(site / "output" / "news-sitemap.xml"))


def _site(tmp_path: Path) -> Path:
    # NOW is 2026-01-01 00:00 UTC (and London).
    return make_site(tmp_path / "site", {
        "articles/fresh.md": article("Fresh & new", "2025-12-31 09:30"),
        "articles/edge.md": article("Just inside", "2025-12-30 00:00:01"),
        "articles/old.md": article("Three days old", "2025-12-29 12:00"),
        "articles/exactly.md": article("Exactly two days", "2025-12-30 00:00"),
        "articles/future.md": article("Embargoed", "2026-01-02 08:00"),
        "articles/draft.md": article("Draft", "2025-12-31 10:00", draft="true"),
        "articles/gone.md": article("Taken down", "2025-12-31 11:00", unpublished="true"),
        "pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
    }, CONFIG)


def test_lists_the_last_two_days_valid_against_both_schemas(tmp_path: Path) -> None:
    tree = _build(_site(tmp_path), NOW)
    schema = _schema(tmp_path)
    assert schema.validate(tree), "\n".join(str(error) for error in schema.error_log)
    locs = tree.xpath("/s:urlset/s:url/s:loc/text()", namespaces=NS)
    assert locs == ["https://example.org/2025/12/fresh-new/", "https://example.org/2025/12/just-inside/"]
    first = tree.xpath("/s:urlset/s:url[1]/n:news", namespaces=NS)[0]
    assert first.xpath("n:publication/n:name/text()", namespaces=NS) == ["The Test Times"]
    assert first.xpath("n:publication/n:language/text()", namespaces=NS) == ["en"]
    assert first.xpath("n:publication_date/text()", namespaces=NS) == ["2025-12-31T09:30:00+00:00"]
    assert first.xpath("n:title/text()", namespaces=NS) == ["Fresh & new"]


def test_robots_txt_names_both_sitemaps(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _build(site, NOW)
    lines = (site / "output" / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        "Sitemap: https://example.org/sitemap.xml", "Sitemap: https://example.org/news-sitemap.xml"]


def test_window_moves_with_the_clock_and_the_embargo(tmp_path: Path) -> None:
    site = _site(tmp_path)
    later = datetime(2026, 1, 2, 8, 0, tzinfo=UTC)  # the embargo lifts; "fresh" is 46.5 hours old
    locs = _build(site, later).xpath("//s:loc/text()", namespaces=NS)
    assert locs == ["https://example.org/2026/01/embargoed/", "https://example.org/2025/12/fresh-new/"]
    assert "news-sitemap.xml" in (site / "output/robots.txt").read_text()
    much_later = datetime(2026, 1, 9, tzinfo=UTC)  # nothing in the window: a sitemap of no URL is not valid
    build(BuildOptions(site_dir=site, output=site / "output", now=much_later))
    assert not (site / "output/news-sitemap.xml").exists()
    assert "news-sitemap.xml" not in (site / "output/robots.txt").read_text()


@pytest.mark.slow  # builds 1,010 articles
def test_at_most_a_thousand_newest_entries(tmp_path: Path) -> None:
    articles = {f"articles/a{i:04d}.md": article(f"Story {i}", f"2025-12-31 {i // 60 % 24:02d}:{i % 60:02d}:{i // 1440:02d}")
                for i in range(1010)}
    site = make_site(tmp_path / "site", articles, CONFIG)
    tree = _build(site, NOW)
    titles = tree.xpath("//n:title/text()", namespaces=NS)
    assert len(titles) == 1000
    assert "Story 0" not in titles and "Story 1009" in titles  # the oldest are the ones left out
    assert _schema(tmp_path).validate(tree)


def test_language_codes_google_accepts() -> None:
    assert news_language("en-GB") == "en"
    assert news_language("fr") == "fr"
    assert news_language("zh-Hant") == "zh-tw"
    assert news_language("zh-TW") == "zh-tw"
    assert news_language("zh-CN") == "zh-cn"
    assert news_language("zh") == "zh-cn"
    assert news_language("haw") == "haw"


def test_the_window_read_from_the_newest_articles_is_the_window_of_all(tmp_path: Path) -> None:
    """The build stops reading a site's articles (newest first) at the first one older than the window."""
    from datetime import timedelta

    from generator.load import load_site
    from generator.site.newsroom import in_news_window, newer_than_window
    from tests.test_incremental import copy_sample

    articles = load_site(BuildOptions(site_dir=copy_sample(tmp_path / "site"), now=NOW, future=True)).site.articles
    assert len(articles) > 5
    for article_date in (a.date for a in articles if a.date is not None):
        for offset in (timedelta(0), timedelta(seconds=1), timedelta(hours=47, minutes=59), timedelta(hours=48),
                       timedelta(hours=48, seconds=1), timedelta(days=-1)):
            now = article_date + offset
            assert in_news_window(newer_than_window(articles, now), now) == in_news_window(articles, now), now
