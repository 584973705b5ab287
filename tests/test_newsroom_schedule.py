"""Embargo, expiry and takedown: by the build's clock, in the site's time zone, across changes of clocks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from generator.build import build
from generator.options import BuildOptions
from tests.helpers import age, article, make_site, parse, run_dateline, snapshot

CONFIG = """\
title = "Test Times"
base_url = "https://example.org/"
timezone = "Europe/London"
"""


def _build(site: Path, now: datetime, output: Path | None = None) -> Path:
    out = output or site / "output"
    build(BuildOptions(site_dir=site, output=out, now=now))
    return out


def _front(out: Path) -> list[str]:
    return [str(t) for t in parse(out / "index.html").xpath("//main//h2//a/text() | //main//h3//a/text()")]


def _epoch(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


# --- embargo around the change of clocks in Europe/London -----------------------------------------------

def test_spring_forward_article_goes_live_at_0100_utc(tmp_path: Path) -> None:
    # 2027-03-28: clocks go from 01:00 GMT to 02:00 BST, so 02:00 London is 01:00 UTC.
    site = make_site(tmp_path / "site", {
        "articles/old.md": article("Old story", "2027-03-01 12:00"),
        "articles/dst.md": article("Spring story", "2027-03-28 02:00"),
    }, CONFIG)
    before = _build(site, datetime(2027, 3, 28, 0, 59, 59, tzinfo=UTC))
    assert not (before / "2027/03/spring-story").exists()
    assert "Spring story" not in (before / "feed.xml").read_text(encoding="utf-8")
    assert "Spring story" not in (before / "sitemap.xml").read_text(encoding="utf-8")
    after = _build(site, datetime(2027, 3, 28, 1, 0, tzinfo=UTC))
    assert (after / "2027/03/spring-story/index.html").is_file()
    assert "Spring story" in (after / "feed.xml").read_text(encoding="utf-8")


def test_fall_back_ambiguous_hour_is_the_first_one(tmp_path: Path) -> None:
    # 2027-10-31: 01:00-02:00 London happens twice; a time written there is the first (BST, UTC+1).
    site = make_site(tmp_path / "site", {"articles/dst.md": article("Autumn story", "2027-10-31 01:30")}, CONFIG)
    assert not (_build(site, datetime(2027, 10, 31, 0, 29, tzinfo=UTC)) / "2027/10/autumn-story").exists()
    assert (_build(site, datetime(2027, 10, 31, 0, 30, tzinfo=UTC)) / "2027/10/autumn-story/index.html").is_file()


def test_article_dated_in_another_offset(tmp_path: Path) -> None:
    # 09:00 in New York in summer is 13:00 UTC (14:00 in London).
    site = make_site(tmp_path / "site", {"articles/ny.md": article("New York story", "2027-07-01 09:00 -04:00")}, CONFIG)
    assert not (_build(site, datetime(2027, 7, 1, 12, 59, tzinfo=UTC)) / "2027/07").exists()
    assert (_build(site, datetime(2027, 7, 1, 13, 0, tzinfo=UTC)) / "2027/07/new-york-story/index.html").is_file()


def test_build_names_the_next_scheduled_article_in_the_site_zone(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "articles/now.md": article("Live", "2027-05-01 09:00"),
        "articles/later.md": article("Later", "2027-06-01 09:00"),
        "articles/next.md": article("Next", "2027-05-05 09:00"),  # 08:00 UTC: London is on BST
        "articles/draft.md": article("Draft", "2027-05-02 09:00", draft="true"),
    }, CONFIG)
    age(site)
    result = run_dateline("build", "-s", str(site), epoch=_epoch(2027, 5, 3))
    assert result.returncode == 0, result.stderr
    assert "next scheduled article: content/articles/next.md at 2027-05-05 09:00 Europe/London" in result.stdout
    again = run_dateline("build", "-s", str(site), epoch=_epoch(2027, 5, 3, 0, 0, 5))
    assert "up to date" in again.stdout
    assert "next scheduled article: content/articles/next.md" in again.stdout


@pytest.mark.slow  # three real dateline processes and a clean build
def test_up_to_date_check_notices_an_embargo_lifting(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "articles/now.md": article("Live", "2027-05-01 09:00"),
        "articles/next.md": article("Next", "2027-05-05 09:00"),
    }, CONFIG)
    age(site)
    assert run_dateline("build", "-s", str(site), epoch=_epoch(2027, 5, 5, 7, 59)).returncode == 0
    assert not (site / "output/2027/05/next").exists()
    result = run_dateline("build", "-s", str(site), epoch=_epoch(2027, 5, 5, 8, 0))
    assert "up to date" not in result.stdout
    assert (site / "output/2027/05/next/index.html").is_file()
    _build(site, datetime(2027, 5, 5, 8, 0, tzinfo=UTC), tmp_path / "clean")
    assert snapshot(site / "output") == snapshot(tmp_path / "clean")


# --- expiry and takedown ----------------------------------------------------------------------------------

def _expiring(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", {
        "articles/stay.md": article("Staying story", "2027-01-01 09:00", tags="council"),
        "articles/expiring.md": article("Expiring story", "2027-01-02 09:00", tags="council",
                                        expires="2027-02-01 12:00", aliases="[/old-expiring/]"),
        "articles/down.md": article("Taken down story", "2027-01-03 09:00", unpublished="true"),
    }, CONFIG)


def test_expired_and_unpublished_articles_leave_every_list(tmp_path: Path) -> None:
    site = _expiring(tmp_path)
    out = _build(site, datetime(2027, 2, 1, 12, 0, tzinfo=UTC))
    texts = {path: data for path, data in snapshot(out).items() if path.endswith((".html", ".xml"))}
    for name in ("Expiring story", "Taken down story"):
        assert not [path for path, data in texts.items() if name.encode() in data], name
    assert _front(out) == ["Staying story"]
    for slug in ("expiring-story", "taken-down-story"):
        page = parse(out / f"2027/01/{slug}/index.html")
        assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
        assert page.xpath("string(//h1)").strip() == "This article is no longer available"
    rules = (out / "_redirects").read_text(encoding="utf-8").splitlines()
    assert "/2027/01/expiring-story/ /2027/01/expiring-story/index.html 410!" in rules
    assert "/2027/01/taken-down-story/ /2027/01/taken-down-story/index.html 410!" in rules
    assert not [rule for rule in rules if rule.startswith("/old-expiring")]
    sitemap = etree.parse(str(out / "sitemap.xml"))
    locs = sitemap.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    assert not [loc for loc in locs if "expiring" in loc or "taken-down" in loc]


def test_before_expiry_the_article_is_there(tmp_path: Path) -> None:
    site = _expiring(tmp_path)
    out = _build(site, datetime(2027, 2, 1, 11, 59, tzinfo=UTC))
    assert _front(out) == ["Expiring story", "Staying story"]
    assert parse(out / "2027/01/expiring-story/index.html").xpath("string(//h1)").strip() == "Expiring story"
    rules = (out / "_redirects").read_text(encoding="utf-8").splitlines()
    assert rules == ["/old-expiring/ /2027/01/expiring-story/ 301", "/2027/01/taken-down-story/ "
                     "/2027/01/taken-down-story/index.html 410!"]


@pytest.mark.slow  # three real dateline processes and a clean build
def test_up_to_date_check_notices_an_expiry(tmp_path: Path) -> None:
    site = _expiring(tmp_path)
    age(site)
    assert run_dateline("build", "-s", str(site), epoch=_epoch(2027, 2, 1, 11, 59)).returncode == 0
    result = run_dateline("build", "-s", str(site), epoch=_epoch(2027, 2, 1, 12, 0, 1))
    assert result.returncode == 0, result.stderr
    assert "up to date" not in result.stdout
    _build(site, datetime(2027, 2, 1, 12, 0, 1, tzinfo=UTC), tmp_path / "clean")
    assert snapshot(site / "output") == snapshot(tmp_path / "clean")


@pytest.mark.slow  # three real dateline processes and a clean build
def test_up_to_date_check_notices_the_news_window_moving(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"articles/a.md": article("Fresh", "2027-01-01 09:00")}, CONFIG)
    age(site)
    assert run_dateline("build", "-s", str(site), epoch=_epoch(2027, 1, 3, 8, 59)).returncode == 0
    assert b"Fresh" in (site / "output/news-sitemap.xml").read_bytes()
    result = run_dateline("build", "-s", str(site), epoch=_epoch(2027, 1, 3, 9, 0, 1))
    assert "up to date" not in result.stdout
    assert not (site / "output/news-sitemap.xml").exists()  # the only article left the window


def test_bad_expiry_is_an_error_with_its_line(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "articles/a.md": article("A", "2027-01-05", expires="2027-01-01"),
        "articles/b.md": article("B", "2027-01-05", expires="soon"),
        "articles/c.md": article("C", "2027-01-05", unpublished="maybe"),
    }, CONFIG)
    result = run_dateline("build", "-s", str(site), epoch=_epoch(2027, 2, 1))
    assert result.returncode != 0
    assert "content/articles/a.md:4: 'expires' is not later than 'date'" in result.stderr
    assert "content/articles/b.md:4: date 'soon' is not a date" in result.stderr
    assert "content/articles/c.md:4: 'unpublished' must be true or false, not 'maybe'" in result.stderr
    assert "Traceback" not in result.stderr


def test_body_edit_after_an_expiry_rebuilds_as_a_clean_build_would(tmp_path: Path) -> None:
    # The dev server's path: the previous plan is kept for body edits, unless a scheduled moment has passed.
    site = _expiring(tmp_path)
    first = build(BuildOptions(site_dir=site, output=site / "output", now=datetime(2027, 2, 1, 11, 0, tzinfo=UTC)))
    stay = site / "content/articles/stay.md"
    stay.write_text(stay.read_text(encoding="utf-8").replace("Body text.", "Body text, edited."), encoding="utf-8")
    later = datetime(2027, 2, 1, 12, 30, tzinfo=UTC)
    result = build(BuildOptions(site_dir=site, output=site / "output", now=later), state=first.state, changed=[stay])
    assert not result.plan_kept
    _build(site, later, tmp_path / "clean")
    assert snapshot(site / "output") == snapshot(tmp_path / "clean")
    assert _front(site / "output") == ["Staying story"]
