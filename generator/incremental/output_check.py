"""Checking the output folder against the record, on both cores at once.

At 100,000 articles the record names about 330,000 output files and
folders, and a no-op build's time is mostly their ``stat`` calls. The
check starts in a forked process as soon as the record is read, while this
process stats the inputs; then this process joins in on what is left. The
paths are cut into pieces, and each piece's number is put in a pipe before
the fork: each process takes the next number by reading it, so neither
waits for the other and no piece is checked twice (a read of a few bytes
from a pipe takes them whole). A piece is checked by comparing its stats,
packed, with the record's packed stats of the same paths (see
``outputs.PackedStats``).

Paths are statted relative to the output folder, opened once, where the
system allows it (``filetree.open_folder``): the kernel then walks only
the path inside it, which saves about a fifth of the time.
"""

from __future__ import annotations

import functools
import os
import threading
from array import array
from collections.abc import Callable, Mapping
from pathlib import Path

from generator.filetree import FileStat, open_folder
from generator.incremental.outputs import PackedStats

_PIECE = 2048  # paths per piece, at least
_MOST_PIECES = 1024  # piece numbers must fit a pipe's smallest buffer (one 4 KiB page) before anyone reads
_NUMBER = 4  # bytes per piece number


def start(recorded_stats: Mapping[str, FileStat | None], listed: dict[str, list[str]], output: Path, *,
          piece: int = _PIECE) -> Callable[[], bool]:
    """Begin checking that ``output`` holds what ``recorded_stats`` holds; call the result for the answer.

    The answer is whether each recorded file and folder has its recorded
    stat (see ``outputs.unchanged`` for why that covers files made
    anywhere) and each folder ``listed`` names holds those entries. It is
    asked for once this process has finished its own work; it is
    remembered, so it can be asked again. ``piece``: paths per piece, at least.
    """
    recorded = PackedStats.of(recorded_stats)
    try:
        folder = open_folder(str(output))
    except OSError:
        return lambda: False
    size = max(piece, -(-len(recorded.names) // _MOST_PIECES))
    pieces = _Pieces(recorded, str(output), folder, size)
    helper = _fork_helper(pieces) if hasattr(os, "fork") and threading.active_count() == 1 else None

    @functools.cache
    def answer() -> bool:
        try:
            mine = pieces.check_until_done()
            theirs = helper() if helper is not None else True
            if theirs is None:  # the helper failed: nobody knows which pieces it checked
                theirs = pieces.check_all()
            return mine and theirs and pieces.listings_match(listed)
        finally:
            pieces.close()

    return answer


class _Pieces:
    """The record's paths in pieces, and the pipe that hands out their numbers."""

    def __init__(self, recorded: PackedStats, base: str, folder: int | None, size: int) -> None:
        self.recorded = recorded
        self.base = base
        self.folder = folder
        self.size = size
        self.count = -(-len(recorded.names) // size)
        self.numbers: int | None = None
        readable, writable = os.pipe()
        try:
            # Never block: should the pipe hold less than every number, this process checks them all itself.
            os.set_blocking(writable, False)
            data = b"".join(number.to_bytes(_NUMBER, "little") for number in range(self.count))
            if os.write(writable, data) == len(data):
                self.numbers = readable
        except (OSError, AttributeError):  # AttributeError: no os.set_blocking (Windows before Python 3.12)
            pass
        finally:
            os.close(writable)  # once no one can write, a read of an empty pipe says so (EOF)
            if self.numbers is None:
                os.close(readable)

    def check_until_done(self) -> bool:
        """Check pieces until none is left; False (and the rest left to the helper, or nobody) at the first change."""
        if self.numbers is None:
            return self.check_all()
        while (taken := os.read(self.numbers, _NUMBER)):
            if not self.piece_unchanged(int.from_bytes(taken, "little")):
                self.drain()
                return False
        return True

    def check_all(self) -> bool:
        return all(self.piece_unchanged(number) for number in range(self.count))

    def drain(self) -> None:
        """Take every number left, so the helper stops at once: the answer is already no."""
        assert self.numbers is not None
        while os.read(self.numbers, 65536):
            pass

    def piece_unchanged(self, number: int) -> bool:
        start = number * self.size
        names = self.recorded.names[start:start + self.size]
        now = array("q")
        add = now.extend
        stat, folder, base = os.stat, self.folder, self.base
        try:
            for label in names:
                if label == "/":  # the output folder itself, as ``scan_outputs`` saw it: not through a link
                    found = stat(base, follow_symlinks=False)
                elif folder is None:  # no statting by name in an open folder here
                    found = stat(base + label.rstrip("/"), follow_symlinks=label[-1] != "/")
                elif label[-1] == "/":  # a folder; no trailing slash: it would lead through a link
                    found = stat(label[1:-1], dir_fd=folder, follow_symlinks=False)
                else:
                    found = stat(label[1:], dir_fd=folder)
                add((found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_ino))
        except OSError:
            return False
        return now.tobytes() == self.recorded.packed[start * 32:(start + len(names)) * 32]

    def listings_match(self, listed: dict[str, list[str]]) -> bool:
        """Whether each folder changed too close to the record still holds the entries it had then."""
        try:
            return all(sorted(os.listdir(self.base + label[:-1])) == names for label, names in listed.items())
        except OSError:
            return False

    def close(self) -> None:
        for descriptor in (self.numbers, self.folder):
            if descriptor is not None:
                try:
                    os.close(descriptor)
                except OSError:
                    pass
        self.numbers = None


def _fork_helper(pieces: _Pieces) -> Callable[[], bool | None] | None:
    """A forked process checking pieces until none is left; the result waits for its answer (None: it failed)."""
    if pieces.numbers is None:
        return None
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: check, answer, and leave without running the parent's exit handlers
        try:
            os.close(readable)
            os.write(writable, b"1" if pieces.check_until_done() else b"0")
        finally:
            os._exit(0)
    os.close(writable)

    def result() -> bool | None:
        try:
            answer = os.read(readable, 1)
        except OSError:
            answer = b""
        finally:
            os.close(readable)
            os.waitpid(pid, 0)
        return {b"1": True, b"0": False}.get(answer)

    return result
