"""The persistent build cache in ``SITE/.dateline/``.

It holds the previous build's ``BuildState``: parsed articles keyed by
content hash and the fingerprint of every output, so a CLI build after a
small edit re-parses and re-renders only what changed. The cache is an
optimisation and never an authority: a file that is corrupt, truncated, from
another version or another Python is discarded with a warning, and file
timestamps recorded in it are not trusted (every source is re-hashed).

The cache is a pickle, so it must only ever be read from the site's own
folder: anyone who can write there can already change the site.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from dataclasses import replace
from pathlib import Path

from generator import __version__
from generator.build import BuildState

CACHE_FOLDER = ".dateline"
CACHE_FILE = "build-cache.pickle"
FORMAT = 1
_MAGIC = b"DATELINE-CACHE\n"


def _code_fingerprint() -> str:
    """A hash of Dateline's own code: parses cached by an older build of it are not reused.

    Parsed articles are reused by content hash, so a change to how Dateline
    parses (say, typographic quotes in headlines) would otherwise keep old
    results for unchanged files.
    """
    hasher = hashlib.blake2b(digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        hasher.update(path.name.encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def _header() -> dict[str, object]:
    return {"format": FORMAT, "dateline": __version__, "python": sys.version_info[:2], "code": _code_fingerprint()}


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
                    return _distrust_timestamps(state), None
                reason = "it holds something else"
        except Exception as exc:  # noqa: BLE001 - any damage means: do not trust it
            reason = f"it is damaged ({type(exc).__name__})"
    _remove(path)
    return None, f"{CACHE_FOLDER}/{CACHE_FILE}: discarded the build cache because {reason}; building from scratch"


def _distrust_timestamps(state: BuildState) -> BuildState:
    """Force a re-read and re-hash of every source; parses are reused by hash."""
    parsed = {path: replace(entry, stat_key=(0, 0, 0)) for path, entry in state.parsed.items()}
    return BuildState(state.config_key, parsed, state.fingerprints)


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
