"""Which files of an old site its own configuration leaves out (Zola's ``ignored_content``, Jekyll's ``exclude``)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable


def ignored(relative: str, patterns: Iterable[str]) -> bool:
    """Whether ``relative`` matches one of the old site's globs (matched as Zola and Jekyll match them)."""
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(name, p) for p in patterns)
