"""The site configuration: ``config.toml`` read into a frozen, typed ``Config``.

Every key is declared once in ``_SCHEMA`` with its type and default, so the
validator, the defaults and the README's table cannot drift apart. Unknown
keys are warnings that suggest the nearest valid key; wrong types and bad
values are errors that name the key's line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from generator.frozen import FrozenDict
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator.errors import BuildError, BuildFailed, bad_character
from generator.slugs import slugify
from generator.tomlspan import key_lines, line_of, read_toml

CONFIG_NAME = "config.toml"

DEFAULT_MARKDOWN_EXTENSIONS = (
    "tables",
    "footnotes",
    "fenced_code",
    "toc",
    "smarty",
    "attr_list",
    "abbr",
    "def_list",
    "sane_lists",
)

ENGINES = ("python-markdown", "pulldown-cmark")

DEFAULT_URLS = FrozenDict(
    {
        "article": "/{year}/{month}/{slug}/",
        "page": "/{slug}/",
        "tags": "/tags/",
        "tag": "/tags/{slug}/",
        "section": "/{slug}/",
        "authors": "/authors/",
        "author": "/authors/{slug}/",
        "archive": "/archive/",
        "archive_year": "/archive/{year}/",
        "archive_month": "/archive/{year}/{month}/",
        "pagination": "page/{number}/",
    }
)

# Placeholders each URL pattern may use.
_URL_FIELDS = {
    "article": {"year", "month", "day", "slug", "section"},
    "page": {"slug"},
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


@dataclass(frozen=True)
class AuthorProfile:
    """What ``[authors.<slug>]`` says about a person beyond their name."""

    name: str
    bio: str = ""
    url: str = ""
    twitter: str = ""


@dataclass(frozen=True)
class MarkdownSettings:
    """Which Python-Markdown extensions run, and their options."""

    engine: str = "python-markdown"  # or "pulldown-cmark"
    raw_html: bool = True  # False: authors' raw HTML is removed (untrusted contributors)
    extensions: tuple[str, ...] = DEFAULT_MARKDOWN_EXTENSIONS
    extension_configs: Mapping[str, Mapping[str, Any]] = field(
        default_factory=lambda: FrozenDict({})
    )


@dataclass(frozen=True)
class Config:
    """Everything ``config.toml`` says, with defaults filled in."""

    site_dir: Path
    title: str
    base_url: str
    description: str = ""
    language: str = "en"
    timezone: str = "UTC"
    theme: str = "newsroom"
    paginate: int = 10
    feed_limit: int = 20
    words_per_minute: int = 230
    related_count: int = 3
    date_format: str = "%-d %B %Y"
    time_format: str = "%H:%M"
    copyright: str = ""
    sections: tuple[str, ...] = ()
    publisher_name: str = ""
    publisher_logo: str = ""
    twitter_site: str = ""
    urls: Mapping[str, str] = field(default_factory=lambda: DEFAULT_URLS)
    markdown: MarkdownSettings = field(default_factory=MarkdownSettings)
    authors: Mapping[str, AuthorProfile] = field(default_factory=lambda: FrozenDict({}))
    extra: Mapping[str, Any] = field(default_factory=lambda: FrozenDict({}))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``, always ending in ``/`` (``/news/``)."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def origin(self) -> str:
        """``scheme://host[:port]`` of ``base_url``, for absolute links."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def content_dir(self) -> Path:
        return self.site_dir / "content"


# --- schema -----------------------------------------------------------------

Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class _Key:
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


def _language(value: Any) -> str | None:
    if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", value):
        return None
    return f"'{value}' is not a language tag such as 'en' or 'en-GB'"


def _find_theme(site_dir: Path, name: str) -> Path | None:
    from generator.themes import find_theme

    return find_theme(site_dir, name)


def _theme_name(value: Any) -> str | None:
    from generator.themes import is_theme_name

    return None if is_theme_name(value) else f"'{value}' is not a theme folder name"


# strftime directives, with glibc's and BSD's padding flags (``%-d``). Any
# other letter is printed as it stands by glibc and refused elsewhere.
_STRFTIME_DIRECTIVE = re.compile(r"%([-_0^#]?[EO]?)(.?)", re.DOTALL)
_STRFTIME_CODES = frozenset("aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%")


def _date_format(value: Any) -> str | None:
    from datetime import datetime

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
    if "://" in value or value.startswith("//") or not value.strip():
        return f"'{value}' must be a path on this site, such as '/media/logo.png'"
    return None


def _link(value: Any) -> str | None:
    if value.startswith("/") and not value.startswith("//"):
        return None
    return f"'{value}' is not an http(s) URL or a path on this site" if _http_url(value) else None


def _handle(value: Any) -> str | None:
    if re.fullmatch(r"@?[A-Za-z0-9_]{1,15}", value):
        return None
    return f"'{value}' is not a Twitter handle such as '@dateline'"


def _string_list(value: Any) -> str | None:
    if all(isinstance(item, str) and item.strip() for item in value):
        return None
    return "must be a list of non-empty strings"


_SCHEMA: dict[str, _Key] = {
    "title": _Key((str,), _not_empty, required=True),
    "base_url": _Key((str,), _http_url, required=True),
    "description": _Key((str,)),
    "language": _Key((str,), _language),
    "timezone": _Key((str,), _time_zone),
    "theme": _Key((str,), _theme_name),
    "paginate": _Key((int,), _positive),
    "feed_limit": _Key((int,), _not_negative),
    "words_per_minute": _Key((int,), _positive),
    "related_count": _Key((int,), _not_negative),
    "date_format": _Key((str,), _date_format),
    "time_format": _Key((str,), _date_format),
    "copyright": _Key((str,)),
    "sections": _Key((list,), _string_list),
    "publisher": _Key((dict,)),
    "social": _Key((dict,)),
    "urls": _Key((dict,)),
    "markdown": _Key((dict,)),
    "authors": _Key((dict,)),
    "extra": _Key((dict,)),
}

_TABLES: dict[str, dict[str, _Key]] = {
    "publisher": {"name": _Key((str,), _not_empty), "logo": _Key((str,), _site_path)},
    "social": {"twitter": _Key((str,), _handle)},
    "urls": {name: _Key((str,)) for name in DEFAULT_URLS},
    "markdown": {
        "engine": _Key((str,), lambda v: None if v in ENGINES else f"must be one of {', '.join(ENGINES)}"),
        "extensions": _Key((list,), _string_list),
        "extension_configs": _Key((dict,)),
        "raw_html": _Key((bool,)),
    },
}

_AUTHOR_KEYS: dict[str, _Key] = {
    "name": _Key((str,), _not_empty, required=True),
    "bio": _Key((str,)),
    "url": _Key((str,), _link),
    "twitter": _Key((str,), _handle),
}

_TYPE_NAMES = {bool: "true or false", str: "a string", int: "a whole number", float: "a decimal number",
               list: "a list", dict: "a table"}


class _Validator:
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
        self, data: Mapping[str, Any], schema: Mapping[str, _Key], prefix: tuple[str, ...]
    ) -> dict[str, Any]:
        """Validated values of one table; bad keys are reported and dropped."""
        valid: dict[str, Any] = {}
        for key, value in data.items():
            key_path = prefix + (key,)
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
                name = ".".join(prefix + (key,))
                self.errors.append(
                    BuildError(self.path, self.line(where) if where else None, f"missing required key '{name}'")
                )
        return valid


def _describe(value: Any) -> str:
    from datetime import date, time

    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    for kind, name in _TYPE_NAMES.items():
        if isinstance(value, kind):
            return name
    if isinstance(value, (date, time)):
        return f"the date or time {value.isoformat()}"
    return type(value).__name__


def _check_url_pattern(name: str, pattern: str) -> str | None:
    if name == "pagination":
        if pattern.startswith("/") or not pattern.endswith("/"):
            return "must be a relative path ending in '/', such as 'page/{number}/'"
    elif not (pattern.startswith("/") and pattern.endswith("/")):
        return "must start and end with '/', such as '/tags/{slug}/'"
    if ".." in pattern or "\\" in pattern or "//" in pattern:
        return "must not contain '..', '//' or backslashes"
    used = set(re.findall(r"{([^{}]*)}", pattern))
    unknown = used - _URL_FIELDS[name]
    if unknown:
        allowed = ", ".join("{" + f + "}" for f in sorted(_URL_FIELDS[name])) or "none"
        return f"uses unknown placeholder {{{sorted(unknown)[0]}}} (allowed: {allowed})"
    needed = {"slug"} & _URL_FIELDS[name] or {"number"} & _URL_FIELDS[name]
    if needed and not needed <= used:
        return f"must contain {{{sorted(needed)[0]}}} so that every page gets its own URL"
    if name == "archive_year" and "year" not in used:
        return "must contain {year}"
    if name == "archive_month" and not {"year", "month"} <= used:
        return "must contain {year} and {month}"
    try:  # a stray brace passes the checks above but would fail every expansion
        pattern.format_map({field: "x" for field in _URL_FIELDS[name]})
    except (ValueError, KeyError, IndexError) as exc:
        return f"is not a valid pattern: {exc}"
    return None


def load_config(site_dir: Path) -> tuple[Config, list[BuildError]]:
    """Read and validate ``config.toml``; return it with any warnings.

    Raises ``BuildFailed`` with every error found, each naming its line.
    """
    try:
        text, data = read_toml(site_dir / CONFIG_NAME, CONFIG_NAME)
    except FileNotFoundError:
        raise BuildFailed(
            [BuildError(CONFIG_NAME, None, f"no {CONFIG_NAME} in {site_dir}; is this a Dateline site?")]
        ) from None
    return parse_config(site_dir, text, data)


def parse_config(site_dir: Path, text: str, data: Mapping[str, Any]) -> tuple[Config, list[BuildError]]:
    """Validate already-parsed TOML ``data`` (``text`` supplies line numbers)."""
    v = _Validator(CONFIG_NAME, text)
    top = v.table(data, _SCHEMA, ())
    tables = {name: v.table(top.get(name, {}), keys, (name,)) for name, keys in _TABLES.items()}

    urls = dict(DEFAULT_URLS)
    for name, pattern in tables["urls"].items():
        problem = _check_url_pattern(name, pattern)
        if problem:
            v.error(("urls", name), f"'urls.{name}' {problem}")
        else:
            urls[name] = pattern

    authors: dict[str, AuthorProfile] = {}
    for slug, profile in top.get("authors", {}).items():
        if not isinstance(profile, dict):
            v.error(("authors", slug), f"'authors.{slug}' must be a table with at least 'name'")
            continue
        if slugify(slug) != slug:
            v.error(("authors", slug), f"'authors.{slug}' must be named by the author's slug, "
                                       f"as in their URL: [authors.{slugify(slug) or 'name'}]")
            continue
        values = v.table(profile, _AUTHOR_KEYS, ("authors", slug))
        if "name" in values:
            authors[slug] = AuthorProfile(**values)

    markdown = MarkdownSettings(
        engine=tables["markdown"].get("engine", "python-markdown"),
        raw_html=tables["markdown"].get("raw_html", True),
        extensions=tuple(tables["markdown"].get("extensions", DEFAULT_MARKDOWN_EXTENSIONS)),
        extension_configs=FrozenDict(dict(tables["markdown"].get("extension_configs", {}))),
    )
    _check_markdown(v, markdown)
    if "theme" in top and _find_theme(site_dir, top["theme"]) is None:
        v.error(("theme",), f"theme '{top['theme']}' not found in themes/ or the built-in themes")

    if v.errors:
        raise BuildFailed(v.errors)

    simple = {
        key: value
        for key, value in top.items()
        if key not in {"publisher", "social", "urls", "markdown", "authors", "extra", "sections"}
    }
    publisher_name = tables["publisher"].get("name", top["title"])
    if "copyright" in simple:  # the README's "© {publisher}"
        simple["copyright"] = simple["copyright"].replace("{publisher}", publisher_name)
    config = Config(
        site_dir=site_dir,
        **simple,
        sections=tuple(top.get("sections", ())),
        publisher_name=publisher_name,
        publisher_logo=tables["publisher"].get("logo", ""),
        twitter_site=tables["social"].get("twitter", ""),
        urls=FrozenDict(urls),
        markdown=markdown,
        authors=FrozenDict(authors),
        extra=FrozenDict(dict(top.get("extra", {}))),
    )
    return config, v.warnings


def _check_markdown(v: _Validator, settings: MarkdownSettings) -> None:
    """Fail early, with the line, on extensions Python-Markdown cannot load."""
    import markdown

    for name in settings.extensions:
        try:
            markdown.Markdown(extensions=[name])
        except Exception as exc:  # noqa: BLE001 - any import or config failure
            v.error(("markdown", "extensions"), f"Markdown extension '{name}' cannot be loaded: {exc}")
    for name, options in settings.extension_configs.items():
        if not isinstance(options, dict):
            v.error(("markdown", "extension_configs", name), f"options for '{name}' must be a table")
            continue
        try:
            markdown.Markdown(extensions=[name], extension_configs={name: dict(options)})
        except KeyError as exc:  # Python-Markdown's word for an option it does not have
            v.error(("markdown", "extension_configs", name),
                    f"options for Markdown extension '{name}' are invalid: there is no option {exc}")
        except Exception as exc:  # noqa: BLE001
            v.error(
                ("markdown", "extension_configs", name),
                f"options for Markdown extension '{name}' are invalid: {exc}",
            )
