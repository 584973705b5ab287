"""The functions and filters templates call, and the navigation every page shows.

Templates never build URLs by string concatenation: they call these, which
know the site's URL patterns and base path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jinja2
from markupsafe import Markup

from generator import urls
from generator.config.model import Config
from generator.content.article import Article
from generator.content.sources import Asset
from generator.content.terms import Term
from generator.i18n.formats import Formats
from generator.i18n.locales import locale_of
from generator.render import seo
from generator.site.model import Site


class Helpers:
    """Functions and filters templates call; they close over config and site.

    Every page calls them for the same few dozen URLs (the masthead's
    sections, the footer's links, the stylesheet) and dates, so each
    answer is kept for the rest of the build: config and the assets do not
    change during it.
    """

    def __init__(self, config: Config, assets: Mapping[str, Asset]) -> None:
        self.config = config
        self.assets = assets
        self.formats = site_formats(config)
        self._known: dict[tuple[object, ...], str] = {}

    def _kept(self, key: tuple[object, ...] | None, make: Callable[[], str]) -> str:
        """The answer remembered for ``key``, made once; ``key`` None: an argument that is
        not a plain value (Markup, an undefined variable), answered afresh each time."""
        if key is None:
            return make()
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = make()
        return found

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.config.tz)

    def date(self, moment: datetime, pattern: str | None = None) -> str:
        plain = type(moment) is datetime and (pattern is None or type(pattern) is str)
        return self._kept(("date", moment, pattern) if plain else None,
                          lambda: self.formats.date(self.local(moment), pattern))

    def time(self, moment: datetime) -> str:
        return self.formats.time(self.local(moment))

    def static_url(self, path: str) -> str:
        """The URL of a theme or site static file; a missing file is an error.

        No content hash is added to the URL: it would change every page
        whenever a stylesheet changes, defeating incremental builds and
        live CSS swaps. Hosts revalidate static files with ETags instead.
        """
        def make() -> str:
            if path.lstrip("/") not in self.assets:
                raise jinja2.TemplateRuntimeError(f"static_url: no static file '{path}' in static/ or the theme")
            return urls.site_path(self.config, path)

        return self._kept(("static", path) if type(path) is str else None, make)

    def term_url(self, kind: str, term: Term) -> str:
        return self._kept(("term", kind, term.slug), lambda: urls.expand(self.config, kind, slug=term.slug))

    def feed_url(self, kind: str | None = None, term: Term | None = None) -> str:
        if kind is None or term is None:
            return self._kept(("feed",), lambda: urls.home_path(self.config, "/feed.xml"))
        return self.term_url(kind, term) + "feed.xml"

    def archive_url(self, year: int, month: int | None = None) -> str:
        if month is None:
            return urls.expand(self.config, "archive_year", year=f"{year:04d}")
        return urls.expand(self.config, "archive_month", year=f"{year:04d}", month=f"{month:02d}")

    def url(self, kind: str, **fields: object) -> str:
        return self._kept(None if fields else ("url", kind), lambda: urls.expand(self.config, kind, **fields))

    def abs_url(self, url: str) -> str:
        # Markup passes through as it came, unremembered.
        return self._kept(("absolute", url) if type(url) is str else None, lambda: urls.absolute(self.config, url))

    def article_jsonld(self, article: Article) -> Markup:
        return seo.news_article(self.config, article)

    def website_jsonld(self) -> Markup:
        return seo.website(self.config)

    def media_url(self, link: str) -> str:
        """A file the config names (an author's photo): a path on the site, under its base path, or a URL."""
        return urls.file_url(self.config, link)

    @staticmethod
    def link_label(link: str) -> str:
        """A profile link as readers recognise it: ``mastodon.social/@ingrid``, not the whole URL."""
        label = link.split("://", 1)[-1].rstrip("/")
        return label.removeprefix("www.")

    def page_jsonld(self, page: Any, description: str) -> Markup | None:
        return seo.page_data(self.config, namespace=page.namespace, url=page.url, title=page.title,
                             description=str(description))

    def breadcrumbs_jsonld(self, article: Article) -> Markup:
        return seo.breadcrumbs(self.config, article)

    def profile_jsonld(self, term: Term) -> Markup:
        return seo.profile_page(self.config, term)


def site_formats(config: Config) -> Formats:
    """Dates, months and lists in the site's language and its ``date_format``/``time_format``."""
    return Formats(locale_of(config.language), config.date_format, config.time_format)


@dataclass(frozen=True, kw_only=True)
class Navigation:
    """What every page's masthead and footer show: sections and standalone pages.

    Kept apart from ``site`` so that editing an article's body does not make
    every page that shows the navigation depend on that article.
    """

    sections: tuple[Term, ...]
    pages: tuple[tuple[str, str], ...]  # (url, title)
    corrections: bool = False  # whether the site has a corrections page to link to


def navigation(site: Site) -> Navigation:
    return Navigation(
        sections=tuple(entry.term for entry in site.sections),
        pages=tuple((page.url, page.title) for page in site.pages),
        corrections=site.corrected,
    )


