"""The output folder as a build left it: scanned, recorded and checked by path.

See ``uptodate`` for the record these go into, and the README's "Build
state at scale" for why each output folder's stat stands for its listing.
"""

from __future__ import annotations

import functools
import itertools
import os
import struct
from array import array
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from generator.filetree import FileStat, stat_of

# File system clocks tick coarsely (jiffies; whole seconds on some): a file saved
# in the same tick as a build read it could change again and keep its stat.
RACY_NS = 2_000_000_000


def scan_outputs(output: Path) -> dict[str, FileStat | None] | None:
    """The stat of every file and folder below ``output``; None if it cannot be told.

    Files are keyed by ``output_label``, folders by ``folder_label``. A
    folder's stat changes whenever an entry is made, removed or renamed in
    it (POSIX asks it of ``creat``, ``link``, ``unlink``, ``rename``,
    ``mkdir`` and ``rmdir``), so the up-to-date check can stat each
    recorded path instead of listing every folder (see ``outputs_unchanged``).
    """
    outputs: dict[str, FileStat | None] = {}
    pending = [(str(output), "/")]
    try:
        while pending:
            folder, label = pending.pop()
            # The folder's stat before its listing: an entry made in between shows as a change.
            outputs[label] = stat_of(folder, follow_symlinks=False)
            try:
                with os.scandir(folder) as listing:
                    entries = list(listing)
            except FileNotFoundError:  # vanished mid-walk, or no output yet: its stat says so
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{label}{entry.name}/"))
                elif entry.is_symlink() and entry.is_dir():
                    return None
                else:
                    outputs[label + entry.name] = stat_of(entry.path)
    except OSError:
        return None
    return outputs


def output_label(path: str) -> str:
    """The key of the output file ``path`` (``tags/index.html``) in a ``scan_outputs`` result."""
    return "/" + path


def folder_label(path: str) -> str:
    """The key of the output folder ``path`` (``tags``; ``.`` for the output folder) in a ``scan_outputs`` result."""
    return "/" if path in ("", ".") else f"/{path}/"


_NO_STAT = (-1, -1, -1, -1)  # a path that could not be statted, packed
_SEARCHES = 24  # lookups by searching the list of paths, before they are indexed (see ``PackedStats._position``)
_STAT = struct.Struct("4q")


class PackedStats(Mapping[str, "FileStat | None"]):
    """Paths and their stats as the record stores them: names, and four 64-bit numbers each.

    A record of 430,000 paths reads in milliseconds this way, where the same
    dict of tuples costs a second to build; the check compares the packed
    numbers in C (``differing``), a lookup unpacks one stat, and a build
    that wrote a few files patches their numbers (``with_changes``).
    """

    def __init__(self, names: list[str], packed: bytes) -> None:
        self.names = names
        self.packed = packed
        if len(packed) != len(names) * _STAT.size:
            raise ValueError("the stats do not match the names")
        self._lookups = 0

    @classmethod
    def of(cls, stats: Mapping[str, FileStat | None]) -> PackedStats:
        if isinstance(stats, PackedStats):
            return stats
        numbers = array("q", itertools.chain.from_iterable(_NO_STAT if stat is None else stat
                                                           for stat in stats.values()))
        return cls(list(stats), numbers.tobytes())

    @functools.cached_property
    def _index(self) -> dict[str, int]:
        return dict(zip(self.names, range(len(self.names)), strict=True))

    def _position(self, name: str) -> int | None:
        """Where ``name`` is, or None.

        An edit build looks up a few paths among 460,000 at 100,000
        articles: a search of the list in C takes 2 to 6 ms each, where
        the index of every path takes 140 ms to build. Past
        ``_SEARCHES`` lookups the index pays for itself, and is built.
        """
        if "_index" not in self.__dict__ and self._lookups < _SEARCHES:
            self._lookups += 1
            try:
                return self.names.index(name)
            except ValueError:
                return None
        return self._index.get(name)

    def positions(self, names: Iterable[str]) -> dict[str, int]:
        """Where each of ``names`` that is here is, in one pass over the paths in C unless indexed already."""
        wanted = set(names)
        if "_index" in self.__dict__:
            index = self._index
            return {name: index[name] for name in wanted if name in index}
        found = itertools.compress(range(len(self.names)), map(wanted.__contains__, self.names))
        return {self.names[at]: at for at in found}

    def __getitem__(self, name: str) -> FileStat | None:
        at = self._position(name)
        if at is None:
            raise KeyError(name)
        stat = _STAT.unpack_from(self.packed, at * _STAT.size)
        return None if stat == _NO_STAT else FileStat(*stat)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._position(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def latest_mtime(self) -> int:
        """The latest modification time among the stats (-1 if none): is any of them racy?"""
        return max(self._mtimes(), default=-1)

    def _mtimes(self) -> array[int]:
        numbers = array("q")
        numbers.frombytes(self.packed)
        return numbers[0::4]

    def with_changes(self, changes: Mapping[str, FileStat | None]) -> PackedStats:
        """These stats with ``changes`` over them (None: the path is gone), copied as bytes, not unpacked.

        Paths already here keep their place; new ones follow the rest.
        """
        index = self.positions(changes)
        packed = bytearray(self.packed)
        gone: list[int] = []
        added: dict[str, FileStat] = {}
        for name, stat in changes.items():
            at = index.get(name)
            if stat is None:
                if at is not None:
                    gone.append(at)
            elif at is None:
                added[name] = stat
            else:
                packed[at * _STAT.size:(at + 1) * _STAT.size] = _STAT.pack(*stat)
        names = self.names
        if gone:
            kept_names: list[str] = []
            kept = bytearray()
            start = 0
            for at in sorted(gone):
                kept_names += names[start:at]
                kept += packed[start * _STAT.size:at * _STAT.size]
                start = at + 1
            names = kept_names + names[start:]
            packed = kept + packed[start * _STAT.size:]
        elif added:
            names = list(names)
        if added:
            names += added
            packed += array("q", itertools.chain.from_iterable(added.values())).tobytes()
        return PackedStats(names, bytes(packed))

    def recent(self, since_ns: int) -> list[int]:
        """The positions of the stats changed at or after ``since_ns``."""
        return [at for at, mtime in enumerate(self._mtimes()) if mtime >= since_ns]

    def differing(self, other: PackedStats) -> list[int]:
        """The positions whose stats differ from ``other``'s, which has the same names.

        Halves the packed numbers until the differing stats are found, so
        each step is a comparison of bytes in C: a few of 100,000 stats are
        found in milliseconds, without unpacking any.
        """
        size = _STAT.size
        mine, theirs = self.packed, other.packed
        if len(mine) != len(theirs):
            raise ValueError("the stats are not of the same paths")
        found: list[int] = []
        pending = [(0, len(self.names))]
        while pending:
            start, end = pending.pop()
            if mine[start * size:end * size] == theirs[start * size:end * size]:
                continue
            if end - start == 1:
                found.append(start)
                continue
            middle = (start + end) // 2
            pending += [(middle, end), (start, middle)]
        return found

    def recent_folders(self, since_ns: int) -> list[str]:
        """The folders (labels ending in "/") whose stat is missing or changed at or after ``since_ns``."""
        return [name for name, mtime in zip(self.names, self._mtimes(), strict=True)
                if (mtime >= since_ns or mtime == -1) and name.endswith("/")]


class StatsBuilder:
    """Paths and their stats packed as a scan finds them: a ``PackedStats`` without a ``FileStat`` per path.

    At 100,000 articles a ``FileStat`` and a dict entry for each input cost
    a quarter of the scan, and were packed afterwards anyway.
    """

    def __init__(self) -> None:
        self.names: list[str] = []
        self.numbers = array("q")

    def add(self, name: str, stat: FileStat | None) -> None:
        self.names.append(name)
        self.numbers.extend(_NO_STAT if stat is None else stat)

    def packed(self) -> PackedStats:
        return PackedStats(self.names, self.numbers.tobytes())


def racy_listings(outputs: Mapping[str, FileStat | None], outputs_ns: int) -> dict[str, list[str]]:
    """The entries, as ``outputs`` has them, of each folder changed too close to ``outputs_ns`` to trust its stat."""
    listed: dict[str, list[str]] = {label: [] for label in PackedStats.of(outputs).recent_folders(outputs_ns - RACY_NS)}
    if not listed:
        return listed
    for label in outputs:
        if label == "/":
            continue
        cut = label.rindex("/", 0, len(label) - 1) + 1
        entries = listed.get(label[:cut])
        if entries is not None:
            entries.append(label[cut:].rstrip("/"))
    for entries in listed.values():
        entries.sort()
    return listed


def updated_outputs(outputs: Mapping[str, FileStat | None], output: Path, paths: Iterable[str]) -> PackedStats:
    """``outputs`` (a ``scan_outputs``) after a build wrote or removed ``paths`` and touched nothing else.

    The folders holding each path, up to ``output`` itself, are statted
    again too: writing or removing a file changes its folder's stat.
    """
    changes: dict[str, FileStat | None] = {}
    folders = {"/"}
    for path in paths:
        changes[output_label(path)] = stat_of(str(output / path))
        parts = path.split("/")[:-1]
        folders.update(folder_label("/".join(parts[:depth])) for depth in range(1, len(parts) + 1))
    for folder in sorted(folders):
        changes[folder] = stat_of(str(output) + folder[:-1], follow_symlinks=False)
    return PackedStats.of(outputs).with_changes(changes)
