"""Live coverage: live blogs with timestamped updates, the "Live" badge and ``LiveBlogPosting``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser

from generator.build import build
from generator.options import BuildOptions
from tests.helpers import age, make_site, parse, run_dateline, write

CONFIG = 'title = "Harbour Herald"\nbase_url = "https://example.org/"\ntimezone = "Europe/London"\n'
URL = "2024/03/storm-isolde-live/"
STORM = """\
---
title: Storm Isolde live
date: 2024-03-05 06:30
live: true
live_until: 2024-03-06 12:00
updates:
  - time: 2024-03-05 10:00
    title: Council opens rest centre
    text: The **sports hall** on Mill Road is open all night.
---

Gales are reaching the coast this morning.

### 06:45 Amber warning in force

The warning runs until 21:00.

```markdown
### 07:00 not an update: this is code
```

### 07:20 — Ferries cancelled

No crossings until 14:00.

### A heading without a time stays in its update

More text.

### 2024-03-06 08:05 Harbour reopens

Overnight the wind dropped.

### 09:10 Clean-up begins

Crews are out on Harbour Street.
"""


def jsonld(page: Any) -> dict[str, Any]:
    article, trail = [json.loads(text) for text in page.xpath("//script[@type='application/ld+json']/text()")]
    assert trail["@type"] == "BreadcrumbList"
    return article


def built(tmp_path: Path, now: str, text: str = STORM) -> Path:
    site = make_site(tmp_path, {"articles/storm.md": text.replace("title: Storm Isolde live",
                                                                  "title: Storm Isolde live\nslug: storm-isolde-live")},
                     config=CONFIG)
    build(BuildOptions(site_dir=site, now=datetime.fromisoformat(now)))
    return site / "output"


def test_updates_are_shown_newest_first_with_their_times_and_anchors(tmp_path: Path) -> None:
    output = built(tmp_path, "2024-03-06T10:00:00+00:00")
    page = parse(output / URL / "index.html")
    updates = page.xpath("//li[@class='live-update']")
    assert [u.get("id") for u in updates] == [
        "update-20240306-0910", "update-20240306-0805", "update-20240305-1000", "update-20240305-0720",
        "update-20240305-0645"]
    assert [u.xpath("string(.//h3)") for u in updates] == [
        "Clean-up begins", "Harbour reopens", "Council opens rest centre", "Ferries cancelled",
        "Amber warning in force"]
    # A bare time is on the day of the dated heading above it; times are in the site's zone (GMT in March).
    assert updates[0].xpath(".//time/@datetime") == ["2024-03-06T09:10:00+00:00"]
    assert updates[0].xpath(".//a/@href") == ["#update-20240306-0910"]
    assert updates[2].xpath(".//strong/text()") == ["sports hall"]  # frontmatter updates are Markdown too
    assert updates[4].xpath("string(.//pre/code)") == "### 07:00 not an update: this is code\n"  # in code
    assert updates[3].xpath(".//div[@class='story-body']/h3/text()") == ["A heading without a time stays in its update"]
    assert page.xpath("normalize-space(//div[@class='story-body'][1])") == "Gales are reaching the coast this morning."


def test_the_badge_and_the_json_ld_follow_the_coverage(tmp_path: Path) -> None:
    output = built(tmp_path / "during", "2024-03-06T10:00:00+00:00")
    page = parse(output / URL / "index.html")
    assert page.xpath("//p[@class='live-badge']//text()") == ["Live"]
    front = parse(output / "index.html")
    assert front.xpath("//span[@class='live-badge-inline']/following-sibling::a/@href") == ["/" + URL]
    data = jsonld(page)
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"] == "2024-03-05T06:30:00+00:00"
    assert data["coverageEndTime"] == "2024-03-06T12:00:00+00:00"
    assert data["dateModified"] == "2024-03-06T09:10:00+00:00"  # the newest update
    first = data["liveBlogUpdate"][0]
    assert first == {"@type": "BlogPosting", "headline": "Clean-up begins", "datePublished": "2024-03-06T09:10:00+00:00",
                     "url": f"https://example.org/{URL}#update-20240306-0910",
                     "articleBody": "Crews are out on Harbour Street."}
    after = built(tmp_path / "after", "2024-03-06T12:00:00+00:00")  # live_until has passed
    assert parse(after / URL / "index.html").xpath("//p[@class='live-badge']") == []
    assert parse(after / "index.html").xpath("//span[@class='live-badge-inline']") == []
    ended = built(tmp_path / "ended", "2024-03-06T10:00:00+00:00", STORM.replace("live: true", "live: false"))
    data = jsonld(parse(ended / URL / "index.html"))
    assert data["coverageEndTime"] == "2024-03-06T09:10:00+00:00"  # the last update ended it
    assert parse(ended / URL / "index.html").xpath("//p[@class='live-badge']") == []
    assert "live_until: 2024-03-06 12:00\n" in STORM
    open_ended = built(tmp_path / "open", "2024-03-06T10:00:00+00:00", STORM.replace("live_until: 2024-03-06 12:00\n", ""))
    data = jsonld(parse(open_ended / URL / "index.html"))
    assert data["coverageEndTime"] == "2024-03-07T09:10:00+00:00"  # no end planned: Google asks for an estimate


def test_the_build_after_the_end_of_coverage_is_not_up_to_date(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/storm.md": STORM}, config=CONFIG)
    during = int(datetime.fromisoformat("2024-03-06T11:59:00+00:00").timestamp())
    assert run_dateline("build", "-q", cwd=site, epoch=during).returncode == 0
    page = next((site / "output/2024/03").glob("*/index.html"))
    assert parse(page).xpath("//p[@class='live-badge']")
    age(site)  # every file old enough for the up-to-date check to trust its time stamp
    assert run_dateline("build", "-q", cwd=site, epoch=during + 10).returncode == 0  # which it records
    assert "up to date" in run_dateline("build", cwd=site, epoch=during + 30).stdout  # it would be, before the end
    result = run_dateline("build", cwd=site, epoch=during + 120)  # no file changed, but the coverage ended
    assert result.returncode == 0 and "up to date" not in result.stdout
    assert parse(page).xpath("//p[@class='live-badge']") == []


def test_feeds_carry_the_updates(tmp_path: Path) -> None:
    output = built(tmp_path, "2024-03-06T10:00:00+00:00")
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not feed.bozo
    content = feed.entries[0].content[0].value
    assert content.index("Clean-up begins") < content.index("Amber warning in force")
    assert feed.entries[0].updated.startswith("2024-03-06T09:10:00")


def test_bad_update_times_are_errors_on_their_lines_all_at_once(tmp_path: Path) -> None:
    text = STORM.replace("### 07:20 — Ferries", "### 25:20 — Ferries").replace("time: 2024-03-05 10:00",
                                                                             "time: teatime")
    site = make_site(tmp_path, {"articles/storm.md": text}, config=CONFIG)
    write(site, "content/articles/other.md", "---\ntitle: Other\ndate: 2024-03-01\nlive_until: soon\n---\n\nText.\n")
    result = run_dateline("build", cwd=site)
    assert result.returncode != 0 and not (site / "output").exists()
    lines = text.splitlines()
    heading = next(number for number, line in enumerate(lines, 1) if line.startswith("### 25:20"))
    assert f"content/articles/storm.md:{heading}: live update:" in result.stderr
    assert "content/articles/storm.md:6: update 1 in 'updates':" in result.stderr
    assert "content/articles/other.md:4:" in result.stderr
