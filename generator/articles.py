"""``parse_article(source) -> Article``: frontmatter and Markdown to plain data.

Every field accepted here is documented in the README. Aliases real sites use
(``category``, ``author``, ``published: false``, ``status: draft``) map onto
the canonical fields, and each problem is reported against the line of the
key that caused it, all problems of a file at once.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from generator.frozen import FrozenDict
from typing import Any

from markupsafe import Markup, escape

from generator import urls
from generator.config import Config
from generator.dates import DateError, date_from_filename, parse_date
from generator.errors import BuildError, bad_character
from generator.frontmatter_parse import FrontmatterError, normalise_text, split_frontmatter
from generator.markup import Renderer, plain_text, reading_minutes, shorten, smarten
from generator.slugs import slugify
from generator.sources import Source

KNOWN_FIELDS = (
    "title", "date", "updated", "slug", "tags", "section", "category", "authors", "author",
    "summary", "description", "image", "image_alt", "image_caption", "draft", "published",
    "status", "extra", "modified", "lastmod",
)
# Fields read as text: a YAML number there keeps the digits written (the tag 3.10).
_TEXT_FIELDS = frozenset(KNOWN_FIELDS) - {"extra", "draft", "published", "date", "updated", "modified", "lastmod"}
_ALIASES = {"category": "section", "author": "authors", "modified": "updated", "lastmod": "updated"}


@dataclass(frozen=True, order=True)
class Term:
    """A tag, section or author: the name shown and the slug that identifies it."""

    slug: str
    name: str = field(compare=False)


@dataclass(frozen=True)
class Article:
    """One parsed article or standalone page, ready to be placed on pages."""

    source: str
    digest: str
    kind: str  # "article" or "page"
    title: str
    slug: str
    date: datetime | None
    updated: datetime | None
    draft: bool
    tags: tuple[Term, ...]
    section: Term | None
    authors: tuple[Term, ...]
    summary: Markup
    description: str
    image: str
    image_alt: str
    image_caption: str
    extra: Mapping[str, Any]
    # The body's HTML as UTF-8 (see ``body``): a str holding one curly quote
    # takes two bytes per character, and the bodies are most of what a large
    # site holds in memory, in the build cache and in every forked worker.
    body_html: bytes
    toc: Markup
    headings: int
    word_count: int
    reading_time: int
    url: str
    lines: Mapping[str, int] = field(default_factory=lambda: FrozenDict({}), compare=False)

    def line_of(self, *keys: str) -> int:
        """The line of the first of ``keys`` set in the frontmatter, else line 1."""
        return next((self.lines[key] for key in keys if key in self.lines), 1)

    @property
    def body(self) -> Markup:
        """The body's HTML, as templates and feeds show it."""
        return Markup(self.body_html.decode("utf-8", "surrogatepass"))

    @property
    def modified(self) -> datetime | None:
        """When the article last changed: ``updated``, else ``date``."""
        return self.updated or self.date

    @property
    def meta_description(self) -> str:
        """Plain text for ``<meta name=description>`` and feeds."""
        return self.description or shorten(plain_text(self.summary))


class _FieldReader:
    """Reads one file's frontmatter fields, collecting errors with their lines."""

    def __init__(self, source: Source, fields: dict[str, Any], lines: dict[str, int], start: int) -> None:
        self.source = source
        self.fields = fields
        self.lines = lines
        self.start = start
        self.errors: list[BuildError] = []
        self.warnings: list[BuildError] = []

    def line(self, key: str) -> int:
        return self.lines.get(key, self.start - 1)

    def error(self, key: str, message: str) -> None:
        self.errors.append(BuildError(self.source.path, self.line(key), message))

    def get(self, name: str) -> tuple[str, Any]:
        """The key used (canonical or alias) and its value; both set is an error."""
        present = [key for key in _keys_for(name) if key in self.fields]
        if not present:
            return name, None
        return present[0], self.fields[present[0]]

    def check_aliases(self) -> None:
        """An alias and its canonical field both set is ambiguous: say so once,
        on the line of the one set second in the file."""
        for name in set(_ALIASES.values()):
            present = sorted((key for key in _keys_for(name) if key in self.fields), key=self.line)
            if len(present) > 1:
                self.error(present[1], f"both '{present[0]}' and '{present[1]}' are set; keep one")

    def text(self, name: str, *, required: bool = False) -> str:
        key, value = self.get(name)
        if value is None:
            if required:
                self.error(key, f"missing required field '{name}'")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(key, f"'{key}' must be text, not {_kind(value)}")
            return ""
        if bad_character(str(value)):
            self.error(key, f"'{key}' contains control characters")
            return ""
        text = " ".join(str(value).split())
        if required and not text:
            self.error(key, f"'{key}' is empty")
        return text

    def when(self, name: str, fallback: str | None = None, zone: Any = None) -> datetime | None:
        key, value = self.get(name)
        if value is None:
            value = fallback
            if value is None:
                return None
        try:
            return parse_date(value, zone)
        except DateError as exc:
            self.error(key, str(exc))
            return None

    def names(self, name: str, *, split_commas: bool) -> list[str]:
        """A list of names given as a list, a single name or a comma-separated string."""
        key, value = self.get(name)
        if value is None:
            return []
        if isinstance(value, str):
            items: list[Any] = value.split(",") if (split_commas or key == "tags") else [value]
        elif isinstance(value, (list, tuple)):
            items = list(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            items = [value]
        else:
            self.error(key, f"'{key}' must be a list or a comma-separated string, not {_kind(value)}")
            return []
        names: list[str] = []
        for item in items:
            if item is None:
                continue
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                self.error(key, f"each entry of '{key}' must be a name, not {_kind(item)}")
                continue
            text = " ".join(str(item).split())
            if bad_character(str(item)):
                self.error(key, f"'{key}' entry {str(item)!r} contains control characters")
            elif text:
                names.append(text)
        return names

    def flag(self, name: str) -> bool | None:
        if name not in self.fields:
            return None
        value = self.fields[name]
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "yes", "false", "no"):
            return value.strip().lower() in ("true", "yes")
        self.error(name, f"'{name}' must be true or false, not {_kind(value)}")
        return None


def _keys_for(name: str) -> list[str]:
    return [name] + [alias for alias, target in _ALIASES.items() if target == name]


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (set, frozenset)):
        return "a set"
    if isinstance(value, (bytes, bytearray)):
        return "binary data"
    return f"'{value}'"


@functools.lru_cache(maxsize=4096)
def _term(name: str) -> Term:
    """The term spelled ``name``: one object per spelling, its slug worked out once.

    A site has a few hundred terms and every article names several, so
    sharing them makes parse results, the build cache and its loading
    (a third faster at 10,000 articles) smaller, and spares a slugify per
    mention. Terms are immutable.
    """
    return Term(slugify(name), name)


def _terms(reader: _FieldReader, key: str, names: list[str]) -> tuple[Term, ...]:
    terms: dict[str, Term] = {}
    for name in names:
        term = _term(name)
        if not term.slug:
            reader.error(key, f"'{name}' in '{key}' has no letters or digits to make a URL from")
        elif term.slug not in terms:
            terms[term.slug] = term
    return tuple(terms.values())


def _draft(reader: _FieldReader) -> bool:
    draft = reader.flag("draft")
    published = reader.flag("published")
    status = reader.fields.get("status")
    if status is not None and (not isinstance(status, str) or status.lower() not in ("draft", "published")):
        reader.error("status", f"'status' must be 'draft' or 'published', not {_kind(status)}")
        status = None
    return bool(draft) or published is False or (isinstance(status, str) and status.lower() == "draft")


MAX_EXTRA_DEPTH = 20


class _Cycle(Exception):
    pass


def _nesting_problem(value: Any) -> str | None:
    """Why ``value`` (the ``extra`` table) is unfit for templates, the cache and worker processes.

    YAML aliases can make a table contain itself, and both YAML and TOML can
    nest deeper than pickling (or any recursive template) can follow.
    """
    try:
        depth = _depth(value, set(), {})
    except _Cycle:
        return "contains itself (a YAML alias inside its own anchor)"
    return f"is nested more than {MAX_EXTRA_DEPTH} levels deep" if depth > MAX_EXTRA_DEPTH else None


def _depth(value: Any, path: set[int], known: dict[int, int]) -> int:
    """Nesting depth of lists and tables, stopping past the limit; shared parts are counted once."""
    if not isinstance(value, (dict, list)):
        return 0
    key = id(value)
    if key in known:
        return known[key]
    if key in path:
        raise _Cycle
    if len(path) > MAX_EXTRA_DEPTH:
        return 1
    path.add(key)
    children = value.values() if isinstance(value, dict) else value
    depth = 1 + max((_depth(child, path, known) for child in children), default=0)
    path.discard(key)
    known[key] = depth
    return depth


def _body_control_character(path: str, body: str, first_line: int) -> BuildError | None:
    """An error on the line of the first control character in the body, if any.

    Browsers show them as boxes or not at all, and XML feeds cannot carry
    them; a terminal colour code pasted into a code block is the usual one.
    """
    found = bad_character(body)
    if found is None:
        return None
    index, name = found
    return BuildError(path, first_line + body.count("\n", 0, index), f"control character {name} in the text; remove it")


def _image_url(config: Config, value: str) -> str:
    if not value or value.startswith(("http://", "https://", "//")):
        return value
    prefix = config.base_path.rstrip("/")
    if prefix and (value == prefix or value.startswith(prefix + "/")):
        return value  # already under the base path, as links in the body may be
    return urls.site_path(config, value)


def parse_article(
    source: Source, config: Config, renderer: Renderer
) -> tuple[Article | None, list[BuildError], list[BuildError]]:
    """Parse one Markdown file: ``(article or None, errors, warnings)``."""
    try:
        matter = split_frontmatter(normalise_text(source.text), _TEXT_FIELDS)
    except FrontmatterError as exc:
        return None, [BuildError(source.path, exc.line, exc.message)], []
    fields = matter.fields
    reader = _FieldReader(source, fields, matter.lines, matter.start_line)
    is_page = source.is_page

    for key in fields:
        if key not in KNOWN_FIELDS:
            close = difflib.get_close_matches(key, KNOWN_FIELDS, n=1, cutoff=0.75)
            if close:
                reader.warnings.append(
                    BuildError(source.path, reader.line(key), f"unknown field '{key}'; did you mean '{close[0]}'?")
                )

    reader.check_aliases()
    title = reader.text("title", required=True)
    zone = config.tz
    errors_before = len(reader.errors)
    date = reader.when("date", date_from_filename(source.stem), zone)
    if date is None and not is_page and len(reader.errors) == errors_before:  # absent or empty
        reader.error("date", "missing required field 'date' (or start the file name with YYYY-MM-DD-)")
    updated = reader.when("updated", None, zone)
    if date and updated and updated < date:
        updated_key = reader.get("updated")[0]
        reader.error(updated_key, f"'{updated_key}' is earlier than 'date'")

    explicit_slug = reader.text("slug")
    slug = slugify(explicit_slug or title) or slugify(source.stem)
    if explicit_slug and not slugify(explicit_slug):
        reader.error("slug", f"slug '{explicit_slug}' has no letters or digits")
    if not slug:
        slug = "article-" + source.digest[:8]

    tags = _terms(reader, "tags", reader.names("tags", split_commas=True))
    section_key = reader.get("section")[0]
    section_name = reader.text("section")
    section = _terms(reader, section_key, [section_name]) if section_name else ()
    authors_key = reader.get("authors")[0]
    # 'authors: A, B' is a list; 'author: Smith, John' is one name.
    authors = _terms(reader, authors_key, reader.names("authors", split_commas=authors_key == "authors"))
    summary_text = reader.text("summary")
    description = reader.text("description")
    image = reader.text("image")
    image_alt = reader.text("image_alt")
    image_caption = reader.text("image_caption")
    draft = _draft(reader)

    extra = fields.get("extra", {})
    if not isinstance(extra, dict):
        reader.error("extra", f"'extra' must be a table of your own fields, not {_kind(extra)}")
        extra = {}
    elif (problem := _nesting_problem(extra)) is not None:
        reader.error("extra", f"'extra' {problem}")
        extra = {}

    if is_page and (tags or section):
        reader.warnings.append(
            BuildError(source.path, reader.line("tags" if tags else "section"), "pages have no tags or section; ignored")
        )

    body_error = _body_control_character(source.path, matter.body, matter.body_line)
    if body_error is not None:
        reader.errors.append(body_error)

    if reader.errors:
        return None, reader.errors, reader.warnings

    if "smarty" in config.markdown.extensions:  # headlines match the body's typography
        title, summary_text, description = smarten(title), smarten(summary_text), smarten(description)
        image_alt, image_caption = smarten(image_alt), smarten(image_caption)

    try:
        rendered = renderer.render(matter.body)
    except RecursionError:  # the Markdown library's limit, reached by hundreds of nested lists or quotes
        return None, [BuildError(source.path, matter.body_line, "the text is nested too deeply to render "
                                 "(hundreds of levels of lists or quotes)")], reader.warnings
    summary = Markup(f"<p>{escape(summary_text)}</p>") if summary_text else rendered.summary
    if is_page:
        url = urls.expand(config, "page", slug=slug)
    else:
        assert date is not None
        local = date.astimezone(zone)
        url = urls.expand(
            config, "article", year=f"{local.year:04d}", month=f"{local.month:02d}",
            day=f"{local.day:02d}", slug=slug, section=section[0].slug if section else "news",
        )
    article = Article(
        source=source.path,
        digest=source.digest,
        kind="page" if is_page else "article",
        title=title,
        slug=slug,
        date=date,
        updated=updated,
        draft=draft,
        tags=() if is_page else tags,
        section=None if is_page or not section else section[0],
        authors=authors,
        summary=summary,
        description=description,
        image=_image_url(config, image),
        image_alt=image_alt,
        image_caption=image_caption,
        extra=FrozenDict(extra),
        body_html=rendered.body.encode("utf-8", "surrogatepass"),
        toc=rendered.toc,
        headings=rendered.headings,
        word_count=rendered.word_count,
        reading_time=reading_minutes(rendered.word_count, config.words_per_minute),
        url=url,
        lines=FrozenDict(matter.lines),
    )
    return article, [], reader.warnings
