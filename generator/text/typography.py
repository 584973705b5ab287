"""Typographic quotes, dashes and ellipses for text that does not go through Markdown."""

from __future__ import annotations

import re

_OPENING = r"(^|[\s(\[{\u2014\u2013-])"


_ELLIPSES_DASHES_QUOTES = re.compile(r"-|\.\.\.|['\"]")
_DECADE = re.compile(r"'(?=\d\ds\b)")
_OPENING_DOUBLE = re.compile(_OPENING + '"')
_OPENING_SINGLE = re.compile(_OPENING + "'")


def smarten(text: str) -> str:
    """Typographic quotes, dashes and ellipses in plain text (headlines, captions).

    The Markdown body gets the same treatment from the ``smarty`` extension;
    this keeps frontmatter text consistent with it.
    """
    if not _ELLIPSES_DASHES_QUOTES.search(text):
        return text  # nothing to typeset
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
    text = _DECADE.sub("\u2019", text)  # the '90s
    text = _OPENING_DOUBLE.sub("\\1\u201c", text)
    text = _OPENING_SINGLE.sub("\\1\u2018", text)
    return text.replace('"', "\u201d").replace("'", "\u2019")

