"""``parse_article(source) -> Article``: frontmatter and Markdown to plain data.

Every field accepted here is documented in the README. Aliases real sites use
(``category``, ``author``, ``published: false``, ``status: draft``) map onto
the canonical fields, and each problem is reported against the line of the
key that caused it, all problems of a file at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape

from generator import urls
from generator.config.model import Config
from generator.content.aliases import read_aliases
from generator.content.corrections import Correction, read_corrections
from generator.content.dates import date_from_filename
from generator.content.fields import FieldReader, is_draft, kind_of, make_terms, nesting_problem
from generator.content.focus import CENTRE, read_focus
from generator.content.frontmatter import FrontmatterError, normalise_text, split_frontmatter
from generator.content.language import language_of
from generator.content.live import LiveCoverage, is_live_blog, read_live, updates_html
from generator.content.segments import name_from_file, segment_problem
from generator.content.sources import Source
from generator.content.terms import Term
from generator.errors import BuildError, bad_character
from generator.frozen import FrozenDict
from generator.images.model import ImageSet
from generator.markdown.engine import Renderer
from generator.text.inline_html import plain_inline
from generator.text.links import WEB_SCHEMES, url_problem
from generator.text.plain import count_words, plain_text, reading_minutes, shorten
from generator.text.slugs import is_reserved, slugify
from generator.text.typography import smarten

KNOWN_FIELDS = (
    "title", "date", "updated", "slug", "tags", "section", "category", "authors", "author",
    "summary", "description", "image", "image_alt", "image_caption", "image_focus", "draft", "published",
    "status", "extra", "modified", "lastmod", "excerpt", "aliases", "redirect_from", "contributors",
    "live", "live_until", "updates", "corrections", "expires", "unpublished", "lang", "translation_key",
)
# Fields read as text: a YAML number there keeps the digits written (the tag 3.10).
_TEXT_FIELDS = frozenset(KNOWN_FIELDS) - {"extra", "draft", "published", "date", "updated", "modified", "lastmod",
                                          "aliases", "redirect_from", "live", "live_until", "updates",
                                          "corrections", "expires", "unpublished"}


@dataclass(frozen=True, kw_only=True)
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
    contributors: tuple[Term, ...] = ()  # "with reporting by": credited apart from the byline
    summary: Markup
    description: str
    image: str
    image_alt: str
    image_caption: str
    extra: Mapping[str, Any]
    image_focus: tuple[float, float] = CENTRE  # what crops of the lead image keep in view (``content.focus``)
    # The body's HTML as UTF-8 (see ``body``): a str holding one curly quote
    # takes two bytes per character, and the bodies are most of what a large
    # site holds in memory, in the build cache and in every forked worker.
    body_html: bytes
    toc: Markup
    headings: int
    word_count: int
    reading_time: int
    url: str
    aliases: tuple[str, ...] = ()  # old paths of this article, each answered by a redirect
    site_links: tuple[str, ...] = ()  # root-relative links put under the base path (``site.links``)
    corrections: tuple[Correction, ...] = ()  # oldest first
    expires: datetime | None = None  # when the article leaves the site
    unpublished: bool = False  # taken down: gone whatever the clock says
    lines: Mapping[str, int] = field(default_factory=lambda: FrozenDict({}), compare=False)
    live: LiveCoverage | None = None  # a live blog's updates (see ``content.live``)
    on_air: bool = False  # a live blog being covered at the build's time: set when the site is collected
    # Set once the site's images are made (``images.markup``): the lead image in every width,
    # and the content hashes of the body's images, which sign the page.
    lead_image: ImageSet | None = None
    image_keys: tuple[str, ...] = ()
    lang: str = ""  # one of the site's languages (see ``content.language``); "" only in articles made by hand
    translation_key: str = ""  # articles sharing it are one story in several languages

    def in_language(self, config: Config) -> str:
        """The article's language, the site's own for one made without it."""
        return self.in_language_code(config.home_language)

    def in_language_code(self, home_language: str) -> str:
        """``in_language`` where only the site's own language is at hand."""
        return self.lang or home_language

    def line_of(self, *keys: str) -> int:
        """The line of the first of ``keys`` set in the frontmatter, else line 1."""
        return next((self.lines[key] for key in keys if key in self.lines), 1)

    @property
    def body(self) -> Markup:
        """The body's HTML, as templates and feeds show it."""
        return Markup(self.body_html.decode("utf-8", "surrogatepass"))

    def is_gone(self, now: datetime) -> bool:
        """Whether the article has been taken down, or has expired, by ``now``."""
        return self.unpublished or (self.expires is not None and self.expires <= now)

    @property
    def corrected(self) -> datetime | None:
        """When the latest correction or update was made, if any."""
        return self.corrections[-1].date if self.corrections else None

    @property
    def modified(self) -> datetime | None:
        """When the article last changed: ``updated``, else ``date``."""
        return self.updated or self.date

    @property
    def standfirst(self) -> str:
        """The line under the headline: ``description``, else a ``summary`` written in the frontmatter.

        Never the first paragraph, which a summary otherwise defaults to:
        the reader is about to read it.
        """
        if self.description or "summary" not in self.lines:
            return self.description
        return plain_text(self.summary)

    @property
    def meta_description(self) -> str:
        """Plain text for ``<meta name=description>`` and feeds."""
        return self.description or shorten(plain_text(self.summary))


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


def parse_article(
    source: Source, config: Config, renderer: Renderer
) -> tuple[Article | None, list[BuildError], list[BuildError]]:
    """Parse one Markdown file: ``(article or None, errors, warnings)``."""
    try:
        matter = split_frontmatter(normalise_text(source.text), _TEXT_FIELDS)
    except FrontmatterError as exc:
        return None, [BuildError(source.path, exc.line, exc.message)], []
    fields = matter.fields
    reader = FieldReader(source, fields, matter.lines, matter.start_line)
    language = language_of(source.path, reader.text("lang"), reader.text("translation_key"), config)
    is_page = source.is_page or language.in_pages  # content/ru/pages/about.md is the Russian About page

    for key in fields:
        if key not in KNOWN_FIELDS:
            close = difflib.get_close_matches(key, KNOWN_FIELDS, n=1, cutoff=0.75)
            if close:
                reader.warnings.append(
                    BuildError(source.path, reader.line(key), f"unknown field '{key}'; did you mean '{close[0]}'?")
                )

    reader.check_aliases()
    title = plain_inline(reader.text("title", required=True))
    zone = config.tz
    errors_before = len(reader.errors)
    date = reader.when("date", date_from_filename(source.stem), zone)
    if date is None and not is_page and len(reader.errors) == errors_before:  # absent or empty
        reader.error("date", "missing required field 'date' (or start the file name with YYYY-MM-DD-)")
    updated = reader.when("updated", None, zone)
    if date and updated and updated < date:
        updated_key = reader.get("updated")[0]
        reader.error(updated_key, f"'{updated_key}' is earlier than 'date'")
    corrections = read_corrections(reader, zone, renderer, trusted=config.trust.trusts(source.path))
    if date and corrections and corrections[0].date < date:
        reader.error("corrections", "a correction is dated earlier than 'date'")
    if corrections and updated is None:  # the latest correction is the last change, unless told otherwise
        updated = corrections[-1].date
    expires = reader.when("expires", None, zone)
    if date and expires and expires <= date:
        reader.error("expires", "'expires' is not later than 'date'")
    unpublished = bool(reader.flag("unpublished"))

    explicit_slug = reader.text("slug")
    slug = explicit_slug or slugify(title) or slugify(source.stem)
    if explicit_slug and (problem := segment_problem(explicit_slug)):
        reader.error("slug", f"slug '{explicit_slug}' {problem}; a slug is one part of a URL")
    elif explicit_slug and is_reserved(explicit_slug):
        slug = explicit_slug + "-1"  # as slugify does: the output must copy to any file system
    if not slug:
        slug = "article-" + source.digest[:8]
    if language.unknown:
        reader.warnings.append(BuildError(source.path, reader.line("lang"), f"'lang: {language.unknown}' is not one "
                                          "of the site's languages (see [languages] in config.toml); the article "
                                          f"is published in '{language.code}'"))
    config = config.edition(language.code)  # its URL is under its language's path
    file_slug = name_from_file(source.path)
    language_suffix = source.stem[len(language.file_stem):] if source.stem.startswith(language.file_stem) else ""
    file_slug = file_slug.removesuffix(language_suffix) if language_suffix.startswith(".") else file_slug

    tags = make_terms(reader, "tags", reader.names("tags", split_commas=True))
    section_key = reader.get("section")[0]
    section_name = reader.text("section")
    section = make_terms(reader, section_key, [section_name]) if section_name else ()
    authors_key = reader.get("authors")[0]
    # 'authors: A, B' is a list; 'author: Smith, John' is one name.
    authors = make_terms(reader, authors_key, reader.names("authors", split_commas=authors_key == "authors"))
    bylined = {author.slug for author in authors}
    contributors = tuple(term for term in make_terms(reader, "contributors",
                                                     reader.names("contributors", split_commas=True))
                         if term.slug not in bylined)  # a name in both is credited once, in the byline
    summary_text = plain_inline(reader.text("summary"))
    description = plain_inline(reader.text("description"))
    image = reader.text("image")
    if image and (problem := url_problem(image, WEB_SCHEMES)):  # in every trust mode: a lead image is never code
        reader.error("image", f"'image' {problem}")
    image_alt = plain_inline(reader.text("image_alt"))
    image_caption = plain_inline(reader.text("image_caption"))
    focus_text = reader.text("image_focus")
    focus = read_focus(focus_text) if focus_text else CENTRE
    if isinstance(focus, str):
        reader.error("image_focus", focus)
        focus = CENTRE
    draft = is_draft(reader)
    aliases = read_aliases(reader)

    extra = fields.get("extra", {})
    if not isinstance(extra, dict):
        reader.error("extra", f"'extra' must be a table of your own fields, not {kind_of(extra)}")
        extra = {}
    elif (problem := nesting_problem(extra)) is not None:
        reader.error("extra", f"'extra' {problem}")
        extra = {}

    if is_page and (tags or section):
        reader.warnings.append(
            BuildError(source.path, reader.line("tags" if tags else "section"), "pages have no tags or section; ignored")
        )

    if "{filename}" in config.urls["page" if is_page else "article"] and (problem := segment_problem(file_slug)):
        reader.errors.append(BuildError(source.path, None, f"the file name '{file_slug}' {problem}, and the "
                                        "URL pattern uses {filename}; rename the file"))

    body_error = _body_control_character(source.path, matter.body, matter.body_line)
    if body_error is not None:
        reader.errors.append(body_error)
    trusted = config.trust.trusts(source.path)
    live, body_text = None, matter.body
    if not is_page and date is not None and is_live_blog(reader):
        live, body_text = read_live(reader, matter.body, matter.body_line, date, zone,
                                    render=lambda text: str(renderer.render(text, trusted=trusted).body))

    if reader.errors:
        return None, reader.errors, reader.warnings

    if "smarty" in config.markdown.extensions:  # headlines match the body's typography
        title, summary_text, description = smarten(title), smarten(summary_text), smarten(description)
        image_alt, image_caption = smarten(image_alt), smarten(image_caption)

    try:
        rendered = renderer.render(body_text, trusted=trusted)
    except RecursionError:  # the Markdown library's limit, reached by hundreds of nested lists or quotes
        return None, [BuildError(source.path, matter.body_line, "the text is nested too deeply to render "
                                 "(hundreds of levels of lists or quotes)")], reader.warnings
    reader.warnings.extend(BuildError(source.path, matter.body_line + line - 1, message)
                           for line, message in rendered.warnings)
    summary = Markup(f"<p>{escape(summary_text)}</p>") if summary_text else rendered.summary
    if is_page:
        url = urls.expand(config, "page", slug=slug, filename=file_slug)
    else:
        assert date is not None
        local = date.astimezone(zone)
        url = urls.expand(
            config, "article", year=f"{local.year:04d}", month=f"{local.month:02d}",
            day=f"{local.day:02d}", slug=slug, section=section[0].slug if section else "news",
            filename=file_slug,
        )
    word_count = rendered.word_count + (sum(count_words(update.html) for update in live.updates) if live else 0)
    newest = live.last_update if live is not None else None
    if updated is None and newest is not None and date is not None and newest > date:
        updated = newest  # a live blog is updated by its newest update, unless 'updated' says otherwise
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
        contributors=contributors,
        summary=summary,
        description=description,
        image=urls.file_url(config, image),
        image_alt=image_alt,
        image_caption=image_caption,
        image_focus=focus,
        extra=FrozenDict(extra),
        body_html=(str(rendered.body) + updates_html(live, zone)).encode("utf-8", "surrogatepass"),
        toc=rendered.toc if live is None else Markup(""),
        headings=rendered.headings if live is None else 0,
        word_count=word_count,
        reading_time=reading_minutes(word_count, config.words_per_minute),
        url=url,
        aliases=aliases,
        corrections=corrections,
        expires=expires,
        unpublished=unpublished,
        lines=FrozenDict(matter.lines),
        live=live if live is None else replace(live, intro=str(rendered.body)),
        lang=language.code,
        translation_key=language.key,
    )
    return article, [], reader.warnings
