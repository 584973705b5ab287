"""The persistent build cache in ``SITE/.dateline/``.

It holds the previous build's ``BuildState``: parsed articles keyed by
content hash and the fingerprint of every output, so a CLI build after a
small edit re-parses and re-renders only what changed. The cache is an
optimisation and never an authority: a file that is corrupt, truncated, from
another version or another Python is discarded with a warning, and a file
is re-read and re-hashed unless its stat is unchanged and it was saved well
before the cached build began (see ``_distrust_recent_timestamps``).

The cache is a pickle, so it must only ever be read from the site's own
folder: anyone who can write there can already change the site.
"""

from __future__ import annotations

import io
import os
import pickle
import sys
from dataclasses import replace
from pathlib import Path

from generator import __version__
from generator.build import BuildState
from generator.graph import Fingerprints
from generator.uptodate import RACY_NS, code_fingerprint

CACHE_FOLDER = ".dateline"
CACHE_FILE = "build-cache.pickle"
FORMAT = 2
_MAGIC = b"DATELINE-CACHE\n"


def _header() -> dict[str, object]:
    return {"format": FORMAT, "dateline": __version__, "python": sys.version_info[:2], "code": code_fingerprint()}


def cache_path(site_dir: Path) -> Path:
    return site_dir / CACHE_FOLDER / CACHE_FILE


def load_state(site_dir: Path) -> tuple[BuildState | None, str | None]:
    """The cached state, or None and a warning saying why it was not used."""
    path = cache_path(site_dir)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"{CACHE_FOLDER}/{CACHE_FILE}: cannot read the build cache ({exc.strerror}); building from scratch"
    reason = "it is not a Dateline build cache"
    if data.startswith(_MAGIC):
        try:
            stream = io.BytesIO(data[len(_MAGIC):])
            header = pickle.load(stream)
            if header != _header():
                reason = f"it was written by another version ({header!r})"
            else:
                state = pickle.load(stream)
                if isinstance(state, BuildState):
                    return _distrust_recent_timestamps(state), None
                reason = "it holds something else"
        except Exception as exc:  # noqa: BLE001 - any damage means: do not trust it
            reason = f"it is damaged ({type(exc).__name__})"
    _remove(path)
    return None, f"{CACHE_FOLDER}/{CACHE_FILE}: discarded the build cache because {reason}; building from scratch"


def _distrust_recent_timestamps(state: BuildState) -> BuildState:
    """Force a re-read and re-hash of sources saved too close to the cached build.

    A file whose stat (times, size, inode) is unchanged and was last saved
    well before the cached build began is the file that build read, as git
    assumes for its index; any other is read and hashed again, and its parse
    is still reused if the hash matches.
    """
    recent = state.started_ns - RACY_NS
    parsed = {path: entry if 0 < entry.stat_key[0] < recent
              else replace(entry, stat_key=(0, 0, 0, 0)) for path, entry in state.parsed.items()}
    return replace(state, parsed=parsed)


def save_state(site_dir: Path, state: BuildState) -> str | None:
    """Write the cache atomically; returns a warning if it could not be written."""
    path = cache_path(site_dir)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        path.parent.mkdir(exist_ok=True)
        with temporary.open("wb") as handle:
            handle.write(_MAGIC)
            pickle.dump(_header(), handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError, TypeError, RecursionError) as exc:
        _remove(temporary)
        return f"{CACHE_FOLDER}/{CACHE_FILE}: could not write the build cache ({exc}); the next build starts from scratch"
    return None


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def distrust_changed_outputs(state: BuildState, outputs: dict[str, object] | None) -> BuildState:
    """Forget the fingerprints of output files that changed since the cached build wrote them.

    A fingerprint says "the file there is what these inputs make", which is
    only true of the file that build left. Another build may have rewritten
    it since (``dateline serve --drafts``, a ``--no-cache`` build, a hand
    edit); such a page is rendered again. ``outputs`` is
    ``uptodate.scan_outputs``: stats by ``/path``.
    """
    before = state.output_stats
    if before is None or outputs is None:
        return replace(state, fingerprints=Fingerprints())
    kept = {path: record for path, record in state.fingerprints.records.items()
            if outputs.get("/" + path) == before.get("/" + path)}
    return replace(state, fingerprints=Fingerprints(kept))
