"""Errors that are the author's to fix, reported as ``path:line: message``.

Content and configuration problems are collected into lists rather than raised
one at a time, so a single build reports every mistake at once. Only the
orchestrator turns a non-empty list into a failed build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# C0 controls but tab and newline, DEL, C1 controls, lone surrogates and the
# two non-characters XML forbids: invisible, shown differently by every
# browser, and fatal to the XML feeds.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def bad_character(text: str) -> tuple[int, str] | None:
    """The index and ``U+XXXX`` name of the first control character in ``text``."""
    match = _BAD_CHARACTER.search(text)
    return None if match is None else (match.start(), f"U+{ord(match.group()):04X}")


def location(path: str, line: int | None) -> str:
    """``path:line``, or just ``path`` when the problem concerns the whole file."""
    return path if line is None else f"{path}:{line}"


@dataclass(frozen=True, order=True)
class BuildError:
    """One problem in one source file.

    ``path`` is relative to the site folder (``content/articles/x.md``) so the
    message is the same on every machine; ``line`` is 1-based, or ``None``
    when the problem concerns the whole file.
    """

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{location(self.path, self.line)}: {self.message}"

    def as_warning(self) -> str:
        """The same problem when it does not stop the build: ``path:line: warning: message``."""
        return f"{location(self.path, self.line)}: warning: {self.message}"


class BuildFailed(Exception):
    """The build stopped because of author errors; nothing was written."""

    def __init__(self, errors: Iterable[BuildError], warnings: Iterable[BuildError] = ()) -> None:
        self.errors: tuple[BuildError, ...] = tuple(sorted(set(errors), key=_sort_key))
        # The warnings found on the way, so that an author fixing the errors sees everything at once.
        self.warnings: tuple[BuildError, ...] = tuple(sorted(set(warnings), key=_sort_key))
        super().__init__("\n".join(str(error) for error in self.errors))


def _sort_key(error: BuildError) -> tuple[str, int, str]:
    return (error.path, error.line or 0, error.message)
