"""``plan_pages(site) -> list[Page]``: every HTML page with its URL and context.

Planning decides *what* exists and what each page shows; it renders nothing.
Each ``Page`` names its candidate templates, the articles it shows (so a
later incremental build knows what to re-render) and who asked for it (so a
collision can name both source files).
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from generator import urls
from generator.config.model import CONFIG_NAME, Config
from generator.content.article import Article
from generator.frozen import FrozenDict
from generator.i18n.formats import Formats
from generator.i18n.locales import locale_of
from generator.site.collisions import Origin, Planned
from generator.site.model import ALL, Alternate, Site, TermIndex
from generator.site.newsroom import CORRECTIONS_FEED_PATH, CORRECTIONS_PATH, correction_log
from generator.site.pagination import paginate


@dataclass(frozen=True, kw_only=True)
class Page:
    """One HTML file to render."""

    url: str
    output: str
    templates: tuple[str, ...]
    title: str
    context: Mapping[str, Any]
    origin: Origin
    namespace: str
    shows: tuple[str, ...] = ()  # sources of the articles the page lists
    lists: tuple[str, ...] = ()  # groups the page holds whole (see ``memberships``), beyond ``shows``
    lastmod: datetime | None = None
    in_sitemap: bool = True
    language: str = ""  # the edition it belongs to (see ``site.editions``); "" for the site's own language
    alternates: tuple[Alternate, ...] = ()  # the page in every language it is written in, itself included
    edition_home: bool = False  # a language's front page (``/ru/``), whose folder holds that language's whole site

    @property
    def planned(self) -> Planned:
        # A language's front page claims no folder: its edition's pages of every kind live under it.
        return Planned(self.output, self.origin, None if self.edition_home else self.namespace)


def _origin_of(entry: TermIndex, kind: str) -> Origin:
    """A generated index belongs to the oldest article that introduced its term."""
    first = entry.articles[-1]
    keys = {"tag": ("tags",), "section": ("section", "category"), "author": ("authors", "author", "contributors")}[kind]
    return Origin(first.source, first.line_of(*keys), f"{kind} '{entry.name}'")


def _site_origin(what: str) -> Origin:
    return Origin(CONFIG_NAME, None, what)


class _Planner:
    """Collects pages; small helper so each page family is one short method."""

    def __init__(self, site: Site, config: Config, text: gettext.NullTranslations,
                 alternates: Mapping[str, tuple[Alternate, ...]]) -> None:
        self.site = site
        self.alternates = alternates  # by source, and "" for the front page
        self.config = config
        self.text = text  # titles are in the site's language (see generator.i18n)
        self.formats = Formats(locale_of(config.language))
        self.pages: list[Page] = []

    def add(self, url: str, *, templates: Sequence[str], title: str, origin: Origin, namespace: str,
            context: Mapping[str, Any], shows: Sequence[Article] = (), lastmod: datetime | None = None,
            lists: tuple[str, ...] = (), alternates: tuple[Alternate, ...] = ()) -> None:
        lastmod = lastmod or max((a.modified for a in shows if a.modified), default=None)
        if lastmod is None and ALL in lists:  # the archive, the tags and authors indexes change with every article
            lastmod = self.site.updated
        self.pages.append(
            Page(
                url=url,
                output=urls.output_file(self.config, url),
                templates=tuple(templates),
                title=title,
                context=FrozenDict(dict(context)),
                origin=origin,
                namespace=namespace,
                shows=tuple(a.source for a in shows),
                lists=lists,
                lastmod=lastmod,
                language=self.config.edition_key,
                alternates=alternates,
            )
        )

    def paginated(self, first_url: str, items: tuple[Article, ...], *, templates: Sequence[str], title: str,
                  origin: Origin, namespace: str, context: Mapping[str, Any], lists: tuple[str, ...] = (),
                  alternates: tuple[Alternate, ...] = (), first_templates: Sequence[str] = ()) -> None:
        """Pages of ``items``; the first page looks for ``first_templates`` before ``templates``."""
        for paginator in paginate(items, first_url=first_url, config=self.config):
            page_title = title if paginator.is_first else self.text.gettext("%(title)s – page %(number)d") % {
                "title": title, "number": paginator.number}
            names = (*first_templates, *templates) if paginator.is_first else templates
            self.add(paginator.url(paginator.number), templates=names, title=page_title, origin=origin,
                     namespace=namespace, context={**context, "paginator": paginator}, shows=paginator.items,
                     lists=lists, alternates=alternates if paginator.is_first else ())

    # -- page families ------------------------------------------------------

    def articles(self) -> None:
        for article in self.site.articles:
            origin = Origin(article.source, article.line_of("slug", "title"), f"article '{article.title}'")
            older, newer = self.site.older.get(article.source), self.site.newer.get(article.source)
            related = self.site.related.get(article.source, ())
            context = {"article": article, "older": older, "newer": newer, "related": related}
            neighbours = [a for a in (older, newer, *related) if a]
            self.add(article.url, templates=("article.html",), title=article.title, origin=origin,
                     namespace="article", context=context, shows=(article, *neighbours), lastmod=article.modified,
                     alternates=self.alternates.get(article.source, ()))

    def standalone_pages(self) -> None:
        for page in self.site.pages:
            origin = Origin(page.source, page.line_of("slug", "title"), f"page '{page.title}'")
            self.add(page.url, templates=("page.html",), title=page.title, origin=origin, namespace="page",
                     context={"article": page}, shows=(page,), alternates=self.alternates.get(page.source, ()))

    def front_page(self) -> None:
        """The front page and its pages of older stories: the first alone is made from ``front.html``
        (which extends ``index.html`` in the built-in theme), so a theme can show the day's date there
        and on no page that would then be rendered again every day."""
        self.paginated(urls.home_path(self.config, "/"), self.site.articles, templates=("index.html",),
                       first_templates=("front.html",), title=self.config.title,
                       origin=_site_origin("the front page"), namespace="index", context={},
                       alternates=self.alternates.get("", ()))

    def terms(self, kind: str, entries: tuple[TermIndex, ...], index_kind: str | None) -> None:
        for entry in entries:
            first_url = urls.expand(self.config, kind, slug=entry.slug)
            self.paginated(first_url, entry.articles, templates=(f"{kind}.html", "term.html"), title=entry.name,
                           origin=_origin_of(entry, kind), namespace=kind, context={"term": entry, "kind": kind},
                           lists=(f"{kind}:{entry.slug}",))
        if index_kind:
            url = urls.expand(self.config, index_kind)
            title = {"tags": self.text.gettext("Tags"), "authors": self.text.gettext("Authors")}[index_kind]
            self.add(url, templates=(f"{index_kind}.html",), title=title,
                     origin=_site_origin(f"the {index_kind} index"), namespace=kind,
                     context={"terms": entries, "kind": kind}, lists=(ALL,))

    def archives(self) -> None:
        origin = _site_origin("the archive")
        self.add(urls.expand(self.config, "archive"), templates=("archive.html",), title=self.text.gettext("Archive"),
                 origin=origin,
                 namespace="archive", context={"years": self.site.archive}, lists=(ALL,))
        for year in self.site.archive:
            self.add(urls.expand(self.config, "archive_year", year=year.year), templates=("archive_year.html",),
                     title=f"{year.year}", origin=origin, namespace="archive", context={"year": year},
                     shows=[a for month in year.months for a in month.articles])
            for month in year.months:
                url = urls.expand(self.config, "archive_month", year=f"{month.year:04d}", month=f"{month.month:02d}")
                month_title = self.formats.month_year(month.year, month.month)
                self.add(url, templates=("archive_month.html",), title=month_title, origin=origin, namespace="archive",
                         context={"month": month, "month_name": self.formats.month_name(month.month),
                                  "month_title": month_title}, shows=month.articles)

    def corrections(self) -> None:
        """The corrections log: every correction and update of the site, newest first (see ``site.newsroom``)."""
        log = correction_log(self.site.articles)
        if not log:  # a site that never corrected has no such page (nor a URL an own page might want)
            return
        self.add(urls.home_path(self.config, CORRECTIONS_PATH), templates=("corrections.html",),
                 title=self.text.gettext("Corrections"), origin=_site_origin("the corrections page"), namespace="corrections",
                 context={"corrections": log, "corrections_feed": urls.home_path(self.config, CORRECTIONS_FEED_PATH)},
                 shows=tuple({entry.article.source: entry.article for entry in log}.values()),
                 lastmod=max((entry.correction.date for entry in log), default=None))

    def withdrawn(self) -> None:
        """A short "no longer available" page where each expired or taken-down article was.

        It says nothing of the article: a takedown may be for what it said.
        """
        for article in self.site.withdrawn:
            self.pages.append(
                Page(url=article.url, output=urls.output_file(self.config, article.url),
                     templates=("withdrawn.html",), title=self.text.gettext("No longer available"),
                     context=FrozenDict({}), language=self.config.edition_key,
                     origin=Origin(article.source, article.line_of("expires", "unpublished"),
                                   f"the withdrawn article '{article.title}'"),
                     namespace="article", in_sitemap=False)
            )

    def not_found(self) -> None:
        self.pages.append(
            Page(url=urls.site_path(self.config, "/404.html"), output="404.html", templates=("404.html",),
                 title=self.text.gettext("Page not found"), context=FrozenDict({}),
                 origin=_site_origin("the 404 page"), namespace="404", in_sitemap=False)
        )

    def search(self) -> None:
        """The search page (``[search]``): a form that works as a link, and results from the index."""
        url = urls.site_path(self.config, "/search/")
        self.pages.append(
            Page(url=url, output=urls.output_file(self.config, url), templates=("search.html",),
                 title=self.text.gettext("Search"),
                 context=FrozenDict({}), origin=_site_origin("the search page"), namespace="search",
                 in_sitemap=False)
        )


def plan_pages(site: Site, config: Config, text: gettext.NullTranslations | None = None,
               alternates: Mapping[str, tuple[Alternate, ...]] | None = None) -> list[Page]:
    """Every HTML page of the site, in a stable order; ``text`` translates the titles the build gives pages.

    ``config`` may be a language's edition (see ``Config.edition``): its pages
    are those of the site's own language but the corrections log, the 404 and
    search pages, which the site has once, at its root. ``alternates`` (by
    source, ``""`` for the front page) are each page's versions in other languages.
    """
    planner = _Planner(site, config, text or gettext.NullTranslations(), alternates or {})
    planner.front_page()
    if config.language_path:
        planner.pages[0] = replace(planner.pages[0], edition_home=True)
    planner.articles()
    planner.standalone_pages()
    planner.terms("tag", site.tags, "tags")
    planner.terms("section", site.sections, None)
    planner.terms("author", site.authors, "authors")
    planner.archives()
    planner.corrections()
    planner.withdrawn()
    if not config.language_path:  # the site has one 404 page and one search page, at its root
        planner.not_found()
        if config.search.enabled:
            planner.search()
    return planner.pages
