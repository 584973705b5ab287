"""The persistent build cache in ``SITE/.dateline/``.

It holds the previous build's ``BuildState``: parsed articles keyed by
content hash, the plan of the site and the fingerprint of every output, so
a CLI build after a small edit re-parses and re-renders only what changed.
The cache is an optimisation and never an authority: a file that is
corrupt, truncated, from another version or another Python is discarded
with a warning, and a file is re-read and re-hashed unless its stat is
unchanged and it was saved well before the cached build began (see
``_distrust_recent_timestamps``).

Writing the whole state costs more than the body edit it records, so a
build that kept the cached plan (body edits, see ``plan``, or template
edits) appends a small ``StateDelta`` instead: the new parses and render
records (the output folder's stats are the up-to-date record's, see
``state``). Loading replays the deltas on the cached plan with the
function the build used (``plan.apply_body_edits``); after
``MAX_DELTAS`` of them the next save writes the whole state again.

The cache is a pickle, so it must only ever be read from the site's own
folder: anyone who can write there can already change the site.
"""

from __future__ import annotations

import copyreg
import functools
import gc
import os
import pickle
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from markupsafe import Markup

from generator import __version__
from generator.content.parsed import UNKNOWN_STAT, Parsed
from generator.incremental.fingerprints import Fingerprints, RenderRecord, TemplateFacts
from generator.incremental.plan import apply_body_edits
from generator.incremental.state import BuildState
from generator.incremental.uptodate import RACY_NS, code_fingerprint

CACHE_FOLDER = ".dateline"
CACHE_FILE = "build-cache.pickle"
FORMAT = 7
MAX_DELTAS = 32  # then the whole state is written again, so loading stays quick
_MAGIC = b"DATELINE-CACHE\n"


def _header(code: str) -> dict[str, object]:
    return {"format": FORMAT, "dateline": __version__, "python": sys.version_info[:2], "code": code}


def cache_path(site_dir: Path) -> Path:
    return site_dir / CACHE_FOLDER / CACHE_FILE


@dataclass(frozen=True, kw_only=True)
class StateDelta:
    """What a build that kept the cached plan (body or template edits) changed in the state it started from."""

    parsed: dict[str, Parsed]  # the re-read sources
    records: dict[str, RenderRecord]  # the outputs it rendered
    templates: dict[str, bytes]  # compiled templates that are new or changed
    template_references: dict[str, TemplateFacts]
    started_ns: int
    snapshot_ns: int

    @classmethod
    def between(cls, before: BuildState, after: BuildState) -> StateDelta | None:
        """The delta from ``before`` to ``after``, or None if ``after`` does not keep ``before``'s plan."""
        if before.loaded is None or after.loaded is None or before.parsed.keys() != after.parsed.keys():
            return None
        parsed = {path: entry for path, entry in after.parsed.items() if before.parsed[path] is not entry}
        old_records = before.fingerprints.records
        records = {path: record for path, record in after.fingerprints.records.items()
                   if old_records.get(path) is not record}
        templates = {name: code for name, code in after.templates.items() if before.templates.get(name) != code}
        references = {key: names for key, names in after.template_references.items()
                      if key not in before.template_references}
        return cls(parsed=parsed, records=records, templates=templates, template_references=references,
                   started_ns=after.started_ns, snapshot_ns=after.snapshot_ns)

    def then(self, later: StateDelta) -> StateDelta:
        """This delta followed by ``later``, as one: replaying costs one re-plan however many edits there were."""
        return StateDelta(parsed={**self.parsed, **later.parsed}, records={**self.records, **later.records},
                          templates={**self.templates, **later.templates},
                          template_references={**self.template_references, **later.template_references},
                          started_ns=later.started_ns, snapshot_ns=later.snapshot_ns)

    def apply(self, state: BuildState) -> BuildState | None:
        """``state`` as the build that made this delta left it; None if it does not fit ``state``.

        Body edits of the same files compose (each keeps every field that
        places the article), so the articles of the last edit can take the
        place of those in ``state`` directly.
        """
        if state.loaded is None or not self.parsed.keys() <= state.parsed.keys():
            return None
        plan = apply_body_edits(state.loaded, self.parsed, state.fingerprints)
        if plan is None:
            return None
        return replace(state, parsed=plan.loaded.parsed, loaded=plan.loaded,
                       fingerprints=Fingerprints({**state.fingerprints.records, **self.records}),
                       templates={**state.templates, **self.templates},
                       template_references={**state.template_references, **self.template_references},
                       started_ns=self.started_ns, snapshot_ns=self.snapshot_ns)


@contextmanager
def _long_lived_objects() -> Iterator[None]:
    """Unpickle without the collector, then freeze what was made.

    The cached state is millions of objects that live as long as the build;
    the collector would otherwise walk them again and again. Frozen objects are never collected, which
    suits a process that builds once and exits, the CLI.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


# --- the whole state's file layout ---------------------------------------------------------
# _MAGIC | where the texts start (8 bytes) | header | state | texts | deltas...
#
# The state's ``Markup`` (summaries, tables of contents; article bodies are
# bytes, see ``Article.body_html``) is rebuilt by pickle from a plain string
# that it keeps until the whole load ends: twice the text in memory at the
# peak, and a heap left full of holes. So the state refers to each text by
# number, the texts follow as plain strings, and each becomes ``Markup`` as
# the state is read, its plain copy dropped at once.
#
# Paths are few in the state: ``Asset.source``, one for every article's
# social card and every image, is a string (see ``Asset``).

_OFFSET = 8


def _text(number: int) -> Markup:
    """The name the state's pickle calls for text ``number``; ``_StateUnpickler`` answers it."""
    raise pickle.UnpicklingError("the build cache's state can only be read by its own unpickler")


class _StatePickler(pickle.Pickler):
    """Pickles a state with each ``Markup`` as the number of its text (see the layout above).

    Through a dispatch table, which pickle consults by type in C, rather
    than ``reducer_override``, which it calls for every object that is not
    a plain value: 8 % of a whole write at 100,000 articles.
    """

    def __init__(self, file: BinaryIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.texts: list[str] = []
        self.dispatch_table = {**copyreg.dispatch_table, Markup: self._markup}

    def _markup(self, obj: Markup) -> tuple[Any, tuple[int]]:
        # Each object once: pickle's memo answers repeats before the table is asked.
        self.texts.append(str(obj))
        return _text, (len(self.texts) - 1,)


class _StateUnpickler(pickle.Unpickler):
    def __init__(self, file: BinaryIO, texts: list[str | None]) -> None:
        super().__init__(file)
        self.texts = texts

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == (__name__, "_text"):
            # Not a bound method: the unpickler's memo keeps what this returns,
            # and a cycle back to the unpickler would keep the memo, and every
            # object it names, alive until a collection (which ``load``
            # freezes away): the records a replayed delta replaced among them.
            return functools.partial(_take_text, self.texts)
        return super().find_class(module, name)


def _take_text(texts: list[str | None], number: int) -> Markup:
    text, texts[number] = texts[number], None
    if text is None:
        raise pickle.UnpicklingError(f"text {number} is used twice")
    return Markup(text)


class BuildCache:
    """The cache file of one site: loads the last state, and saves the next one whole or as a delta."""

    def __init__(self, site_dir: Path, code: str | None = None) -> None:
        """``code``: ``code_fingerprint()``, if the caller has it already (it hashes the whole package)."""
        self.path = cache_path(site_dir)
        self.code = code if code is not None else code_fingerprint()
        self._loaded: BuildState | None = None  # as read, before ``_distrust_recent_timestamps``
        self._deltas = 0
        # The unpickler's memo refers to every object of the state. Freeing it touches each of
        # them, scattered over the heap: 0.45 s at 100,000 articles, a tenth of the load. So it
        # lives as long as this object, which a CLI session keeps until the process leaves.
        self._reader: pickle.Unpickler | None = None

    @property
    def deltas(self) -> int:
        """How many body-edit builds are appended to the whole state in the file (as last loaded or saved)."""
        return self._deltas

    def load(self) -> tuple[BuildState | None, str | None]:
        """The cached state, or None and a warning saying why it was not used."""
        try:
            handle = self.path.open("rb")  # read as it is unpickled: the file is tens of MB on big sites
        except FileNotFoundError:
            return None, None
        except OSError as exc:
            return None, f"{CACHE_FOLDER}/{CACHE_FILE}: cannot read the build cache ({exc.strerror}); building from scratch"
        reason = "it is not a Dateline build cache"
        with handle:
            try:
                if handle.read(len(_MAGIC)) == _MAGIC:
                    with _long_lived_objects():
                        state, deltas = self._read(handle)
                    if isinstance(state, BuildState):
                        self._loaded, self._deltas = state, deltas
                        return _distrust_recent_timestamps(state), None
                    reason = state
            except Exception as exc:  # noqa: BLE001 - any damage means: do not trust it
                reason = f"it is damaged ({type(exc).__name__})"
        _remove(self.path)
        return None, f"{CACHE_FOLDER}/{CACHE_FILE}: discarded the build cache because {reason}; building from scratch"

    def _read(self, stream: BinaryIO) -> tuple[BuildState | str, int]:
        """The state with every delta replayed, or why there is none (see the layout above)."""
        texts_at = int.from_bytes(stream.read(_OFFSET), "little")
        header = pickle.load(stream)
        if header != _header(self.code):
            return f"it was written by another version ({header!r})", 0
        state_at = stream.tell()
        stream.seek(texts_at)
        texts = pickle.load(stream)
        deltas_at, size = stream.tell(), os.fstat(stream.fileno()).st_size
        stream.seek(state_at)
        self._reader = _StateUnpickler(stream, texts)
        state = self._reader.load()
        if not isinstance(state, BuildState):
            return "it holds something else", 0
        stream.seek(deltas_at)
        deltas: list[StateDelta] = []
        while stream.tell() < size:
            delta = pickle.load(stream)
            if not isinstance(delta, StateDelta):
                return "it holds something else", 0
            deltas.append(delta)
        if deltas:
            replayed = functools.reduce(StateDelta.then, deltas).apply(state)
            if replayed is None:
                return "a recorded edit does not fit the cached site", 0
            state = replayed
        return state, len(deltas)

    def save(self, state: BuildState, plan_kept: bool = False) -> str | None:
        """Write ``state``; as a delta if its build kept the loaded state's plan. Returns a warning on failure."""
        delta = None
        if plan_kept and self._loaded is not None and self._deltas < MAX_DELTAS:
            delta = StateDelta.between(self._loaded, state)
        try:
            if delta is not None and self.path.is_file():
                with self.path.open("ab") as handle:
                    pickle.dump(delta, handle, protocol=pickle.HIGHEST_PROTOCOL)
                self._deltas += 1
            else:
                self._write_whole(state)
                self._deltas = 0
        except (OSError, pickle.PicklingError, TypeError, RecursionError) as exc:
            _remove(self.path)
            return f"{CACHE_FOLDER}/{CACHE_FILE}: could not write the build cache ({exc}); the next build starts from scratch"
        self._loaded = state
        return None

    def _write_whole(self, state: BuildState) -> None:
        temporary = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        try:
            self.path.parent.mkdir(exist_ok=True)
            with temporary.open("wb") as handle:
                handle.write(_MAGIC + bytes(_OFFSET))
                pickle.dump(_header(self.code), handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickler = _StatePickler(handle)
                pickler.dump(state)
                texts_at = handle.tell()
                pickle.dump(pickler.texts, handle, protocol=pickle.HIGHEST_PROTOCOL)
                handle.seek(len(_MAGIC))
                handle.write(texts_at.to_bytes(_OFFSET, "little"))
            os.replace(temporary, self.path)
        finally:
            _remove(temporary)


def _distrust_recent_timestamps(state: BuildState) -> BuildState:
    """Force a re-read and re-hash of sources saved too close to the cached build.

    A file whose stat (times, size, inode) is unchanged and was last saved
    well before the cached build began is the file that build read, as git
    assumes for its index; any other is read and hashed again, and its parse
    is still reused if the hash matches.
    """
    recent = state.started_ns - RACY_NS
    parsed = {path: entry if 0 < entry.stat.mtime_ns < recent
              else replace(entry, stat=UNKNOWN_STAT) for path, entry in state.parsed.items()}
    return replace(state, parsed=parsed)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
