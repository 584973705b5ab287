"""Which files under ``content/`` are part of the site, and which page each file belongs to.

Sites moving from other generators keep files there that are not content:
a ``README.md``, Hugo's ``_index.md`` section files, ``.mdx`` or ``.rst``
posts Dateline cannot read. ``exclude`` globs in ``config.toml`` leave files
out; a file in a format Dateline cannot read is left out with a warning,
never copied raw into the output where readers would download its source.

Page bundles (``post/index.md`` beside ``post/photo.png``, as Hugo and Zola
write them) keep their files beside the page wherever its URL puts it, so
``![](photo.png)`` in the text keeps working.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Formats other generators read that Dateline does not: never published as files.
UNREADABLE_SUFFIXES = frozenset({
    ".mdx", ".rst", ".rest", ".adoc", ".asciidoc", ".asc", ".textile", ".org", ".ipynb", ".mmd",
    ".mkd", ".mdown", ".markdn", ".pandoc", ".rmd", ".qmd", ".pdc", ".liquid",
})
BUNDLE_INDEXES = ("index.md", "index.markdown")


def glob_pattern(pattern: str) -> re.Pattern[str]:
    """A regex for one ``exclude`` glob, matched against paths relative to ``content/``.

    ``*`` and ``?`` stay within one folder, ``**`` crosses folders, and a
    pattern without ``/`` matches a name at any depth (``README.md``).
    """
    text = pattern.strip().lstrip("/")
    anywhere = "/" not in text.rstrip("/")
    text = text.rstrip("/")
    out: list[str] = []
    index = 0
    while index < len(text):
        if text.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif text.startswith("**", index):
            out.append(".*")
            index += 2
        elif text[index] == "*":
            out.append("[^/]*")
            index += 1
        elif text[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(text[index]))
            index += 1
    prefix = "(?:.*/)?" if anywhere else ""
    return re.compile(prefix + "".join(out) + "(?:/.*)?")  # a matched folder takes what it holds


class Exclusions:
    """The ``exclude`` globs of a site, compiled once."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(glob_pattern(p) for p in patterns)

    def __call__(self, relative: str) -> bool:
        return any(p.fullmatch(relative) for p in self.patterns)


def bundle_of(relative: str, indexes: frozenset[str]) -> tuple[str, str] | None:
    """The bundle index (``post/index.md``) ``relative`` belongs to, and its path inside the bundle.

    Paths are relative to ``content/``; the nearest folder holding an index wins.
    """
    parts = relative.split("/")
    for depth in range(len(parts) - 1, 0, -1):
        folder = "/".join(parts[:depth])
        for name in BUNDLE_INDEXES:
            index = f"{folder}/{name}"
            if index in indexes:
                return index, "/".join(parts[depth:])
    return None
