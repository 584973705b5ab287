"""The last steps every imported body goes through, and the notes they leave."""

from __future__ import annotations

from collections.abc import Iterable

from generator.importers.common import strip_controls
from generator.importers.markup import line_of, remove_leftovers
from generator.importers.model import Imported


def finish_body(imported: Imported, origin: str, original: str, body: str, body_line: int,
                notes: Iterable[tuple[str, str, str]] = ()) -> str:
    """``body`` with control characters and unconverted template syntax removed; every step noted.

    ``original`` is the whole source file, so notes name the line the author
    wrote the syntax on; ``body_line`` is where the body starts in it.
    """
    for kind, message, syntax in notes:
        imported.note(kind, origin, line_of(original, syntax, body_line), f"{message}: {_show(syntax)}")
    body, removed = strip_controls(body)
    if removed:
        imported.note("converted", origin, None, f"{removed} control characters (form feeds…) removed")
    body, leftovers = remove_leftovers(body)
    for line, syntax in leftovers:
        imported.note("not converted", origin, line_of(original, syntax, body_line + line - 1),
                      f"template syntax removed from the page: {_show(syntax)}")
    return body


def _show(syntax: str) -> str:
    text = " ".join(syntax.split())
    return text if len(text) <= 100 else text[:97] + "..."
