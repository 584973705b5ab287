"""``load_site(options) -> LoadedSite``: the first two phases of a build, load and link.

Everything is read, parsed, grouped and planned here, and every author
error found on the way is reported at once (``BuildFailed``); nothing is
rendered and nothing touches the output folder.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

from generator.config import CONFIG_NAME, Config, load_config
from generator.content.article import Article
from generator.content.dates import current_time
from generator.content.parsed import Parsed, parse_sources
from generator.content.sources import Asset, list_content, site_relative
from generator.errors import BuildError, BuildFailed
from generator.options import BuildOptions
from generator.parallel import default_jobs
from generator.render.headers import HEADERS_FILE
from generator.render.themes import Theme, static_assets, theme_chain
from generator.site.collect import collect_site
from generator.site.collisions import Origin, Planned, check_collisions
from generator.site.dependents import Dependents, dependents_index
from generator.site.feeds import Feed, plan_feeds
from generator.site.model import RelatedMemo, Site
from generator.site.pages import Page, plan_pages


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
    dependents: Dependents | None  # None in a build that is not remembered, which no edit follows
    next_publication: datetime | None  # when a scheduled article goes live and changes the plan

    @cached_property
    def pages_by_output(self) -> dict[str, Page]:
        return {page.output: page for page in self.pages}

    @cached_property
    def placed(self) -> dict[str, Article]:
        """Each published article as the site holds it (with canonical term names), by source."""
        return {article.source: article for article in (*self.site.articles, *self.site.pages)}


def config_key(options: BuildOptions) -> str:
    """Anything whose change invalidates every page: config.toml and the build flags."""
    site_dir = options.site_dir.absolute()
    try:
        text = (site_dir / CONFIG_NAME).read_bytes()
    except OSError:
        text = b""
    flags = f"{options.drafts}|{options.future}|{options.output_dir}|{site_dir}".encode()
    return hashlib.blake2b(text + b"\x00" + flags, digest_size=16).hexdigest()


def load_site(options: BuildOptions, *, previous: Mapping[str, Parsed] | None = None,
              related: RelatedMemo | None = None, changed: Iterable[Path] = ()) -> LoadedSite:
    """Read, parse and link the whole site; raises ``BuildFailed`` on author errors.

    ``previous`` parses (of the last build) are reused for files whose stat
    is unchanged, unless they are among ``changed``; ``related`` stories are
    reused while the articles' order and tags stand.
    """
    site_dir = options.site_dir.absolute()
    config, config_warnings = load_config(site_dir)
    chain = theme_chain(site_dir, config.theme)
    theme_files = static_assets(site_dir, chain)
    markdown_paths, content_files, broken_links = list_content(site_dir)
    changed_names = frozenset(site_relative(site_dir, p) for p in changed)
    parsed = parse_sources(site_dir, markdown_paths, config, dict(previous or {}), changed_names,
                           options.jobs or default_jobs())
    errors = [*broken_links, *(e for p in parsed.values() for e in p.errors)]
    warnings = [*config_warnings, *(w for p in parsed.values() for w in p.warnings)]
    articles = [p.article for p in parsed.values() if p.article is not None]

    now = current_time(options.now)
    site = collect_site(articles, config, now, drafts=options.drafts, future=options.future, related=related)
    scheduled = [] if options.future else [a.date for a in articles
                                           if a.date and a.date > now and (options.drafts or not a.draft)]
    pages = plan_pages(site, config)
    feeds = plan_feeds(site, config)
    copies = (*theme_files.values(), *content_files)
    planned = [page.planned for page in pages] + [feed.planned for feed in feeds]
    planned += [Planned("sitemap.xml", Origin(CONFIG_NAME, None, "the sitemap")),
                Planned("robots.txt", Origin(CONFIG_NAME, None, "robots.txt")),
                Planned(HEADERS_FILE, Origin(CONFIG_NAME, None, "the HTTP headers file"))]
    planned += [Planned(asset.output, Origin(asset.origin, None, "file")) for asset in copies]
    errors += check_collisions(planned)
    if errors:
        raise BuildFailed(errors)
    return LoadedSite(config=config, chain=chain, theme_files=theme_files, copies=copies, parsed=parsed, site=site,
                      pages=pages, feeds=feeds, warnings=tuple(warnings),
                      dependents=dependents_index(pages, feeds) if options.remember else None,
                      next_publication=min(scheduled, default=None))
