"""Walking folders and reading file metadata: the one walker the whole build uses.

Content, themes, the up-to-date record and the writer all walk trees of
files; they differ only in what they do with each file. Symbolic links to
folders are never descended into, so a link loop cannot hang a walk; the
caller decides what such a link means to it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import NamedTuple

# Whether a file can be statted by its name in an open folder (``os.stat(name, dir_fd=folder)``):
# POSIX systems. The kernel then looks up one name, not the whole path; elsewhere, whole paths.
STAT_IN_FOLDER = os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")


def open_folder(path: str) -> int | None:
    """A descriptor of the folder ``path`` to stat its files by name, or None where that cannot be done."""
    return os.open(path, os.O_RDONLY | os.O_DIRECTORY) if STAT_IN_FOLDER else None


class FileStat(NamedTuple):
    """What identifies one version of a file without reading it, as ``make`` and git's index do."""

    mtime_ns: int
    ctime_ns: int
    size: int
    inode: int


def stat_of(path: str, follow_symlinks: bool = True) -> FileStat | None:
    """The stat of ``path`` (following symbolic links unless told not to), or None if it cannot be read."""
    try:
        found = os.stat(path, follow_symlinks=follow_symlinks)
    except OSError:
        return None
    return FileStat(found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_ino)


Skip = Callable[["os.DirEntry[str]"], bool]


def walk(root: str, *, skip: Skip | None = None, ordered: bool = False) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """``(relative path, entry)`` for every entry below ``root`` that is not a real folder.

    Real folders are walked into; symbolic links (to files, to folders,
    or to nothing) are yielded like files, for the caller to judge.
    ``skip`` prunes entries, folders included. ``ordered`` yields each
    folder's files by name before its subfolders, by name, as ``os.walk``
    with sorted lists does. A folder that vanished mid-walk is passed over;
    any other error listing a folder is raised.
    """
    pending = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except FileNotFoundError:
            continue
        if ordered:
            entries.sort(key=lambda entry: entry.name)
        subfolders = []
        for entry in entries:
            if skip is not None and skip(entry):
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append((entry.path, f"{prefix}{entry.name}/"))
            else:
                yield prefix + entry.name, entry
        pending.extend(reversed(subfolders))  # the stack pops them in order
