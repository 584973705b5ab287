"""Pieces every importer needs: lenient frontmatter, dates, authors, embeds, URLs.

Old sites were written for parsers more forgiving than Dateline's (Ruby's
YAML, Hugo's case-insensitive keys, a tab after a list item), so the
importer reads them leniently, writes what it understood in Dateline's
strict form, and notes what it had to guess.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from markupsafe import escape

from generator.content.dates import DateError, parse_date
from generator.errors import bad_character


class _TextLoader(yaml.SafeLoader):
    """Safe YAML whose dates and decimals stay as written (``version: 3.0`` is not ``3``)."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag not in ("tag:yaml.org,2002:timestamp",
                                                                   "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_YAML_OPEN = re.compile(r"\A\s*(-{3,})[ \t]*\r?\n")
_TOML_OPEN = re.compile(r"\A\s*\+{3}[ \t]*\r?\n")


class MatterError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def split_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """(fields, body, line the body starts on) of a file with YAML, TOML or JSON frontmatter, or none."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if (match := _YAML_OPEN.match(text)) is not None:
        close = re.compile(r"^(?:-{3,}|\.{3})[ \t]*$", re.MULTILINE)
        end = close.search(text, match.end())
        if end is None:
            raise MatterError(1, "frontmatter is never closed")
        raw = text[match.end():end.start()]
        start = text.count("\n", 0, match.end()) + 1
        cleaned = "\n".join(line.rstrip() for line in raw.split("\n"))  # a tab after a value (Psych accepts it)
        try:
            fields = yaml.load(cleaned, Loader=_TextLoader) or {}  # a SafeLoader subclass
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", 0)
            raise MatterError(start + line, f"YAML error in frontmatter: {getattr(exc, 'problem', exc)}") from None
        body_start = end.end() + 1
        return _mapping(fields, start), text[body_start:], text.count("\n", 0, body_start) + 1
    if (match := _TOML_OPEN.match(text)) is not None:
        end = re.compile(r"^\+{3}[ \t]*$", re.MULTILINE).search(text, match.end())
        if end is None:
            raise MatterError(1, "frontmatter is never closed")
        start = text.count("\n", 0, match.end()) + 1
        try:
            fields = tomllib.loads(text[match.end():end.start()])
        except tomllib.TOMLDecodeError as exc:
            raise MatterError(start, f"TOML error in frontmatter: {exc}") from None
        body_start = end.end() + 1
        return fields, text[body_start:], text.count("\n", 0, body_start) + 1
    if text.lstrip().startswith("{"):
        try:
            fields, end_index = json.JSONDecoder().raw_decode(text.lstrip())
        except json.JSONDecodeError:
            return {}, text, 1
        consumed = len(text) - len(text.lstrip()) + end_index
        return _mapping(fields, 1), text[consumed:].lstrip("\n"), text.count("\n", 0, consumed) + 2
    return {}, text, 1


def _mapping(fields: Any, line: int) -> dict[str, Any]:
    if not isinstance(fields, dict):
        raise MatterError(line, "frontmatter is not a table of fields")
    return {str(key): value for key, value in fields.items()}


def lower_keys(fields: dict[str, Any]) -> dict[str, Any]:
    """Hugo and Pelican read keys case-insensitively: ``Description:`` is ``description``."""
    return {key.lower(): value for key, value in fields.items()}


def strip_controls(text: str) -> tuple[str, int]:
    """``text`` without control characters (a form feed on its own line in real posts) and how many went."""
    removed = 0
    while (found := bad_character(text)) is not None:
        text = text[:found[0]] + text[found[0] + 1:]
        removed += 1
    return text, removed


_COMMENT = re.compile(r"\s*\([^)]*\)\s*$")
_REPEATED_YEAR = re.compile(r"^(\d{4})(-\d{1,2}-\d{1,2} [\d:]+) \1 ")
_SHORT_OFFSET = re.compile(r"([+-])(\d)(\d\d)$")


def date_text(value: Any, zone: str) -> str | None:
    """An ISO 8601 date for ``value`` as Dateline reads it, or ``None`` when it is no date.

    Repairs shapes real sites have: ``2016-07-19 (optional)`` (Ruby ignores
    the comment), ``2016-06-17 12:00-400``, ``2023-01-29 18:30:22 2023 -0800``.
    """
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=ZoneInfo(zone))
        return moment.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    text = _COMMENT.sub("", value.strip())
    text = _REPEATED_YEAR.sub(r"\1\2 ", text)
    text = _SHORT_OFFSET.sub(r"\g<1>0\2:\3", text)
    try:
        return parse_date(text, ZoneInfo(zone)).isoformat()
    except DateError:
        return None


_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def author_names(value: Any) -> list[str]:
    """Names from a string (``A, B and C``; ``Last, First; Other``), a list, or tables with ``name``."""
    items: list[Any] = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("name", "")
        if not isinstance(item, str):
            continue
        text = _LINK.sub(r"\1", item)
        parts = text.split(";") if ";" in text else re.split(r",|\s+and\s+|\s+&\s+", text)
        for part in parts:
            name = " ".join(_COMMENT.sub("", part).split())
            if name and name not in names:
                names.append(name)
    return names


def plain(value: Any) -> Any:
    """``value`` as YAML can write and Dateline read back: dates as ISO text, the rest as it is."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def embed(provider: str, ident: str, title: str = "") -> str:
    """Raw HTML for an embedded video or post, the markup the old generator's shortcode produced."""
    name = escape(title or f"{provider} video")
    if provider == "youtube":
        return (f'<iframe src="https://www.youtube-nocookie.com/embed/{escape(ident)}" title="{name}" '
                'width="560" height="315" allowfullscreen loading="lazy"></iframe>')
    if provider == "vimeo":
        return (f'<iframe src="https://player.vimeo.com/video/{escape(ident)}" title="{name}" '
                'width="560" height="315" allowfullscreen loading="lazy"></iframe>')
    if provider == "gist":
        return f'<p><a href="https://gist.github.com/{escape(ident)}">Gist {escape(ident)}</a></p>'
    if provider in ("tweet", "x"):
        return f'<blockquote class="twitter-tweet"><p><a href="{escape(ident)}">{escape(ident)}</a></p></blockquote>'
    return f'<p><a href="{escape(ident)}">{name}</a></p>'


def expand_pattern(pattern: str, *, year: str, month: str, day: str, slug: str, filename: str,
                   section: str = "news") -> str:
    """A Dateline URL pattern filled in, as Dateline will (the importer chooses and writes the pattern)."""
    return pattern.format(year=year, month=month, day=day, slug=slug, filename=filename, section=section)


_CODE_OPTION = re.compile(r"""([\w-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s,"']*))?""")


def code_fence(language: str, code: str, options: str = "") -> str:
    """A fenced code block, for a Jekyll ``{% highlight %}`` or a Hugo ``highlight`` shortcode.

    ``options`` is the rest of the tag (``linenos``, ``mark_lines="1 2"``,
    ``"linenos=table,hl_lines=8 15-17,linenostart=199"``); the line options
    Dateline highlights are kept in its fence syntax (see the README, Code).
    The fence is longer than any run of backticks in the code, so code that
    shows a fence cannot close the block early.
    """
    kept: dict[str, str] = {}
    options = options.strip()
    if re.fullmatch(r'"[^"]*"|\'[^\']*\'', options):  # Hugo's one quoted string, its options split by commas
        pairs = [part.partition("=")[::2] for part in options[1:-1].split(",")]
    else:
        pairs = _CODE_OPTION.findall(options)
    for name, value in pairs:
        name, value = name.strip(), value.strip().strip("\"'")
        if name in ("hl_lines", "mark_lines") and re.fullmatch(r"[\d\s,-]+", value):
            kept["hl_lines"] = f'"{" ".join(value.replace(",", " ").split())}"'
        elif name == "linenos" and value.lower() not in ("false", "no", "0"):
            kept["linenos"] = "true"
        elif name == "linenostart" and value.isdigit():
            kept["linenostart"] = value
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    info = language + (" {" + " ".join(f"{name}={value}" for name, value in kept.items()) + "}" if kept else "")
    return f"{fence}{info}\n{code}\n{fence}"
