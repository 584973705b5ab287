"""``load_site(options) -> LoadedSite``: the first two phases of a build, load and link.

Everything is read, parsed, grouped and planned here, and every author
error found on the way is reported at once (``BuildFailed``); nothing is
rendered and nothing touches the output folder.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.config import CONFIG_NAME, Config, load_config
from generator.content.article import Article
from generator.content.dates import current_time
from generator.content.parsed import Parsed, parse_sources
from generator.content.sources import Asset, list_content, site_relative
from generator.errors import BuildError, BuildFailed
from generator.frozen import FrozenDict
from generator.i18n.catalogue import Catalogue, find_po_files, load_catalogue
from generator.images.cards import palette
from generator.images.markup import with_images
from generator.images.model import ImageIndex
from generator.images.publish import publish_images
from generator.images.social import publish_cards
from generator.options import BuildOptions
from generator.parallel import default_jobs
from generator.render.headers import HEADERS_FILE
from generator.render.themes import Theme, show, static_assets, theme_chain
from generator.site.bundles import place_bundles
from generator.site.collisions import Origin, Planned, check_collisions
from generator.site.dependents import Dependents, dependents_index
from generator.site.editions import Edition, collect_editions, every_article, translations
from generator.site.feeds import Feed, plan_feeds
from generator.site.links import planned_outputs, with_site_links
from generator.site.model import RelatedMemo, Site
from generator.site.newsroom import (
    CORRECTIONS_FEED_PATH,
    NEWS_SITEMAP,
    Scheduled,
    next_moment,
    next_scheduled,
)
from generator.site.pages import Page, plan_pages
from generator.site.redirects import REDIRECTS_FILE, Redirect, plan_redirects


@dataclass(frozen=True, kw_only=True)
class LoadedSite:
    """Everything the build knows before rendering: the first two phases' result."""

    config: Config
    chain: tuple[Theme, ...]
    theme_files: dict[str, Asset]
    copies: tuple[Asset, ...]
    parsed: dict[str, Parsed]
    site: Site
    pages: list[Page]
    feeds: list[Feed]
    warnings: tuple[BuildError, ...]
    redirects: tuple[Redirect, ...]
    own_redirect_rules: Asset | None  # the site's own ``_redirects``, written before the aliases' rules
    own_header_rules: Asset | None  # the site's own ``_headers``, written before Dateline's rule for every page
    outputs: frozenset[str]  # every file the plan writes, for links in bodies (``site.links``)
    dependents: Dependents | None  # None in a build that is not remembered, which no edit follows
    # The next moment the site changes by the clock alone: an article going live or leaving, say
    # (``site.newsroom.next_moment``). The plan stands until then.
    next_change: datetime | None
    next_publication: datetime | None  # ``next_change``, or the next midnight if sooner: the date shown changes
    today: datetime  # the build's "now" in the site's time zone: the date a masthead shows
    scheduled: Scheduled | None = None  # the next article to go live
    catalogue: Catalogue  # the theme's strings in the site's language, the site's own merged over them
    images: ImageIndex = field(default_factory=ImageIndex)  # the images made in several widths, and the cards
    editions: tuple[Edition, ...] = ()  # every language's part, the site's own first (``site``); see site.editions
    catalogues: Mapping[str, Catalogue] = field(default_factory=lambda: FrozenDict({}))  # of the other languages

    def catalogue_of(self, language: str) -> Catalogue:
        """The theme's strings in ``language`` ("": the site's own)."""
        return self.catalogues.get(language, self.catalogue)

    @cached_property
    def editions_by_key(self) -> dict[str, Edition]:
        """Each language's edition by ``Page.language`` ("": the site's own, which is ``site``)."""
        editions = {edition.config.edition_key: edition for edition in self.editions}
        editions.setdefault("", Edition(config=self.config, site=self.site))
        return editions

    @property
    def sites(self) -> tuple[Site, ...]:
        """Each language's site, the site's own first (just ``site`` for a site in one language)."""
        return tuple(edition.site for edition in self.editions) or (self.site,)

    @property
    def stories(self) -> tuple[Article, ...]:
        """The published articles (not pages) of every language: each language's newest first."""
        return tuple(a for site in self.sites for a in site.articles)

    @property
    def withdrawn(self) -> tuple[Article, ...]:
        """The withdrawn articles of every language."""
        return tuple(a for site in self.sites for a in site.withdrawn)

    @cached_property
    def pages_by_output(self) -> dict[str, Page]:
        return {page.output: page for page in self.pages}

    @cached_property
    def placed(self) -> dict[str, Article]:
        """Each published article as the site holds it (with canonical term names), by source."""
        placed = every_article(self.editions) if self.editions else (*self.site.articles, *self.site.pages)
        return {article.source: article for article in placed}

    def after_body_edits(self, edited: Iterable[Article], **changes: Any) -> LoadedSite:
        """``dataclasses.replace(self, **changes)`` for a body edit that put ``edited`` in place of the articles
        of the same sources: ``placed`` is carried over with them, not gathered again from every language's site."""
        updated = replace(self, **changes)
        updated.__dict__["placed"] = {**self.placed, **{article.source: article for article in edited}}
        return updated


def config_key(options: BuildOptions) -> str:
    """Anything whose change invalidates every page: config.toml and the build flags.

    The date is not in it: only pages whose templates read ``today`` show
    it, and their fingerprints hold it (see ``TemplateDigests``), so the
    first build of a day renders them again and keeps the rest. The
    up-to-date record knows through ``next_publication``, which is never
    later than next midnight.
    """
    site_dir = options.site_dir.absolute()
    try:
        text = (site_dir / CONFIG_NAME).read_bytes()
    except OSError:
        text = b""
    flags = f"{options.drafts}|{options.future}|{options.output_dir}|{site_dir}".encode()
    return hashlib.blake2b(text + b"\x00" + flags, digest_size=16).hexdigest()


def on_day(loaded: LoadedSite, now: datetime) -> LoadedSite:
    """``loaded`` as a build at ``now``, a later moment before its ``next_change``: a new ``today``."""
    zone = loaded.config.tz
    return loaded.after_body_edits((), today=now.astimezone(zone), next_publication=_earliest(
        loaded.next_change, next_midnight(now, zone)))


def _earliest(*moments: datetime | None) -> datetime | None:
    return min((moment for moment in moments if moment is not None), key=lambda m: m.astimezone(UTC), default=None)


def next_midnight(now: datetime, zone: tzinfo) -> datetime:
    """When the date changes in ``zone`` after ``now``."""
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=zone)


def site_catalogue(site_dir: Path, config: Config, chain: tuple[Theme, ...],
                   previous: Catalogue | None = None) -> tuple[Catalogue, list[BuildError]]:
    """The catalogue of the theme chain and the site for ``language``; a warning if there is none."""
    folders = [*((theme.folder, show(site_dir, theme.folder)) for theme in reversed(chain)), (site_dir, "")]
    files = find_po_files(folders, config.language)
    warnings = []
    if not files and not config.language.lower().startswith("en"):
        warnings.append(BuildError(CONFIG_NAME, None, f"theme '{config.theme}' has no translation for "
                                   f"'{config.language}': its words stay in English (dates follow the language); "
                                   "see README, Languages"))
    return load_catalogue(files, config.language, previous), warnings


def load_site(options: BuildOptions, *, previous: Mapping[str, Parsed] | None = None,
              related: RelatedMemo | None = None, changed: Iterable[Path] = (),
              catalogue: Catalogue | None = None, catalogues: Mapping[str, Catalogue] | None = None) -> LoadedSite:
    """Read, parse and link the whole site; raises ``BuildFailed`` on author errors.

    ``previous`` parses (of the last build) are reused for files whose stat
    is unchanged, unless they are among ``changed``; ``related`` stories are
    reused while the articles' order and tags stand; ``catalogue`` and the
    other languages' ``catalogues`` (the last build's) while their ``.po``
    files are the same.
    """
    site_dir = options.site_dir.absolute()
    config, config_warnings = load_config(site_dir)
    chain = theme_chain(site_dir, config.theme)
    theme_files = static_assets(site_dir, chain)
    catalogue, catalogue_warnings = site_catalogue(site_dir, config, chain, catalogue)
    previous_catalogues, catalogues = catalogues or {}, {}
    for code in config.languages:
        catalogues[code], missing = site_catalogue(site_dir, config.edition(code), chain, previous_catalogues.get(code))
        catalogue_warnings += missing
    markdown_paths, content_files, broken_links, content_warnings = list_content(site_dir, config.exclude)
    changed_names = frozenset(site_relative(site_dir, p) for p in changed)
    parsed = parse_sources(site_dir, markdown_paths, config, dict(previous or {}), changed_names,
                           options.jobs or default_jobs())
    errors = [*broken_links, *(e for p in parsed.values() for e in p.errors)]
    warnings = [*config_warnings, *catalogue_warnings, *content_warnings, *(w for p in parsed.values() for w in p.warnings)]
    articles = [p.article for p in parsed.values() if p.article is not None]

    now = current_time(options.now)
    editions = collect_editions(articles, config, now, drafts=options.drafts, future=options.future, related=related)
    site = editions[0].site
    moment = next_moment(articles, now, drafts=options.drafts, future=options.future)
    pages, feeds = plan_editions(editions, catalogue, catalogues)
    placed = {article.source: article for article in every_article(editions)}
    copies = (*theme_files.values(), *place_bundles(content_files, placed, parsed, config))
    jobs = options.jobs or default_jobs()
    images = publish_images(site_dir, config, placed.values(), copies, jobs)
    index = ImageIndex(sets=FrozenDict(images.sets))
    errors += images.errors
    warnings += images.warnings
    # Cards only for a site that will be built: a failed build draws none.
    pictured = [with_images(article, index, config) for e in editions for article in e.site.articles] if not errors else []
    cards = publish_cards(site_dir, config, pictured, images.full, jobs, palette(t.card_colours for t in chain))
    errors += cards.errors
    index = ImageIndex(sets=index.sets, made=images.made + cards.made, read=images.read)
    copies = images.copies
    outputs = planned_outputs([*(page.output for page in pages), *(feed.planned.output for feed in feeds),
                               *(asset.output for asset in copies), "sitemap.xml", "robots.txt", NEWS_SITEMAP,
                               *every_newsroom_output(editions)])
    linked = [with_images(with_site_links(article, outputs, config), index, config) for article in articles]
    if any(new is not old for new, old in zip(linked, articles, strict=True)):  # the same plan, new bodies
        editions = collect_editions(linked, config, now, drafts=options.drafts, future=options.future,
                                    related=related)
        site = editions[0].site
        pages, feeds = plan_editions(editions, catalogue, catalogues)
    redirects = plan_redirects(every_article(editions), config)
    writes_rules = bool(redirects or any(edition.site.withdrawn for edition in editions))
    own_rules = next((asset for asset in copies if asset.output == REDIRECTS_FILE), None) if writes_rules else None
    own_headers = next((asset for asset in copies if asset.output == HEADERS_FILE), None)
    copies = tuple(asset for asset in copies if asset not in (own_rules, own_headers))  # merged into the one written
    planned = [page.planned for page in pages] + [feed.planned for feed in feeds]
    planned += [redirect.planned for redirect in redirects]
    if writes_rules:
        planned.append(Planned(REDIRECTS_FILE, Origin(own_rules.origin if own_rules else CONFIG_NAME, None,
                                                      "the redirects file")))
    planned += [Planned("sitemap.xml", Origin(CONFIG_NAME, None, "the sitemap")),
                Planned("robots.txt", Origin(CONFIG_NAME, None, "robots.txt")),
                Planned(HEADERS_FILE, Origin(own_headers.origin if own_headers else CONFIG_NAME, None,
                                             "the HTTP headers file")),
                Planned(NEWS_SITEMAP, Origin(CONFIG_NAME, None, "the News sitemap")),
                *(Planned(output, Origin(CONFIG_NAME, None, "the corrections feed"))
                  for output in every_newsroom_output(editions))]
    planned += [Planned(asset.output, Origin(asset.origin, None, "file")) for asset in copies]
    collisions = check_collisions(planned)
    if not collisions:  # two articles at one URL would also claim one card: reported once, as the pages
        collisions = check_collisions([*planned, *(Planned(card.output, Origin(card.origin, None, "social card"))
                                                   for card in cards.copies)])
    errors += collisions
    copies = (*copies, *cards.copies)
    if errors:
        raise BuildFailed(errors, warnings)
    return LoadedSite(config=config, chain=chain, theme_files=theme_files, copies=copies, parsed=parsed, site=site,
                      pages=pages, feeds=feeds, warnings=tuple(warnings), outputs=outputs,
                      redirects=tuple(redirects), own_redirect_rules=own_rules, own_header_rules=own_headers,
                      dependents=dependents_index(pages, feeds) if options.remember else None,
                      next_change=moment, next_publication=_earliest(moment, next_midnight(now, config.tz)),
                      today=now.astimezone(config.tz),
                      scheduled=next_scheduled(articles, now, drafts=options.drafts, future=options.future),
                      catalogue=catalogue,
                      images=index, editions=editions, catalogues=FrozenDict(catalogues))


def plan_editions(editions: tuple[Edition, ...], catalogue: Catalogue,
                  catalogues: Mapping[str, Catalogue]) -> tuple[list[Page], list[Feed]]:
    """Every language's pages and feeds, each titled in its language, with their translations linked."""
    alternates = translations(editions)
    pages: list[Page] = []
    feeds: list[Feed] = []
    for edition in editions:
        text = catalogues.get(edition.config.language, catalogue).translations()
        pages += plan_pages(edition.site, edition.config, text, alternates)
        feeds += plan_feeds(edition.site, edition.config)
    return pages, feeds


def newsroom_outputs(site: Site, language_path: str = "") -> tuple[str, ...]:
    """The corrections feed, when the site (or a language's, under ``language_path``) has corrected anything
    (as its page, see ``plan_pages``)."""
    return (language_path + CORRECTIONS_FEED_PATH.lstrip("/"),) if site.corrected else ()


def every_newsroom_output(editions: tuple[Edition, ...]) -> tuple[str, ...]:
    """Each language's corrections feed, where it has one."""
    return tuple(out for edition in editions for out in newsroom_outputs(edition.site, edition.config.language_path))
