"""Corrections and updates: on the article, in JSON-LD and feeds, on /corrections/ and its feed; bad items are errors."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from generator.build import build
from generator.errors import BuildFailed
from generator.options import BuildOptions
from tests.helpers import NOW, age, build_site, make_site, parse, run_dateline, snapshot

CONFIG = """\
title = "Test Times"
base_url = "https://example.org/"
timezone = "Europe/London"
"""

CORRECTED = """\
---
title: Council votes on the bridge
date: 2025-12-20 10:00
corrections:
  - date: 2025-12-21 09:15
    text: An earlier version named the wrong *councillor*; see [the minutes](https://example.com/m). <script>alert(1)</script>
  - date: 2025-12-22 18:00
    type: update
    text: Added the mayor's response.
---
The council voted.
"""


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    root = make_site(tmp_path / "site", {
        "articles/bridge.md": CORRECTED,
        "articles/plain.md": "---\ntitle: Plain story\ndate: 2025-12-10\n---\nNothing to correct.\n",
        "articles/fixed.md": ("---\ntitle: Fixed story\ndate: 2025-12-01\nupdated: 2025-12-30\n"
                              "corrections:\n  - date: 2025-12-02\n    text: The date was wrong.\n---\nText.\n"),
    }, CONFIG)
    build_site(root)
    return root


def test_article_shows_notice_and_log(site: Path) -> None:
    page = parse(site / "output/2025/12/council-votes-on-the-bridge/index.html")
    notice = page.xpath("//header//p[contains(@class, 'correction-notice')]")[0]
    assert notice.text_content().strip() == "This article was updated on 22 December 2025 18:00."
    items = page.xpath("//section[@id='corrections']//li")
    assert [item.xpath("string(strong)") for item in items] == ["Update", "Correction"]
    assert items[1].xpath("time/@datetime") == ["2025-12-21T09:15:00+00:00"]
    assert items[1].xpath("em/text()") == ["councillor"]
    assert items[1].xpath("a/@href") == ["https://example.com/m"]
    assert not page.xpath("//section[@id='corrections']//script")
    assert "alert" not in page.xpath("string(//section[@id='corrections'])")
    plain = parse(site / "output/2025/12/plain-story/index.html")
    assert not plain.xpath("//*[@id='corrections'] | //*[contains(@class, 'correction-notice')]")


def test_jsonld_has_correction_comments_and_date_modified(site: Path) -> None:
    page = parse(site / "output/2025/12/council-votes-on-the-bridge/index.html")
    data = json.loads(page.xpath("//script[@type='application/ld+json']/text()")[0])
    assert data["@type"] == "NewsArticle"
    assert data["dateModified"] == "2025-12-22T18:00:00+00:00"  # the latest, an update
    assert data["correction"] == [{
        "@type": "CorrectionComment",
        "text": "An earlier version named the wrong councillor; see the minutes.",
        "datePublished": "2025-12-21T09:15:00+00:00",
    }]
    fixed = json.loads(parse(site / "output/2025/12/fixed-story/index.html")
                       .xpath("//script[@type='application/ld+json']/text()")[0])
    assert fixed["dateModified"] == "2025-12-30T00:00:00+00:00"  # 'updated' set: it wins


def test_feeds_bump_the_entry_updated(site: Path) -> None:
    feed = feedparser.parse((site / "output/feed.xml").read_bytes())
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.title == "Council votes on the bridge")
    assert entry.updated == "2025-12-22T18:00:00+00:00"
    assert entry.published == "2025-12-20T10:00:00+00:00"


def test_corrections_page_and_feed(site: Path) -> None:
    page = parse(site / "output/corrections/index.html")
    items = page.xpath("//ol[@class='correction-log']/li")
    assert [item.xpath("string(time/@datetime)") for item in items] == [
        "2025-12-22T18:00:00+00:00", "2025-12-21T09:15:00+00:00", "2025-12-02T00:00:00+00:00"]
    assert items[0].xpath("a/@href") == ["/2025/12/council-votes-on-the-bridge/#corrections"]
    assert page.xpath("//link[@rel='alternate' and @type='application/atom+xml']/@href")[-1] == "/corrections/feed.xml"
    feed = feedparser.parse((site / "output/corrections/feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == ["Update: Council votes on the bridge",
                                               "Correction: Council votes on the bridge", "Correction: Fixed story"]
    assert feed.entries[1].link == "https://example.org/2025/12/council-votes-on-the-bridge/"
    assert "<em>councillor</em>" in feed.entries[1].content[0].value
    assert len({e.id for e in feed.entries}) == 3
    assert feed.feed.updated == "2025-12-22T18:00:00+00:00"


def test_site_without_corrections_has_no_corrections_page(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"articles/a.md": "---\ntitle: A\ndate: 2025-12-01\n---\nText.\n"}, CONFIG)
    build_site(site)
    assert not (site / "output/corrections").exists()


@pytest.mark.parametrize(("items", "errors"), [
    ("  - text: No date here.\n", ["content/articles/bad.md:5: correction 1 has no 'date'"]),
    ("  - date: 2025-13-40\n    text: Bad date.\n",
     ["content/articles/bad.md:5: correction 1: date '2025-13-40' is not a date (no such day)"]),
    ("  - date: 2025-12-02\n    text: OK.\n  - date: 2025-12-03\n    text: '  '\n",
     ["content/articles/bad.md:7: correction 2 has no 'text'"]),
    ("  - date: 2025-12-02\n    text: OK.\n    type: retraction\n",
     ["content/articles/bad.md:5: correction 1: 'type' must be 'correction' or 'update', not 'retraction'"]),
    ("  - date: 2025-11-02\n    text: Before the article.\n",
     ["content/articles/bad.md:4: a correction is dated earlier than 'date'"]),
    ("  just text\n", ["content/articles/bad.md:4: 'corrections' must be a list of items with 'date' and 'text', "
                       "not 'just text'"]),
])
def test_bad_items_are_errors_with_their_line(tmp_path: Path, items: str, errors: list[str]) -> None:
    text = f"---\ntitle: Bad\ndate: 2025-12-01\ncorrections:\n{items}---\nText.\n"
    site = make_site(tmp_path / "site", {"articles/bad.md": text}, CONFIG)
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert [str(error) for error in failure.value.errors] == errors


def test_adding_a_correction_incrementally_equals_a_clean_build(tmp_path: Path) -> None:
    uncorrected = CORRECTED.split("corrections:")[0] + "---\nThe council voted.\n"
    site = make_site(tmp_path / "site", {
        "articles/bridge.md": uncorrected,
        "articles/plain.md": "---\ntitle: Plain story\ndate: 2025-12-10\n---\nNothing to correct.\n",
    }, CONFIG)
    options = BuildOptions(site_dir=site, output=site / "output", now=NOW)
    first = build(options)
    assert not (site / "output/corrections").exists()
    (site / "content/articles/bridge.md").write_text(CORRECTED, encoding="utf-8")
    build(options, state=first.state, changed=[site / "content/articles/bridge.md"])
    build_site(site, output=tmp_path / "clean")
    assert snapshot(site / "output") == snapshot(tmp_path / "clean")
    assert (site / "output/corrections/feed.xml").is_file()


@pytest.mark.slow  # three real dateline processes and a clean build
def test_cli_rebuild_after_adding_a_correction_equals_a_clean_build(tmp_path: Path) -> None:
    uncorrected = CORRECTED.split("corrections:")[0] + "---\nThe council voted.\n"
    site = make_site(tmp_path / "site", {"articles/bridge.md": uncorrected}, CONFIG)
    age(site)
    assert run_dateline("build", "-s", str(site)).returncode == 0
    (site / "content/articles/bridge.md").write_text(CORRECTED, encoding="utf-8")
    age(site)
    second = run_dateline("build", "-s", str(site))
    assert second.returncode == 0, second.stderr
    assert "up to date" not in second.stdout
    build_site(site, output=tmp_path / "clean")
    assert snapshot(site / "output") == snapshot(tmp_path / "clean")


@pytest.mark.parametrize("trust", ["trusted", "untrusted"])
def test_correction_text_is_inline_and_safe_in_either_trust(tmp_path: Path, trust: str) -> None:
    text = ("---\ntitle: T\ndate: 2025-12-01\ncorrections:\n  - date: 2025-12-02\n"
            "    text: \"See [here](https://other.example/x), [not](javascript:alert(1)) <b onclick=x>bold</b>"
            "<script>alert(2)</script>\\n\\n# Heading\"\n---\nBody.\n")
    site = make_site(tmp_path / "site", {"articles/t.md": text},
                     CONFIG + f'\n[content.trust]\ndefault = "{trust}"\n')
    build_site(site)
    (item,) = parse(site / "output/2025/12/t/index.html").xpath("//section[@id='corrections']//li")
    assert not item.xpath(".//script | .//h1 | .//p | .//*[@onclick] | .//a[contains(@href, 'javascript')]")
    assert item.xpath("string(b)") == "bold"
    assert "alert" not in item.text_content()
    (link,) = item.xpath(".//a[@href='https://other.example/x']")
    assert link.get("rel") == ("nofollow ugc noopener" if trust == "untrusted" else None)


def test_every_page_links_the_corrections_page_only_when_there_is_one(site: Path, tmp_path: Path) -> None:
    footer = "//footer[@class='site-footer']//a[text()='Corrections']/@href"
    for page in ("index.html", "2025/12/plain-story/index.html", "404.html"):
        assert parse(site / "output" / page).xpath(footer) == ["/corrections/"], page
    assert (site / "output/corrections/index.html").is_file()
    plain = make_site(tmp_path / "plain", {"articles/plain.md": "---\ntitle: Plain\ndate: 2025-12-10\n---\nText.\n"},
                      CONFIG)
    build_site(plain)
    assert parse(plain / "output/index.html").xpath(footer) == []
    assert not (plain / "output/corrections").exists()
