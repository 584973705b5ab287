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
import json
import os
import pickle
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

from generator import __version__
from generator.config.themes import BUILTIN_THEMES
from generator.filetree import FileStat, stat_of, walk

RECORD = Path(".dateline") / "up-to-date.json"
FORMAT = 1
PACKAGE = Path(__file__).resolve().parent.parent  # generator/
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
    """The stat of every file below ``output``, by ``output_label``; None if it cannot be told."""
    outputs: dict[str, FileStat | None] = {}
    return outputs if _scan(output, "", outputs) else None


def output_label(path: str) -> str:
    """The key of the output file ``path`` (``tags/index.html``) in a ``scan_outputs`` result."""
    return "/" + path


def scan_outputs_aside(output: Path) -> Callable[[], dict[str, FileStat | None] | None]:
    """``scan_outputs`` in a forked process, while this one does other work; call the result to get it.

    Statting every output file costs in proportion to the site; a build
    after an edit needs the scan, and can load its cache meanwhile on the
    other core. Without fork (or with threads running,
    which make forking unsafe), the scan happens when the result is asked for.
    """
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return lambda: scan_outputs(output)
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: scan, send, and leave without running the parent's exit handlers
        try:
            os.close(readable)
            with os.fdopen(writable, "wb") as pipe:
                pickle.dump(scan_outputs(output), pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)
    os.close(writable)

    @functools.cache  # the pipe can be read once
    def result() -> dict[str, FileStat | None] | None:
        found: dict[str, FileStat | None] | None
        try:
            with os.fdopen(readable, "rb") as pipe:
                found = pickle.load(pipe)
        except (OSError, EOFError, pickle.UnpicklingError):
            found = scan_outputs(output)
        finally:
            os.waitpid(pid, 0)
        return found

    return result


@dataclass(frozen=True)
class Record:
    """What the last successful build read and wrote, and what it reported."""

    key: str
    snapshot_ns: int  # when ``inputs`` were taken, before the build read anything
    inputs: dict[str, FileStat | None]
    outputs: dict[str, FileStat | None]
    next_publication: str | None  # ISO time a scheduled article goes live, if any
    summary: dict[str, int] = field(default_factory=dict)  # pages, articles, files
    warnings: list[str] = field(default_factory=list)
    scheduled: str | None = None  # the note on the next embargoed article, repeated while up to date
    digests: dict[str, str] = field(default_factory=dict)  # inputs saved close to the snapshot, by content


@dataclass(frozen=True)
class Snapshot:
    """The inputs of a build as they were before it read any of them."""

    key: str
    taken_ns: int
    inputs: dict[str, FileStat | None]
    site_dir: Path
    digests: dict[str, str] = field(default_factory=dict)  # the racy inputs' content, before the build read them

    def record(self, outputs: dict[str, FileStat | None], next_publication: datetime | None,
               summary: dict[str, int], warnings: list[str], note: str | None = None) -> Record:
        """The record of the successful build that started from this snapshot."""
        scheduled = next_publication.isoformat() if next_publication else None
        return Record(self.key, self.taken_ns, self.inputs, outputs, scheduled, summary, warnings, note,
                      self.digests)

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
    try:
        data = json.loads((site_dir / RECORD).read_text(encoding="utf-8"))
        if data.pop("format") != FORMAT:
            return None
        for kind in ("inputs", "outputs"):
            data[kind] = {path: tuple(stat) if stat else None for path, stat in data[kind].items()}
        return Record(**data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def save(site_dir: Path, record: Record) -> None:
    """Write the record atomically; on failure the next build simply does its work."""
    path = site_dir / RECORD
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        path.parent.mkdir(exist_ok=True)
        fields = {"format": FORMAT, **{name: getattr(record, name) for name in Record.__dataclass_fields__}}
        temporary.write_text(json.dumps(fields), encoding="utf-8")  # asdict() would deep-copy 30,000 stats
        os.replace(temporary, path)
    except OSError:
        forget(site_dir)
        temporary.unlink(missing_ok=True)


def forget(site_dir: Path) -> None:
    try:
        (site_dir / RECORD).unlink()
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
    changed = sorted(label for label in record.inputs.keys() | snapshot.inputs.keys()
                     if record.inputs.get(label) != snapshot.inputs.get(label)
                     or ((stat := record.inputs.get(label)) is not None and stat[0] >= racy
                         and not snapshot.settled(label, record.digests)))
    if any(label.startswith("<built-in>") for label in changed):
        return None
    return tuple(changed)


def is_current(record: Record, changed: tuple[str, ...] | None, output: Path) -> bool:
    """Whether a build now would write exactly what ``output`` already holds."""
    return changed == () and scan_outputs(output) == record.outputs


def updated_outputs(outputs: dict[str, FileStat | None], output: Path, paths: Iterable[str]) -> dict[str, FileStat | None]:
    """``outputs`` (a ``scan_outputs``) after a build wrote or removed ``paths`` and touched nothing else."""
    updated = dict(outputs)
    for path in paths:
        stat = stat_of(str(output / path))
        if stat is None:
            updated.pop(output_label(path), None)
        else:
            updated[output_label(path)] = stat
    return updated
