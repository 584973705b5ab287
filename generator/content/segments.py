"""One safe path segment: an explicit ``slug`` (or a file name) used as written.

Sites moving to Dateline have URLs made by other generators, with capitals
and dots (``/2015/06/25/Rust-1.1.html``, ``Release-2.4.0``); slugifying an
explicit slug again would break every one of those links. So a slug the
author wrote is kept as written and only checked to stay one folder or file
name inside the output: no separators, no ``..``, nothing a URL cannot carry.
"""

from __future__ import annotations

import re

from generator.errors import bad_character

# '?' and '#' would end the path part of the URL, '%' would be read as an escape.
_UNSAFE = frozenset('/\\?#%"<>')


def segment_problem(text: str) -> str | None:
    """Why ``text`` cannot be one path segment of a URL, or ``None`` if it can."""
    if not text:
        return "is empty"
    if text in (".", ".."):
        return "would leave its folder"
    if bad_character(text) or any(ch.isspace() and ch != " " for ch in text):
        return "contains control characters"
    unsafe = sorted(set(text) & _UNSAFE)
    if unsafe:
        return f"contains '{unsafe[0]}', which cannot be part of one URL segment"
    if len(text.encode()) > 240:
        return "is longer than 240 bytes, more than a file name can hold"
    return None


_DATE_PREFIX = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}[-_]")


def name_from_file(path: str) -> str:
    """The slug an old generator took from the file name, kept as written.

    ``_posts/2015-06-25-Rust-1.1.md`` gives ``Rust-1.1`` (Jekyll drops the
    date, Zola also ``2016-10-08_``); a page bundle ``post/index.md`` is named
    by its folder, as Hugo and Zola name it.
    """
    parts = path.split("/")
    name = parts[-1].rsplit(".", 1)[0]
    if name in ("index", "_index") and len(parts) > 2:
        name = parts[-2]
    return _DATE_PREFIX.sub("", name) or name
