"""``build(options) -> BuildResult``: the one orchestrator of the pipeline.

Load everything, link it together, render, then write: nothing touches the
output folder until every page has rendered, and any author error stops
the build with all errors reported together.

A build may be handed the ``BuildState`` of the previous one (the dev server
keeps it in memory). Then unchanged files are not re-read or re-parsed, and
pages whose inputs have the same fingerprint are not re-rendered; the result
is byte for byte what a clean build would write.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from datetime import datetime, timezone
from pathlib import Path

import jinja2

from generator import sitemap
from generator.articles import Article, parse_article
from generator.config import CONFIG_NAME, Config, load_config
from generator.dates import current_time
from generator.delta import dependents_index, moves_nothing, replan
from generator.errors import BuildError, BuildFailed
from generator.feeds import Entries, Feed, plan_feeds
from generator.graph import Fingerprints, RenderRecord, Signer, TemplateDigests
from generator.lock import output_lock
from generator.markup import Renderer, make_renderer
from generator.memory import Remembered, rekey
from generator.outputs import Origin, Planned, check_collisions
from generator.parallel import default_jobs, map_in_order
from generator.pages import Page, plan_pages
from generator.render import make_environment, navigation, render_page
from generator.site import RelatedMemo, Site, collect_site
from generator.sources import Asset, Source, list_content, read_source, site_relative
from generator.themes import Theme, static_assets, theme_chain
from generator.uptodate import Stat, output_label, stat_of
from generator.writer import (OutputError, OutputFile, Staging, apply_changes, update_in_place, write_in_place,
                              write_output)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildOptions:
    site_dir: Path
    output: Path | None = None  # default: SITE/output
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # default: SOURCE_DATE_EPOCH, else the clock
    jobs: int | None = None  # worker processes for cold builds; default: the number of cores
    # Work out what the next build can reuse (``BuildResult.state``: every
    # output's fingerprint, the related stories...). A build whose state is
    # thrown away (``dateline build --no-cache``) skips that work.
    remember: bool = True

    @property
    def output_dir(self) -> Path:
        return (self.output or self.site_dir / "output").absolute()


StatKey = tuple[int, int, int, int]  # mtime_ns, ctime_ns, size, inode; all zero: unknown


@dataclass(frozen=True)
class Parsed:
    """One Markdown file as parsed, with the stat that identifies it (``source.text`` is not kept)."""

    stat_key: StatKey
    source: Source
    article: Article | None
    errors: tuple[BuildError, ...]
    warnings: tuple[BuildError, ...]


@dataclass
class BuildState:
    """What a successful build learnt that the next one can reuse."""

    config_key: str
    parsed: dict[str, Parsed] = field(default_factory=dict)
    fingerprints: Fingerprints = field(default_factory=Fingerprints)
    templates: dict[str, bytes] = field(default_factory=dict)  # compiled templates, checked against their source
    template_references: dict[str, tuple[str | None, ...]] = field(default_factory=dict)
    loaded: LoadedSite | None = None  # the build's plan, which a body edit updates (see ``delta``)
    signatures: tuple[Remembered[str], Remembered[str]] = ({}, {})  # full and card signatures (see ``memory``)
    # Kept in memory only (the dev server's): feed entries hold every body
    # again, which would double the build cache for little gain.
    feed_entries: Remembered[bytes] = field(default_factory=dict)  # serialised feed entries (see ``memory``)
    started_ns: int = 0  # the wall clock when the build began, before it read any file
    related: RelatedMemo | None = None  # related stories, reused while order and tags stand
    # The output folder as the CLI build left it, "/path": stat (see
    # ``uptodate.scan_outputs``). A file is reused only while its stat is the
    # one recorded: another build (``serve --drafts``, ``--no-cache``) or a
    # hand edit may have rewritten it since.
    output_stats: dict[str, Stat | None] | None = None
    snapshot_ns: int = 0  # the CLI's up-to-date snapshot this build started from (see ``uptodate``)

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "feed_entries": {}}

    def __setstate__(self, values: dict[str, object]) -> None:
        full, cards = values["signatures"]  # type: ignore[misc]
        self.__dict__.update(values, signatures=(rekey(full), rekey(cards)))


@dataclass(frozen=True)
class BuildResult:
    articles: int
    pages: int
    files: int
    written: int
    removed: int
    rendered: int
    seconds: float
    warnings: tuple[BuildError, ...] = ()
    changed_files: tuple[str, ...] = ()
    state: BuildState | None = None
    partial: bool = False  # only body edits: the previous plan was updated, not remade
    plan_kept: bool = False  # body or template edits: the previous plan stood (updated for body edits)


def check_output_location(site_dir: Path, output: Path) -> None:
    """Refuse output folders whose replacement would destroy the site itself."""
    site = site_dir.resolve()
    out = output.resolve()
    protected = [site / name for name in ("content", "templates", "static", "themes", ".git", CONFIG_NAME)]
    if out == site or site.is_relative_to(out) or any(out.is_relative_to(p) for p in protected):
        raise BuildFailed([BuildError(CONFIG_NAME, None, f"refusing to use {output} as the output folder: "
                                      "it would replace the site's own files")])


def _stat_key(path: Path) -> StatKey:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0, 0, 0)
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


def parse_sources(
    site_dir: Path, paths: Iterable[Path], config: Config, previous: dict[str, Parsed], changed: frozenset[str],
    jobs: int = 1,
) -> dict[str, Parsed]:
    """Read and parse each Markdown file, reusing ``previous`` where the file is unchanged.

    A file this build has not seen before is read where it is parsed, in
    the workers of a cold build: reading ten thousand files here first
    would keep them waiting half a second.
    """
    parsed: dict[str, Parsed] = {}
    to_parse: list[tuple[StatKey, Source | Path]] = []
    for path in paths:
        relative = path.relative_to(site_dir).as_posix()
        key = _stat_key(path)
        old = previous.get(relative)
        if old is not None and old.stat_key == key and relative not in changed:
            parsed[relative] = old
            continue
        parsed[relative] = None  # type: ignore[assignment]  # keeps the walk's order
        if old is None:
            to_parse.append((key, path))
            continue
        source = read_source(site_dir, path)
        if isinstance(source, BuildError):
            parsed[relative] = _unreadable(key, source)
        elif old.source.digest == source.digest:
            parsed[relative] = Parsed(key, old.source, old.article, old.errors, old.warnings)
        else:
            to_parse.append((key, source))
    renderers: list[Renderer] = []  # one per process, made on first use

    def parse_one(item: tuple[StatKey, Source | Path]) -> Parsed:
        key, source = item
        if isinstance(source, Path):
            source = read_source(site_dir, source)
            if isinstance(source, BuildError):
                return _unreadable(key, source)
        if not renderers:
            renderers.append(make_renderer(config))
        try:
            article, errors, warnings = parse_article(source, config, renderers[0])
        except Exception as exc:  # noqa: BLE001 - a bug must still name the file
            article, errors, warnings = None, [BuildError(source.path, None, f"internal error while reading this file: {exc!r}")], []
        # The text is not kept: a parse needs it once, and on a large site it
        # would be the biggest thing held in memory and in the build cache.
        return Parsed(key, replace(source, text=""), article, tuple(errors), tuple(warnings))

    for result in map_in_order(parse_one, to_parse, jobs):
        parsed[result.source.path] = result
    return parsed


def _unreadable(key: StatKey, error: BuildError) -> Parsed:
    return Parsed(key, Source(error.path, "", ""), None, (error,), ())


def _config_key(site_dir: Path, options: BuildOptions) -> str:
    """Anything whose change invalidates every page: config.toml and the build flags."""
    try:
        text = (site_dir / CONFIG_NAME).read_bytes()
    except OSError:
        text = b""
    flags = f"{options.drafts}|{options.future}|{options.output_dir}|{site_dir}".encode()
    return hashlib.blake2b(text + b"\x00" + flags, digest_size=16).hexdigest()


@dataclass(frozen=True)
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
    # See ``delta.dependents_index``; None in a build that is not remembered, which no edit follows.
    dependents: Mapping[str, tuple[tuple[int, ...], tuple[int, ...]]] | None
    next_publication: datetime | None  # when a scheduled article goes live and changes the plan

    @cached_property
    def pages_by_output(self) -> dict[str, Page]:
        return {page.output: page for page in self.pages}

    @cached_property
    def placed(self) -> dict[str, Article]:
        """Each published article as the site holds it (with canonical term names), by source."""
        return {article.source: article for article in (*self.site.articles, *self.site.pages)}


def load_site(options: BuildOptions, state: BuildState | None = None, changed: Iterable[Path] = ()) -> LoadedSite:
    """Read, parse and link the whole site; raises ``BuildFailed`` on author errors."""
    site_dir = options.site_dir.absolute()
    config, config_warnings = load_config(site_dir)
    chain = theme_chain(site_dir, config.theme)
    theme_files = static_assets(site_dir, chain)
    markdown_paths, content_files, broken_links = list_content(site_dir)
    changed_names = frozenset(site_relative(site_dir, p) for p in changed)
    previous = state.parsed if state is not None else {}
    parsed = parse_sources(site_dir, markdown_paths, config, previous, changed_names, options.jobs or default_jobs())
    errors = [*broken_links, *(e for p in parsed.values() for e in p.errors)]
    warnings = [*config_warnings, *(w for p in parsed.values() for w in p.warnings)]
    articles = [p.article for p in parsed.values() if p.article is not None]

    now = current_time(options.now)
    site = collect_site(articles, config, now, drafts=options.drafts, future=options.future,
                        related=state.related if state is not None else None)
    scheduled = [] if options.future else [a.date for a in articles
                                           if a.date and a.date > now and (options.drafts or not a.draft)]
    pages = plan_pages(site, config)
    feeds = plan_feeds(site, config)
    copies = (*theme_files.values(), *content_files)
    planned = [page.planned for page in pages] + [feed.planned for feed in feeds]
    planned += [Planned("sitemap.xml", Origin(CONFIG_NAME, None, "the sitemap")),
                Planned("robots.txt", Origin(CONFIG_NAME, None, "robots.txt"))]
    planned += [Planned(asset.output, Origin(asset.origin, None, "file")) for asset in copies]
    errors += check_collisions(planned)
    if errors:
        raise BuildFailed(errors)
    return LoadedSite(config, chain, theme_files, copies, parsed, site, pages, feeds, tuple(warnings),
                      dependents_index(pages, feeds) if options.remember else None,
                      min(scheduled, default=None))


@dataclass(frozen=True)
class Plan:
    """What to build: the site, and which pages and feeds may have changed (None: any)."""

    loaded: LoadedSite
    pages_to_check: tuple[int, ...] | None = None
    feeds_to_check: tuple[int, ...] | None = None
    kept: bool = False  # the previous build's plan, as it was or updated by body edits

    @property
    def complete(self) -> bool:
        return self.pages_to_check is None


def _kept_plan(options: BuildOptions, state: BuildState, changed: Iterable[Path]) -> Plan | None:
    """The previous plan, updated, if every change is a body edit or a template; else None.

    A body edit (see ``delta``) puts the new article in place of the old
    one and checks only the pages and feeds that show it. Templates decide
    how pages look, never which pages there are: the plan stands, every page
    is checked, and the fingerprints (which cover each page's templates)
    pick the ones to render. Keeping the plan's very objects also keeps
    their remembered signatures (see ``memory``).

    Trusts ``changed`` to name every file that changed, as the dev server's
    watcher and the CLI's up-to-date record do; anything it cannot prove
    harmless falls back to the full build, which also reports errors.
    """
    loaded = state.loaded
    if loaded is None or (loaded.next_publication and current_time(options.now) >= loaded.next_publication):
        return None
    site_dir = options.site_dir.absolute()
    paths = sorted({path if path.is_absolute() else site_dir / path for path in changed})
    folders = [site_dir / "templates", *(theme.templates for theme in loaded.chain)]
    templates = [path for path in paths if any(path.is_relative_to(folder) for folder in folders)]
    sources = [path for path in paths if path not in templates]
    names = [site_relative(site_dir, path) for path in sources]
    if not paths or any(name not in loaded.parsed or not path.is_file() for name, path in zip(names, sources)):
        return None
    plan: Plan | None = Plan(loaded, kept=True)
    if sources:
        fresh = parse_sources(site_dir, sources, loaded.config, state.parsed, frozenset(names))
        plan = apply_body_edits(loaded, fresh, state.fingerprints)
    if plan is not None and templates:  # any page may look different
        plan = replace(plan, pages_to_check=None, feeds_to_check=None)
    return plan


def apply_body_edits(loaded: LoadedSite, fresh: Mapping[str, Parsed], fingerprints: Fingerprints) -> Plan | None:
    """``loaded`` with the articles of ``fresh`` in place of the old, if they are body edits only.

    Deterministic, so the build cache can replay a CLI build's body edits on
    the plan it holds instead of writing the whole plan again.
    """
    if loaded.dependents is None:
        return None
    edits = []
    for name, entry in fresh.items():
        before = loaded.parsed[name].article
        if entry.errors or entry.article is None or before is None or not moves_nothing(before, entry.article):
            return None
        placed = loaded.placed.get(name)
        if placed is not None:  # unpublished drafts are on no page
            edits.append((placed, replace(entry.article, tags=placed.tags, section=placed.section,
                                          authors=placed.authors)))
    replanned = replan(loaded.site, loaded.pages, loaded.feeds, loaded.dependents, edits)
    readers = {output for output, record in fingerprints.records.items() if record.used_site}
    if readers and edits:  # pages whose templates read ``site`` depend on every article
        replanned = replace(replanned, pages_to_check=tuple(sorted({
            *replanned.pages_to_check, *(i for i, page in enumerate(loaded.pages) if page.output in readers)})))
    warnings = (*(w for w in loaded.warnings if w.path not in fresh), *(w for p in fresh.values() for w in p.warnings))
    updated = replace(loaded, parsed={**loaded.parsed, **fresh}, site=replanned.site, pages=replanned.pages,
                      feeds=replanned.feeds, warnings=warnings)
    return Plan(updated, replanned.pages_to_check, replanned.feeds_to_check, kept=True)


def build(
    options: BuildOptions,
    progress: Progress | None = None,
    state: BuildState | None = None,
    changed: Iterable[Path] = (),
    in_place: bool = False,
    waiting: Callable[[], None] | None = None,
) -> BuildResult:
    """Build the site; raises ``BuildFailed`` with every author error found.

    ``state`` and ``changed`` (paths the caller knows were modified) make the
    build incremental; ``in_place`` replaces changed files one by one instead
    of swapping in a whole new folder (the dev server, which holds requests
    while it builds, uses it for speed). Rendering and writing wait for any
    other build writing into the same folder (see ``lock``); ``waiting`` is
    called if this one has to.
    """
    started = time.perf_counter()
    started_ns = time.time_ns()
    site_dir = options.site_dir.absolute()
    output = options.output_dir
    check_output_location(site_dir, output)
    config_key = _config_key(site_dir, options)
    if state is None or state.config_key != config_key:
        state = BuildState(config_key)
    changed = tuple(changed)
    plan = None
    if changed and output.is_dir():  # the previous plan may stand
        plan = _kept_plan(options, state, changed)
    plan = plan or Plan(load_site(options, state, changed))
    loaded = plan.loaded
    env = make_environment(loaded.config, loaded.chain, loaded.theme_files, loaded.site, state.templates)
    fingerprints = _Fingerprinter(loaded, env, state, output)
    entries = Entries(loaded.config, state.feed_entries)
    staging: Staging | None = None
    with output_lock(output, waiting):
        try:
            # A whole-site CLI build streams each file to the staging folder next to
            # output/ as it is rendered, so the site is never held in memory.
            staging = Staging(output) if plan.complete and not in_place else None
            store = staging.add if staging else _in_memory
            files, records, rendered = _render_all(plan, env, fingerprints, entries, progress,
                                                   options.jobs or default_jobs(), store, options.remember)
            if plan.complete:
                files += [_sitemap_file(loaded, fingerprints, records, store, options.remember),
                          OutputFile("robots.txt", data=sitemap.robots(loaded.config))]
                files += [OutputFile(asset.output, copy_from=asset.source) for asset in loaded.copies]
                result = write_in_place(output, files) if in_place else write_output(output, files, staging)
            else:
                result = update_in_place(output, files) if in_place else apply_changes(output, files)
        except BaseException as exc:
            if staging is not None:  # once every worker has stopped writing into it
                staging.discard()
            if isinstance(exc, OutputError):
                raise BuildFailed([BuildError(site_relative(site_dir, output), None, str(exc))]) from None
            raise
    new_state = BuildState(config_key, loaded.parsed, Fingerprints(records), state.templates,
                           state.template_references, loaded, fingerprints.signatures, entries.used,
                           started_ns, _related_memo(loaded.site, state.related)) if options.remember else None
    return BuildResult(
        articles=len(loaded.site.articles),
        pages=len(loaded.pages),
        files=len(loaded.pages) + len(loaded.feeds) + 2 + len(loaded.copies),
        written=len(result.written),
        removed=len(result.removed),
        rendered=rendered,
        seconds=time.perf_counter() - started,
        warnings=tuple(loaded.warnings),
        changed_files=tuple(sorted(result.written + result.removed)),
        state=new_state,
        partial=not plan.complete,
        plan_kept=plan.kept,
    )


class _Fingerprinter:
    """Decides which outputs must be rendered, and records what each render depended on."""

    def __init__(self, loaded: LoadedSite, env: jinja2.Environment, state: BuildState, output: Path) -> None:
        self.loaded = loaded
        self.previous = state.fingerprints
        self.output = output
        self.output_stats = state.output_stats
        self.signer = Signer(remembered=state.signatures[0])
        self.cards = Signer(cards=True, remembered=state.signatures[1])
        self.templates = TemplateDigests(env, state.template_references)
        self.shared = self.signer.digest(navigation(loaded.site), sorted(loaded.theme_files))
        self._site_signature: str | None = None

    @property
    def signatures(self) -> tuple[Remembered[str], Remembered[str]]:
        return self.signer.used, self.cards.used

    def site_signature(self) -> str:
        if self._site_signature is None:
            self._site_signature = self.signer.digest(self.loaded.site)
        return self._site_signature

    def page_base(self, page: Page) -> str:
        return self.signer.digest(self.templates.of_candidates(page.templates), page.url, page.title, page.namespace,
                                  self.cards.page(page.context), self.shared)

    def page_current(self, page: Page, base: str) -> bool:
        full = (lambda: self.signer.digest(page.context))  # noqa: E731 - evaluated only when needed
        return self.previous.unchanged(page.output, base, self.site_signature, full) and self.intact(page.output)

    def intact(self, output: str) -> bool:
        """Is the file the previous build made still there as it left it?"""
        if self.output_stats is None:  # the dev server's own state: it alone writes there
            return (self.output / output).is_file()
        return stat_of(str(self.output / output)) == self.output_stats.get(output_label(output))

    def page_record(self, page: Page, base: str, used_site: bool, read_full: bool) -> RenderRecord:
        return Fingerprints.record(base, used_site, self.site_signature, read_full,
                                   lambda: self.signer.digest(page.context))

    def feed_base(self, feed: Feed) -> str:
        return self.signer.digest("feed", feed.format, feed.title, feed.feed_url, feed.page_url,
                                  feed.entries(self.loaded.config))

    def current(self, output: str, base: str) -> bool:
        """For outputs made without templates (feeds, the sitemap): is the file there made from ``base``?"""
        return self.previous.unchanged(output, base, self.site_signature) and self.intact(output)


Store = Callable[[str, bytes], OutputFile]  # puts a rendered file somewhere; says what the writer gets


def _in_memory(path: str, data: bytes) -> OutputFile:
    return OutputFile(path, data=data)


def _render_all(plan: Plan, env: jinja2.Environment, fingerprints: _Fingerprinter, entries: Entries,
                progress: Progress | None, jobs: int = 1, store: Store = _in_memory,
                remember: bool = True) -> tuple[list[OutputFile], dict[str, RenderRecord], int]:
    """Render every page and feed whose fingerprint changed, handing each to ``store`` as it comes.

    A complete plan lists every output (``keep`` for the current ones); a
    plan after body edits lists only what was rendered, and inherits the
    other records. Without ``remember`` (and so with no previous records)
    everything is rendered and no record is made.
    """
    loaded = plan.loaded
    pages, feeds = loaded.pages, loaded.feeds
    previous = fingerprints.previous
    records = {} if plan.complete else dict(previous.records)
    page_indexes = range(len(pages)) if plan.pages_to_check is None else plan.pages_to_check
    feed_indexes = range(len(feeds)) if plan.feeds_to_check is None else plan.feeds_to_check
    total = len(page_indexes) + len(feed_indexes)
    done = 0
    to_render: list[int] = []
    bases: dict[int, str] = {}
    # With no previous fingerprints nothing is current: each page's base is
    # worked out where it is rendered, in the workers too.
    cold = not previous.records
    for index in page_indexes:
        page = pages[index]
        if cold:
            to_render.append(index)
            continue
        base = fingerprints.page_base(page)
        if fingerprints.page_current(page, base):
            records[page.output] = previous.records[page.output]
            done += 1
        else:
            to_render.append(index)
            bases[index] = base
    feed_bases = {index: fingerprints.feed_base(feeds[index]) if remember else "" for index in feed_indexes}
    feeds_to_render = [index for index in feed_indexes
                       if not fingerprints.current(feeds[index].planned.output, feed_bases[index])]
    done += len(feed_indexes) - len(feeds_to_render)
    if progress:
        progress(done, total)

    def count(finished: int) -> None:
        nonlocal done
        done += finished
        if progress:
            progress(done, total)

    site = loaded.site

    def render_one(item: tuple[bool, int]) -> tuple[OutputFile | BuildError, str, bool, bool]:
        """Render and store one page or feed, in whichever process renders it: only what
        the writer is told (not the bytes, when they are staged) goes back to this process."""
        is_feed, index = item
        if is_feed:
            feed = feeds[index]
            return store(feed.planned.output, feed.render(loaded.config, entries)), feed_bases[index], False, False
        page = pages[index]
        base = bases[index] if index in bases else fingerprints.page_base(page) if remember else ""
        html, used_site, read_full = render_page(page, env, site)
        if isinstance(html, BuildError):
            return html, base, used_site, read_full
        return store(page.output, html), base, used_site, read_full

    # Feeds go last: the workers start on the pages, this process on the feeds.
    items = [(False, index) for index in to_render] + [(True, index) for index in feeds_to_render]
    made: dict[tuple[bool, int], OutputFile] = {}
    errors: list[BuildError] = []
    for item, (stored, base, used_site, read_full) in zip(items, map_in_order(render_one, items, jobs, count)):
        if isinstance(stored, BuildError):
            errors.append(stored)
        elif not errors:  # once the build has failed, nothing more is worth keeping
            made[item] = stored
            if remember and not item[0]:
                page = pages[item[1]]
                records[page.output] = fingerprints.page_record(page, base, used_site, read_full)
    if errors:
        raise BuildFailed(errors)
    files: list[OutputFile] = []
    for index in page_indexes:
        if (False, index) in made:
            files.append(made[(False, index)])
        elif plan.complete:
            files.append(OutputFile(pages[index].output, keep=True))
    for index in feed_indexes:
        output = feeds[index].planned.output
        if (True, index) in made:
            files.append(made[(True, index)])
        elif plan.complete:
            files.append(OutputFile(output, keep=True))
        if remember:
            records[output] = RenderRecord(feed_bases[index])
    return files, records, len(items)


def _related_memo(site: Site, previous: RelatedMemo | None) -> RelatedMemo:
    return previous if previous is not None and previous.key == site.related_key else site.related_memo()


def _sitemap_file(loaded: LoadedSite, fingerprints: _Fingerprinter, records: dict[str, RenderRecord],
                  store: Store, remember: bool = True) -> OutputFile:
    """The sitemap, unless the URLs and dates it lists are those of the file already there."""
    if not remember:
        return store("sitemap.xml", sitemap.sitemap(loaded.config, loaded.pages))
    base = fingerprints.signer.digest("sitemap", [(page.url, page.lastmod, page.in_sitemap) for page in loaded.pages])
    records["sitemap.xml"] = RenderRecord(base)
    if fingerprints.current("sitemap.xml", base):
        return OutputFile("sitemap.xml", keep=True)
    return store("sitemap.xml", sitemap.sitemap(loaded.config, loaded.pages))
