"""The journal: small changes committed by one rename, and rolled forward after a crash.

Only the new and changed files are staged and flushed next to ``output/``;
then a journal naming the files to move in and to delete is flushed and
renamed to ``journal`` in the staging folder. That rename is the commit
point. Applying it renames each staged file over its target and deletes the
removed files; a build killed while applying leaves the journal, and the
next build rolls it forward before anything else (``remove_leftovers``).
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
from pathlib import Path
from typing import TypeGuard

from generator.output.changes import check_targets, delete, fsync, prepare, put
from generator.output.files import (
    COMMITTED,
    JOURNAL,
    MAGIC,
    STAGED,
    UNCHANGED,
    Changes,
    OutputFile,
    reported,
    staging_folder,
)
from generator.output.paths import inside


def stage(output: Path, plan: Changes, staging: Path) -> None:
    """Write the new and changed files into ``staging`` and flush them; ``output`` is not touched."""
    check_targets(output, plan)
    staged = staging / STAGED
    staged.mkdir(parents=True, exist_ok=True)  # files streamed by a ``Staging`` are already there
    if output.exists() and staging.stat().st_dev != output.stat().st_dev:
        raise OSError(errno.EXDEV, "the output folder is a different file system from its parent folder")
    folders = {staging, staged}
    for item in plan.write:
        source = inside(staged, item.path)
        source.parent.mkdir(parents=True, exist_ok=True)
        put(source, item, flush=True)
        folder = source.parent
        while folder not in folders:
            folders.add(folder)
            folder = folder.parent
    for folder in folders:
        fsync(folder)


def commit(staging: Path, plan: Changes) -> None:
    """Write the journal and rename it into place: from then on the update happens, if need be in the next build."""
    body = json.dumps({MAGIC: 1, "move": [item.path for item in plan.write], "delete": plan.remove})
    pending = staging / f"{JOURNAL}.tmp"
    put(pending, OutputFile(pending.name, data=body.encode()), flush=True)
    os.rename(pending, staging / JOURNAL)
    fsync(staging)


def read_journal(staging: Path) -> tuple[list[str], list[str]] | None:
    """The moves and deletions of a committed journal; None if ``staging`` holds none."""
    try:
        body = json.loads((staging / JOURNAL).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(body, dict) or body.get(MAGIC) != 1:
        return None
    moves, deletes = body.get("move"), body.get("delete")
    if not (_paths(moves) and _paths(deletes)):
        return None
    return moves, deletes


def _paths(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(path, str) for path in value)


def apply_journal(output: Path, staging: Path) -> None:
    """Carry out the committed journal in ``staging``, then drop it.

    Safe to repeat after a crash: deletions of what is gone are skipped, and a
    move whose staged file is gone was done.
    """
    journal = read_journal(staging)
    assert journal is not None, f"{staging} holds no committed journal"
    moves, deletes = journal
    touched = delete(output, deletes)  # first, so a file may take the place of a removed folder
    staged = staging / STAGED
    for path in moves:
        source = inside(staged, path)
        if not os.path.lexists(source):
            continue
        target = prepare(output, path)
        os.replace(source, target)
        touched.add(target.parent)
    for folder in touched:
        fsync(folder)
    (staging / JOURNAL).unlink()
    shutil.rmtree(staging, ignore_errors=True)


def journalled(output: Path, plan: Changes) -> None:
    staging = staging_folder(output)
    with reported(output, UNCHANGED, discard=staging):
        stage(output, plan, staging)
        commit(staging, plan)
    with reported(output, COMMITTED):
        apply_journal(output, staging)


def remove_leftovers(output: Path, spare: Path | None = None) -> None:
    """Clear what a killed build left next to ``output``; safe to run any number of times.

    A staging folder with a committed journal is rolled forward (its update
    finished); one without is deleted, as are old outputs of an interrupted
    swap, unless ``output`` itself went missing, when the old one is put back.
    """
    parent = output.parent
    if not parent.is_dir():
        return
    pattern = re.compile(re.escape(f".{output.name}.") + r"(staging|old)-\d+")
    stale = [path for path in parent.iterdir()
             if pattern.fullmatch(path.name) and path.is_dir() and not path.is_symlink() and path != spare]
    for old in stale:
        if ".old-" in old.name and not os.path.lexists(output):
            os.rename(old, output)  # killed between the two renames of a swap without renameat2
            stale.remove(old)
            break
    committed = sorted((path for path in stale if read_journal(path) is not None),
                       key=lambda path: (path / JOURNAL).stat().st_mtime_ns)
    for staging in committed:
        with reported(output, COMMITTED):
            apply_journal(output, staging)
    for path in stale:
        if path not in committed:
            shutil.rmtree(path, ignore_errors=True)
