"""The schema of ``config.toml``: every key once, with its type and the check of its value.

Unknown keys are warnings that suggest the nearest valid key; wrong types
and bad values are errors that name the key's line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator.config.model import DEFAULT_URLS, ENGINES, IMAGE_FORMATS
from generator.config.themes import is_theme_name
from generator.config.toml_lines import key_lines, line_of
from generator.errors import BuildError, bad_character
from generator.i18n.formats import format_problem
from generator.i18n.locales import parse_language
from generator.text.links import WEB_SCHEMES, url_problem

# Placeholders each URL pattern may use.
URL_FIELDS = {
    "article": {"year", "month", "day", "slug", "section", "filename"},
    "page": {"slug", "filename"},
    "tags": set(),
    "tag": {"slug"},
    "section": {"slug"},
    "authors": set(),
    "author": {"slug"},
    "archive": set(),
    "archive_year": {"year"},
    "archive_month": {"year", "month"},
    "pagination": {"number"},
}


Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class Key:
    """The types a key may have, a check of its value, and whether it must be there."""

    types: tuple[type, ...]
    check: Check | None = None
    required: bool = False


def _positive(value: Any) -> str | None:
    return None if value >= 1 else "must be 1 or more"


def _not_negative(value: Any) -> str | None:
    return None if value >= 0 else "must be 0 or more"


def _http_url(value: Any) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"'{value}' is not an absolute http(s) URL such as 'https://example.org/'"
    if parts.query or parts.fragment:
        return f"'{value}' must not have a query or fragment"
    return None


def _time_zone(value: Any) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"'{value}' is not a time zone name such as 'Europe/London' or 'UTC'"
    return None


def language_problem(value: Any) -> str | None:
    """Why ``value`` is not a language a site can be written in, if it is not."""
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", value):
        return f"'{value}' is not a language tag such as 'en' or 'en-GB'"
    if parse_language(value) is None:  # dates and plurals need CLDR's data for it
        return f"'{value}' is not a language CLDR knows; use a code such as 'en', 'de', 'pt-BR' or 'ar'"
    return None


def _theme_name(value: Any) -> str | None:
    return None if is_theme_name(value) else f"'{value}' is not a theme folder name"


# strftime directives, with glibc's and BSD's padding flags (``%-d``). Any
# other letter is printed as it stands by glibc and refused elsewhere.
_STRFTIME_DIRECTIVE = re.compile(r"%([-_0^#]?[EO]?)(.?)", re.DOTALL)
_STRFTIME_CODES = frozenset("aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%")


def _date_format(value: Any) -> str | None:
    if "%" not in value:  # a CLDR style name or pattern (see generator.i18n.formats)
        return format_problem(value)
    for directive in _STRFTIME_DIRECTIVE.finditer(value):
        if not directive.group(2):
            return f"'{value}' ends with a lone '%'; write '%%' for a percent sign"
        if directive.group(2) not in _STRFTIME_CODES:
            return f"'{value}' has an unknown strftime directive '{directive.group()}'"
    try:
        datetime(2020, 8, 15, 18, 40).strftime(value.replace("%-", "%"))
    except ValueError as exc:
        return f"'{value}' is not a strftime format ({exc})"
    return None


def _not_empty(value: Any) -> str | None:
    return None if value.strip() else "must not be empty"


def _site_path(value: Any) -> str | None:
    if url_problem(value, frozenset()) or value.strip().startswith("//") or not value.strip():
        return f"'{value}' must be a path on this site, such as '/media/logo.png'"
    return None


def _link(value: Any) -> str | None:
    if url_problem(value, WEB_SCHEMES) is None and value.startswith("/") and not value.startswith("//"):
        return None
    return f"'{value}' is not an http(s) URL or a path on this site" if _http_url(value) else None


def _web_links(value: Any) -> str | None:
    if problem := _string_list(value):
        return problem
    for link in value:
        if url_problem(link, WEB_SCHEMES) is not None or not link.startswith(("https://", "http://")):
            return f"'{link}' is not an http(s) URL"
    return None


def _handle(value: Any) -> str | None:
    if re.fullmatch(r"@?[A-Za-z0-9_]{1,15}", value):
        return None
    return f"'{value}' is not a Twitter handle such as '@dateline'"


def _string_list(value: Any) -> str | None:
    if all(isinstance(item, str) and item.strip() for item in value):
        return None
    return "must be a list of non-empty strings"


def _widths(value: Any) -> str | None:
    if not value or not all(type(item) is int and 16 <= item <= 8192 for item in value):
        return "must be a list of widths in pixels, each from 16 to 8192, like [480, 960, 1600]"
    return None


def _image_formats(value: Any) -> str | None:
    if not all(isinstance(item, str) and item in IMAGE_FORMATS for item in value) or len(set(value)) != len(value):
        return f"must be a list of formats among {', '.join(repr(f) for f in IMAGE_FORMATS)} (or [])"
    return None


def _trust_default(value: Any) -> str | None:
    return None if value in ("trusted", "untrusted") else "must be \"trusted\" or \"untrusted\""


def _folders(value: Any) -> str | None:
    problem = _string_list(value)
    if problem:
        return problem
    for folder in value:
        parts = folder.strip("/").split("/")
        if folder.startswith("/") or "\\" in folder or any(part in ("", ".", "..") for part in parts):
            return f"'{folder}' is not a folder under content/, such as 'contributors'"
    return None


def _hosts(value: Any) -> str | None:
    problem = _string_list(value)
    if problem:
        return problem
    for host in value:
        if not re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+", host):
            return f"'{host}' is not a host name such as 'www.youtube.com'"
    return None


SCHEMA: dict[str, Key] = {
    "title": Key((str,), _not_empty, required=True),
    "base_url": Key((str,), _http_url, required=True),
    "description": Key((str,)),
    "language": Key((str,), language_problem),
    "timezone": Key((str,), _time_zone),
    "theme": Key((str,), _theme_name),
    "paginate": Key((int,), _positive),
    "paginate_stable": Key((bool,)),
    "feed_limit": Key((int,), _not_negative),
    "words_per_minute": Key((int,), _positive),
    "related_count": Key((int,), _not_negative),
    "date_format": Key((str,), _date_format),
    "time_format": Key((str,), _date_format),
    "copyright": Key((str,)),
    "sections": Key((list,), _string_list),
    "exclude": Key((list,), _string_list),
    "publisher": Key((dict,)),
    "social": Key((dict,)),
    "urls": Key((dict,)),
    "markdown": Key((dict,)),
    "images": Key((dict,)),
    "content": Key((dict,)),
    "headers": Key((dict,)),
    "search": Key((dict,)),
    "authors": Key((dict,)),
    "extra": Key((dict,)),
    "languages": Key((dict,)),
}

TABLES: dict[str, dict[str, Key]] = {
    "publisher": {"name": Key((str,), _not_empty), "logo": Key((str,), _site_path)},
    "social": {"twitter": Key((str,), _handle)},
    "urls": {name: Key((str,)) for name in DEFAULT_URLS},
    "markdown": {
        "engine": Key((str,), lambda v: None if v in ENGINES else f"must be one of {', '.join(ENGINES)}"),
        "extensions": Key((list,), _string_list),
        "extension_configs": Key((dict,)),
        "raw_html": Key((bool,)),
        "highlight": Key((bool,)),
    },
    "search": {"enabled": Key((bool,))},
    "images": {
        "widths": Key((list,), _widths),
        "formats": Key((list,), _image_formats),
        "quality": Key((int,), lambda v: None if 1 <= v <= 100 else "must be between 1 and 100"),
        "sizes": Key((str,), _not_empty),
    },
}

LANGUAGE_KEYS: dict[str, Key] = {  # [languages.<code>]: see ``config.languages``
    "title": Key((str,), _not_empty, required=True),
    "description": Key((str,)),
    "path": Key((str,)),
    "date_format": Key((str,), _date_format),
    "time_format": Key((str,), _date_format),
}

CONTENT_KEYS: dict[str, Key] = {"trust": Key((dict,))}

TRUST_KEYS: dict[str, Key] = {
    "default": Key((str,), _trust_default),
    "untrusted": Key((list,), _folders),
    "trusted": Key((list,), _folders),
    "embed_hosts": Key((list,), _hosts),
}


def header_problem(name: str, value: Any) -> str | None:
    """Why ``[headers] name = value`` cannot be sent as an HTTP header, if it cannot."""
    if not re.fullmatch(r"[A-Za-z0-9-]+", name):
        return f"'headers.{name}' is not an HTTP header name"
    if not isinstance(value, str):
        return f"'headers.{name}' must be a string"
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return f"'headers.{name}' must be one line without control characters"
    return None


AUTHOR_KEYS: dict[str, Key] = {
    "name": Key((str,), _not_empty, required=True),
    "bio": Key((str,)),
    "url": Key((str,), _link),
    "twitter": Key((str,), _handle),
    "role": Key((str,), _not_empty),
    "photo": Key((str,), _link),
    "links": Key((list,), _web_links),
}

_TYPE_NAMES = {bool: "true or false", str: "a string", int: "a whole number", float: "a decimal number",
               list: "a list", dict: "a table"}


class Validator:
    """Checks one parsed TOML document against the schema, collecting errors."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = key_lines(text)
        self.errors: list[BuildError] = []
        self.warnings: list[BuildError] = []

    def line(self, key_path: tuple[str, ...]) -> int | None:
        return line_of(self.lines, key_path)

    def error(self, key_path: tuple[str, ...], message: str) -> None:
        self.errors.append(BuildError(self.path, self.line(key_path), message))

    def table(
        self, data: Mapping[str, Any], schema: Mapping[str, Key], prefix: tuple[str, ...]
    ) -> dict[str, Any]:
        """Validated values of one table; bad keys are reported and dropped."""
        valid: dict[str, Any] = {}
        for key, value in data.items():
            key_path = (*prefix, key)
            dotted = ".".join(key_path)
            spec = schema.get(key)
            if spec is None:
                suggestion = difflib.get_close_matches(key, list(schema), n=1)
                hint = f"; did you mean '{suggestion[0]}'?" if suggestion else ""
                self.warnings.append(
                    BuildError(self.path, self.line(key_path), f"unknown key '{dotted}'{hint}")
                )
                continue
            if not isinstance(value, spec.types) or (isinstance(value, bool) and bool not in spec.types):
                expected = " or ".join(_TYPE_NAMES[t] for t in spec.types)
                self.error(key_path, f"'{dotted}' must be {expected}, not {_describe(value)}")
                continue
            problem = spec.check(value) if spec.check else None
            if problem is None and isinstance(value, str) and bad_character(value):
                problem = "must not contain control characters"
            if problem:
                self.error(key_path, f"'{dotted}' {problem}" if problem.startswith("must") else f"'{dotted}': {problem}")
                continue
            valid[key] = value
        for key, spec in schema.items():
            if spec.required and key not in data:
                where = prefix if prefix else ()
                name = ".".join((*prefix, key))
                self.errors.append(
                    BuildError(self.path, self.line(where) if where else None, f"missing required key '{name}'")
                )
        return valid


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    for kind, name in _TYPE_NAMES.items():
        if isinstance(value, kind):
            return name
    if isinstance(value, (date, time)):
        return f"the date or time {value.isoformat()}"
    return type(value).__name__


