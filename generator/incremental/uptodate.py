"""Is the output already current? Answered from file metadata, before any work.

A build with nothing to do should cost what ``make`` costs: a look at file
timestamps. After each successful CLI build, ``SITE/.dateline/up-to-date.json``
records the metadata of every file the build could read (content, templates,
static files, themes, the built-in theme, the config) as it was *before* the
build read it, the metadata of every output file after it was written, and
what else decides the output (Dateline's code, the build flags, the moment
a scheduled article goes live). If all of it is unchanged the next build
stops at once, without loading the build cache or Dateline's renderers.

The record can only say "current" when it is certain; anything unusual
(a file changed within two seconds of the snapshot, where coarse file
system clocks could hide a second change, unless its content is the same
as when the snapshot hashed it; a symlinked folder outside
``themes/``, or one that leads back into itself; a damaged record) means
"not sure", and the normal build runs and decides. A theme linked into
``themes/`` (as the sample site links the built-in one) is a folder the
build reads, so it is fingerprinted through the link, file by file.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import marshal
import os
import pickle
import sys
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from generator import __version__
from generator.config.themes import BUILTIN_THEMES
from generator.filetree import FileStat, stat_of, walk

RECORD = Path(".dateline") / "up-to-date.marshal"
_OLD_RECORDS = (Path(".dateline") / "up-to-date.json",)  # earlier formats' names, removed with the record
FORMAT = 2
PACKAGE = Path(__file__).resolve().parent.parent  # generator/
_T = TypeVar("_T")
_INPUT_FOLDERS = ("content", "templates", "static", "themes", "locale")
# File system clocks tick coarsely (jiffies; whole seconds on some): a file saved
# in the same tick as a build read it could change again and keep its stat.
RACY_NS = 2_000_000_000
# A file saved that close to a snapshot is hashed then, so the next build can settle it by
# its content alone (the author's last save before a build, typically), up to this size.
_HASHED_AT_MOST = 16 * 1024 * 1024

# The libraries whose version can change what a build writes.
_RENDERING_LIBRARIES = ("Babel", "Jinja2", "Markdown", "MarkupSafe", "Pygments", "pyromark", "python-frontmatter",
                        "PyYAML", "rcssmin", "tzdata")


def code_fingerprint() -> str:
    """A hash of Dateline's own code and its rendering libraries' versions.

    Output (and parses) made by another version of either is not reused: an
    upgraded Markdown may render the same text differently.
    """
    hasher = hashlib.blake2b(digest_size=16)
    for path in sorted(PACKAGE.rglob("*.py")):  # every module of every subpackage
        hasher.update(path.relative_to(PACKAGE).as_posix().encode())
        hasher.update(path.read_bytes())
    for name in _RENDERING_LIBRARIES:
        try:
            hasher.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            hasher.update(f"{name} missing".encode())
    return hasher.hexdigest()


def build_key(site_dir: Path, output: Path, flags: dict[str, object]) -> str:
    """Everything but files that decides the output: code, Python, flags and folders."""
    parts = [__version__, sys.version, code_fingerprint(), str(site_dir), str(output), json.dumps(flags, sort_keys=True)]
    return hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _scan(root: Path, label: str, into: dict[str, FileStat | None], skip: frozenset[str] = frozenset(),
          follow: bool = False, inside: tuple[str, ...] = ()) -> bool:
    """Add every file below ``root`` to ``into``; False if the tree cannot be trusted.

    Symbolic links to folders are followed with ``follow`` (``inside``: the
    real folders already being scanned, where a link leading back would
    loop, which is not trusted); without it, any link to a folder is.
    """
    here = (*inside, os.path.realpath(root))
    try:
        for relative, entry in walk(str(root), skip=lambda entry: entry.path in skip):
            if entry.is_symlink() and entry.is_dir():
                target = os.path.realpath(entry.path)
                if not follow or any(folder == target or folder.startswith(target + os.sep) for folder in here):
                    return False
                # The link itself too: moving it elsewhere is a change.
                into[f"{label}/{relative}"] = stat_of(entry.path, follow_symlinks=False)
                if not _scan(Path(target), f"{label}/{relative}", into, skip, follow, here):
                    return False
                continue
            into[f"{label}/{relative}"] = stat_of(entry.path)
    except OSError:
        return False
    return True


def scan_inputs(site_dir: Path, output: Path) -> dict[str, FileStat | None] | None:
    """The metadata of every file a build of ``site_dir`` may read, or None if it cannot be told."""
    inputs: dict[str, FileStat | None] = {"config.toml": stat_of(str(site_dir / "config.toml"))}
    skip = frozenset({str(output), str(site_dir / ".dateline")})
    for name in _INPUT_FOLDERS:
        if not _scan(site_dir / name, name, inputs, skip, follow=name == "themes"):
            return None
    if not _scan(BUILTIN_THEMES, "<built-in>", inputs):
        return None
    return inputs


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


def scan_outputs_aside(output: Path) -> Callable[[], dict[str, FileStat | None] | None]:
    """``scan_outputs`` in a forked process, while this one does other work; call the result to get it."""
    return aside(functools.partial(scan_outputs, output))


def aside(work: Callable[[], _T]) -> Callable[[], _T]:
    """``work()`` in a forked process, while this one does other work; call the result to get its value.

    Statting every output file costs in proportion to the site, and can be
    done on the other core while this one stats the inputs or loads the
    cache. Without fork (or with threads running, which make forking
    unsafe), or if the child fails, the work is done when the result is asked for.
    """
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return functools.cache(work)
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work, send, and leave without running the parent's exit handlers
        try:
            os.close(readable)
            with os.fdopen(writable, "wb") as pipe:
                pickle.dump(work(), pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)
    os.close(writable)

    @functools.cache  # the pipe can be read once
    def result() -> _T:
        found: _T
        try:
            with os.fdopen(readable, "rb") as pipe:
                found = pickle.load(pipe)
        except (OSError, EOFError, pickle.UnpicklingError):
            found = work()
        finally:
            os.waitpid(pid, 0)
        return found

    return result


_NO_STAT = (-1, -1, -1, -1)  # a path that could not be statted, packed


class PackedStats(Mapping[str, "FileStat | None"]):
    """Paths and their stats as the record stores them: names, and four 64-bit numbers each.

    A record of 430,000 paths reads in milliseconds this way, where the same
    dict of tuples costs a second to build; the check compares the packed
    numbers whole (``same_stats``) and a dict is made only if asked for.
    """

    def __init__(self, names: list[str], packed: bytes) -> None:
        self.names = names
        self.packed = packed
        if len(packed) != len(names) * 32:
            raise ValueError("the stats do not match the names")

    @classmethod
    def of(cls, stats: Mapping[str, FileStat | None]) -> PackedStats:
        if isinstance(stats, PackedStats):
            return stats
        numbers = array("q", itertools.chain.from_iterable(_NO_STAT if stat is None else stat
                                                           for stat in stats.values()))
        return cls(list(stats), numbers.tobytes())

    @functools.cached_property
    def _dict(self) -> dict[str, FileStat | None]:
        numbers = array("q")
        numbers.frombytes(self.packed)
        values = iter(numbers)
        return {name: None if stat == _NO_STAT else FileStat(*stat)
                for name, stat in zip(self.names, zip(values, values, values, values, strict=True), strict=True)}

    def __getitem__(self, name: str) -> FileStat | None:
        return self._dict[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def latest_mtime(self) -> int:
        """The latest modification time among the stats (-1 if none): is any of them racy?"""
        numbers = array("q")
        numbers.frombytes(self.packed)
        return max(numbers[0::4], default=-1)


@dataclass(frozen=True)
class Record:
    """What the last successful build read and wrote, and what it reported."""

    key: str
    snapshot_ns: int  # when ``inputs`` were taken, before the build read anything
    inputs: Mapping[str, FileStat | None]  # a ``PackedStats`` once saved
    outputs: Mapping[str, FileStat | None]
    next_publication: str | None  # ISO time a scheduled article goes live, if any
    summary: dict[str, int] = field(default_factory=dict)  # pages, articles, files
    warnings: list[str] = field(default_factory=list)
    scheduled: str | None = None  # the note on the next embargoed article, repeated while up to date
    digests: dict[str, str] = field(default_factory=dict)  # inputs saved close to the snapshot, by content
    # ``outputs`` held from this moment on; folders changed since two seconds before it, by their
    # entries then (sorted names), since their stat alone cannot prove an entry was not added in the same tick.
    outputs_ns: int = 0
    listed: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Snapshot:
    """The inputs of a build as they were before it read any of them."""

    key: str
    taken_ns: int
    inputs: dict[str, FileStat | None]
    site_dir: Path
    digests: dict[str, str] = field(default_factory=dict)  # the racy inputs' content, before the build read them

    def record(self, outputs: dict[str, FileStat | None], next_publication: datetime | None,
               summary: dict[str, int], warnings: list[str], note: str | None = None, *,
               outputs_ns: int) -> Record:
        """The record of the successful build that started from this snapshot.

        ``outputs_ns``: a moment from which on ``outputs`` held (taken before they were scanned).
        """
        scheduled = next_publication.isoformat() if next_publication else None
        return Record(self.key, self.taken_ns, self.inputs, outputs, scheduled, summary, warnings, note,
                      self.digests, outputs_ns, racy_listings(outputs, outputs_ns))


    def settled(self, label: str, recorded: dict[str, str]) -> bool:
        """Whether the racy input ``label`` still holds the content ``recorded`` hashed."""
        expected = recorded.get(label)
        return expected is not None and content_digest(self.site_dir, label) == expected


def racy_listings(outputs: dict[str, FileStat | None], outputs_ns: int) -> dict[str, list[str]]:
    """The entries, as ``outputs`` has them, of each folder changed too close to ``outputs_ns`` to trust its stat."""
    racy = outputs_ns - RACY_NS
    listed: dict[str, list[str]] = {label: [] for label, stat in outputs.items()
                                    if label.endswith("/") and (stat is None or stat[0] >= racy)}
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


def take_snapshot(site_dir: Path, output: Path, key: str) -> Snapshot | None:
    """Snapshot the inputs now, before the build reads them; None if they cannot be told apart.

    Files saved within ``RACY_NS`` of now are hashed as well: their time
    stamps cannot prove that they did not change again after this moment,
    their content can (the next build compares it).
    """
    taken_ns = time.time_ns()
    inputs = scan_inputs(site_dir, output)
    if inputs is None:
        return None
    racy = taken_ns - RACY_NS
    digests = {label: digest for label, stat in inputs.items()
               if stat is not None and stat[0] >= racy and (digest := content_digest(site_dir, label)) is not None}
    return Snapshot(key, taken_ns, inputs, site_dir, digests)


def content_digest(site_dir: Path, label: str) -> str | None:
    """A hash of the input ``label``'s bytes; None if it cannot be read or is too large to be worth it."""
    builtin = "<built-in>/"
    path = BUILTIN_THEMES / label[len(builtin):] if label.startswith(builtin) else site_dir / label
    try:
        with open(path, "rb") as file:
            data = file.read(_HASHED_AT_MOST + 1)
    except OSError:
        return None
    if len(data) > _HASHED_AT_MOST:
        return None
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def load(site_dir: Path) -> Record | None:
    """The record of the last successful build, or None if there is none or it cannot be trusted.

    A ``marshal`` file: plain dicts, lists, tuples, strings and numbers,
    which Python reads back in C (a JSON record of 265,000 stats took
    seconds to parse and convert), and which, unlike a pickle, cannot name
    a class or a function to call.
    """
    try:
        data = marshal.loads((site_dir / RECORD).read_bytes())
        if not isinstance(data, dict) or data.pop("format") != FORMAT:
            return None
        for kind in ("inputs", "outputs"):
            names, packed = data[kind]
            data[kind] = PackedStats(names.split("\n") if names else [], packed)
        record = Record(**data)
        if not all(isinstance(getattr(record, name), dict) for name in ("digests", "listed")):
            return None
        return record
    except (OSError, ValueError, TypeError, KeyError, AttributeError, EOFError):
        return None


def _packed(stats: Mapping[str, FileStat | None]) -> tuple[str, bytes]:
    packed = PackedStats.of(stats)
    if any("\n" in name for name in packed.names):
        raise ValueError("a file name holds a line break")  # cannot be recorded: the next build does its work
    return "\n".join(packed.names), packed.packed


def save(site_dir: Path, record: Record) -> None:
    """Write the record atomically; on failure the next build simply does its work."""
    path = site_dir / RECORD
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        path.parent.mkdir(exist_ok=True)
        fields = {"format": FORMAT, **{name: getattr(record, name) for name in Record.__dataclass_fields__}}
        fields.update(inputs=_packed(record.inputs), outputs=_packed(record.outputs))
        temporary.write_bytes(marshal.dumps(fields))
        os.replace(temporary, path)
    except (OSError, ValueError):
        forget(site_dir)
        temporary.unlink(missing_ok=True)


def forget(site_dir: Path) -> None:
    for name in (RECORD, *_OLD_RECORDS):
        try:
            (site_dir / name).unlink()
        except OSError:
            pass


def changed_inputs(record: Record, snapshot: Snapshot, now: datetime) -> tuple[str, ...] | None:
    """The site-relative inputs that changed since the recorded build.

    Those whose stat differs, that appeared or disappeared, and those saved
    too close to the record's snapshot to be sure they were read as
    recorded, unless their content is still what that snapshot hashed. None when more than the site's files changed (Dateline's
    code, the flags, the built-in theme, a scheduled article going live),
    which only a full build can tell apart.
    """
    if record.key != snapshot.key or (
            record.next_publication is not None and now >= datetime.fromisoformat(record.next_publication)):
        return None
    racy = record.snapshot_ns - RACY_NS
    if isinstance(record.inputs, PackedStats) and _same_stats(record.inputs, snapshot.inputs) \
            and record.inputs.latest_mtime() < racy:
        return ()  # the usual no-op: every stat as recorded, in the same order, none of them racy
    changed = sorted(label for label in record.inputs.keys() | snapshot.inputs.keys()
                     if record.inputs.get(label) != snapshot.inputs.get(label)
                     or ((stat := record.inputs.get(label)) is not None and stat[0] >= racy
                         and not snapshot.settled(label, record.digests)))
    if any(label.startswith("<built-in>") for label in changed):
        return None
    return tuple(changed)


def is_current(record: Record, changed: tuple[str, ...] | None, output: Path) -> bool:
    """Whether a build now would write exactly what ``output`` already holds."""
    return changed == () and outputs_unchanged(record, output)


def outputs_unchanged(record: Record, output: Path) -> bool:
    """Whether ``output`` holds exactly the files ``record`` saw, each as it was then.

    Each recorded file and folder is statted by its path: no folder is
    listed, except those ``record.listed`` names. A file edited or removed
    has another stat (or none); a file or folder made anywhere changes the
    stat of the folder it was made in, which is recorded, unless the folder
    changed within the clock's resolution of the record, when its entries are
    compared instead.
    """
    base = str(output)
    recorded = PackedStats.of(record.outputs)
    now = array("q")
    add = now.extend
    stat = os.stat
    try:
        for label in recorded.names:
            if label[-1] == "/":  # a folder; no trailing slash: it would lead through a link
                found = stat(base + label[:-1], follow_symlinks=False)
            else:
                found = stat(base + label)
            add((found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_ino))
    except OSError:
        return False
    if now.tobytes() != recorded.packed:
        return False
    try:
        return all(sorted(os.listdir(base + label[:-1])) == names for label, names in record.listed.items())
    except OSError:
        return False


def _same_stats(recorded: PackedStats, now: Mapping[str, FileStat | None]) -> bool:
    """Whether ``now`` holds the same paths, in the same order, with the same stats as ``recorded``."""
    return len(recorded.names) == len(now) and recorded.names == list(now) \
        and PackedStats.of(now).packed == recorded.packed


def updated_outputs(outputs: dict[str, FileStat | None], output: Path, paths: Iterable[str]) -> dict[str, FileStat | None]:
    """``outputs`` (a ``scan_outputs``) after a build wrote or removed ``paths`` and touched nothing else.

    The folders holding each path, up to ``output`` itself, are statted
    again too: writing or removing a file changes its folder's stat.
    """
    updated = dict(outputs)
    folders = {"/"}
    for path in paths:
        stat = stat_of(str(output / path))
        if stat is None:
            updated.pop(output_label(path), None)
        else:
            updated[output_label(path)] = stat
        parts = path.split("/")[:-1]
        folders.update(folder_label("/".join(parts[:depth])) for depth in range(1, len(parts) + 1))
    for folder in folders:
        stat = stat_of(str(output) + folder[:-1], follow_symlinks=False)
        if stat is None:
            updated.pop(folder, None)
        else:
            updated[folder] = stat
    return updated
