"""Faults lose nothing: a killed build, a full disk and a read-only output folder."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.output.journal import remove_leftovers
from tests.golden import REPO
from tests.helpers import article, cli_env, run_dateline, snapshot, start_child, start_dateline, write

ENV = cli_env()


def dateline(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_dateline("build", "-s", str(site), *args, timeout=300)


def sample(root: Path, extra_articles: int = 0) -> Path:
    site = root / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "config.toml", site / "config.toml")
    for number in range(extra_articles):
        write(site, f"content/articles/extra/{number:03d}.md",
              article(f"Extra story {number}", f"2022-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
                      "Paragraph. " * 200, tags=f"[Extra{number % 9}]", summary="S"))
    return site


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".staging-" in p.name or ".old-" in p.name)


def committed_journals(folder: Path) -> list[Path]:
    return sorted(folder.glob(".out.staging-*/journal"))


def kill_builds_at_every_moment(tmp_path: Path, edit: Callable[[Path], None]) -> bool:
    """Kill builds of an edited site at moments through the build; each must leave one build's output.

    A kill during the journal's apply step leaves a committed journal, which
    ``remove_leftovers`` (run first by every build) must roll forward to the
    new output. Returns whether the final, unkilled build kept the output
    folder itself (the journal) rather than swapping in a new one.
    """
    site = sample(tmp_path, extra_articles=80)
    output = tmp_path / "out"
    assert dateline(site, "-o", str(output), "--jobs", "1").returncode == 0
    before = snapshot(output)
    shutil.copytree(output, tmp_path / "before", copy_function=shutil.copy2)
    started = time.monotonic()
    edit(site)
    assert dateline(site, "-o", str(tmp_path / "reference"), "--no-cache", "--jobs", "1").returncode == 0
    duration = time.monotonic() - started
    outcomes = []
    after = snapshot(tmp_path / "reference")
    assert after != before
    for fraction in (0.05, 0.25, 0.5, 0.75, 0.9, 0.97):
        process = start_dateline("build", "-s", str(site), "-o", str(output), "--no-cache", "--jobs", "1", env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if committed_journals(tmp_path):  # killed while applying: the next build finishes the update
            remove_leftovers(output)
            assert snapshot(output) == after, f"killed at {fraction:.0%} of a build: the roll-forward is incomplete"
            assert committed_journals(tmp_path) == []
            outcomes.append("rolled forward")
        else:
            state = snapshot(output)
            assert state in (before, after), f"killed at {fraction:.0%} of a build: a mixed output folder"
            outcomes.append("new" if state == after else "old")
        if snapshot(output) == after:  # put the old output back for the next try
            shutil.rmtree(output)
            shutil.copytree(tmp_path / "before", output)
    assert "old" in outcomes  # at least some kills landed before the commit point
    folder = output.stat().st_ino
    assert dateline(site, "-o", str(output), "--jobs", "1").returncode == 0
    assert snapshot(output) == after
    assert leftovers(tmp_path) == []
    return output.stat().st_ino == folder


def edit_one_article(site: Path) -> None:
    (site / "content/articles/extra/000.md").write_text(
        article("Edited story", "2022-01-01", "New text. " * 50, tags="[Extra0]", summary="S"))


def retitle_the_site(site: Path) -> None:
    config = site / "config.toml"
    config.write_text(config.read_text().replace('title = "The Dateline Daily"', 'title = "The Dateline Weekly"', 1))


@pytest.mark.faults
def test_sigkill_at_any_moment_leaves_a_complete_output(tmp_path: Path) -> None:
    assert kill_builds_at_every_moment(tmp_path, edit_one_article)  # a few files: the journal


@pytest.mark.faults
def test_sigkill_during_a_site_wide_change_leaves_a_complete_output(tmp_path: Path) -> None:
    assert not kill_builds_at_every_moment(tmp_path, retitle_the_site)  # every page: the swap


UPDATE = """
import sys
from pathlib import Path
from generator.output.files import OutputFile
from generator.output.writer import apply_changes
apply_changes(Path(sys.argv[1]), [OutputFile(f"{n % 40}/{n}.html", data=b"new %d" % n) for n in range(1500)],
              [f"old/{n}.html" for n in range(200)])
"""


@pytest.mark.faults
def test_sigkill_while_a_journal_is_applied_is_rolled_forward(tmp_path: Path) -> None:
    """A real kill inside the apply step: watch for the commit point, then kill at once."""
    output = tmp_path / "out"
    old = {**{f"{n % 40}/{n}.html": b"old %d" % n for n in range(0, 1500, 2)},
           **{f"old/{n}.html": b"gone" for n in range(200)}}
    new = {f"{n % 40}/{n}.html": b"new %d" % n for n in range(1500)}
    landed = 0
    for delay in (0, 0.02, 0.06):  # after the commit: among the deletions, early and later among the moves
        for relative, data in old.items():
            write(output, relative, data.decode())
        process = start_child([sys.executable, "-c", UPDATE, str(output)], env=ENV)
        while process.poll() is None and not committed_journals(tmp_path):
            time.sleep(0.0002)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if committed_journals(tmp_path):
            landed += 1
            remove_leftovers(output)
            remove_leftovers(output)  # twice is harmless
        assert snapshot(output) == new
        assert leftovers(tmp_path) == []
        shutil.rmtree(output)
    assert landed  # the kill came after the commit point at least once


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real, tiny tmpfs file system (needs root, as in CI): room for the sample site (2.8 MB with its
    image variants), not for a second copy with a 2 MB article."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount_point)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip() or 'not root'})")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_disk_full_is_a_clear_error_and_keeps_the_previous_output(tmp_path: Path, small_disk: Path) -> None:
    site = sample(tmp_path)
    output = small_disk / "output"
    assert dateline(site, "-o", str(output)).returncode == 0
    before = snapshot(output)
    write(site, "content/articles/huge.md", article("Huge", "2021-01-01", "word " * 400_000, summary="S"))
    result = dateline(site, "-o", str(output))
    assert result.returncode == 1
    assert "the disk is full; the previous output is unchanged" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(output) == before
    assert leftovers(small_disk) == []


def test_read_only_output_is_a_clear_error(tmp_path: Path, small_disk: Path) -> None:
    site = sample(tmp_path)
    output = small_disk / "output"
    assert dateline(site, "-o", str(output)).returncode == 0
    before = snapshot(output)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    write(site, "content/articles/new.md", article("New", "2021-01-01", "Text.", summary="S"))
    result = dateline(site, "-o", str(output))
    assert result.returncode == 1
    assert "the file system is read-only; the previous output is unchanged" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(output) == before
