"""Plain text out of HTML: for meta descriptions, word counts and reading times."""

from __future__ import annotations

import html
import math
import re
from itertools import filterfalse

_TAGS = re.compile(r"<[^>]*>")
_WORDS = re.compile(r"\w++(?:['’.-]\w++)*+")  # possessive: the same words as greedy, without backtracking


def plain_text(fragment: str) -> str:
    """The readable text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())


def count_words(fragment: str) -> int:
    """The number of words in ``plain_text(fragment)``.

    A word never spans whitespace, so the text is cut at whitespace first: a
    piece made only of letters and digits (``isalnum``: the characters of
    ``\\w`` but ``_``) is one word, and only the rest, a fraction of the text,
    goes through the regex, so plain prose costs one ``split`` and no regex.
    """
    pieces = html.unescape(_TAGS.sub(" ", fragment)).split()
    rest = list(filterfalse(str.isalnum, pieces))
    return len(pieces) - len(rest) + len(_WORDS.findall(" ".join(rest)))


def reading_minutes(words: int, words_per_minute: int) -> int:
    return max(1, math.ceil(words / words_per_minute))


def shorten(text: str, limit: int = 160) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.–—-")
    return cut + "…"
