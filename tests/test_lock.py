"""Builds into the same output folder take turns (``generator.lock``)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path

from generator.output.lock import output_lock
from tests.golden import REPO
from tests.helpers import Child, snapshot, start_dateline


def sample(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "config.toml", site / "config.toml")
    return site


def start(site: Path, *args: str) -> Child:
    """``dateline ARGS -s SITE`` in the background; leaving its ``with`` block ends and reaps it."""
    return start_dateline(*args, "-s", str(site), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_build_waits_while_another_writes_the_same_output(tmp_path: Path) -> None:
    site = sample(tmp_path)
    with contextlib.ExitStack() as children:
        with output_lock(site / "output"):  # as a build (or the dev server) in another process does
            waiting = children.enter_context(start(site, "build"))
            assert waiting.stderr is not None
            assert "Waiting for another Dateline build writing into" in waiting.stderr.readline()
            assert waiting.poll() is None
            assert not (site / "output").exists()
        _, errors = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, errors
    assert (site / "output/index.html").is_file()
    assert not [path for path in site.iterdir() if ".output." in path.name]  # no staging folder left


def test_clean_waits_too(tmp_path: Path) -> None:
    site = sample(tmp_path)
    with start(site, "build") as first:
        first.communicate(timeout=120)
    assert first.returncode == 0
    before = snapshot(site / "output")
    with contextlib.ExitStack() as children:
        with output_lock(site / "output"):
            cleaning = children.enter_context(start(site, "clean"))
            assert cleaning.stderr is not None
            assert "Waiting for another Dateline build writing into" in cleaning.stderr.readline()
            assert snapshot(site / "output") == before
        cleaning.communicate(timeout=60)
    assert cleaning.returncode == 0
    assert not (site / "output").exists()
