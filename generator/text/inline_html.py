"""Frontmatter written as HTML by other generators, read as the text it shows.

Jekyll and WordPress sites write headlines and excerpts with entities and
inline tags (``&ldquo;quoted&rdquo;``, ``small <em>and</em> fast``,
``excerpt: <p>When asked…</p>``) because their templates print them raw.
Dateline escapes every field, so those would be shown literally, in
``<title>``, Open Graph and JSON-LD alike, and slugs made from them would
read ``ldquoquotedrdquo``. Entities become their characters and the inline
tags are dropped: the field keeps its text and stays plain text. A tag is
dropped only when its closing tag is there too, so a headline about
``<script>`` keeps the word.
"""

from __future__ import annotations

import html
import re

_INLINE = "em|strong|i|b|u|s|code|span|small|sup|sub|abbr|mark|q|cite|a|p|del|ins|kbd|var|time|font|big"
_TAG = re.compile(rf"<(/?)({_INLINE})\b[^<>]*>", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def plain_inline(text: str) -> str:
    """``text`` with HTML entities decoded and paired inline tags removed."""
    if "<" not in text and "&" not in text:
        return text
    closed = {match[2].lower() for match in _TAG.finditer(text) if match[1]}
    text = _TAG.sub(lambda match: "" if match[2].lower() in closed else match[0], text)
    text = _BREAK.sub(" ", text)
    text = _ENTITY.sub(lambda match: html.unescape(match[0]), text)
    return " ".join(text.split())
