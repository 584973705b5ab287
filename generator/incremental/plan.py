"""``Plan``: what a build renders, and the short path that keeps the previous build's plan.

A body edit (see ``body_edits``) puts the new article in place of the old
one and checks only the pages and feeds that show it. Templates decide how
pages look, never which pages there are: the plan stands, every page is
checked, and the fingerprints (which cover each page's templates) pick the
ones to render. Keeping the plan's very objects also keeps their remembered
signatures (see ``generator.identity``). Anything else goes through
``load_site``, the reference: the tests check that both give the same bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from generator.content.article import Article
from generator.content.dates import current_time
from generator.content.parsed import Parsed, parse_sources
from generator.content.sources import site_relative
from generator.images.markup import shows_new_image, with_images
from generator.incremental.body_edits import Replanned, moves_nothing, replan
from generator.incremental.fingerprints import Fingerprints
from generator.incremental.state import BuildState
from generator.load import LoadedSite, on_day
from generator.options import BuildOptions
from generator.site.collect import as_placed
from generator.site.editions import Edition
from generator.site.links import with_site_links
from generator.site.pages import Page


@dataclass(frozen=True, kw_only=True)
class Plan:
    """What to build: the site, and which pages and feeds may have changed (None: any)."""

    loaded: LoadedSite
    pages_to_check: tuple[int, ...] | None = None
    feeds_to_check: tuple[int, ...] | None = None
    kept: bool = False  # the previous build's plan, as it was or updated by body edits
    new_day: bool = False  # kept on a new day: the pages that show the date are checked too

    @property
    def complete(self) -> bool:
        return self.pages_to_check is None


def kept_plan(options: BuildOptions, state: BuildState, changed: Iterable[Path]) -> Plan | None:
    """The previous plan, updated, if every change is a body edit or a template; else None.

    Trusts ``changed`` to name every file that changed, as the dev server's
    watcher and the CLI's up-to-date record do (with nothing changed, the
    plan is kept only for a new day); anything it cannot prove harmless
    falls back to the full build, which also reports errors.

    A new day changes no page but those that may show the date: the pages
    whose last render read ``today`` are checked too, and their fingerprints
    (which hold the date) decide.
    """
    loaded = state.loaded
    now = current_time(options.now)
    if loaded is None or (loaded.next_change and now >= loaded.next_change):
        return None
    new_day = loaded.next_publication is not None and now >= loaded.next_publication
    if new_day:
        loaded = on_day(loaded, now)
    site_dir = options.site_dir.absolute()
    paths = sorted({path if path.is_absolute() else site_dir / path for path in changed})
    folders = [site_dir / "templates", *(theme.templates for theme in loaded.chain)]
    templates = [path for path in paths if any(path.is_relative_to(folder) for folder in folders)]
    sources = [path for path in paths if path not in templates]
    names = [site_relative(site_dir, path) for path in sources]
    if (not paths and not new_day) or any(name not in loaded.parsed or not path.is_file()
                                          for name, path in zip(names, sources, strict=True)):
        return None
    plan: Plan | None = Plan(loaded=loaded, pages_to_check=(), feeds_to_check=(), kept=True)
    if sources:
        fresh = parse_sources(site_dir, sources, loaded.config, state.parsed, frozenset(names))
        plan = apply_body_edits(loaded, fresh, state.fingerprints)
    if plan is not None and templates:  # any page may look different
        plan = replace(plan, pages_to_check=None, feeds_to_check=None)
    if plan is not None and new_day and plan.pages_to_check is not None:
        plan = replace(plan, new_day=True, pages_to_check=_and_pages_of(
            plan.pages_to_check, plan.loaded.pages, state.fingerprints.wide_readers().today))
    return plan


def _and_pages_of(indexes: tuple[int, ...], pages: Sequence[Page], outputs: frozenset[str]) -> tuple[int, ...]:
    """``indexes`` (pages to check), and those of the ``pages`` whose output is one of ``outputs``, in order."""
    return tuple(sorted({*indexes, *(i for i, page in enumerate(pages) if page.output in outputs)}))


def apply_body_edits(loaded: LoadedSite, fresh: Mapping[str, Parsed], fingerprints: Fingerprints) -> Plan | None:
    """``loaded`` with the articles of ``fresh`` in place of the old, if they are body edits only.

    Deterministic, so the build cache can replay a CLI build's body edits on
    the plan it holds instead of writing the whole plan again.
    """
    if loaded.dependents is None:
        return None
    edits = []
    published = functools.cache(lambda: frozenset(asset.output for asset in loaded.copies))
    for name, entry in fresh.items():
        before = loaded.parsed[name].article
        if entry.errors or entry.article is None or before is None or not moves_nothing(before, entry.article):
            return None
        placed = loaded.placed.get(name)
        if placed is not None:  # unpublished drafts are on no page
            if shows_new_image(entry.article, loaded.images, published, loaded.config):
                return None  # to be made in several widths: the full build does it
            linked = with_site_links(as_placed(entry.article, placed), loaded.outputs, loaded.config)
            pictured = with_images(linked, loaded.images, loaded.config)
            if pictured.image_keys != placed.image_keys:
                return None  # images shown or no longer shown: which files are published changes
            edits.append((placed, pictured))
    readers, read_full, _ = fingerprints.wide_readers()
    replanned, editions = replan_editions(loaded, edits, read_full)
    if readers and edits:  # pages whose templates read ``site`` depend on every article
        replanned = replace(replanned, pages_to_check=_and_pages_of(replanned.pages_to_check, loaded.pages, readers))
    warnings = (*(w for w in loaded.warnings if w.path not in fresh), *(w for p in fresh.values() for w in p.warnings))
    updated = loaded.after_body_edits((new for _, new in edits), parsed={**loaded.parsed, **fresh},
                                      site=replanned.site, pages=replanned.pages, feeds=replanned.feeds,
                                      warnings=warnings, editions=editions)
    return Plan(loaded=updated, pages_to_check=replanned.pages_to_check, feeds_to_check=replanned.feeds_to_check,
                kept=True)


def replan_editions(loaded: LoadedSite, edits: list[tuple[Article, Article]],
                    read_full: frozenset[str] = frozenset()) -> tuple[Replanned, tuple[Edition, ...]]:
    """``replan`` in each language's site for the edits of its articles; the site's own language's as the result.

    A body edit keeps the article's language and translation key (see
    ``moves_nothing``), so it stays in its edition and its translations stay linked.
    """
    editions = loaded.editions or (Edition(config=loaded.config, site=loaded.site),)
    pages, feeds = loaded.pages, loaded.feeds
    to_check: tuple[set[int], set[int]] = (set(), set())
    replanned_editions = []
    home: Replanned | None = None
    for edition in editions:
        own = [(old, new) for old, new in edits if old.in_language(loaded.config) == edition.config.language]
        replanned = replan(edition.site, pages, feeds, loaded.dependents or {}, own, read_full)
        pages, feeds = replanned.pages, replanned.feeds
        to_check[0].update(replanned.pages_to_check)
        to_check[1].update(replanned.feeds_to_check)
        home = home or replanned
        replanned_editions.append(replace(edition, site=replanned.site))
    assert home is not None
    result = replace(home, pages=pages, feeds=feeds, pages_to_check=tuple(sorted(to_check[0])),
                     feeds_to_check=tuple(sorted(to_check[1])))
    return result, tuple(replanned_editions) if loaded.editions else ()
