"""The last steps every imported body goes through, and the notes they leave."""

from __future__ import annotations

from collections.abc import Iterable

from generator.importers.common import strip_controls
from generator.importers.markup import line_of, remove_leftovers
from generator.importers.model import Imported


def finish_body(imported: Imported, origin: str, original: str, body: str, body_line: int,
                notes: Iterable[tuple[str, str, str]] = (), label: str = "") -> str:
    """``body`` with control characters and unconverted template syntax removed; every step noted.

    ``original`` is the whole source file, so notes name the line the author
    wrote the syntax on; ``body_line`` is where the body starts in it.
    ``label`` starts each note's message (which item of a WXR export).
    """
    for kind, message, syntax in notes:
        imported.note(kind, origin, line_of(original, syntax, body_line), f"{label}{message}: {_show(syntax)}")
    body, removed = strip_controls(body)
    if removed:
        imported.note("converted", origin, None, f"{label}{removed} control characters (form feeds…) removed")
    body, leftovers = remove_leftovers(body)
    for line, syntax in leftovers:
        imported.note("not converted", origin, line_of(original, syntax, body_line + line - 1),
                      f"{label}template syntax removed from the page: {_show(syntax)}")
    return body


def _show(syntax: str) -> str:
    text = " ".join(syntax.split())
    return text if len(text) <= 100 else text[:97] + "..."
