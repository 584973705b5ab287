"""Is the output already current? Answered from file metadata, before any work.

A build with nothing to do should cost what ``make`` costs: a look at file
timestamps. After each successful CLI build, ``SITE/.dateline/up-to-date.marshal``
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

import hashlib
import json
import marshal
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from importlib import metadata
from pathlib import Path

from generator import __version__
from generator.config.themes import BUILTIN_THEMES
from generator.filetree import FileStat, open_folder, stat_of
from generator.incremental import output_check
from generator.incremental.outputs import (
    RACY_NS,
    PackedStats,
    StatsBuilder,
    folder_label,
    output_label,
    racy_listings,
    scan_outputs,
    updated_outputs,
)

__all__ = ["RACY_NS", "PackedStats", "Record", "Snapshot", "changed_inputs", "code_fingerprint",
           "folder_label", "forget", "is_current", "load", "output_label", "outputs_unchanged", "racy_listings",
           "save", "scan_inputs", "scan_outputs", "settle", "start_output_check", "take_snapshot", "updated_outputs"]

RECORD = Path(".dateline") / "up-to-date.marshal"
_OLD_RECORDS = (Path(".dateline") / "up-to-date.json",)  # earlier formats' names, removed with the record
FORMAT = 3
PACKAGE = Path(__file__).resolve().parent.parent  # generator/
_INPUT_FOLDERS = ("content", "templates", "static", "themes", "locale")
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


def build_key(site_dir: Path, output: Path, flags: dict[str, object], code: str | None = None) -> str:
    """Everything but files that decides the output: code, Python, flags and folders.

    ``code``: ``code_fingerprint()``, if the caller has it already.
    """
    parts = [__version__, sys.version, code if code is not None else code_fingerprint(), str(site_dir), str(output),
             json.dumps(flags, sort_keys=True)]
    return hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _scan(root: Path, label: str, into: StatsBuilder, skip: frozenset[str] = frozenset(),
          follow: bool = False, inside: tuple[str, ...] = ()) -> bool:
    """Add every file below ``root`` to ``into``; False if the tree cannot be trusted.

    Symbolic links to folders are followed with ``follow`` (``inside``: the
    real folders already being scanned, where a link leading back would
    loop, which is not trusted); without it, any link to a folder is.

    This is ``filetree.walk`` with each file statted relative to its open
    folder, in one loop: at 100,000 articles this scan is most of what a
    no-op build does, and a path of one name costs the kernel less to
    look up than the whole path from the root.
    """
    here = (*inside, os.path.realpath(root))
    pending = [(str(root), f"{label}/")]
    stat = os.stat
    add_name, add_numbers = into.names.append, into.numbers.extend
    try:
        while pending:
            folder, prefix = pending.pop()
            try:
                descriptor = open_folder(folder)
            except FileNotFoundError:  # vanished mid-walk
                continue
            try:
                try:
                    with os.scandir(folder if descriptor is None else descriptor) as listing:
                        entries = list(listing)
                except FileNotFoundError:  # vanished mid-walk
                    continue
                subfolders = []
                skipped = {os.path.basename(path) for path in skip if os.path.dirname(path) == folder}
                for entry in entries:
                    name = entry.name
                    if name in skipped:
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        subfolders.append((f"{folder}/{name}", f"{prefix}{name}/"))
                    elif entry.is_symlink() and entry.is_dir():
                        path = f"{folder}/{name}"
                        target = os.path.realpath(path)
                        if not follow or any(real == target or real.startswith(target + os.sep) for real in here):
                            return False
                        # The link itself too: moving it elsewhere is a change.
                        into.add(prefix + name, stat_of(path, follow_symlinks=False))
                        if not _scan(Path(target), prefix + name, into, skip, follow, here):
                            return False
                    else:
                        try:
                            found = stat(f"{folder}/{name}") if descriptor is None else stat(name, dir_fd=descriptor)
                        except OSError:  # a link to nothing: recorded as missing, as ``stat_of`` says
                            into.add(prefix + name, None)
                            continue
                        add_name(prefix + name)
                        add_numbers((found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_ino))
                pending.extend(reversed(subfolders))
            finally:
                if descriptor is not None:
                    os.close(descriptor)
    except OSError:
        return False
    return True


def scan_inputs(site_dir: Path, output: Path) -> PackedStats | None:
    """The metadata of every file a build of ``site_dir`` may read, or None if it cannot be told."""
    inputs = StatsBuilder()
    inputs.add("config.toml", stat_of(str(site_dir / "config.toml")))
    skip = frozenset({str(output), str(site_dir / ".dateline")})
    for name in _INPUT_FOLDERS:
        if not _scan(site_dir / name, name, inputs, skip, follow=name == "themes"):
            return None
    if not _scan(BUILTIN_THEMES, "<built-in>", inputs):
        return None
    return inputs.packed()


@dataclass(frozen=True)
class Record:
    """What the last successful build read and wrote, and what it reported."""

    key: str
    snapshot_ns: int  # when ``inputs`` were taken, before the build read anything
    inputs: Mapping[str, FileStat | None]  # a ``PackedStats`` once saved
    outputs: Mapping[str, FileStat | None]
    next_publication: str | None  # ISO time of ``LoadedSite.next_publication``: the output may change then
    summary: dict[str, int] = field(default_factory=dict)  # pages, articles, files
    warnings: list[str] = field(default_factory=list)
    scheduled: str | None = None  # the note on the next embargoed article, repeated while up to date
    digests: dict[str, str] = field(default_factory=dict)  # inputs saved close to the snapshot, by content
    # ``outputs`` held from this moment on; folders changed since two seconds before it, by their
    # entries then (sorted names), since their stat alone cannot prove an entry was not added in the same tick.
    outputs_ns: int = 0
    listed: dict[str, list[str]] = field(default_factory=dict)
    next_change: str | None = None  # ISO time of ``LoadedSite.next_change``: the site may change then
    # A later snapshot that found every racy input as ``digests`` has it (see ``settle``): inputs saved
    # two seconds before it are trusted by their stat from then on. 0: none did.
    settled_ns: int = 0

    @property
    def racy_from_ns(self) -> int:
        """Inputs saved at or after this moment are trusted by their content only (``digests``), not their stat."""
        return max(self.snapshot_ns, self.settled_ns) - RACY_NS

    def new_day(self, now: datetime) -> bool:
        """Whether ``now`` is past ``next_publication``: a new day, unless it is past ``next_change`` too
        (a change of the plan, which ``changed_inputs`` answers with None)."""
        return self.next_publication is not None and now >= datetime.fromisoformat(self.next_publication)


@dataclass(frozen=True)
class Snapshot:
    """The inputs of a build as they were before it read any of them."""

    key: str
    taken_ns: int
    inputs: PackedStats  # as the record keeps them: compared with the last record's, then saved for the next
    site_dir: Path
    digests: dict[str, str] = field(default_factory=dict)  # the racy inputs' content, before the build read them

    def record(self, outputs: Mapping[str, FileStat | None], next_publication: datetime | None,
               summary: dict[str, int], warnings: list[str], note: str | None = None, *,
               outputs_ns: int, next_change: datetime | None = None) -> Record:
        """The record of the successful build that started from this snapshot.

        ``outputs_ns``: a moment from which on ``outputs`` held (taken before they were scanned).
        """
        packed = PackedStats.of(outputs)  # once, for the racy folders and for saving
        return Record(self.key, self.taken_ns, self.inputs, packed, _iso(next_publication), summary, warnings,
                      note, self.digests, outputs_ns, racy_listings(packed, outputs_ns), _iso(next_change))

    def settled(self, label: str, recorded: dict[str, str]) -> bool:
        """Whether the racy input ``label`` still holds the content ``recorded`` hashed."""
        expected = recorded.get(label)
        return expected is not None and content_digest(self.site_dir, label) == expected


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
    digests = {label: digest for label in (inputs.names[at] for at in inputs.recent(racy))
               if (digest := content_digest(site_dir, label)) is not None}
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


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def changed_inputs(record: Record, snapshot: Snapshot, now: datetime) -> tuple[str, ...] | None:
    """The site-relative inputs that changed since the recorded build.

    Those whose stat differs, that appeared or disappeared, and those saved
    too close to the record's snapshot to be sure they were read as
    recorded, unless their content is still what that snapshot hashed. None when more than the site's files changed (Dateline's
    code, the flags, the built-in theme, a scheduled article going live),
    which only a full build can tell apart. A new day alone is not such a
    change (see ``Record.new_day``).
    """
    if record.key != snapshot.key or (
            record.next_change is not None and now >= datetime.fromisoformat(record.next_change)):
        return None
    racy = record.racy_from_ns
    recorded, now_packed = PackedStats.of(record.inputs), snapshot.inputs
    if recorded.names == now_packed.names:  # the same files: compare their packed stats
        positions = set(recorded.differing(now_packed))
        if recorded.latest_mtime() >= racy:
            positions.update(at for at in recorded.recent(racy)
                             if not snapshot.settled(recorded.names[at], record.digests))
        if not positions:
            return ()  # the usual no-op: every stat as recorded, none of them racy
        changed = sorted(recorded.names[at] for at in positions)
    else:
        changed = sorted(label for label in record.inputs.keys() | snapshot.inputs.keys()
                         if record.inputs.get(label) != snapshot.inputs.get(label)
                         or ((stat := record.inputs.get(label)) is not None and stat[0] >= racy
                             and not snapshot.settled(label, record.digests)))
    if any(label.startswith("<built-in>") for label in changed):
        return None
    return tuple(changed)


def settle(record: Record, snapshot: Snapshot) -> Record | None:
    """``record``, trusting by their stat the racy inputs ``snapshot`` found unchanged.

    None if there is nothing to settle: no input was racy, or each still
    is (saved within two seconds of this snapshot), so the record as it
    stands is what the next check needs.

    Call it only once ``changed_inputs`` has answered ``()`` for this
    snapshot: each racy input then still had its recorded stat and the
    content ``digests`` holds. One saved two seconds or more before the
    snapshot cannot change again without a later time stamp, so the next
    check needs no hash of it, as git rewrites its index once racily clean
    entries are proved clean. Without this, every no-op build after a
    checkout or a copy of the site would hash each file saved within two
    seconds of the first build: at 100,000 articles, a fifth of them took
    0.44 s of a 1.3 s no-op.
    """
    if not record.digests:
        return None
    still_racy = snapshot.taken_ns - RACY_NS
    recorded = PackedStats.of(record.inputs)
    recent = {recorded.names[at] for at in recorded.recent(still_racy)}
    digests = {label: digest for label, digest in record.digests.items() if label in recent}
    return replace(record, settled_ns=snapshot.taken_ns, digests=digests) if digests != record.digests else None


def is_current(record: Record, changed: tuple[str, ...] | None, output: Path) -> bool:
    """Whether a build now would write exactly what ``output`` already holds."""
    return changed == () and outputs_unchanged(record, output)


def outputs_unchanged(record: Record, output: Path) -> bool:
    """Whether ``output`` holds exactly the files and folders ``record`` saw, each as it was then."""
    return start_output_check(record, output)()


def start_output_check(record: Record, output: Path) -> Callable[[], bool]:
    """``outputs_unchanged``, begun now on the other core; call the result for the answer (see ``output_check``)."""
    return output_check.start(record.outputs, record.listed, output)


