"""Heading ids and the table of contents, made the way Python-Markdown's ``toc`` extension makes them.

The pulldown-cmark engine writes headings without ids; it gets the same
ids (``slugify``, ``unique``) and the same nested table of contents
(``nest``) as the Python-Markdown engine, so a link to ``#a-heading`` works
whichever engine a site uses. These are our own functions, not imports of
the extension's helpers: the tests compare them with Python-Markdown's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import MutableSet
from dataclasses import dataclass, field

_NOT_WORD = re.compile(r"[^\w\s-]")
_SEPARATORS = re.compile(r"[-\s]+")
_NUMBERED = re.compile(r"^(.*)_([0-9]+)$")


def slugify(text: str) -> str:
    """An id for a heading's text: ASCII letters, digits, underscores and hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SEPARATORS.sub("-", _NOT_WORD.sub("", ascii_text).strip().lower())


def unique(identifier: str, used: MutableSet[str]) -> str:
    """``identifier``, or ``identifier_1``, ``_2``… if it is taken (or empty); the result is marked used."""
    if identifier in used or not identifier:
        numbered = _NUMBERED.match(identifier)
        base, count = (numbered.group(1), int(numbered.group(2))) if numbered else (identifier, 0)
        count += 1
        while f"{base}_{count}" in used:
            count += 1
        identifier = f"{base}_{count}"
    used.add(identifier)
    return identifier


@dataclass(kw_only=True)
class Heading:
    """One entry of a table of contents."""

    level: int
    id: str
    name: str  # HTML-escaped text
    children: list[Heading] = field(default_factory=list)


def nest(headings: list[Heading]) -> list[Heading]:
    """Headings in document order, nested by level; a heading above an earlier one's level closes it.

    Out-of-order levels (an ``h3`` before any ``h2``) are kept at the level
    they appear on, as Python-Markdown's ``nest_toc_tokens`` keeps them.
    """
    top: list[Heading] = []
    if not headings:
        return top
    last = headings[0]
    levels = [last.level]
    parents: list[Heading] = []
    top.append(last)
    for heading in headings[1:]:
        if heading.level < levels[-1]:
            levels.pop()
            closed = 0
            for parent in reversed(parents):
                if heading.level > parent.level:
                    break
                closed += 1
            if closed:
                levels = levels[:-closed]
                parents = parents[:-closed]
            levels.append(heading.level)
        if heading.level == levels[-1]:
            (parents[-1].children if parents else top).append(heading)
        else:
            last.children.append(heading)
            parents.append(last)
            levels.append(heading.level)
        last = heading
    return top
