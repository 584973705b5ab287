"""What the writer is told to write, what it reports, and how it tells what is already current.

Files are compared by size first and by bytes only when the sizes agree;
a file that did not change is never rewritten, so it keeps its inode and
timestamps and deploy tools see only real changes.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.filetree import walk
from generator.output.paths import check_relative, inside

JOURNAL = "journal"  # in the staging folder; its presence is the commit point
STAGED = "files"  # the staged files, by their path in the output folder
MAGIC = "dateline-journal"  # tells a journal from a site file called "journal" in a swap's staging folder

UNCHANGED = "the previous output is unchanged"
COMMITTED = "the update is committed and the next build will complete it"
PARTIAL = "files replaced before the error are already new"


@dataclass(frozen=True)
class OutputFile:
    """What belongs at ``path`` inside the output folder.

    Exactly one of: ``data`` (bytes to write), ``copy_from`` (a file to copy),
    ``keep`` (the file already there is known to be current), or ``staged``
    (new bytes already written into the build's ``Staging`` folder).
    """

    path: str
    data: bytes | None = None
    copy_from: Path | None = None
    keep: bool = False
    staged: bool = False


@dataclass(frozen=True)
class WriteResult:
    written: list[str]  # files whose bytes are new or changed
    removed: list[str]
    unchanged: int


class OutputError(Exception):
    """The output folder cannot be written; the message says why and where."""


@dataclass(frozen=True)
class Changes:
    """What an update must do: files to write, files to remove, and how many were current."""

    write: list[OutputFile]
    remove: list[str]
    unchanged: int

    @property
    def empty(self) -> bool:
        return not self.write and not self.remove

    def result(self) -> WriteResult:
        return WriteResult([item.path for item in self.write], list(self.remove), self.unchanged)


def staging_folder(output: Path) -> Path:
    return output.parent / f".{output.name}.staging-{os.getpid()}"




def scan_sizes(root: Path) -> dict[str, int]:
    """Every file below ``root`` by relative path, with its size (-1: not a regular file).

    Symbolic links to folders are neither followed nor listed.
    """
    if not root.is_dir():
        return {}
    found: dict[str, int] = {}
    for relative, entry in walk(str(root)):
        try:
            if entry.is_symlink() and entry.is_dir():
                continue
            found[relative] = entry.stat().st_size if entry.is_file() else -1
        except OSError:
            found[relative] = -1
    return found


def size_of(path: Path) -> int | None:
    """The size of the file at ``path``; -1 if something else is there, None if nothing or a folder."""
    try:
        status = path.stat()
    except OSError:
        return -1 if path.is_symlink() else None
    if stat.S_ISDIR(status.st_mode):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else -1


def _same_contents(a: Path, b: Path) -> bool:
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            chunk_a, chunk_b = fa.read(1 << 16), fb.read(1 << 16)
            if chunk_a != chunk_b:
                return False
            if not chunk_a:
                return True


def is_current(path: Path, item: OutputFile, size: int) -> bool:
    """Whether ``path`` (a file of ``size`` bytes) holds what ``item`` wants; bytes are read only if sizes agree."""
    if size < 0 or item.staged:
        return False  # a staged file was compared with the output when it was staged
    if item.keep:
        return True
    try:
        if item.data is not None:
            return size == len(item.data) and path.read_bytes() == item.data
        assert item.copy_from is not None
        return size == item.copy_from.stat().st_size and _same_contents(path, item.copy_from)
    except OSError:
        return False


def _plan(output: Path, items: Iterable[OutputFile], size_of: Callable[[str], int | None],
          remove: list[str]) -> Changes:
    write: list[OutputFile] = []
    unchanged = 0
    for item in items:
        size = size_of(item.path)
        if size is not None and is_current(output / item.path, item, size):
            unchanged += 1
        else:
            check_relative(item.path)  # refuse a bad path before anything is staged
            write.append(item)
    return Changes(write, remove, unchanged)


def plan_all(output: Path, items: list[OutputFile]) -> Changes:
    """The plan that makes ``output`` hold exactly ``items``: one walk of the output folder."""
    existing = scan_sizes(output)
    return _plan(output, items, existing.get, sorted(existing.keys() - {item.path for item in items}))


def plan_listed(output: Path, changes: Iterable[OutputFile], removals: Iterable[str]) -> Changes:
    """The plan for the listed files only; files not listed are not looked at."""
    items = list(changes)
    wanted_gone = list(dict.fromkeys(removals))
    both = {item.path for item in items}.intersection(wanted_gone)
    if both:
        raise ValueError(f"{min(both)!r} is both written and removed")
    remove = [path for path in wanted_gone if _removable(inside(output, path))]
    return _plan(output, items, lambda path: size_of(inside(output, path)), remove)


def _removable(target: Path) -> bool:
    return target.is_symlink() or (target.exists() and not target.is_dir())


@contextmanager
def reported(output: Path, outcome: str, discard: Path | None = None) -> Iterator[None]:
    """Turn a failure into an ``OutputError`` that says what state ``output`` is in; drop ``discard``."""
    try:
        yield
    except BaseException as exc:
        if discard is not None:
            shutil.rmtree(discard, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(describe(exc, output, outcome)) from None
        if isinstance(exc, ValueError):
            raise OutputError(f"refusing to write into {output}: {exc}; {outcome}") from None
        raise


def describe(exc: OSError, output: Path, outcome: str = UNCHANGED) -> str:
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EACCES: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.EPERM: "operation not permitted",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return f"cannot write the output folder {output}: {reason}; {outcome}"
