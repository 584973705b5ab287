"""Bylines that carry weight: author profiles, ``Person`` and ``ProfilePage`` JSON-LD, contributors."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from generator.build import build
from generator.options import BuildOptions
from tests.helpers import NOW, article, make_site, parse, run_dateline, snapshot
from tests.test_incremental import Desk

# A 1×1 PNG: the test needs a photo file, not a picture.
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

CONFIG = """\
title = "Harbour Herald"
base_url = "https://example.org/news/"

[authors.ingrid-solberg]
name = "Ingrid Solberg"
role = "Business and data editor"
bio = "Ingrid covers the port economy."
photo = "/media/ingrid.png"
links = ["https://mastodon.example/@ingrid", "https://www.linkedin.example/in/ingrid-solberg"]
twitter = "@ingrid"
"""

STORY = article("Port traffic falls for a third month", "2024-03-05 09:00",
                authors="[Ingrid Solberg]", contributors="[Maya Okafor, Tomás Reyes, Ingrid Solberg]")


def jsonld(page: Any) -> list[dict[str, Any]]:
    return [json.loads(text) for text in page.xpath("//script[@type='application/ld+json']/text()")]


def make(tmp_path: Path) -> Path:
    site = make_site(tmp_path, {"articles/port.md": STORY,
                                "articles/older.md": article("Ferry fares rise", "2024-01-02", author="Maya Okafor")},
                     config=CONFIG)
    (site / "content/media").mkdir()
    (site / "content/media/ingrid.png").write_bytes(PIXEL)
    return site


def test_contributors_are_credited_apart_from_the_byline_and_have_author_pages(tmp_path: Path) -> None:
    site = make(tmp_path)
    build(BuildOptions(site_dir=site, now=NOW))
    page = parse(site / "output/2024/03/port-traffic-falls-for-a-third-month/index.html")
    assert [a.text for a in page.xpath("//span[@class='byline']/a")] == ["Ingrid Solberg"]
    credit_line = page.xpath("//p[@class='credits']")[0]
    assert " ".join(credit_line.text_content().split()) == "With reporting by Maya Okafor and Tomás Reyes"
    assert credit_line.xpath("./a/@href") == ["/news/authors/maya-okafor/", "/news/authors/tomas-reyes/"]
    data = jsonld(page)[0]  # the article; its breadcrumb trail follows
    assert [person["name"] for person in data["author"]] == ["Ingrid Solberg"]
    assert [(person["@type"], person["name"], person["url"]) for person in data["contributor"]] == [
        ("Person", "Maya Okafor", "https://example.org/news/authors/maya-okafor/"),
        ("Person", "Tomás Reyes", "https://example.org/news/authors/tomas-reyes/")]
    # A contributor who never had a byline has a page listing what they reported for.
    reyes = parse(site / "output/authors/tomas-reyes/index.html")
    assert reyes.xpath("//main//h2/a/text()") == ["Port traffic falls for a third month"]
    okafor = parse(site / "output/authors/maya-okafor/index.html")
    assert okafor.xpath("//main//h2/a/text()") == ["Port traffic falls for a third month", "Ferry fares rise"]


def test_an_authors_profile_shows_on_their_page_and_in_json_ld(tmp_path: Path) -> None:
    site = make(tmp_path)
    build(BuildOptions(site_dir=site, now=NOW))
    page = parse(site / "output/authors/ingrid-solberg/index.html")
    assert page.xpath("//img[@class='author-photo']/@src") == ["/news/media/ingrid.png"]
    assert page.xpath("//img[@class='author-photo']/@alt") == ["Ingrid Solberg"]
    assert page.xpath("//p[@class='author-role']/text()") == ["Business and data editor"]
    assert page.xpath("//ul[@class='author-links']//a[@rel='me']/text()") == [
        "mastodon.example/@ingrid", "linkedin.example/in/ingrid-solberg"]
    [profile] = jsonld(page)
    assert profile["@type"] == "ProfilePage" and profile["url"] == "https://example.org/news/authors/ingrid-solberg/"
    person = profile["mainEntity"]
    assert person == {
        "@type": "Person", "name": "Ingrid Solberg", "url": "https://example.org/news/authors/ingrid-solberg/",
        "jobTitle": "Business and data editor", "image": "https://example.org/news/media/ingrid.png",
        "sameAs": ["https://mastodon.example/@ingrid", "https://www.linkedin.example/in/ingrid-solberg",
                   "https://x.com/ingrid"],
        "description": "Ingrid covers the port economy.",
    }
    story = parse(site / "output/2024/03/port-traffic-falls-for-a-third-month/index.html")
    [author] = jsonld(story)[0]["author"]
    assert {key: person[key] for key in ("jobTitle", "image", "sameAs")} == {
        key: author[key] for key in ("jobTitle", "image", "sameAs")}


def test_a_profile_link_that_is_not_a_web_address_is_an_error_on_its_line(tmp_path: Path) -> None:
    site = make(tmp_path)
    config = (site / "config.toml").read_text().replace('"https://mastodon.example/@ingrid"', '"javascript:alert(1)"')
    (site / "config.toml").write_text(config)
    result = run_dateline("build", cwd=site)
    assert result.returncode != 0 and not (site / "output").exists()
    assert "config.toml:9:" in result.stderr and "'javascript:alert(1)' is not an http(s) URL" in result.stderr


def test_changing_contributors_rebuilds_what_a_clean_build_makes(tmp_path: Path) -> None:
    site = make(tmp_path / "site")
    desk = Desk(site)
    desk.rebuild()
    desk.edit("content/articles/port.md", STORY.replace("Tomás Reyes, ", ""))
    desk.rebuild()
    assert not (site / "output/authors/tomas-reyes").exists()
    clean = tmp_path / "clean"
    build(BuildOptions(site_dir=site, output=clean, now=NOW))
    assert snapshot(site / "output") == snapshot(clean)


def test_a_contributors_name_follows_the_sites_spelling_on_an_incremental_build(tmp_path: Path) -> None:
    """Two new stories by "Tomas Reyes" make that the site's spelling: the older credit follows."""
    site = make(tmp_path / "site")
    desk = Desk(site)
    desk.rebuild()
    for number in (1, 2):
        desk.edit(f"content/articles/new-{number}.md", article(f"Dredging update {number}", f"2023-01-0{number}",
                                                                author="Tomas Reyes"))
    desk.rebuild()
    page = parse(site / "output/2024/03/port-traffic-falls-for-a-third-month/index.html")
    assert page.xpath("//p[@class='credits']/a/text()") == ["Maya Okafor", "Tomas Reyes"]
    clean = tmp_path / "clean"
    build(BuildOptions(site_dir=site, output=clean, now=NOW))
    assert snapshot(site / "output") == snapshot(clean)
