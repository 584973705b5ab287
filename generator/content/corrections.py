"""``corrections:`` and the moments an article leaves the site (``expires``, ``unpublished``).

A newsroom corrects in public: each item says when, what (a line of
Markdown, shown inline) and whether it is a correction or an update. The
items are read here, each problem reported on the line of the
``corrections`` key with the item's number, so an author finds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

import nh3
from markupsafe import Markup

from generator.content.dates import DateError, parse_date
from generator.content.fields import FieldReader, kind_of
from generator.errors import BuildError, bad_character
from generator.markdown.engine import Renderer

KINDS = ("correction", "update")
_ITEM_KEYS = frozenset({"date", "text", "type"})
# What a correction's text may keep: it is shown inside a sentence, never as blocks.
_INLINE_TAGS = frozenset({"a", "em", "strong", "code", "i", "b", "s", "sub", "sup", "abbr", "q"})
_PARAGRAPH_BREAK = re.compile(r"</p>\s*<p>")


@dataclass(frozen=True, kw_only=True)
class Correction:
    """One correction or update of an article, as readers see it."""

    date: datetime
    text: Markup  # inline HTML
    kind: str  # "correction" or "update"; the theme words it (``partials/corrections.html``)


def inline_markdown(text: str, renderer: Renderer, *, trusted: bool) -> Markup:
    """``text`` as Markdown reduced to inline HTML: paragraphs joined, every block and script gone.

    Untrusted text first goes through the body's sanitiser (which marks
    links that leave the site); either way only inline tags and safe URLs remain.
    """
    html = str(renderer.render(text, trusted=trusted).body).strip()
    html = _PARAGRAPH_BREAK.sub(" ", html)
    cleaned = nh3.clean(html, tags=set(_INLINE_TAGS), attributes={"a": {"href", "title", "rel"}, "abbr": {"title"}},
                        link_rel=None)
    return Markup(" ".join(cleaned.split()))


def read_corrections(reader: FieldReader, zone: tzinfo, renderer: Renderer, *,
                     trusted: bool) -> tuple[Correction, ...]:
    """The ``corrections`` list, oldest first; every bad item is an error on the key's line."""
    value = reader.fields.get("corrections")
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.error("corrections", f"'corrections' must be a list of items with 'date' and 'text', not {kind_of(value)}")
        return ()
    found: list[Correction] = []
    lines = _item_lines(reader.source.text, reader.line("corrections"))
    for number, item in enumerate(value, start=1):
        line = lines[number - 1] if len(lines) == len(value) else reader.line("corrections")
        correction = _item(_AtLine(reader, line), number, item, zone, renderer, trusted)
        if correction is not None:
            found.append(correction)
    return tuple(sorted(found, key=lambda c: c.date))


class _AtLine:
    """Reports a correction's problems on the line of its item, where the author looks for them."""

    def __init__(self, reader: FieldReader, line: int) -> None:
        self._reader = reader
        self._line = line

    def error(self, key: str, message: str) -> None:
        self._reader.errors.append(BuildError(self._reader.source.path, self._line, message))


def _item_lines(text: str, key_line: int) -> list[int]:
    """The line of each item of a YAML block list starting after line ``key_line`` (1-based).

    Only block lists (``- date: ...``) are found; for a flow list
    (``[{...}]``) this is empty, and problems go on the key's line.
    """
    found: list[int] = []
    indent: int | None = None
    lines = text.splitlines()
    for number in range(key_line, len(lines)):
        raw = lines[number]
        stripped = raw.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(raw) - len(stripped)
        if stripped.startswith("-") and stripped[1:2] in ("", " "):
            if indent is None:
                indent = depth
            if depth == indent:
                found.append(number + 1)
                continue
        if indent is None or depth <= indent:
            break
    return found


def _item(reader: _AtLine, number: int, item: Any, zone: tzinfo, renderer: Renderer,
          trusted: bool) -> Correction | None:
    where = f"correction {number}"
    if not isinstance(item, dict):
        reader.error("corrections", f"{where} must have 'date' and 'text', not {kind_of(item)}")
        return None
    unknown = sorted(str(key) for key in item if key not in _ITEM_KEYS)
    if unknown:
        reader.error("corrections", f"{where} has an unknown key '{unknown[0]}'; use 'date', 'text' and 'type'")
    ok = not unknown
    date: datetime | None = None
    if item.get("date") is None:
        reader.error("corrections", f"{where} has no 'date'")
        ok = False
    else:
        try:
            date = parse_date(item["date"], zone)
        except DateError as exc:
            reader.error("corrections", f"{where}: {exc}")
            ok = False
    text = item.get("text")
    if text is None or isinstance(text, bool) or not isinstance(text, (str, int, float)) or not str(text).strip():
        reader.error("corrections", f"{where} has no 'text'" if text is None or not str(text).strip()
                     else f"{where}: 'text' must be text, not {kind_of(text)}")
        ok = False
    elif bad_character(str(text)):
        reader.error("corrections", f"{where}: 'text' contains control characters")
        ok = False
    kind = item.get("type", "correction")
    if not isinstance(kind, str) or kind.strip().lower() not in KINDS:
        reader.error("corrections", f"{where}: 'type' must be 'correction' or 'update', not {kind_of(kind)}")
        ok = False
    if not ok or date is None:
        return None
    rendered = inline_markdown(str(text), renderer, trusted=trusted)
    if not rendered:
        reader.error("corrections", f"{where} has no 'text'")
        return None
    return Correction(date=date, text=rendered, kind=kind.strip().lower())
