"""Syntax highlighting of fenced code blocks with Pygments, the same HTML for every engine.

Each engine finds its fenced blocks its own way and hands the info string
(the text after the opening fence) and the code to ``Highlighter.block``;
what comes back is the same HTML whichever engine asked, so a site can
switch engines without its code changing colour.

The info string is read in the forms Python-Markdown's fenced_code and
codehilite, Hugo's and Zola's users write (see the README)::

    ```python
    ```python hl_lines="2 3"
    ```python {hl_lines="2 3" linenos=true}
    ```go {linenos=table,hl_lines=[8,"15-17"],linenostart=199}
    ```{.python hl_lines="2 3" linenums="1"}
    ```rust,linenos,hl_lines=2 3

Tokens get Pygments' short CSS classes (``k``, ``s2``, ``c1``) and never a
``style`` attribute, which a strict Content Security Policy refuses; the
theme's ``css/highlight.css`` colours them. Line numbers are empty elements
whose number only CSS shows (``content: attr(data-line)``): generated
content is never part of a selection, so copying the code never copies the
numbers, and a feed reader without the theme's CSS shows the code alone.

Pygments' lexers and formatter are loaded only when a block names a
language, and each lexer is looked up once per process: news sites have few
code blocks, and most builds never need them. (Python-Markdown's
fenced_code imports Pygments' top-level package and name tables itself.)
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

# Names authors write for "no highlighting, please" that Pygments does not know; Rouge's
# (Jekyll's highlighter) generic "conf" colours only comments, and Pygments has no equivalent.
_PLAIN_NAMES = frozenset({"plain", "plaintext", "nohighlight", "no-highlight", "none", "txt", "conf", "config"})
# Names Rouge (Jekyll), Chroma (Hugo) or highlight.js give a language Pygments knows by another name:
# imported posts use them.
_OTHER_NAMES = {
    "eruby": "rhtml", "viml": "vim", "vimscript": "vim", "gql": "graphql", "kt": "kotlin", "patch": "diff",
    "terminal": "console", "shellsession": "console", "shell_session": "console", "sh-session": "console",
    "bash-session": "console", "batchfile": "batch", "cmd": "batch", "jsonc": "json", "wasm": "wat",
}
_TOKEN = re.compile(r"""\s*([^\s=,]+)(?:\s*=\s*("[^"]*"|'[^']*'|\[[^\]]*\]|[^\s,]*))?\s*,?""")
_TRUE = frozenset({"true", "yes", "on", "1", "table", "inline"})
_FALSE = frozenset({"false", "no", "off", "0", "none"})
_RANGE = re.compile(r"(\d+)(?:\s*-\s*(\d+))?")
_MAX_LINES = 100_000  # a range such as 1-999999999 marks what exists, not a billion numbers


@dataclass(frozen=True, kw_only=True)
class FenceInfo:
    """What an info string asks for: the language and the line options."""

    language: str
    highlighted_lines: frozenset[int] = frozenset()
    line_numbers: bool = False
    first_line: int = 1


def parse_info(info: str) -> FenceInfo:
    """The language and options of an info string, in any of the forms in the module docstring.

    Options a block does not need (``title``, ``id``, classes after the
    language) are ignored, as other engines ignore what they do not know.
    """
    info = info.strip()
    language = ""
    options: dict[str, str] = {}
    first = info.split(" ", 1)[0]
    if "," in first and "{" not in info:  # Zola's: rust,linenos,hl_lines=1 3-5,linenostart=10
        language, *pairs = info.split(",")
        for pair in pairs:
            name, _, value = pair.partition("=")
            options[name.strip().lower()] = value.strip().strip("\"'") or "true"
        line_numbers, first_line = _line_numbers(options)
        return FenceInfo(language=language.strip(), highlighted_lines=_lines(options.get("hl_lines", "")),
                         line_numbers=line_numbers, first_line=first_line)
    if info.startswith("{") and info.endswith("}"):  # Python-Markdown's attribute list: {.python hl_lines="2"}
        attributes = info[1:-1]
    else:
        language, _, attributes = info.partition(" ")
        language = language.removeprefix(".")
        attributes = attributes.strip()
        if attributes.startswith("{") and attributes.endswith("}"):  # Hugo's: python {hl_lines="2"}
            attributes = attributes[1:-1]
    for match in _TOKEN.finditer(attributes):
        name, value = match.group(1), match.group(2)
        if name.startswith(".") and value is None:
            language = language or name[1:]
        elif value is None and name.lower() in ("linenos", "linenums"):  # a bare flag
            options[name.lower()] = "true"
        elif value is not None:
            options[name.lower()] = value.strip("\"'")
    line_numbers, first_line = _line_numbers(options)
    return FenceInfo(language=language, highlighted_lines=_lines(options.get("hl_lines", "")),
                     line_numbers=line_numbers, first_line=first_line)


def _line_numbers(options: dict[str, str]) -> tuple[bool, int]:
    """``linenos=true|table|inline`` (Hugo), ``linenums="1"`` (codehilite) and ``linenostart=5``."""
    shown = False
    start = 1
    for name in ("linenos", "linenums"):
        value = options.get(name, "").lower()
        if value.isdigit() and name == "linenums":
            shown, start = int(value) > 0, max(int(value), 1)
        elif value in _TRUE:
            shown = True
        elif value in _FALSE:
            shown = False
    if options.get("linenostart", "").isdigit():
        start = max(int(options["linenostart"]), 1)
    return shown, start


def _lines(value: str) -> frozenset[int]:
    """``2 3``, ``2-4``, ``[8,"15-17"]``: the line numbers, counted from the block's first line as 1."""
    lines: set[int] = set()
    for match in _RANGE.finditer(value):
        first = int(match.group(1))
        last = int(match.group(2) or first)
        lines.update(range(first, min(last, first + _MAX_LINES) + 1))
    return frozenset(lines)


def escape(code: str) -> str:
    """Code as HTML text, as Python-Markdown's fenced_code escapes it."""
    return code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def plain_block(code: str, language: str) -> str:
    """A block shown as written, with its language's class, as both engines show it without highlighting."""
    return f'<pre tabindex="0"><code class="language-{escape(language)}">{escape(code)}</code></pre>'


class Highlighter:
    """Highlights blocks; remembers each lexer it looked up (one per renderer, so one per process)."""

    def __init__(self) -> None:
        self._lexers: dict[str, Any] = {}  # language name as written -> lexer, or None if unknown
        self._formatter: Any = None
        self._known: list[str] | None = None

    def block(self, code: str, info: str) -> tuple[str | None, str | None]:
        """``(HTML, warning)`` for a fenced block; HTML is None when the block names no language.

        An unknown language is shown plain, with a warning that suggests
        the nearest name Pygments knows.
        """
        fence = parse_info(info)
        if not fence.language:
            return None, None
        lexer = self._lexer(fence.language)
        if lexer is None:
            if fence.language.lower() in _PLAIN_NAMES:
                return plain_block(code, fence.language), None
            return plain_block(code, fence.language), self._unknown(fence.language)
        return self._highlight(code, fence, lexer), None

    def _lexer(self, name: str) -> Any:
        if name not in self._lexers:
            from pygments.lexers import get_lexer_by_name
            from pygments.util import ClassNotFound

            try:
                # stripnl=False: leading blank lines are lines the author counted for hl_lines.
                lower = name.lower()
                self._lexers[name] = get_lexer_by_name(_OTHER_NAMES.get(lower, lower), stripnl=False, ensurenl=True)
            except ClassNotFound:
                self._lexers[name] = None
        return self._lexers[name]

    def _unknown(self, name: str) -> str:
        if self._known is None:
            from pygments.lexers import get_all_lexers

            self._known = sorted({alias for _, aliases, _, _ in get_all_lexers() for alias in aliases})
        close = difflib.get_close_matches(name.lower(), self._known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; see Pygments' list of short names"
        return f"unknown code language '{name}', shown without highlighting{hint}"

    def _highlight(self, code: str, fence: FenceInfo, lexer: Any) -> str:
        if self._formatter is None:
            from pygments.formatters import HtmlFormatter

            # nowrap: token spans only, each line closes its own spans; the block is wrapped below.
            self._formatter = HtmlFormatter(nowrap=True)
        from pygments import highlight

        lines = highlight(code, lexer, self._formatter).split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        out = []
        for index, line in enumerate(lines, start=1):
            number = ""
            if fence.line_numbers:
                number = f'<span class="ln" data-line="{fence.first_line + index - 1}" aria-hidden="true"></span>'
            if index in fence.highlighted_lines:
                out.append(f'<span class="hll">{number}{line}\n</span>')
            else:
                out.append(f"{number}{line}\n")
        numbered = " linenos" if fence.line_numbers else ""
        return (f'<pre class="highlight{numbered}" tabindex="0"><code class="language-{escape(fence.language)}">'
                f'{"".join(out)}</code></pre>')
