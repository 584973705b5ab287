"""Content hashes of image files, remembered by their stat: a build reads only new or changed images.

A newsroom's photo library can hold gigabytes; hashing all of it on every
build that re-plans the site would cost more than the rest of the build.
As with Markdown sources (``content.parsed``), a file whose size, change
time and inode are the ones recorded is trusted to hold the same bytes,
unless it was recorded within two seconds of being written, where a coarse
file system clock could hide a second change.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

DIGESTS_FILE = "digests.json"
RACY_NS = 2_000_000_000


class Digests:
    """The hashes known from the last build, and those worked out in this one."""

    def __init__(self, folder: Path) -> None:
        self._file = folder / DIGESTS_FILE
        try:
            known = json.loads(self._file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        self._known: dict[str, list[object]] = known if isinstance(known, dict) else {}
        self._used: dict[str, list[object]] = {}
        self.read = 0  # files read and hashed by this build

    def of(self, path: Path) -> bytes:
        """The BLAKE2b hash of the file at ``path`` (raises ``OSError`` if it cannot be read)."""
        stat = path.stat()
        identity = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        entry = self._known.get(str(path))
        if (isinstance(entry, list) and len(entry) == 4 and entry[:3] == identity and isinstance(entry[3], str)
                and time.time_ns() - stat.st_mtime_ns > RACY_NS):
            self._used[str(path)] = entry
            return bytes.fromhex(entry[3])
        digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        self.read += 1
        self._used[str(path)] = [*identity, digest]
        return bytes.fromhex(digest)

    def save(self) -> None:
        """Record the hashes of this build's images (only those: a deleted file's entry goes)."""
        if self._used == self._known:
            return
        self._file.parent.mkdir(parents=True, exist_ok=True)
        work = self._file.with_name(f"{DIGESTS_FILE}.{os.getpid()}.tmp")
        try:
            work.write_text(json.dumps(self._used, sort_keys=True), encoding="utf-8")
            work.replace(self._file)
        except OSError:  # a cache that cannot be written is only slower next time
            work.unlink(missing_ok=True)
