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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timezone
from pathlib import Path

from generator import sitemap
from generator.articles import Article, parse_article
from generator.config import CONFIG_NAME, Config, load_config
from generator.errors import BuildError, BuildFailed
from generator.feeds import Feed, plan_feeds
from generator.graph import Fingerprints, RenderRecord, Signer, TemplateDigests
from generator.markup import Renderer, make_renderer
from generator.outputs import Origin, Planned, check_collisions
from generator.parallel import default_jobs, map_in_order
from generator.pages import Page, plan_pages
from generator.render import make_environment, navigation, render_page
from generator.site import Site, collect_site
from generator.sources import Asset, Source, list_content, read_source
from generator.themes import Theme, static_assets, theme_chain
from generator.writer import OutputError, OutputFile, write_in_place, write_output

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildOptions:
    site_dir: Path
    output: Path | None = None  # default: SITE/output
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # default: SOURCE_DATE_EPOCH, else the clock
    jobs: int | None = None  # worker processes for cold builds; default: the number of cores

    @property
    def output_dir(self) -> Path:
        return (self.output or self.site_dir / "output").absolute()


@dataclass(frozen=True)
class Parsed:
    """One Markdown file as read and parsed, with the stat that identifies it."""

    stat_key: tuple[int, int, int]
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


def current_time(now: datetime | None = None) -> datetime:
    """The build's notion of "now", which decides what counts as future."""
    if now is not None:
        return now
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc)


def check_output_location(site_dir: Path, output: Path) -> None:
    """Refuse output folders whose replacement would destroy the site itself."""
    site = site_dir.resolve()
    out = output.resolve()
    protected = [site / name for name in ("content", "templates", "static", "themes", ".git", CONFIG_NAME)]
    if out == site or site.is_relative_to(out) or any(out.is_relative_to(p) for p in protected):
        raise BuildFailed([BuildError(CONFIG_NAME, None, f"refusing to use {output} as the output folder: "
                                      "it would replace the site's own files")])


def _stat_key(path: Path) -> tuple[int, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0, 0)
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def parse_sources(
    site_dir: Path, paths: Iterable[Path], config: Config, previous: dict[str, Parsed], changed: frozenset[str],
    jobs: int = 1,
) -> dict[str, Parsed]:
    """Read and parse each Markdown file, reusing ``previous`` where the file is unchanged."""
    parsed: dict[str, Parsed] = {}
    to_parse: list[tuple[tuple[int, int, int], Source]] = []
    for path in paths:
        relative = path.relative_to(site_dir).as_posix()
        key = _stat_key(path)
        old = previous.get(relative)
        if old is not None and old.stat_key == key and relative not in changed:
            parsed[relative] = old
            continue
        source = read_source(site_dir, path)
        if isinstance(source, BuildError):
            parsed[relative] = Parsed(key, Source(relative, "", ""), None, (source,), ())
        elif old is not None and old.source.digest == source.digest:
            parsed[relative] = Parsed(key, old.source, old.article, old.errors, old.warnings)
        else:
            parsed[relative] = None  # type: ignore[assignment]  # keeps the walk's order
            to_parse.append((key, source))
    renderers: list[Renderer] = []  # one per process, made on first use

    def parse_one(item: tuple[tuple[int, int, int], Source]) -> Parsed:
        key, source = item
        if not renderers:
            renderers.append(make_renderer(config))
        try:
            article, errors, warnings = parse_article(source, config, renderers[0])
        except Exception as exc:  # noqa: BLE001 - a bug must still name the file
            article, errors, warnings = None, [BuildError(source.path, None, f"internal error while reading this file: {exc!r}")], []
        return Parsed(key, source, article, tuple(errors), tuple(warnings))

    for result in map_in_order(parse_one, to_parse, jobs):
        parsed[result.source.path] = result
    return parsed


def _config_key(site_dir: Path, options: BuildOptions) -> str:
    """Anything whose change invalidates every page: config.toml and the build flags."""
    try:
        text = (site_dir / CONFIG_NAME).read_bytes()
    except OSError:
        text = b""
    flags = f"{options.drafts}|{options.future}|{options.output_dir}".encode()
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

    @cached_property
    def pages_by_output(self) -> dict[str, Page]:
        return {page.output: page for page in self.pages}


def load_site(options: BuildOptions, state: BuildState | None = None, changed: Iterable[Path] = ()) -> LoadedSite:
    """Read, parse and link the whole site; raises ``BuildFailed`` on author errors."""
    site_dir = options.site_dir.absolute()
    config, config_warnings = load_config(site_dir)
    chain = theme_chain(site_dir, config.theme)
    theme_files = static_assets(site_dir, chain)
    markdown_paths, content_files, broken_links = list_content(site_dir)
    changed_names = frozenset(_relative(site_dir, p) for p in changed)
    previous = state.parsed if state is not None else {}
    parsed = parse_sources(site_dir, markdown_paths, config, previous, changed_names, options.jobs or default_jobs())
    errors = [*broken_links, *(e for p in parsed.values() for e in p.errors)]
    warnings = [*config_warnings, *(w for p in parsed.values() for w in p.warnings)]
    articles = [p.article for p in parsed.values() if p.article is not None]

    site = collect_site(articles, config, current_time(options.now), drafts=options.drafts, future=options.future)
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
    return LoadedSite(config, chain, theme_files, copies, parsed, site, pages, feeds, tuple(warnings))


def build(
    options: BuildOptions,
    progress: Progress | None = None,
    state: BuildState | None = None,
    changed: Iterable[Path] = (),
    in_place: bool = False,
) -> BuildResult:
    """Build the site; raises ``BuildFailed`` with every author error found.

    ``state`` and ``changed`` (paths the caller knows were modified) make the
    build incremental; ``in_place`` replaces changed files one by one instead
    of swapping in a whole new folder (the dev server, which holds requests
    while it builds, uses it for speed).
    """
    started = time.perf_counter()
    site_dir = options.site_dir.absolute()
    output = options.output_dir
    check_output_location(site_dir, output)
    config_key = _config_key(site_dir, options)
    if state is None or state.config_key != config_key:
        state = BuildState(config_key)
    loaded = load_site(options, state, changed)
    config, site, pages, feeds, chain, theme_files = (
        loaded.config, loaded.site, loaded.pages, loaded.feeds, loaded.chain, loaded.theme_files)
    copies, parsed, warnings = loaded.copies, loaded.parsed, loaded.warnings

    env = make_environment(config, chain, theme_files, site)
    jobs = options.jobs or default_jobs()
    files, records, rendered = _render_all(pages, feeds, env, site, config, theme_files, state, output, progress, jobs)
    files += [OutputFile("sitemap.xml", data=sitemap.sitemap(config, pages)),
              OutputFile("robots.txt", data=sitemap.robots(config))]
    files += [OutputFile(asset.output, copy_from=asset.source) for asset in copies]
    try:
        result = write_in_place(output, files) if in_place else write_output(output, files)
    except OutputError as exc:
        raise BuildFailed([BuildError(_relative(site_dir, output), None, str(exc))]) from None
    new_state = BuildState(config_key, parsed, Fingerprints(records))
    return BuildResult(
        articles=len(site.articles),
        pages=len(pages),
        files=len(files),
        written=len(result.written),
        removed=len(result.removed),
        rendered=rendered,
        seconds=time.perf_counter() - started,
        warnings=tuple(warnings),
        changed_files=tuple(sorted(result.written + result.removed)),
        state=new_state,
    )


def _render_all(pages, feeds, env, site: Site, config: Config, theme_files, state: BuildState,  # type: ignore[no-untyped-def]
                output: Path, progress: Progress | None, jobs: int = 1) -> tuple[list[OutputFile], dict[str, RenderRecord], int]:
    """Render every page and feed whose fingerprint changed; keep the rest."""
    signer = Signer()
    cards = Signer(cards=True)
    templates = TemplateDigests(env)
    shared = signer.digest(navigation(site), sorted(theme_files))
    site_signature_cache: list[str] = []

    def site_signature() -> str:
        if not site_signature_cache:
            site_signature_cache.append(signer.digest(site))
        return site_signature_cache[0]

    files: list[OutputFile] = []
    records: dict[str, RenderRecord] = {}
    previous = state.fingerprints
    total = len(pages) + len(feeds)
    done = 0
    to_render: list[int] = []
    bases: dict[int, str] = {}
    for index, page in enumerate(pages):
        base = signer.digest(templates.of_candidates(page.templates), page.url, page.title, page.namespace,
                             cards.page(page.context), shared)
        full = (lambda context=page.context: signer.digest(context))  # noqa: E731 - evaluated only when needed
        if previous.unchanged(page.output, base, site_signature, full) and (output / page.output).is_file():
            records[page.output] = previous.records[page.output]
            done += 1
        else:
            to_render.append(index)
            bases[index] = base
    if progress:
        progress(done, total)

    def count(finished: int) -> None:
        nonlocal done
        done += finished
        if progress:
            progress(done, total)

    outcomes = dict(zip(to_render, map_in_order(lambda i: render_page(pages[i], env, site), to_render, jobs, count)))
    errors = [html for html, _, _ in outcomes.values() if isinstance(html, BuildError)]
    rendered = len(to_render)
    for index, page in enumerate(pages):
        if index not in outcomes:
            files.append(OutputFile(page.output, keep=True))
            continue
        html, used_site, read_full = outcomes[index]
        if not isinstance(html, BuildError):
            files.append(OutputFile(page.output, data=html))
            records[page.output] = Fingerprints.record(bases[index], used_site, site_signature, read_full,
                                                       lambda context=page.context: signer.digest(context))
    if errors:
        raise BuildFailed(errors)
    for position, feed in enumerate(feeds, start=len(pages) + 1):
        output_path = feed.planned.output
        base = signer.digest("feed", feed.format, feed.title, feed.feed_url, feed.page_url, feed.entries(config))
        if previous.unchanged(output_path, base, site_signature) and (output / output_path).is_file():
            files.append(OutputFile(output_path, keep=True))
        else:
            files.append(OutputFile(output_path, data=feed.render(config)))
            rendered += 1
        records[output_path] = RenderRecord(base)
        if progress:
            progress(position, total)
    return files, records, rendered


def _relative(site_dir: Path, path: Path) -> str:
    path = path if path.is_absolute() else site_dir / path
    try:
        return path.absolute().relative_to(site_dir).as_posix()
    except ValueError:
        return str(path)
