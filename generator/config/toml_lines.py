"""Find the line of a key in a TOML document.

``tomllib`` returns plain values without positions, yet every config error
must name its line. TOML keys are simple enough to locate with a scan that
tracks ``[table]`` headers; values we cannot place fall back to line ``None``.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from pathlib import Path
from typing import Any

from generator.errors import BuildError, BuildFailed

# TOML's key grammar, written so that no line can make the match backtrack.
_SIMPLE_KEY = r"""(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)"""
_DOTTED_KEY = rf"{_SIMPLE_KEY}(?:[ \t]*\.[ \t]*{_SIMPLE_KEY})*"
_HEADER = re.compile(rf"^\s*\[\[?[ \t]*({_DOTTED_KEY})[ \t]*\]\]?\s*(#.*)?$")
_KEY = re.compile(rf"^\s*({_DOTTED_KEY})[ \t]*=")
MAX_DEPTH = 16  # enclosing tables of a dotted key that get a line of their own
_MULTILINE_QUOTES = ('"""', "'''")
_STRING_TOKEN = re.compile(r'"""|\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#')


def _split_dotted(key: str) -> tuple[str, ...]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([^.\s]+)', key)
    return tuple(next(group for group in groups if group) for groups in parts)


def key_lines(text: str, first_line: int = 1) -> dict[tuple[str, ...], int]:
    """Map each dotted key path to the (1-based) line where it is defined.

    Table headers map too, so ``("urls",)`` gives the line of ``[urls]``.
    ``first_line`` shifts numbers for TOML embedded in a larger file
    (frontmatter).
    """
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    in_multiline: str | None = None
    for number, line in enumerate(text.split("\n"), start=first_line):  # TOML breaks lines at LF only
        if in_multiline:
            if in_multiline in line:
                in_multiline = None
            continue
        header = _HEADER.match(line)
        if header:
            table = _split_dotted(header.group(1))
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            path = table + _split_dotted(key.group(1))
            lines.setdefault(path, number)
            for prefix_length in range(len(table) + 1, min(len(path), MAX_DEPTH)):
                lines.setdefault(path[:prefix_length], number)
            in_multiline = _open_multiline(line[key.end():])
    return lines


def _open_multiline(value: str) -> str | None:
    """The delimiter of a multi-line string that ``value`` opens and leaves open, if any.

    Strings are skipped whole, so quotes inside them (``"'''"``) or in a
    comment open nothing.
    """
    position = 0
    while (token := _STRING_TOKEN.search(value, position)) is not None:
        if token.group() == "#":
            return None
        if token.group() in _MULTILINE_QUOTES:
            end = value.find(token.group(), token.end())
            if end == -1:
                return token.group()
            position = end + 3
        else:
            position = token.end()
    return None


def line_of(lines: dict[tuple[str, ...], int], path: tuple[str, ...]) -> int | None:
    """The line of ``path`` or of its nearest enclosing table."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None


# tomllib's terse messages for the mistakes authors make most.
_CLEARER = {
    "Illegal character '\\n'": "a quoted string is not closed on its line",
    "Cannot overwrite a value": "this key is already set above",
    "Invalid value": "invalid value (text must be in quotes)",
}

TOO_DEEP = "arrays or tables are nested too deeply"  # tomllib's RecursionError

_TOML_ERROR_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def toml_error(exc: Exception, text: str, first_line: int = 1) -> tuple[int, str]:
    """Line and message of a ``tomllib.TOMLDecodeError`` (3.11 has no attributes)."""
    message = str(exc)
    match = _TOML_ERROR_POSITION.search(message)
    clean = _TOML_ERROR_POSITION.sub("", message).strip()
    clean = _CLEARER.get(clean, clean)
    if match and match.group(1):
        return int(match.group(1)) + first_line - 1, clean
    return text.count("\n") + first_line, clean


def read_toml(path: Path, shown: str) -> tuple[str, dict[str, Any]]:
    """Text and data of a TOML file; ``BuildFailed`` names ``shown`` and the line.

    ``FileNotFoundError`` is left to the caller, which knows what a missing
    file means (no site here, or a theme without a manifest).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise BuildFailed([BuildError(shown, None, f"cannot read: {exc.strerror or exc}")]) from None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"cannot read: not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        raise BuildFailed([BuildError(shown, line, message)]) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = toml_error(exc, text)
        raise BuildFailed([BuildError(shown, line, f"TOML syntax error: {message}")]) from None
    except RecursionError:
        raise BuildFailed([BuildError(shown, None, f"TOML syntax error: {TOO_DEEP}")]) from None
