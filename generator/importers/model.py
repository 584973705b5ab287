"""What an importer produces: posts with Dateline frontmatter, files, a config, notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Note:
    """One line of the import report: what was done (or not) to which file, at which line."""

    kind: str  # "converted", "guessed" or "not converted"
    path: str  # relative to SOURCE
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, kw_only=True)
class Post:
    """One article or page, ready to write as ``content/<target>``."""

    origin: str  # the source file, relative to SOURCE
    target: str  # relative to the new site's content/ folder
    fields: dict[str, Any]  # Dateline frontmatter, in the order written
    body: str  # Markdown (raw HTML allowed)
    old_url: str | None  # the URL the old site served it at, if known
    files: tuple[tuple[Path, str], ...] = ()  # (file in SOURCE, path under content/) beside it


@dataclass(kw_only=True)
class Imported:
    """A whole old site, read: filled in by one importer, written by ``writer``."""

    kind: str
    config: dict[str, Any]
    posts: list[Post] = field(default_factory=list)
    files: list[tuple[Path, str]] = field(default_factory=list)  # (file in SOURCE, path under content/)
    files_text: dict[str, str] = field(default_factory=dict)  # generated files, by path under content/
    notes: list[Note] = field(default_factory=list)
    found: int = 0  # posts and pages found in SOURCE
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why) posts deliberately not imported

    def note(self, kind: str, path: str, line: int | None, message: str) -> None:
        self.notes.append(Note(kind=kind, path=path, line=line, message=message))
