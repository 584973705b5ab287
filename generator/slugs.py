"""Slugs: the readable, URL-safe names of articles, tags, sections and authors.

Latin letters lose their accents (``Économie`` -> ``economie``) so that tags
differing only in case or accents become one; letters of other scripts are
kept as they are (``Беларусь`` -> ``беларусь``), which every browser shows
readably, rather than transliterated by guesswork.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s_/\\.·–—-]+")
_UNSAFE = re.compile(r"[^\w-]", re.UNICODE)
_HYPHENS = re.compile(r"-{2,}")
_LIGATURES = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
                            "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "þ": "th", "Þ": "th", "ð": "d"})

MAX_LENGTH = 120

# File names that misbehave on some static hosts or operating systems.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents from Latin letters."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", kept).casefold()


def slugify(text: str) -> str:
    """A slug for ``text``; may be empty when ``text`` has no letters or digits.

    The result contains only Unicode word characters and single hyphens, so it
    can never form ``..``, a path separator or a control character.
    """
    slug = _SEPARATORS.sub("-", fold(text))
    slug = _UNSAFE.sub("", slug).replace("_", "-")
    slug = _HYPHENS.sub("-", slug).strip("-")
    if len(slug) > MAX_LENGTH:  # cut at a word boundary; file systems cap names at 255 bytes
        slug = slug[:MAX_LENGTH].rsplit("-", 1)[0] or slug[:MAX_LENGTH]
    if slug in _RESERVED:
        slug += "-1"
    return slug
