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
_HYPHENS = re.compile(r"-{2,}")
_LIGATURES = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
                            "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "þ": "th", "Þ": "th", "ð": "d"})

MAX_LENGTH = 120  # characters
MAX_BYTES = 240  # of UTF-8: file systems cap a name at 255 bytes, and CJK letters take 3

# File names that misbehave on some static hosts or operating systems.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def is_reserved(name: str) -> bool:
    """Whether ``name`` is a device name some systems cannot store as a file (``con``, ``nul``, ``com1``…)."""
    return name.casefold() in _RESERVED


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents from Latin letters.

    Marks on letters of other scripts are part of the letter (``й`` is not
    ``и``, ``ピ`` is not ``ヒ``) and are kept; marks with nothing to sit on go.
    ASCII text, most titles and tags, has none of these: it is only lower-cased.
    """
    if text.isascii():
        return text.lower()
    kept: list[str] = []
    keep_marks = False
    for ch in unicodedata.normalize("NFKD", text.translate(_LIGATURES)):
        if unicodedata.category(ch).startswith("M"):
            if keep_marks:
                kept.append(ch)
            continue
        keep_marks = ch.isalnum() and not _is_latin(ch)
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)).casefold()


def _is_latin(ch: str) -> bool:
    return ch.isascii() or unicodedata.name(ch, "").startswith("LATIN ")


def _is_safe(ch: str) -> bool:
    """Letters, digits and (after ``fold``) the marks of non-Latin letters."""
    return ch.isalnum() or ch in "-_" or unicodedata.category(ch).startswith("M")


def slugify(text: str) -> str:
    """A slug for ``text``; may be empty when ``text`` has no letters or digits.

    The result contains only Unicode letters and digits (with the marks of
    non-Latin letters) and single hyphens, so it can never form ``..``, a path
    separator or a control character.
    """
    slug = _SEPARATORS.sub("-", fold(text))
    slug = "".join(filter(_is_safe, slug)).replace("_", "-")
    slug = _HYPHENS.sub("-", slug).strip("-")
    if len(slug) > MAX_LENGTH or len(slug.encode()) > MAX_BYTES:  # cut at a word boundary
        cut = slug[:MAX_LENGTH]
        while len(cut.encode()) > MAX_BYTES:
            cut = cut[:-1]
        slug = cut.rsplit("-", 1)[0] or cut
    if slug in _RESERVED:
        slug += "-1"
    return slug
