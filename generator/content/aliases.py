"""``aliases``: the old paths of an article, each answered by a redirect to its new URL.

A site moving to Dateline has years of links into it. Each alias is a path
on this site (under its base path) written as the old generator wrote it:
``/2015/06/25/Rust-1.1.html``, ``/news/2019/07/20/x/``. It is checked to
stay a path: no scheme or host, no ``..``, no query or fragment, nothing
that could write outside the output folder.
"""

from __future__ import annotations

from urllib.parse import unquote

from generator.content.fields import FieldReader
from generator.errors import bad_character


def alias_problem(alias: str) -> str | None:
    """Why ``alias`` cannot be an old path of this site, or ``None``."""
    if not alias.startswith("/") or alias.startswith("//"):
        return "must be a path on this site starting with '/', such as '/2015/06/25/old-name.html'"
    if "?" in alias or "#" in alias:
        return "must be a path without '?' or '#'"
    path = unquote(alias)
    if bad_character(path) or "\\" in path:
        return "contains control characters or backslashes"
    if any(part in (".", "..") for part in path.split("/")):
        return "must not contain '.' or '..' segments"
    if alias == "/":
        return "cannot be the front page"
    return None


def read_aliases(reader: FieldReader) -> tuple[str, ...]:
    """The ``aliases`` (or Jekyll's ``redirect_from``) of one file, each checked."""
    key, value = reader.get("aliases")
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        reader.error(key, f"'{key}' must be a list of old paths, such as ['/2015/06/25/old-name.html']")
        return ()
    found: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            reader.error(key, f"each entry of '{key}' must be a path, not {item!r}")
            continue
        alias = item.strip()
        problem = alias_problem(alias)
        if problem:
            reader.error(key, f"'{key}' entry '{alias}' {problem}")
        elif alias not in found:
            found.append(alias)
    return tuple(found)
