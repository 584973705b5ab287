"""``build(options) -> BuildResult``: one build, from the files to the output folder.

Load everything and link it together (``load``), render what changed
(``incremental.render_changed``), then write (``output``): nothing touches
the output folder until every page has rendered, and any author error stops
the build with all errors reported together.

A build may be handed the ``BuildState`` of the previous one (``session``
keeps it, in memory for the dev server, in the build cache for the CLI).
Then unchanged files are not re-read or re-parsed, and pages whose inputs
have the same fingerprint are not re-rendered; the result is byte for byte
what a clean build would write.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator import messages
from generator.content.article import Article
from generator.content.sources import Asset, site_relative
from generator.errors import BuildError, BuildFailed
from generator.incremental.fingerprints import Fingerprints, RenderRecord
from generator.incremental.plan import Plan, kept_plan
from generator.incremental.render_changed import (
    Fingerprinter,
    Progress,
    Store,
    in_memory,
    related_memo,
    render_changed,
    sitemap_file,
)
from generator.incremental.state import BuildState
from generator.load import LoadedSite, config_key, every_newsroom_output, load_site, newsroom_outputs
from generator.options import BuildOptions, check_output_location
from generator.output.files import OutputError, OutputFile
from generator.output.lock import output_lock
from generator.output.staging import Staging
from generator.output.writer import apply_changes, update_in_place, write_in_place, write_output
from generator.parallel import default_jobs
from generator.render import sitemap
from generator.render.assets import published, read_asset
from generator.render.environment import make_environment
from generator.render.feeds import Entries
from generator.render.headers import HEADERS_FILE, headers_file
from generator.render.newsroom import corrections_feed, gone_rules, news_sitemap
from generator.render.redirects import redirect_page, redirects_file
from generator.search.index import INDEXED, SearchFiles, search_files
from generator.search.mirror import forget_mirror
from generator.search.tool import find_tool
from generator.site.newsroom import NEWS_SITEMAP, correction_log, in_news_window, newer_than_window
from generator.site.redirects import REDIRECTS_FILE

__all__ = ["BuildOptions", "BuildResult", "BuildState", "build"]


@dataclass(frozen=True, kw_only=True)
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
    new_day: bool = False  # the previous plan stood on a new day: the pages that show the date were checked
    scheduled: str | None = None  # the next embargoed article and when it goes live
    images_made: int = 0  # images and social cards made, not found in the cache (``.dateline/``)


def build(
    options: BuildOptions,
    *,
    progress: Progress | None = None,
    state: BuildState | None = None,
    changed: Iterable[Path] = (),
    changes_known: bool = False,
    in_place: bool = False,
    waiting: Callable[[], None] | None = None,
) -> BuildResult:
    """Build the site; raises ``BuildFailed`` with every author error found.

    ``state`` and ``changed`` (paths the caller knows were modified) make the
    build incremental; ``changes_known`` says ``changed`` names every file
    changed since ``state``'s build, even when it names none (a build on a
    new day may then keep the plan, see ``kept_plan``); ``in_place`` replaces changed files one by one instead
    of swapping in a whole new folder (the dev server, which holds requests
    while it builds, uses it for speed). Rendering and writing wait for any
    other build writing into the same folder (see ``output.lock``);
    ``waiting`` is called if this one has to.
    """
    started = time.perf_counter()
    started_ns = time.time_ns()
    site_dir = options.site_dir.absolute()
    output = options.output_dir
    check_output_location(site_dir, output)
    key = config_key(options)
    if state is None or state.config_key != key:
        state = BuildState(config_key=key)
    changed = tuple(changed)
    plan = kept_plan(options, state, changed) if (changed or changes_known) and output.is_dir() else None
    plan = plan or Plan(loaded=load_site(options, previous=state.parsed, related=state.related, changed=changed,
                                         catalogue=state.loaded.catalogue if state.loaded else None,
                                         catalogues=state.loaded.catalogues if state.loaded else None))
    loaded = plan.loaded
    window = news_window(loaded)  # the News sitemap's articles: they decide robots.txt too
    # This build's own copies: the state it was given stays as it was, should the build fail.
    templates, references = dict(state.templates), dict(state.template_references)
    envs = environments(loaded, templates)
    fingerprints = Fingerprinter(loaded, envs[""], state, output, references)
    entries = Entries(loaded.config, state.feed_entries)
    staging: Staging | None = None
    with output_lock(output, waiting):
        try:
            # A whole-site build streams each file to the staging folder next to output/
            # as it is rendered, so the site is never held in memory: 180,000 pages at
            # 100,000 articles, about 4 GB. In place (the dev server), they are then
            # renamed into output/ one by one once every page has rendered.
            staging = Staging(output, flat=in_place) if plan.complete else None
            store = staging.add if staging else in_memory
            files, records, rendered = render_changed(
                plan, envs=envs, fingerprints=fingerprints, entries=entries, progress=progress,
                jobs=options.jobs or default_jobs(), store=store, remember=options.remember)
            search = site_search(loaded, files, records, output, store, complete=plan.complete, staged=staging)
            files += search.files
            if plan.complete:
                files += [sitemap_file(loaded, fingerprints=fingerprints, records=records, store=store,
                                       remember=options.remember),
                          OutputFile("robots.txt", data=sitemap.robots(loaded.config, news=bool(window))),
                          OutputFile(HEADERS_FILE, data=headers_file(loaded.config, own_rules(loaded.own_header_rules))),
                          *newsroom_files(loaded, window)]
                files += [published(asset) for asset in loaded.copies]
                files += redirect_files(loaded)
                result = write_in_place(output, files, staging) if in_place else write_output(output, files, staging)
            else:
                result = (update_in_place(output, files, search.removed) if in_place
                          else apply_changes(output, files, search.removed))
        except BaseException as exc:
            if staging is not None:  # once every worker has stopped writing into it
                staging.discard()
            if isinstance(exc, OutputError):
                raise BuildFailed([BuildError(site_relative(site_dir, output), None, str(exc))]) from None
            raise
    new_state = BuildState(
        config_key=key, parsed=loaded.parsed, fingerprints=next_fingerprints(plan, state.fingerprints, records),
        templates=templates,
        template_references=references, loaded=loaded, signatures=fingerprints.signatures,
        feed_entries=entries.used, started_ns=started_ns, related=related_memo(loaded.site, state.related),
    ) if options.remember else None
    return BuildResult(
        articles=sum(len(edition.site.articles) for edition in loaded.editions) or len(loaded.site.articles),
        pages=len(loaded.pages),
        # Pages, feeds, sitemap, robots.txt, _headers, the News sitemap while it has articles, the
        # corrections feed, copies, redirect pages and _redirects (the search index is not counted).
        files=len(loaded.pages) + len(loaded.feeds) + 3 + bool(window) + len(every_newsroom_output(loaded.editions))
        + len(loaded.copies) + len(loaded.redirects) + bool(loaded.redirects or loaded.withdrawn),
        written=len(result.written),
        removed=len(result.removed),
        rendered=rendered,
        seconds=time.perf_counter() - started,
        warnings=(*loaded.warnings, *search.warnings),
        changed_files=tuple(sorted(result.written + result.removed)),
        state=new_state,
        partial=not plan.complete,
        plan_kept=plan.kept,
        new_day=plan.new_day,
        scheduled=scheduled_note(loaded),
        images_made=0 if plan.kept else loaded.images.made,
    )


def next_fingerprints(plan: Plan, previous: Fingerprints, records: dict[str, RenderRecord]) -> Fingerprints:
    """This build's fingerprints; after body edits, the previous ones carried over to the outputs it checked."""
    if plan.pages_to_check is None or plan.feeds_to_check is None:  # a complete plan: every record is new
        return Fingerprints(records)
    pages, feeds = plan.loaded.pages, plan.loaded.feeds
    return previous.then(records, [*(pages[index].output for index in plan.pages_to_check),
                                   *(feeds[index].planned.output for index in plan.feeds_to_check)])


def environments(loaded: LoadedSite, compiled: dict[str, bytes]) -> dict[str, jinja2.Environment]:
    """The Jinja environment of each language ("": the site's own), by ``Page.language``.

    Each speaks its language: its config (title, formats, URLs), its
    navigation and its catalogue; all share the compiled templates.
    """
    return {key: make_environment(edition.config, loaded.chain, loaded.theme_files, edition.site, compiled,
                                  loaded.today, loaded.catalogue_of(key))
            for key, edition in loaded.editions_by_key.items()}


def scheduled_note(loaded: LoadedSite) -> str | None:
    """``next scheduled article: PATH at 2027-05-05 09:00 Europe/London``, if an article waits."""
    if loaded.scheduled is None:
        return None
    local = loaded.scheduled.date.astimezone(loaded.config.tz)
    return messages.next_scheduled(loaded.scheduled.source, f"{local:%Y-%m-%d %H:%M} {loaded.config.timezone}")


def newsroom_files(loaded: LoadedSite, window: tuple[Article, ...]) -> list[OutputFile]:
    """The News sitemap, and the corrections feed.

    The News sitemap is written by every build (its window moves with the
    clock), and only while an article is in the window: a sitemap with no
    URL is not valid, and ``robots.txt`` names it only when it exists.
    ``window``: its articles (``news_window``).
    """
    files = [OutputFile(NEWS_SITEMAP, data=news_sitemap(loaded.config, window))] if window else []
    for edition in loaded.editions:  # each language's log of its own corrections
        for output in newsroom_outputs(edition.site, edition.config.language_path):
            files.append(OutputFile(output, data=corrections_feed(edition.config, correction_log(edition.site.articles))))
    return files


def news_window(loaded: LoadedSite) -> tuple[Article, ...]:
    """The articles the News sitemap lists at this build's time."""
    # Every language's articles, newest first: each entry names its own language.
    return in_news_window((a for site in loaded.sites for a in newer_than_window(site.articles, loaded.today)),
                          loaded.today)


def site_search(loaded: LoadedSite, files: list[OutputFile], records: dict[str, RenderRecord], output: Path,
                store: Store, *, complete: bool, staged: Staging | None) -> SearchFiles:
    """The search index's files, made again only if an indexed page changed (see ``search.index``)."""
    if not loaded.config.search.enabled:
        forget_mirror(output)  # search was on before: its folder of page links is not needed
        return SearchFiles()
    indexed = [page.output for page in loaded.pages if page.namespace in INDEXED]
    return search_files(tool=find_tool(), indexed=indexed, files=files, records=records, output=output, store=store,
                        complete=complete, staged=staged)


def redirect_files(loaded: LoadedSite) -> list[OutputFile]:
    """Every redirect page, and ``_redirects`` when there is any redirect or taken-down article."""
    if not loaded.redirects and not loaded.withdrawn:
        return []
    return [*(OutputFile(r.output, data=redirect_page(loaded.config, r)) for r in loaded.redirects),
            OutputFile(REDIRECTS_FILE, data=redirects_file(loaded.redirects, own_rules(loaded.own_redirect_rules),
                                                           gone_rules(loaded.config, loaded.withdrawn)))]


def own_rules(asset: Asset | None) -> bytes:
    """The site's own ``_redirects`` or ``_headers``, which Dateline's rules are added to."""
    return b"" if asset is None else read_asset(asset)
