"""A build with nothing to do stops at once, and is never fooled (``generator.uptodate``)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.filetree import FileStat, stat_of
from generator.incremental import output_check, uptodate
from tests.helpers import CHECKOUT, age, article, cli_env, make_site, run_dateline, snapshot, start_dateline, write

UP_TO_DATE = "(up to date: no file changed since the last build)"


def dateline(site: Path, *args: str, epoch: int = 1767225600) -> subprocess.CompletedProcess[str]:
    result = run_dateline("build", "-s", str(site), "-v", *args, epoch=epoch)
    assert result.returncode == 0, result.stderr
    return result


def small_site(root: Path) -> Path:
    site = make_site(root / "site", {
        "articles/a.md": article("Alpha", "2020-03-01", tags="[x]"),
        "articles/b.md": article("Beta", "2020-04-01", tags="[x, y]"),
    })
    age(site)
    return site


def test_second_build_is_up_to_date_and_touches_nothing(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    first = dateline(site)
    assert UP_TO_DATE not in first.stdout
    stamps = {path: path.stat().st_mtime_ns for path in (site / "output").rglob("*")}
    # A damaged build cache would be reported if the build loaded it: the up-to-date check never does.
    (site / ".dateline/build-cache.pickle").write_bytes(b"damaged")
    second = dateline(site)
    assert UP_TO_DATE in second.stdout
    assert "0 written, 0 removed" in second.stdout and "; 0 rendered" in second.stdout
    assert second.stderr == ""
    assert {path: path.stat().st_mtime_ns for path in (site / "output").rglob("*")} == stamps


@pytest.mark.slow  # 28 `dateline build` subprocesses, three for each of nine changes: about 6 s
def test_any_change_to_inputs_or_outputs_means_a_real_build(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    dateline(site)
    changes = {
        "an edited article": lambda: write(site, "content/articles/a.md", article("Alpha", "2020-03-01", "New text.")),
        "a new article": lambda: write(site, "content/articles/c.md", article("Gamma", "2020-05-01")),
        "a deleted article": lambda: (site / "content/articles/c.md").unlink(),
        "a site template": lambda: write(site, "templates/archive.html",
                                         '{% extends "newsroom/archive.html" %}{% block title %}Years{% endblock %}'),
        "a static file": lambda: write(site, "static/extra.css", "body { color: red }"),
        "the config": lambda: write(site, "config.toml", (site / "config.toml").read_text() + 'description = "D"\n'),
        "a deleted output file": lambda: (site / "output/index.html").unlink(),
        "an edited output file": lambda: (site / "output/robots.txt").write_text("User-agent: *\nDisallow: /\n"),
        "a new output file": lambda: write(site, "output/stray.html", "stray"),
    }
    for label, change in changes.items():
        change()
        age(site)
        result = dateline(site)
        assert UP_TO_DATE not in result.stdout, label
        clean = tmp_path / f"clean-{len(list(tmp_path.iterdir()))}"
        dateline(site, "--no-cache", "-o", str(clean))
        assert snapshot(site / "output") == snapshot(clean), label
        assert UP_TO_DATE in dateline(site).stdout, f"after {label}, the next build has nothing to do"


@pytest.mark.slow  # 3 `dateline build` subprocesses: about 0.8 s
def test_other_flags_are_another_build(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    write(site, "content/articles/draft.md", article("Draft", "2020-06-01", draft="true"))
    age(site)
    dateline(site)
    assert UP_TO_DATE in dateline(site).stdout
    assert UP_TO_DATE not in dateline(site, "--drafts").stdout
    assert (site / "output/2020/06/draft/index.html").is_file()


def test_a_scheduled_article_going_live_is_a_change(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    write(site, "content/articles/later.md", article("Later", "2026-06-01"))
    age(site)
    before = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    after = int(datetime(2026, 7, 1, tzinfo=UTC).timestamp())
    dateline(site, epoch=before)
    assert UP_TO_DATE in dateline(site, epoch=before).stdout
    assert not (site / "output/2026/06/later/index.html").exists()
    assert UP_TO_DATE not in dateline(site, epoch=after).stdout
    assert (site / "output/2026/06/later/index.html").is_file()


def test_files_saved_just_before_the_snapshot_are_not_trusted(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    dateline(site)
    record = uptodate.load(site)
    assert record is not None
    now = datetime(2026, 1, 1, tzinfo=UTC)

    def changed(record: uptodate.Record, key: str) -> tuple[str, ...] | None:
        snapshot = uptodate.take_snapshot(site, site / "output", key)
        assert snapshot is not None
        return uptodate.changed_inputs(record, snapshot, now)

    assert changed(record, record.key) == ()
    assert uptodate.is_current(record, (), site / "output")
    # A file saved within the file system clock's resolution of the snapshot could
    # have changed again unnoticed: such a record never says "current", and names it.
    recent = {**record.inputs}
    name = next(path for path, stat in recent.items() if stat and path.startswith("content/"))
    _mtime, ctime, size, inode = recent[name]  # type: ignore[misc]
    recent[name] = (record.snapshot_ns - 500_000_000, ctime, size, inode)
    assert changed(replace(record, inputs=recent), record.key) == (name,)
    assert not uptodate.is_current(record, (name,), site / "output")
    assert changed(record, "another key") is None


def test_a_file_saved_just_before_a_build_is_settled_by_its_content(tmp_path: Path) -> None:
    """The author's save right before a build: the next build hashes that one file, not the whole site."""
    site = small_site(tmp_path)
    write(site, "content/articles/a.md", article("Alpha, retitled", "2020-03-01", tags="[x]"))
    dateline(site)  # within two seconds of the save: its time stamp alone proves nothing
    record = uptodate.load(site)
    assert record is not None and list(record.digests) == ["content/articles/a.md"]
    again = dateline(site)
    assert UP_TO_DATE in again.stdout  # its bytes are those the build read
    snapshot = uptodate.take_snapshot(site, site / "output", record.key)
    assert snapshot is not None
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert uptodate.changed_inputs(record, snapshot, now) == ()
    # Had the bytes changed within the clock's resolution, leaving the stat as it was, the hash tells.
    other = replace(record, digests={"content/articles/a.md": "0" * 32})
    assert uptodate.changed_inputs(other, snapshot, now) == ("content/articles/a.md",)


def test_a_no_op_build_settles_racy_files_once_their_time_stamps_can_be_trusted(tmp_path: Path) -> None:
    """After a checkout, every file is racy: hashing them on every no-op build would cost a fifth of it at scale.

    Once a no-op build has found them unchanged, two seconds after their
    last save, their stat suffices; an edit of one is still seen.
    """
    site = small_site(tmp_path)
    path = write(site, "content/articles/a.md", article("Alpha, retitled", "2020-03-01", tags="[x]"))
    dateline(site)  # within two seconds of the save
    racy = uptodate.load(site)
    assert racy is not None and list(racy.digests) == ["content/articles/a.md"] and racy.settled_ns == 0
    time.sleep(max(0.0, (path.stat().st_mtime_ns + uptodate.RACY_NS) / 1e9 - time.time()) + 0.05)
    assert UP_TO_DATE in dateline(site).stdout
    settled = uptodate.load(site)
    assert settled is not None and settled.digests == {} and settled.settled_ns > racy.snapshot_ns
    assert settled.snapshot_ns == racy.snapshot_ns and settled.outputs == racy.outputs
    assert UP_TO_DATE in dateline(site).stdout
    assert uptodate.load(site) == settled  # nothing left to settle: the record is not written again
    write(site, "content/articles/a.md", article("Alpha, retitled", "2020-03-01", "Edited after the settling."))
    assert UP_TO_DATE not in dateline(site).stdout
    assert "Edited after the settling." in (site / "output/2020/03/alpha-retitled/index.html").read_text()


def test_a_racy_file_stays_racy_for_a_snapshot_within_two_seconds_of_its_save(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    path = write(site, "content/articles/a.md", article("Alpha, retitled", "2020-03-01", tags="[x]"))
    dateline(site)
    record = uptodate.load(site)
    snapshot = uptodate.take_snapshot(site, site / "output", "key")
    assert record is not None and snapshot is not None
    saved = path.stat().st_mtime_ns
    assert uptodate.settle(record, replace(snapshot, taken_ns=saved + uptodate.RACY_NS - 1)) is None
    settled = uptodate.settle(record, replace(snapshot, taken_ns=saved + uptodate.RACY_NS + 1))
    assert settled is not None and settled.digests == {} and settled.racy_from_ns == saved + 1


@pytest.mark.slow  # 5 `dateline build` subprocesses: about 1.2 s
def test_symlinked_folders_and_damaged_records_mean_a_real_build(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    extra = write(tmp_path, "elsewhere/d.md", article("Delta", "2020-07-01")).parent
    (site / "content/linked").symlink_to(extra, target_is_directory=True)
    age(site)
    dateline(site)
    assert UP_TO_DATE not in dateline(site).stdout  # what changes inside a linked folder is not watched
    (site / "content/linked").unlink()
    age(site)
    dateline(site)
    assert UP_TO_DATE in dateline(site).stdout
    (site / uptodate.RECORD).write_bytes(b"\xffnot a record")
    assert UP_TO_DATE not in dateline(site).stdout


def test_another_markdown_version_is_another_build(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An upgraded library can render the same text differently: neither the record nor the cache may be reused."""
    before = uptodate.code_fingerprint()
    real = uptodate.metadata.version
    monkeypatch.setattr(uptodate.metadata, "version",
                        lambda name: "99.0" if name == "Markdown" else real(name))
    assert uptodate.code_fingerprint() != before


@pytest.mark.parametrize("pause", [0, 0.3])
def test_the_output_check_shared_with_a_forked_process_sees_a_change_in_any_piece(tmp_path: Path, pause: float) -> None:
    """Pieces of two paths, a change in the first, a middle or the last: whichever process checks it sees it.

    Asked at once, this process takes most pieces; asked after a pause, the forked one has taken them.
    """
    site = small_site(tmp_path)
    dateline(site)
    output = site / "output"
    recorded = uptodate.scan_outputs(output)
    assert recorded is not None and len(recorded) > 20
    labels = list(recorded)

    def check() -> bool:
        unchanged = output_check.start(recorded, {}, output, piece=2)
        time.sleep(pause)
        return unchanged()

    assert check()
    for label in (labels[0], labels[len(labels) // 2], labels[-1]):
        path = output / label.strip("/")
        if label.endswith("/"):  # a folder: a file made in it
            (path / "stray.html").write_text("stray")
            assert not check(), label
            (path / "stray.html").unlink()
        else:
            data = path.read_bytes()
            path.write_bytes(data + b"edited")
            assert not check(), label
            path.write_bytes(data)
        recorded = uptodate.scan_outputs(output)  # the change undone still has new stats: record them anew
        assert recorded is not None and check(), label


def test_the_output_check_works_alone_while_threads_run(tmp_path: Path) -> None:
    """With another thread running, forking is unsafe: this process checks every piece itself, with the same answers."""
    site = small_site(tmp_path)
    dateline(site)
    output = site / "output"
    recorded = uptodate.scan_outputs(output)
    assert recorded is not None
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        unchanged = output_check.start(recorded, {}, output, piece=2)
        assert unchanged() and unchanged()  # asked twice, as the session does
        (output / "robots.txt").write_text("changed")
        assert not output_check.start(recorded, {}, output, piece=2)()
    finally:
        release.set()
        waiting.join()


def age_link(link: Path, seconds: float = 60) -> None:
    """Make a symbolic link itself look made a while ago (``age`` sets the times of what links lead to)."""
    past = time.time() - seconds
    os.utime(link, (past, past), follow_symlinks=False)


def test_the_sample_sites_linked_theme_takes_the_fast_path(tmp_path: Path) -> None:
    """``themes/newsroom`` links to the built-in theme: a no-op build of the sample site is up to date."""
    site = tmp_path / "sample"
    site.mkdir()
    shutil.copytree(CHECKOUT / "content", site / "content")
    shutil.copy2(CHECKOUT / "config.toml", site / "config.toml")
    (site / "themes").mkdir()
    (site / "themes/newsroom").symlink_to(os.path.realpath(CHECKOUT / "themes/newsroom"), target_is_directory=True)
    age(site)
    age_link(site / "themes/newsroom")
    first = dateline(site)
    assert UP_TO_DATE not in first.stdout
    second = dateline(site)
    assert UP_TO_DATE in second.stdout and "0 written" in second.stdout


def test_a_linked_theme_is_watched_through_the_link(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    theme = tmp_path / "shared-theme"
    write(theme, "theme.toml", 'name = "house"\nextends = "newsroom"\n')
    write(theme, "templates/404.html", '{% extends "newsroom/404.html" %}{% block title %}Lost{% endblock %}')
    (site / "themes").mkdir()
    (site / "themes/house").symlink_to(theme, target_is_directory=True)
    write(site, "config.toml", (site / "config.toml").read_text() + 'theme = "house"\n')
    age(site)
    age(theme)
    age_link(site / "themes/house")
    dateline(site)
    assert UP_TO_DATE in dateline(site).stdout
    write(theme, "templates/404.html", '{% extends "newsroom/404.html" %}{% block title %}Gone{% endblock %}')
    age(theme)
    assert UP_TO_DATE not in dateline(site).stdout
    assert b"<title>Gone</title>" in (site / "output/404.html").read_bytes()
    # A link leading back into the site is a loop, and never trusted.
    (site / "themes/loop").symlink_to(site, target_is_directory=True)
    age(site)
    age_link(site / "themes/loop")
    dateline(site)
    assert UP_TO_DATE not in dateline(site).stdout


def _stamps(folder: Path) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_mtime_ns for path in folder.rglob("*") if path.is_file()}


def test_a_new_day_renders_only_the_pages_that_show_the_date(tmp_path: Path) -> None:
    """The front page shows the build's date: the next day it alone is rendered again, as a clean build has it."""
    site = small_site(tmp_path)
    write(site, "config.toml", (site / "config.toml").read_text() + 'timezone = "Pacific/Auckland"\n')
    age(site)
    evening_utc = 1767258000  # 2026-01-01 09:00 UTC: 22:00 on 1 January in Auckland
    dateline(site, epoch=evening_utc)
    assert UP_TO_DATE in dateline(site, epoch=evening_utc + 3000).stdout  # 22:50, the same day there
    before = _stamps(site / "output")
    after_midnight = evening_utc + 7200  # 11:00 UTC, still 1 January in UTC; 2 January in Auckland
    result = dateline(site, epoch=after_midnight)
    assert "(a new day:" in result.stdout and "1 written, 0 removed" in result.stdout
    assert "; 1 rendered" in result.stdout
    front = (site / "output/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2026-01-02">2 January 2026</time>' in front
    after = _stamps(site / "output")
    assert {name for name in after if after[name] != before.get(name)} == {"index.html"}
    clean = tmp_path / "clean"
    dateline(site, "--no-cache", "-o", str(clean), epoch=after_midnight)
    assert snapshot(site / "output") == snapshot(clean)
    assert UP_TO_DATE in dateline(site, epoch=after_midnight + 60).stdout  # the new day's record holds
    # An edit on the new day, after a build on the old one, keeps the plan and misses no date.
    dateline(site, epoch=evening_utc)
    write(site, "content/articles/a.md", article("Alpha", "2020-03-01", "Edited.", tags="[x]"))
    age(site)
    dateline(site, epoch=after_midnight)
    dateline(site, "--no-cache", "-o", str(tmp_path / "clean2"), epoch=after_midnight)
    assert snapshot(site / "output") == snapshot(tmp_path / "clean2")


def test_a_date_shown_on_every_page_is_new_on_every_page_the_next_day(tmp_path: Path) -> None:
    """A theme may show ``today`` anywhere: through a block, an include, or a macro imported
    once and kept by Jinja from page to page. Every page that does is rendered again."""
    site = small_site(tmp_path)
    write(site, "templates/partials/stamp.html",
          '{% macro stamp() %}<p class="stamp">{{ today.date().isoformat() }}</p>{% endmacro %}')
    write(site, "templates/article.html",
          '{% extends "newsroom/article.html" %}{% import "partials/stamp.html" as s %}'
          '{% block masthead_date %}{{ s.stamp() }}{% endblock %}')
    write(site, "templates/partials/day.html", '<p class="stamp">{{ today|date }}</p>')
    write(site, "templates/tag.html",
          '{% extends "newsroom/term.html" %}{% block masthead_date %}{% include "partials/day.html" %}{% endblock %}')
    age(site)
    dateline(site, epoch=1767225600)  # 2026-01-01 00:00 UTC
    result = dateline(site, epoch=1767225600 + 86400)
    assert "(a new day:" in result.stdout and "; 5 rendered" in result.stdout  # two articles, two tags, the front
    output = site / "output"
    stamped = sorted(path.relative_to(output).as_posix() for path in output.rglob("*.html")
                     if 'class="stamp"' in path.read_text(encoding="utf-8"))
    assert len(stamped) == 4
    for name in stamped:
        assert "2026-01-02" in (output / name).read_text(encoding="utf-8") or "2 January 2026" in (
            output / name).read_text(encoding="utf-8")
    dateline(site, "--no-cache", "-o", str(tmp_path / "clean"), epoch=1767225600 + 86400)
    assert snapshot(output) == snapshot(tmp_path / "clean")


def test_the_output_check_stats_paths_and_still_sees_every_change(tmp_path: Path) -> None:
    """Recorded folders' stats stand for their listings: a file made anywhere in output/ is seen."""
    site = small_site(tmp_path)
    dateline(site)
    output = site / "output"
    record = uptodate.load(site)
    assert record is not None and uptodate.outputs_unchanged(record, output)
    assert record.outputs == uptodate.scan_outputs(output)
    assert "/" in record.outputs and "/tags/" in record.outputs and "/tags/index.html" in record.outputs

    def trusting(outputs: dict[str, object]) -> uptodate.Record:
        """The record as if every folder were last changed long before it: only stats decide."""
        return replace(record, outputs=outputs, outputs_ns=0, listed={})  # type: ignore[arg-type]

    changes = {
        "a new file": lambda: write(output, "tags/stray.html", "stray"),
        "a new folder": lambda: (output / "tags/stray").mkdir(),
        "a removed file": lambda: (output / "tags/index.html").unlink(),
        "an edited file": lambda: (output / "robots.txt").write_text("changed"),
    }
    for label, change in changes.items():
        before = uptodate.scan_outputs(output)
        assert before is not None and uptodate.outputs_unchanged(trusting(before), output), label
        change()
        assert not uptodate.outputs_unchanged(trusting(before), output), label
    # An empty folder is recorded too: a file made in it later is a change.
    before = uptodate.scan_outputs(output)
    assert before is not None and "/tags/stray/" in before
    write(output, "tags/stray/deep.html", "stray")
    assert not uptodate.outputs_unchanged(trusting(before), output)


def test_a_folder_changed_in_the_same_tick_as_the_record_is_listed(tmp_path: Path) -> None:
    """A folder's stat taken just after a file was made in it, in the same clock tick, proves nothing."""
    site = small_site(tmp_path)
    dateline(site)
    output = site / "output"
    record = uptodate.load(site)
    assert record is not None
    outputs = uptodate.scan_outputs(output)
    assert outputs is not None
    write(output, "tags/stray.html", "stray")
    # The folder's stat as the record would hold it, had it been taken after the file was made.
    outputs["/tags/"] = stat_of(str(output / "tags"), follow_symlinks=False)
    now = time.time_ns()
    racy = replace(record, outputs=outputs, outputs_ns=now, listed=uptodate.racy_listings(outputs, now))
    assert "stray.html" not in racy.listed["/tags/"]
    assert not uptodate.outputs_unchanged(racy, output)
    (output / "tags/stray.html").unlink()
    settled = uptodate.scan_outputs(output)
    assert settled is not None
    assert uptodate.outputs_unchanged(replace(record, outputs=settled, outputs_ns=now,
                                              listed=uptodate.racy_listings(settled, now)), output)


@pytest.mark.slow  # 8 `dateline build` subprocesses: about 3 s
def test_the_record_after_an_edit_build_is_what_a_scan_finds(tmp_path: Path) -> None:
    """A body edit's build records only the files it wrote, and their folders: the rest must still be right."""
    site = small_site(tmp_path)
    dateline(site)
    edits = {
        "a body edit": lambda: write(site, "content/articles/a.md", article("Alpha", "2020-03-01", "New.", tags="[x]")),
        "a new article": lambda: write(site, "content/articles/c.md", article("Gamma", "2021-05-01", tags="[z]")),
        "a deleted article": lambda: (site / "content/articles/c.md").unlink(),
    }
    for label, edit in edits.items():
        edit()
        age(site)
        dateline(site)
        record = uptodate.load(site)
        assert record is not None, label
        assert record.outputs == uptodate.scan_outputs(site / "output"), label
        assert UP_TO_DATE in dateline(site).stdout, label


@pytest.mark.slow  # about 20 `dateline build` subprocesses, half of them killed: about 15 s
def test_a_build_killed_at_any_moment_leaves_a_record_the_next_build_can_trust(tmp_path: Path) -> None:
    """The record is removed before a build and written after it: a kill never leaves one that lies."""
    site = small_site(tmp_path)
    for number in range(30):
        write(site, f"content/articles/more-{number}.md", article(f"More {number}", "2021-01-01", tags="[x]"))
    age(site)
    dateline(site)
    started = time.monotonic()
    write(site, "content/articles/a.md", article("Alpha", "2020-03-01", "Edited once.", tags="[x]"))
    age(site)
    dateline(site)
    duration = time.monotonic() - started
    for step, fraction in enumerate((0.1, 0.3, 0.5, 0.7, 0.9, 1.1)):
        write(site, "content/articles/a.md", article("Alpha", "2020-03-01", f"Edit {step}.", tags="[x]"))
        age(site)
        with start_dateline("build", "-s", str(site), env=cli_env(1767225600), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL) as process:
            time.sleep(duration * fraction)
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        dateline(site)  # whatever the kill left, this build ends with the site as it is
        clean = tmp_path / f"clean-{step}"
        dateline(site, "--no-cache", "-o", str(clean))
        assert snapshot(site / "output") == snapshot(clean), f"killed at {fraction:.0%}"
        assert UP_TO_DATE in dateline(site).stdout, f"killed at {fraction:.0%}"


def test_a_damaged_or_older_record_is_not_used(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    dateline(site)
    data = (site / uptodate.RECORD).read_bytes()
    assert uptodate.load(site) is not None
    for damaged in (data[: len(data) // 2], data[:-7], b"", data.replace(b"index.html", b"index.htm")):
        (site / uptodate.RECORD).write_bytes(damaged)
        assert uptodate.load(site) is None
    (site / uptodate.RECORD).unlink()
    write(site, ".dateline/up-to-date.json", "{}")  # an earlier version's record: never read, removed by a build
    assert uptodate.load(site) is None
    assert UP_TO_DATE not in dateline(site).stdout
    assert not (site / ".dateline/up-to-date.json").exists()


def test_without_statting_by_name_in_a_folder_the_checks_answer_the_same(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Where ``os.stat`` takes no folder descriptor, whole paths are statted: the same inputs, the same answers."""
    from generator import filetree

    site = small_site(tmp_path)
    dateline(site)
    output = site / "output"
    recorded = uptodate.scan_outputs(output)
    inputs = uptodate.scan_inputs(site, output)
    assert recorded is not None and inputs is not None and filetree.STAT_IN_FOLDER
    monkeypatch.setattr(filetree, "STAT_IN_FOLDER", False)
    assert filetree.open_folder(str(output)) is None
    assert uptodate.scan_inputs(site, output) == inputs
    assert output_check.start(recorded, {}, output, piece=2)()
    (output / "tags/index.html").write_text("changed")
    assert not output_check.start(recorded, {}, output, piece=2)()


_STATS = st.builds(FileStat, *(st.integers(0, 2**62) for _ in range(4)))
_NAMES = st.sampled_from([f"/{name}" for name in ("a", "b", "c/", "c/d", "e", "f/", "f/g", "h")])


@given(before=st.dictionaries(_NAMES, st.none() | _STATS), changes=st.dictionaries(_NAMES, st.none() | _STATS))
def test_packed_stats_patched_in_place_equal_the_stats_unpacked_updated_and_packed_again(
        before: dict[str, FileStat | None], changes: dict[str, FileStat | None]) -> None:
    """The record after a body edit: ``with_changes`` patches bytes where a dict would be rebuilt (None: removed)."""
    expected = dict(before)
    for name, stat in changes.items():
        if stat is None:
            expected.pop(name, None)
        else:
            expected[name] = stat
    patched = uptodate.PackedStats.of(before).with_changes(changes)
    again = uptodate.PackedStats.of(expected)
    assert (patched.names, patched.packed) == (again.names, again.packed)
    assert dict(patched.items()) == expected
    assert all((name in patched) == (name in expected) for name in ("/a", "/c/", "/z"))


@given(before=st.dictionaries(_NAMES, st.none() | _STATS), asked=st.lists(_NAMES | st.just("/z"), max_size=60),
       changes=st.dictionaries(_NAMES, st.none() | _STATS))
def test_packed_stats_answer_the_same_before_and_after_their_paths_are_indexed(
        before: dict[str, FileStat | None], asked: list[str], changes: dict[str, FileStat | None]) -> None:
    """A few lookups search the list of paths; past ``_SEARCHES`` an index answers; both as the dict would."""
    from generator.incremental import outputs

    searched = uptodate.PackedStats.of(before)
    answers = [(name in searched, searched.get(name, "missing")) for name in asked * 2]
    assert answers == [(name in before, before.get(name, "missing")) for name in asked * 2]
    assert ("_index" in searched.__dict__) == (len(asked) * 4 > outputs._SEARCHES)  # ``in`` and ``get`` each look
    assert 3 not in searched  # not a path at all
    indexed = uptodate.PackedStats.of(before)
    assert indexed._index is not None
    assert indexed.positions(changes) == searched.positions(changes) == uptodate.PackedStats.of(before).positions(changes)
    patched, patched_indexed = (stats.with_changes(changes) for stats in (uptodate.PackedStats.of(before), indexed))
    assert (patched.names, patched.packed) == (patched_indexed.names, patched_indexed.packed)


@given(before=st.lists(_STATS, max_size=70), changes=st.dictionaries(st.integers(0, 69), _STATS))
def test_packed_stats_find_exactly_the_stats_that_differ(before: list[FileStat],
                                                        changes: dict[int, FileStat]) -> None:
    names = [f"/{number}" for number in range(len(before))]
    after = list(before)
    for at, stat in changes.items():
        if at < len(after):
            after[at] = stat
    recorded = uptodate.PackedStats.of(dict(zip(names, before, strict=True)))
    now = uptodate.PackedStats.of(dict(zip(names, after, strict=True)))
    assert sorted(recorded.differing(now)) == [at for at in range(len(names)) if before[at] != after[at]]
