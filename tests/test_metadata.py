"""Metadata search engines and social networks read: og:locale, lastmod, paginated pages, date-only articles."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from generator.build import build
from generator.i18n.locales import open_graph_locale
from generator.options import BuildOptions
from tests.helpers import NOW, article, make_site, parse

CONFIG = 'title = "Harbour Herald"\nbase_url = "https://example.org/"\ntimezone = "Europe/London"\npaginate = 2\n'
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "en_US"), ("en-GB", "en_GB"), ("ru", "ru_RU"), ("uk", "uk_UA"), ("ar", "ar_EG"), ("ja", "ja_JP"),
    ("pt-BR", "pt_BR"), ("de-AT", "de_AT"),
])
def test_og_locale_is_language_and_territory(language: str, expected: str) -> None:
    assert open_graph_locale(language) == expected


def site_with_three(tmp_path: Path, config: str = CONFIG) -> Path:
    site = make_site(tmp_path, {
        "articles/a.md": article("Ferry fares rise", "2019-05-04", tags="[Harbour]", author="Maya Okafor"),
        "articles/b.md": article("Council meets", "2019-05-06 18:40", tags="[Council]"),
        "articles/c.md": article("Tide tables", "2019-05-02 09:00", updated="2019-05-20 11:00", tags="[Harbour]"),
    }, config=config)
    build(BuildOptions(site_dir=site, now=NOW))
    return site / "output"


def test_the_built_pages_carry_the_locale(tmp_path: Path) -> None:
    output = site_with_three(tmp_path, CONFIG + 'language = "en-GB"\n')
    assert parse(output / "index.html").xpath("//meta[@property='og:locale']/@content") == ["en_GB"]


def test_lists_of_every_article_have_a_lastmod_from_the_newest_change(tmp_path: Path) -> None:
    output = site_with_three(tmp_path)
    tree = etree.parse(str(output / "sitemap.xml"))
    lastmod = {url.findtext("s:loc", namespaces=SITEMAP): url.findtext("s:lastmod", namespaces=SITEMAP)
               for url in tree.findall("s:url", SITEMAP)}
    for index in ("archive/", "tags/", "authors/"):
        assert lastmod[f"https://example.org/{index}"] == "2019-05-20T11:00:00+01:00", index  # the tide tables' update


def test_a_later_page_of_a_list_has_its_own_description_and_no_website_data(tmp_path: Path) -> None:
    output = site_with_three(tmp_path)
    first, second = parse(output / "index.html"), parse(output / "page/2/index.html")
    description = "//meta[@name='description']/@content"
    assert first.xpath(description) == ["Harbour Herald"]
    assert second.xpath(description) == ["Latest news – page 2 – Harbour Herald"]
    types = [json.loads(text)["@type"] for text in first.xpath("//script[@type='application/ld+json']/text()")]
    assert types == ["WebSite"]
    assert second.xpath("//script[@type='application/ld+json']") == []
    assert parse(output / "tags/harbour/index.html").xpath(description) != []


def test_a_date_without_a_time_is_one_moment_everywhere(tmp_path: Path) -> None:
    output = site_with_three(tmp_path)
    url = "https://example.org/2019/05/ferry-fares-rise/"
    page = parse(output / "2019/05/ferry-fares-rise/index.html")
    data = documents(output / "2019/05/ferry-fares-rise/index.html")["NewsArticle"]
    midnight = "2019-05-04T00:00:00+01:00"  # the start of the day in London (summer time)
    assert data["datePublished"] == data["dateModified"] == midnight
    assert page.xpath("//header[@class='story-header']//time/@datetime")[0] == midnight
    assert page.xpath("normalize-space(//header[@class='story-header']//time)") == "4 May 2019"  # the day, never "00:00"
    entry = next(e for e in feedparser.parse((output / "feed.xml").read_bytes()).entries if e.link == url)
    assert entry.published == entry.updated == midnight
    tree = etree.parse(str(output / "sitemap.xml"))
    [stamp] = tree.xpath("//s:url[s:loc = $url]/s:lastmod/text()", namespaces=SITEMAP, url=url)
    assert stamp == midnight


ISO_WITH_OFFSET = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d"


def documents(page: Path) -> dict[str, dict[str, object]]:
    """Each JSON-LD document of a page, by its type."""
    found = [json.loads(text) for text in parse(page).xpath("//script[@type='application/ld+json']/text()")]
    return {data["@type"]: data for data in found}


def test_every_page_type_carries_the_structured_data_that_fits_it(tmp_path: Path) -> None:
    import re

    site = make_site(tmp_path, {
        "articles/a.md": article("Ferry fares rise", "2019-05-04", tags="[Harbour]", section="Business",
                                 author="Maya Okafor"),
        "articles/live.md": article("Storm live", "2019-05-06 06:00", live="true", body="Intro.\n\n### 07:00 Gales\n\nText."),
        "pages/about.md": "---\ntitle: About us\n---\n\nWho we are.\n",
    }, config=CONFIG)
    build(BuildOptions(site_dir=site, now=NOW))
    output = site / "output"
    story = documents(output / "2019/05/ferry-fares-rise/index.html")
    news = story["NewsArticle"]
    for key in ("headline", "datePublished", "dateModified", "author", "publisher", "mainEntityOfPage", "url"):
        assert news[key], key
    assert re.fullmatch(ISO_WITH_OFFSET, str(news["datePublished"])) and str(news["url"]).startswith("https://")
    trail = story["BreadcrumbList"]["itemListElement"]
    assert [(item["position"], item["name"], item["item"]) for item in trail] == [  # type: ignore[index]
        (1, "Harbour Herald", "https://example.org/"), (2, "Business", "https://example.org/business/"),
        (3, "Ferry fares rise", "https://example.org/2019/05/ferry-fares-rise/")]
    live = documents(output / "2019/05/storm-live/index.html")["LiveBlogPosting"]
    assert re.fullmatch(ISO_WITH_OFFSET, str(live["coverageStartTime"])) and live["liveBlogUpdate"]
    for url in ("tags/harbour/", "business/", "archive/", "tags/", "authors/"):
        data = documents(output / url / "index.html")
        assert list(data) == ["CollectionPage"], url
        assert data["CollectionPage"]["url"] == f"https://example.org/{url}"
        assert data["CollectionPage"]["isPartOf"] == {"@type": "WebSite", "name": "Harbour Herald",
                                                      "url": "https://example.org/"}
    assert list(documents(output / "about-us/index.html")) == ["WebPage"]
    assert list(documents(output / "authors/maya-okafor/index.html")) == ["ProfilePage"]
    assert list(documents(output / "index.html")) == ["WebSite"]
    assert documents(output / "404.html") == {}
