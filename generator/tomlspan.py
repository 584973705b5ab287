"""Find the line of a key in a TOML document.

``tomllib`` returns plain values without positions, yet every config error
must name its line. TOML keys are simple enough to locate with a scan that
tracks ``[table]`` headers; values we cannot place fall back to line ``None``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.\- "']+?)\s*=""")


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
    for number, line in enumerate(text.splitlines(), start=first_line):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
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
            for prefix_length in range(len(table) + 1, len(path)):
                lines.setdefault(path[:prefix_length], number)
            rest = line[key.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_multiline = quote
    return lines


def line_of(lines: dict[tuple[str, ...], int], path: tuple[str, ...]) -> int | None:
    """The line of ``path`` or of its nearest enclosing table."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None


_TOML_ERROR_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def toml_error(exc: Exception, text: str, first_line: int = 1) -> tuple[int, str]:
    """Line and message of a ``tomllib.TOMLDecodeError`` (3.11 has no attributes)."""
    message = str(exc)
    match = _TOML_ERROR_POSITION.search(message)
    clean = _TOML_ERROR_POSITION.sub("", message).strip()
    if match and match.group(1):
        return int(match.group(1)) + first_line - 1, clean
    return text.count("\n") + first_line, clean


def read_toml(path: Path, shown: str) -> tuple[str, dict[str, Any]]:
    """Text and data of a TOML file; ``BuildFailed`` names ``shown`` and the line.

    ``FileNotFoundError`` is left to the caller, which knows what a missing
    file means (no site here, or a theme without a manifest).
    """
    from generator.errors import BuildError, BuildFailed

    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildFailed([BuildError(shown, None, f"cannot read: {exc}")]) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = toml_error(exc, text)
        raise BuildFailed([BuildError(shown, line, f"TOML syntax error: {message}")]) from None
