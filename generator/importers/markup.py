"""Text of old bodies: code kept as written, template syntax found wherever it is left.

Converters change prose and leave code alone: a post about Liquid shows
``{{ page.title }}`` in a code block, and that is its content. ``leftovers``
then finds any template syntax outside code that no converter understood,
removes it from the page and reports it by line: readers never see it, the
author reads about it in ``import-report.txt``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INDENTED = re.compile(r"^(?: {4}|\t)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_PRE = re.compile(r"<(pre|code)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)


def blocks(text: str) -> list[tuple[bool, str]]:
    """``text`` as (is_code, piece) pieces: fenced code blocks and ``<pre>`` are code."""
    pieces: list[tuple[bool, str]] = []
    prose: list[str] = []
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        match = _FENCE_OPEN.match(lines[index])
        if match is None and _INDENTED.match(lines[index]) and (index == 0 or not lines[index - 1].strip()) and not (
                prose and _not_code_context(_last_text(prose))):
            end = index
            while end < len(lines) and (_INDENTED.match(lines[end]) or not lines[end].strip()):
                end += 1
            if prose:
                pieces.extend(_pre_pieces("".join(prose)))
                prose = []
            pieces.append((True, "".join(lines[index:end])))
            index = end
            continue
        if match is None:
            prose.append(lines[index])
            index += 1
            continue
        fence = match.group(1)
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        end = index + 1
        while end < len(lines) and not closing.match(lines[end].rstrip("\r\n")):
            end += 1
        if prose:
            pieces.extend(_pre_pieces("".join(prose)))
            prose = []
        pieces.append((True, "".join(lines[index:end + 1])))
        index = end + 1
    if prose:
        pieces.extend(_pre_pieces("".join(prose)))
    return pieces


def _last_text(lines: list[str]) -> str:
    """The last non-blank line: an indented line after a list item continues the item, it is not code."""
    return next((line for line in reversed(lines) if line.strip()), "")


def _not_code_context(line: str) -> bool:
    """After a list item, inside an HTML block or after indented text, indentation is not a code block."""
    return bool(_LIST_ITEM.match(line)) or line.startswith(("<", " ", "\t"))


def _pre_pieces(text: str) -> list[tuple[bool, str]]:
    pieces: list[tuple[bool, str]] = []
    position = 0
    for match in _PRE.finditer(text):
        pieces.append((False, text[position:match.start()]))
        pieces.append((True, match.group()))
        position = match.end()
    pieces.append((False, text[position:]))
    return [piece for piece in pieces if piece[1]]


def in_prose(text: str, change: Callable[[str], str], *, spans: bool = True) -> str:
    """``text`` with ``change`` applied outside code blocks (and, with ``spans``, outside code spans)."""
    out: list[str] = []
    for is_code, piece in blocks(text):
        if is_code:
            out.append(piece)
        elif spans:
            position = 0
            for match in _SPAN.finditer(piece):
                out.append(change(piece[position:match.start()]))
                out.append(match.group())
                position = match.end()
            out.append(change(piece[position:]))
        else:
            out.append(change(piece))
    return "".join(out)


# Template syntax of every source generator, as it would reach a reader.
LEFTOVER = re.compile(
    r"\{%-?.{0,400}?-?%\}|\{\{.{0,400}?\}\}"  # Liquid, Jinja, Tera, Hugo shortcodes
    r"|\{[%{]|[%}]\}"  # an opener or closer left alone
    r"|<!--\s*/?wp:[^>]*-->"  # Gutenberg block comments
    r"|\[/?(?:caption|embed|gallery|audio|video|playlist|wp_caption|youtube|vimeo|tweet)\b[^\]\n]{0,400}\](?![(\[:])"
    r"|\{(?:filename|static|attach|tag|category|author|index)\}|\|(?:filename|static|attach)\|"
    r"|\]\(@/[^)\s]*\)|\]:\s*@/\S+",  # Zola internal links
    re.DOTALL,
)


def leftovers(text: str) -> list[tuple[int, str]]:
    """Template syntax outside code, as (line within ``text``, the syntax)."""
    found: list[tuple[int, str]] = []
    position = 0
    for is_code, piece in blocks(text):
        if not is_code:
            masked = _SPAN.sub(lambda m: " " * len(m.group()), piece)
            for match in LEFTOVER.finditer(masked):
                found.append((text.count("\n", 0, position + match.start()) + 1, match.group()))
        position += len(piece)
    return found


def remove_leftovers(text: str) -> tuple[str, list[tuple[int, str]]]:
    """``text`` without template syntax outside code, and what was removed (line, syntax)."""
    found = leftovers(text)
    if not found:
        return text, []

    def strip(piece: str) -> str:
        return LEFTOVER.sub(lambda m: "\n" * m.group().count("\n"), piece)

    return in_prose(text, strip), found


def line_of(original: str, snippet: str, fallback: int) -> int:
    """The line of ``snippet`` in the file as it was, for the report; ``fallback`` if it was made by a converter."""
    index = original.find(snippet.strip()[:80])
    return original.count("\n", 0, index) + 1 if index >= 0 else fallback
