"""The swap: the whole site staged beside ``output/`` and exchanged with it in one atomic step.

Files whose bytes did not change are hard-linked from the old output, so
the cost is a link per unchanged file; readers go from the old site to the
new one in a single step.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.output.changes import fsync, put
from generator.output.files import STAGED, UNCHANGED, Changes, OutputFile, reported, staging_folder
from generator.output.paths import check_relative
from generator.output.speedups import exchange


def swapped(output: Path, items: list[OutputFile], plan: Changes) -> None:
    """Stage the whole site, unchanged files hard-linked from the old output, and swap it in.

    Paths are handled as strings here: on a large site, making a ``Path``
    for each file cost more than the file system calls.
    """
    staging = staging_folder(output)
    site = staging / STAGED
    fresh = {item.path for item in plan.write}
    with reported(output, UNCHANGED, discard=staging):
        site.mkdir(parents=True, exist_ok=True)
        root, old = os.fspath(site), os.fspath(output)
        made: set[str] = set()
        for item in items:
            relative = check_relative(item.path)
            target = f"{root}/{relative}"
            if item.staged and relative in fresh:  # in place already, with its folder
                assert os.path.isfile(target), f"{relative}: staged file is missing from {root}"
                continue
            folder = target.rpartition("/")[0]
            if folder not in made:
                make_folder(folder, root, made)
            if relative in fresh:
                put(Path(target), item)
            else:
                link_or_copy(f"{old}/{relative}", target)
        fsync(site)
        swap(site, output)
    shutil.rmtree(staging, ignore_errors=True)


def make_folder(folder: str, root: str, made: set[str]) -> None:
    """``os.makedirs(folder, exist_ok=True)`` for a folder below ``root``, with one call per new
    folder: ``made`` remembers the folders that exist (another process may make the same one)."""
    if len(folder) <= len(root):
        os.makedirs(folder, exist_ok=True)
    else:
        parent = folder.rpartition("/")[0]
        if parent not in made:
            make_folder(parent, root, made)
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass  # made by another process; if it is a file, writing into it fails and says so
    made.add(folder)


def link_or_copy(old: str, new: str) -> None:
    try:
        os.link(old, new)
    except OSError:
        shutil.copyfile(old, new)


def swap(staging: Path, output: Path) -> None:
    if output.is_dir() and not output.is_symlink() and exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old output
        return
    if output.exists() or output.is_symlink():
        old = output.parent / f".{output.name}.old-{os.getpid()}"
        os.rename(output, old)
        try:
            os.rename(staging, output)
        except BaseException:
            os.rename(old, output)
            raise
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink()
    else:
        os.rename(staging, output)
