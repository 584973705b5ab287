"""The folder of article pages that Pagefind reads, kept beside ``output/`` from one index to the next.

Pagefind indexes a folder of HTML files. The final version of a page is
either in ``output/`` (it was kept) or new in this build (in the staging
folder, or in memory); the mirror holds a hard link to each, at the page's
path. Making and deleting a folder tree of 10,000 links for every index
cost more than Pagefind itself on a slow disk, so the mirror stays: each
index brings it up to date. A link to a kept page is trusted only while it
is the very file in ``output/`` (same device and inode; a swap and a
journal both move the staged file itself into place, so a page staged by
the last build is still linked). Anything else is linked again.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from generator.filetree import walk
from generator.output.files import OutputFile

SPARE = ".dateline-new"  # the ending of a link being made, before it replaces the old one


def mirror_folder(output: Path) -> Path:
    return output.parent / f".{output.name}.search-pages"


def forget_mirror(output: Path) -> None:
    """Remove the mirror of a site whose search was switched off (a stat when there is none)."""
    mirror = mirror_folder(output)
    if os.path.lexists(mirror):
        shutil.rmtree(mirror, ignore_errors=True)


def _same_file(a: str, b: str) -> bool:
    try:
        first, second = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def _put(target: str, source: str | None, data: bytes | None) -> None:
    """Make ``target`` the file ``source`` (a link, else a copy) or a file of ``data``, replacing any old one."""
    spare = target + SPARE
    for attempt in (1, 2):
        try:
            if data is not None:
                with open(spare, "wb") as handle:
                    handle.write(data)
            else:
                assert source is not None
                if os.path.lexists(spare):
                    os.unlink(spare)
                try:
                    os.link(source, spare)
                except OSError as exc:
                    if isinstance(exc, FileNotFoundError) and not os.path.exists(source):
                        raise
                    shutil.copyfile(source, spare)  # another file system, or no hard links there
            os.replace(spare, target)
            return
        except FileNotFoundError:
            if attempt == 2 or not os.path.exists(source or "/"):
                raise
            os.makedirs(os.path.dirname(target), exist_ok=True)


def update_mirror(mirror: Path, indexed: Sequence[str], rendered: Mapping[str, OutputFile], output: Path,
                  staged: Callable[[str], str] | None) -> None:
    """Make ``mirror`` hold exactly the final version of each page of ``indexed``.

    ``rendered`` are this build's new files (bytes, or staged where
    ``staged`` says, see ``Staging.location``); any other page is the one in ``output/``.
    """
    wanted = set(indexed)
    root = os.fspath(mirror)
    os.makedirs(root, exist_ok=True)
    for relative, entry in list(walk(root)):  # files only; emptied folders stay, Pagefind passes them over
        if relative not in wanted or entry.is_symlink():
            os.unlink(entry.path)
    old = os.fspath(output)
    for path in indexed:
        target = f"{root}/{path}"
        item = rendered.get(path)
        if item is not None and item.data is not None:
            _put(target, None, item.data)
        elif item is not None and item.staged:
            assert staged is not None, f"{path}: staged without a staging folder"
            _put(target, staged(path), None)
        elif not _same_file(target, f"{old}/{path}"):
            _put(target, f"{old}/{path}", None)
