"""Forgetting made images and cards no build has used for a month, so ``.dateline/`` does not grow forever.

Each build that plans the site touches what it uses (a folder's or a card's
modification time; nothing is rewritten), then removes what has not been
touched for ``KEEP_UNUSED_DAYS``. A month, not at once: a build with
``--drafts`` and one without use different images, and neither should
throw away the other's.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

KEEP_UNUSED_DAYS = 30


def mark_used(paths: Iterable[str | Path]) -> None:
    """Touch each made folder or card this build uses."""
    for path in paths:
        try:
            os.utime(path)
        except OSError:  # not made (a broken image), or gone: nothing to keep
            pass


def prune(folder: Path, *, keep: frozenset[str] = frozenset()) -> int:
    """Remove entries of ``folder`` untouched for ``KEEP_UNUSED_DAYS`` (except the names in ``keep``)."""
    cutoff = time.time() - KEEP_UNUSED_DAYS * 86_400
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        try:
            if entry.name in keep or entry.stat(follow_symlinks=False).st_mtime >= cutoff:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed += 1
        except OSError:
            continue
    return removed
