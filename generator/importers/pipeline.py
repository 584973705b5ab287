"""The last steps every imported body goes through, and the notes they leave."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator.importers.common import strip_controls
from generator.importers.markup import line_of, remove_leftovers
from generator.importers.model import Imported, Post
from generator.importers.urls import assign_new_urls, choose_pattern, distinct_aliases


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


def plan_urls(imported: Imported, entries: list[dict[str, Any]]) -> dict[str, str]:
    """Choose the article pattern that keeps most old URLs, give every entry its new URL; new URLs by file."""
    pattern = choose_pattern([(e["old_url"], e["moment"], e["slug"]) for e in entries if e["moment"]])
    imported.config["urls"] = {"article": pattern}
    assign_new_urls(entries, pattern)
    return {e["inside"]: e["new_url"] for e in entries}


def add_post(imported: Imported, entry: dict[str, Any], body: str, notes: Iterable[tuple[str, str, str]]) -> None:
    """An entry of a folder-based importer, its body finished and its old URLs as aliases, added to the site."""
    body = finish_body(imported, entry["origin"], entry["text"], body, entry["body_line"], notes)
    fields = entry["fields"]
    old = [entry["old_url"], *entry.get("aliases", [])]
    fields["aliases"] = distinct_aliases(imported, entry["origin"], entry["new_url"], old)
    fields = {k: v for k, v in fields.items() if v not in (None, [], "", {})}
    imported.posts.append(Post(origin=entry["origin"], target=entry["target"], fields=fields, body=body,
                               old_url=entry["old_url"], files=tuple(entry.get("files", ()))))
