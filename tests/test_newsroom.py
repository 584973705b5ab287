"""The newsroom theme as a reader sees it: standfirsts, times, the current section, card images, today's date."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from tests.helpers import article, build_site, make_site, tiny_png, write

CONFIG = """\
title = "Test Times"
base_url = "https://example.org/"
timezone = "Europe/London"
sections = ["World", "Politics"]
"""


def page(site: Path, url: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((site / "output" / url.strip("/") / "index.html").read_bytes())


def texts(tree: lxml_html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(element.text_content().split()) for element in tree.xpath(xpath)]


def site_of(tmp_path: Path) -> Path:
    site = make_site(tmp_path, {
        "articles/described.md": article("Described", "2024-02-08 14:20", "First paragraph.", section="World",
                                         description="The standfirst, written for it.", summary="A summary."),
        "articles/summarised.md": article("Summarised", "2024-02-07 09:05", "First paragraph.", section="Politics",
                                          summary="The summary *as written*.", updated="2024-02-09 14:05"),
        "articles/bare.md": article("Bare", "2024-02-06", "Only a first paragraph.", section="World",
                                    image="/media/pier.png", image_alt="A pier at dusk"),
    }, config=CONFIG)
    (site / "content" / "media").mkdir(parents=True, exist_ok=True)
    (site / "content" / "media" / "pier.png").write_bytes(tiny_png())
    build_site(site)
    return site


def test_the_standfirst_is_the_description_else_a_written_summary_else_nothing(tmp_path: Path) -> None:
    site = site_of(tmp_path)
    assert texts(page(site, "2024/02/described"), "//p[@class='standfirst']") == ["The standfirst, written for it."]
    assert texts(page(site, "2024/02/summarised"), "//p[@class='standfirst']") == ["The summary *as written*."]
    bare = page(site, "2024/02/bare")
    assert texts(bare, "//p[@class='standfirst']") == []  # never the first paragraph again
    assert bare.xpath("//meta[@name='description']/@content") == ["Only a first paragraph."]


def test_times_are_shown_on_the_dateline_and_the_updated_line(tmp_path: Path) -> None:
    site = site_of(tmp_path)
    summarised = page(site, "2024/02/summarised")
    assert texts(summarised, "//span[@class='dateline']/time") == ["7 February 2024 09:05"]
    assert texts(summarised, "//span[@class='updated']") == ["Updated 9 February 2024 14:05"]
    assert texts(page(site, "2024/02/bare"), "//span[@class='dateline']") == ["6 February 2024"]  # no time given
    # Cards show the day only.
    assert "09:05" not in " ".join(texts(lxml_html.fromstring((site / "output/index.html").read_bytes()),
                                         "//p[@class='card-meta']"))


def test_an_article_page_highlights_its_section(tmp_path: Path) -> None:
    site = site_of(tmp_path)
    for url, section in (("2024/02/described", "World"), ("2024/02/summarised", "Politics")):
        current = page(site, url).xpath("//nav[@class='sections']//a[@aria-current]")
        assert [(a.text, a.get("aria-current")) for a in current] == [(section, "true")]
    assert page(site, "world").xpath("//nav[@class='sections']//a[@aria-current]/text()") == ["World"]


def test_front_page_cards_show_lead_images(tmp_path: Path) -> None:
    site = site_of(tmp_path)
    front = lxml_html.fromstring((site / "output/index.html").read_bytes())
    images = front.xpath("//section[@class='latest']//article[@class='card']//img")
    assert [(img.get("src"), img.get("alt")) for img in images] == [("/media/pier.png", "A pier at dusk")]
    tag_page = page(site, "world")  # other lists keep their text-only cards
    assert tag_page.xpath("//ol[@class='story-list']//img") == []


def test_the_masthead_shows_the_build_date_in_the_sites_time_zone(tmp_path: Path) -> None:
    site = site_of(tmp_path)  # built at 2026-01-01 00:00 UTC: 1 January in London
    front = lxml_html.fromstring((site / "output/index.html").read_bytes())
    assert front.xpath("//p[@class='masthead-date']/time/@datetime") == ["2026-01-01"]
    assert texts(front, "//p[@class='masthead-date']") == ["1 January 2026"]
    write(site, "config.toml", CONFIG.replace("Europe/London", "America/New_York"))
    build_site(site)  # the same moment is still 31 December in New York
    front = lxml_html.fromstring((site / "output/index.html").read_bytes())
    assert texts(front, "//p[@class='masthead-date']") == ["31 December 2025"]
    # Only the first front page shows it: any other page would be rendered again every day for it.
    assert page(site, "2024/02/described").xpath("//p[@class='masthead-date']") == []
    assert page(site, "world").xpath("//p[@class='masthead-date']") == []
