"""Heading anchors the old generator made, kept working as extra anchors.

Links into a post (``/2017/x/#what-changed``) name a heading's id, and each
generator makes ids its own way: kramdown (Jekyll) drops everything but
letters, digits, spaces, ``-`` and ``_`` and any leading non-letters; Hugo's
Goldmark keeps every hyphen; Zola slugifies (``_`` becomes ``-``); their
duplicates end in ``-1``, where Dateline's end in ``_1``. Dateline keeps its
own scheme (the same for both engines and every site), and where an old id
differs the importer writes it as an empty anchor inside the heading:
``## What changed? <a id="what-changed-"></a>``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from generator.importers.markup import blocks
from generator.markdown.headings import slugify as dateline_slugify
from generator.markdown.headings import unique

_ATX = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_INLINE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`]|<[^>]+>|\{:?[^}]*\}\s*$")


def _text(heading: str) -> str:
    return " ".join(_INLINE.sub(lambda m: m.group(1) or "", heading).split())


def kramdown(text: str) -> str:
    ident = re.sub(r"[^A-Za-z0-9 _-]", "", text)
    ident = re.sub(r"^[^A-Za-z]+", "", ident)
    return ident.replace(" ", "-").lower()


def goldmark(text: str) -> str:
    ident = "".join(ch for ch in text.lower() if ch.isalnum() or ch in " -_")
    return ident.replace(" ", "-")


def zola(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


SCHEMES: dict[str, Callable[[str], str]] = {"jekyll": kramdown, "hugo": goldmark, "zola": zola}


def old_anchors(body: str, kind: str) -> str:
    """``body`` with the old generator's id added to each heading whose Dateline id differs."""
    scheme = SCHEMES.get(kind)
    if scheme is None:
        return body
    ours: set[str] = set()
    theirs: dict[str, int] = {}
    out = []
    for is_code, piece in blocks(body):
        if is_code:
            out.append(piece)
            continue

        def anchor(match: re.Match[str]) -> str:
            text = _text(match.group(2))
            dateline = unique(dateline_slugify(text), ours)
            base = scheme(text)
            count = theirs.get(base, 0)
            theirs[base] = count + 1
            old = f"{base}-{count}" if count else base
            if not old or old == dateline or "{:" in match.group(2):
                return match.group()
            return f'{match.group(1)} {match.group(2)} <a id="{old}"></a>'

        out.append(_ATX.sub(anchor, piece))
    return "".join(out)
