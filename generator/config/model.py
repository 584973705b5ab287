"""``Config``: everything ``config.toml`` says, frozen, with defaults filled in.

The defaults live here, beside the fields; ``schema`` checks the types and
values a site may write, and ``load`` turns a checked document into a
``Config``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from generator.frozen import FrozenDict

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

# Hosts whose players an untrusted article may embed in an <iframe>: YouTube,
# Vimeo, X (Twitter) and Datawrapper charts. A site changes the list with
# ``[content.trust] embed_hosts``; the CSP's ``frame-src`` follows it.
DEFAULT_EMBED_HOSTS = (
    "www.youtube.com",
    "www.youtube-nocookie.com",
    "player.vimeo.com",
    "platform.twitter.com",
    "datawrapper.dwcdn.net",
)

DEFAULT_URLS: Mapping[str, str] = FrozenDict(
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


@dataclass(frozen=True, kw_only=True)
class AuthorProfile:
    """What ``[authors.<slug>]`` says about a person beyond their name."""

    name: str
    bio: str = ""
    url: str = ""
    twitter: str = ""
    role: str = ""  # "Business and data editor": the profile page and JSON-LD's jobTitle
    photo: str = ""  # a path on the site or an https URL
    links: tuple[str, ...] = ()  # the person's other profiles (Mastodon, LinkedIn…): rel="me" and sameAs

    @property
    def same_as(self) -> tuple[str, ...]:
        """Every other page that is this person's, for JSON-LD's ``sameAs``."""
        handle = self.twitter.lstrip("@")
        return (*([self.url] if self.url.startswith("http") else []), *self.links,
                *([f"https://x.com/{handle}"] if handle else []))


@dataclass(frozen=True, kw_only=True)
class MarkdownSettings:
    """Which Markdown engine runs, with which extensions and options."""

    engine: str = "python-markdown"  # or "pulldown-cmark"
    raw_html: bool = True  # False: authors' raw HTML is removed (untrusted contributors)
    highlight: bool = True  # fenced code that names its language is coloured with Pygments
    extensions: tuple[str, ...] = DEFAULT_MARKDOWN_EXTENSIONS
    extension_configs: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: FrozenDict({}))


IMAGE_FORMATS = ("avif", "webp")


@dataclass(frozen=True, kw_only=True)
class ImageSettings:
    """How article images are published (``[images]``): the widths and modern formats made of each.

    Every width is also made in the image's own format, for browsers that
    take neither modern one; an image is never made wider than it is.
    """

    widths: tuple[int, ...] = (480, 960, 1600)
    formats: tuple[str, ...] = IMAGE_FORMATS  # in order of preference, each a <source> of <picture>
    quality: int = 80  # for the lossy encoders (JPEG, WebP, AVIF), 1 to 100
    sizes: str = "(min-width: 50rem) 50rem, 100vw"  # the ``sizes`` attribute: how wide the theme shows them


@dataclass(frozen=True, kw_only=True)
class SearchSettings:
    """``[search]``: whether the site gets a search page and an index of its articles (Pagefind).

    Off unless asked for: the index is built by a separate program (the
    ``pagefind`` package's binary) and needs ``'wasm-unsafe-eval'`` in the CSP.
    """

    enabled: bool = False


@dataclass(frozen=True, kw_only=True)
class TrustSettings:
    """Whose bodies are published as written, and whose go through the sanitiser (``[content.trust]``).

    Trust belongs to folders, never to a file's own frontmatter: a
    contributor who can write an article could also write ``trusted: true``.
    """

    trusted_by_default: bool = True
    untrusted: tuple[str, ...] = ()  # folders under content/, e.g. "contributors"
    trusted: tuple[str, ...] = ()
    embed_hosts: tuple[str, ...] = DEFAULT_EMBED_HOSTS

    def trusts(self, source_path: str) -> bool:
        """Whether the file at ``source_path`` (``content/contributors/a.md``) is trusted.

        The deepest listed folder containing the file decides; a file in no
        listed folder gets the site's default.
        """
        relative = source_path.removeprefix("content/")
        best, verdict = -1, self.trusted_by_default
        for folders, value in ((self.untrusted, False), (self.trusted, True)):
            for folder in folders:
                if relative.startswith(folder + "/") and len(folder) > best:
                    best, verdict = len(folder), value
        return verdict


@dataclass(frozen=True, kw_only=True)
class LanguageSettings:
    """``[languages.<code>]``: a language beside the site's own, with its home under ``path``.

    The site's own ``language`` keeps the root; each of these is an edition of
    the site under its own path (``/ru/``), with its own title and formats.
    """

    code: str
    title: str
    description: str = ""
    path: str  # relative to the base path, ending in "/": "ru/"
    date_format: str = ""
    time_format: str = ""


@dataclass(frozen=True, kw_only=True)
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
    paginate_stable: bool = False  # list pages numbered from the oldest, so a full page never changes
    feed_limit: int = 20
    words_per_minute: int = 230
    related_count: int = 3
    date_format: str = ""  # "": the language's own (see generator.i18n.formats)
    time_format: str = ""
    copyright: str = ""
    sections: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # globs of files under content/ that are not part of the site
    publisher_name: str = ""
    publisher_logo: str = ""
    twitter_site: str = ""
    urls: Mapping[str, str] = field(default_factory=lambda: DEFAULT_URLS)
    markdown: MarkdownSettings = field(default_factory=MarkdownSettings)
    images: ImageSettings = field(default_factory=ImageSettings)
    trust: TrustSettings = field(default_factory=TrustSettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    headers: Mapping[str, str] = field(default_factory=lambda: FrozenDict({}))  # [headers]: overrides, "" drops one
    authors: Mapping[str, AuthorProfile] = field(default_factory=lambda: FrozenDict({}))
    extra: Mapping[str, Any] = field(default_factory=lambda: FrozenDict({}))
    languages: Mapping[str, LanguageSettings] = field(default_factory=lambda: FrozenDict({}))
    # In an edition (see ``edition``): its path under the base path ("ru/"); "" for the site's own language.
    language_path: str = ""
    default_language: str = ""  # in an edition: the site's own ``language``; "" in the site's own config

    @property
    def home_language(self) -> str:
        """The language at the site's root: the one whose URLs stay those of a single-language site."""
        return self.default_language or self.language

    @property
    def languages_all(self) -> tuple[str, ...]:
        """Every language of the site, its own first."""
        return (self.home_language, *self.languages)

    def edition(self, code: str) -> Config:
        """The config of one language's edition: its title and formats, its URLs under its path.

        The site's own language gets the config itself, so a single-language
        site is planned exactly as before.
        """
        if code == self.home_language or code not in self.languages:
            return self
        settings = self.languages[code]
        return replace(self, language=code, title=settings.title, description=settings.description,
                       date_format=settings.date_format, time_format=settings.time_format,
                       language_path=settings.path, default_language=self.home_language)

    @property
    def edition_key(self) -> str:
        """Which edition this config plans, as ``Page.language`` and ``Feed.language`` name it: "" for the site's own."""
        return self.language if self.language_path else ""

    @property
    def home_path(self) -> str:
        """The path of this edition's front page: the base path, plus the language's path."""
        return self.base_path + self.language_path

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

    def feed_items(self, articles: tuple[Any, ...]) -> tuple[Any, ...]:
        """The newest ``feed_limit`` of ``articles`` (newest first), or all of them when it is 0."""
        return articles[: self.feed_limit] if self.feed_limit else articles
