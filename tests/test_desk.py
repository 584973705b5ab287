"""The author's desk: ``dateline serve`` run as an author runs it, over real HTTP.

Drafts and scheduled stories are on screen with a banner the output folder
never holds; every rebuild line says what became of the file just saved;
warnings come with every rebuild, and with the errors of a failed one; and
only requests addressed to this machine are answered.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desk import Desk
from tests.helpers import article, make_site, run_dateline, write

DRAFT = article("Harbour swimmers brave the winter tide", "2025-12-30 07:00", "Cold water.", draft="true")
SCHEDULED = article("Embargoed budget story", "2027-05-05 09:00", "Not yet.")
PUBLISHED = article("Council meets", "2025-11-02 18:30", "Councillors met.", section="Politics")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", {
        "articles/council.md": PUBLISHED,
        "articles/swimmers.md": DRAFT,
        "articles/budget.md": SCHEDULED,
    })


@pytest.fixture
def desk(site: Path) -> Iterator[Desk]:
    server = Desk(site)
    yield server
    server.stop()


def test_drafts_and_scheduled_stories_are_shown_with_a_banner_that_is_never_written(site: Path, desk: Desk) -> None:
    status, _, body = desk.get("/2025/12/harbour-swimmers-brave-the-winter-tide/")
    assert status == 200
    assert b'id="dateline-preview"' in body and b"Draft \xe2\x80\x94 not published" in body
    status, _, body = desk.get("/2027/05/embargoed-budget-story/")
    assert status == 200 and b"Scheduled for 5 May 2027 09:00" in body
    status, _, body = desk.get("/2025/11/council-meets/")
    assert status == 200 and b"dateline-preview" not in body
    written = site / "output/2025/12/harbour-swimmers-brave-the-winter-tide/index.html"
    assert written.is_file() and b"dateline-preview" not in written.read_bytes()
    desk.stop()
    # What 'dateline build' publishes: neither story, and no banner anywhere.
    built = run_dateline("build", "-s", str(site), "-o", str(site / "public"))
    assert built.returncode == 0, built.stderr
    pages = [path.read_bytes() for path in (site / "public").rglob("*.html")]
    assert pages and not any(b"dateline-preview" in page or b"Embargoed" in page for page in pages)
    assert not (site / "public/2025/12/harbour-swimmers-brave-the-winter-tide").exists()


def test_banners_stand_through_body_edits(site: Path, desk: Desk) -> None:
    """A body edit changes no article's draft flag or date: the desk keeps its banners without walking the site."""
    desk.wait_for(r"^Showing 1 draft and 1 scheduled article with a banner", "out")
    desk.save(site, "content/articles/swimmers.md", DRAFT.replace("Cold water.", "Colder water."))
    desk.wait_for(r"^content/articles/swimmers\.md changed → draft — not published", "out")
    desk.save(site, "content/articles/council.md", PUBLISHED.replace("Councillors met.", "Councillors met late."))
    desk.wait_for(r"^content/articles/council\.md changed → published at ", "out")
    status, _, body = desk.get("/2025/12/harbour-swimmers-brave-the-winter-tide/")
    assert status == 200 and b"Colder water." in body and b"Draft \xe2\x80\x94 not published" in body
    status, _, body = desk.get("/2027/05/embargoed-budget-story/")
    assert status == 200 and b"Scheduled for 5 May 2027 09:00" in body
    status, _, body = desk.get("/2025/11/council-meets/")
    assert status == 200 and b"Councillors met late." in body and b"dateline-preview" not in body


def test_no_drafts_previews_exactly_what_build_publishes(site: Path) -> None:
    server = Desk(site, "--no-drafts")
    try:
        assert server.get("/2025/12/harbour-swimmers-brave-the-winter-tide/")[0] == 404
        assert server.get("/2027/05/embargoed-budget-story/")[0] == 404
        write(site, "content/articles/swimmers.md", DRAFT.replace("Cold water.", "Colder water."))
        server.wait_for(r"^content/articles/swimmers\.md changed → draft — not published: not shown \(--no-drafts\); "
                        r"0 pages in \d+\.\d+ s$", "out")
    finally:
        server.stop()


def test_each_rebuild_line_says_what_became_of_the_file(site: Path, desk: Desk) -> None:
    desk.wait_for(r"^Showing 1 draft and 1 scheduled article with a banner", "out")
    desk.save(site, "content/articles/new.md", article("A new story", "2026-01-01 09:00", "Hello.", draft="true"))
    desk.wait_for(r"^content/articles/new\.md changed → draft — not published, shown only here at "
                  r"/2026/01/a-new-story/; \d+ pages?, \d+ files? changed in \d\.\d{3} s$", "out")
    desk.save(site, "content/articles/new.md", article("A new story", "2027-02-03 10:15", "Hello."))  # a mistyped year
    desk.wait_for(r"^content/articles/new\.md changed → scheduled for 3 February 2027 10:15, shown only here at "
                  r"/2027/02/a-new-story/; ", "out")
    desk.save(site, "content/articles/new.md", article("A new story", "2025-02-03 10:15", "Hello."))
    desk.wait_for(r"^content/articles/new\.md changed → published at /2025/02/a-new-story/; ", "out")
    desk.save(site, "content/articles/.hidden.md", article("Hidden", "2025-02-03"))
    desk.wait_for(r"^content/articles/\.hidden\.md changed → not part of the site \(a hidden file\); 0 pages", "out")
    desk.save(site, "config.toml", (site / "config.toml").read_text() + 'exclude = ["notes/**"]\n')
    desk.wait_for(r"^config\.toml changed → ", "out")
    desk.save(site, "content/notes/idea.md", article("An idea", "2025-02-03"))
    desk.wait_for(r"^content/notes/idea\.md changed → excluded by 'exclude' in config\.toml; 0 pages", "out")
    desk.mark()
    (site / "content/articles/new.md").unlink()
    desk.wait_for(r"^content/articles/new\.md changed → removed; ", "out")


def test_a_fixed_build_says_the_site_is_good_again(site: Path, desk: Desk) -> None:
    desk.save(site, "content/articles/council.md", PUBLISHED.replace("2025-11-02 18:30", "Nov 35"))
    desk.wait_for(r"^content/articles/council\.md changed → failed; the last good site is still being served:$", "out")
    desk.wait_for(r"^  content/articles/council\.md:3: date 'Nov 35' is not a date$", "err")
    desk.save(site, "content/articles/council.md", PUBLISHED)
    desk.wait_for(r"^content/articles/council\.md changed → published at /2025/11/council-meets/; ", "out")
    desk.wait_for(r"^The site is good again: every error is fixed\.$", "out")
    out = [line for name, line in desk.seen[desk.since:] if name == "out"]
    assert out[-1] == "The site is good again: every error is fixed.", out  # right after the rebuild line
    assert out[-2].startswith("content/articles/council.md changed → published"), out
    # A further good build does not say it again.
    desk.save(site, "content/articles/council.md", PUBLISHED.replace("Councillors met.", "Councillors met late."))
    desk.wait_for(r"^content/articles/council\.md changed → published", "out")
    desk.save(site, "content/articles/budget.md", SCHEDULED.replace("Not yet.", "Still not."))
    desk.wait_for(r"^content/articles/budget\.md changed → scheduled", "out")
    assert not any("good again" in line for _, line in desk.seen[desk.since:])


def test_warnings_come_with_every_rebuild_and_with_the_errors(site: Path, desk: Desk) -> None:
    desk.save(site, "content/articles/council.md", PUBLISHED.replace("section: Politics", "section: Politics\nimgae: /x.png"))
    desk.wait_for(r"^content/articles/council\.md:5: warning: unknown field 'imgae'; did you mean 'image'\?$", "err")
    desk.wait_for(r"^content/articles/council\.md changed → published", "out")
    # The warning again, with an error: both at once, so that fixes do not come in waves.
    desk.mark()
    write(site, "content/articles/council.md",
          PUBLISHED.replace("section: Politics", "section: Politics\nimgae: /x.png\ndrafft: true\nupdated: soon"))
    desk.wait_for(r"→ failed; the last good site is still being served:$", "out")
    desk.wait_for(r"^  content/articles/council\.md:7: date 'soon' is not a date$", "err")
    desk.wait_for(r"^  content/articles/council\.md:5: warning: unknown field 'imgae'; did you mean 'image'\?$", "err")
    desk.wait_for(r"^  content/articles/council\.md:6: warning: unknown field 'drafft'; did you mean 'draft'\?$", "err")
    _, _, body = desk.get("/2025/11/council-meets/")
    assert b"dateline-overlay" in body and b"warning: unknown field &#x27;drafft&#x27;" in body


def test_an_editors_temporary_file_is_not_named(site: Path, desk: Desk) -> None:
    """``sed -i`` writes a temporary file next to the article and renames it over it."""
    temporary = site / "content/articles/sedXk3j9Q"
    temporary.write_text(PUBLISHED.replace("Councillors met.", "Councillors met again."), encoding="utf-8")
    os.replace(temporary, site / "content/articles/council.md")
    line = desk.wait_for(r"changed → ", "out").string
    assert line.startswith("content/articles/council.md changed → published"), line


ATTACKER = "attacker.example"


def test_only_requests_addressed_to_this_machine_are_answered(desk: Desk) -> None:
    for host in (f"{ATTACKER}:{desk.port}", ATTACKER, f"127.0.0.1.{ATTACKER}", f"localhost.{ATTACKER}", "", None):
        for path in ("/", "/2025/12/harbour-swimmers-brave-the-winter-tide/", "/__dateline__/livereload.js",
                     "/__dateline__/events", "/__dateline__/status", "/feed.xml"):
            status, headers, body = desk.get(path, host=host)
            assert status == 403, (host, path)
            assert b"Swimmers" not in body and b"event:" not in body
            assert not any(name.startswith("access-control-") for name in headers)
    for host in (f"localhost:{desk.port}", f"127.0.0.1:{desk.port}", f"[::1]:{desk.port}", "LOCALHOST", "127.0.0.1"):
        status, headers, _ = desk.get("/", host=host)
        assert status == 200, host
        assert not any(name.startswith("access-control-") for name in headers)


def test_allow_host_and_bind_add_names(site: Path) -> None:
    server = Desk(site, "--allow-host", "newsroom.test", "--allow-host", "desk.internal")
    try:
        assert server.get("/", host="newsroom.test:8000")[0] == 200
        assert server.get("/", host="desk.internal")[0] == 200
        assert server.get("/", host=ATTACKER)[0] == 403
    finally:
        server.stop()


def test_a_port_in_use_is_said_before_any_build(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_dateline("serve", "-s", str(site), "--port", str(port), timeout=60)
    assert result.returncode == 1
    assert result.stderr == (f"error: port {port} on 127.0.0.1 is already in use; choose another with --port, "
                             "or --port 0 for any free port\n")
    assert result.stdout == ""  # nothing was built first
    assert not (site / "output").exists()


def test_serve_says_where_to_start_without_a_site(tmp_path: Path) -> None:
    result = run_dateline("serve", "-s", str(tmp_path), "--port", "0")
    assert result.returncode == 1
    assert "run 'dateline init" in result.stderr and shutil.which  # the one message every command gives


def test_an_article_started_with_dateline_new_shows_up_at_once(site: Path, desk: Desk) -> None:
    """The first thing a newcomer does: 'dateline new', then look for the story in the browser."""
    desk.mark()
    created = run_dateline("new", "Harbour swimmers brave the spring tide", "-s", str(site), epoch=None)
    assert created.returncode == 0, created.stderr
    assert "a draft, which 'dateline serve' shows with a banner" in created.stdout
    url = desk.wait_for(r"^content/articles/\d{4}/harbour-swimmers-brave-the-spring-tide\.md changed → "
                        r"draft — not published, shown only here at (/\S+/); \d+ pages?", "out").group(1)
    status, _, body = desk.get(url)
    assert status == 200 and b"Draft \xe2\x80\x94 not published" in body


def test_the_banners_are_looked_at_again_when_a_scheduled_story_is_due(site: Path) -> None:
    from datetime import UTC, datetime

    from generator.load import load_site
    from generator.options import BuildOptions
    from generator.serve import preview

    now = datetime(2026, 1, 1, tzinfo=UTC)
    loaded = load_site(BuildOptions(site_dir=site, drafts=True, future=True, now=now))
    due = preview.banners_change(loaded, now)
    assert due is not None and due.astimezone(UTC) == datetime(2027, 5, 5, 9, 0, tzinfo=UTC)  # the site is in UTC
    assert preview.banners_change(loaded, datetime(2027, 5, 5, 9, 0, tzinfo=UTC)) is None  # the draft's banner stays
