"""``SourceTree``: reading an old site without ever leaving its folder.

An old site is untrusted input: a symbolic link inside it (``_posts/x.md ->
/etc/passwd``), a ``{% include ../../secret %}`` or a WXR attachment named
``../../x`` must not make the importer read or copy anything outside SOURCE.
Every path is resolved and checked before it is opened.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from generator.content.sources import is_ignored


class OutsideSource(ValueError):
    """A path that would lead out of SOURCE."""


class SourceTree:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def path(self, relative: str) -> Path:
        """The file ``relative`` names inside SOURCE; raises ``OutsideSource`` if it would leave it."""
        candidate = (self.root / relative.lstrip("/")).resolve()
        if candidate != self.root and self.root not in candidate.parents:
            raise OutsideSource(f"'{relative}' leads outside the source folder")
        return candidate

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def read_text(self, relative: str) -> str:
        data = self.path(relative).read_bytes()
        return data.decode("utf-8-sig", "replace")

    def exists(self, relative: str) -> bool:
        try:
            return self.path(relative).is_file()
        except OutsideSource:
            return False

    def files(self, folder: str = "", skip_hidden: bool = True) -> Iterator[str]:
        """Every regular file under ``folder`` (relative to SOURCE), sorted, never following links out."""
        try:
            start = self.path(folder) if folder else self.root
        except OutsideSource:
            return
        if not start.is_dir():
            return
        for current, dirs, names in os.walk(start):
            dirs[:] = sorted(d for d in dirs if not (skip_hidden and is_ignored(d))
                             and not os.path.islink(os.path.join(current, d)))
            for name in sorted(names):
                if skip_hidden and is_ignored(name):
                    continue
                full = Path(current) / name
                try:
                    resolved = full.resolve()
                except OSError:
                    continue
                if resolved.is_file() and (self.root in resolved.parents):
                    yield full.relative_to(self.root).as_posix()
