"""``build(options) -> BuildResult``: the one orchestrator of the pipeline.

Load everything, link it together, render, then write: nothing touches the
output folder until every page has rendered, and any author error stops
the build with all errors reported together.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from generator import feeds, sitemap, urls
from generator.articles import Article, parse_article
from generator.config import Config, load_config
from generator.errors import BuildError, BuildFailed
from generator.markup import MarkdownRenderer
from generator.outputs import Origin, Planned, check_collisions
from generator.pages import plan_pages
from generator.render import make_environment, render_page
from generator.site import Site, collect_site
from generator.sources import Source, collect_content
from generator.themes import static_assets, theme_chain
from generator.writer import OutputError, OutputFile, write_output

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildOptions:
    site_dir: Path
    output: Path | None = None  # default: SITE/output
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # default: SOURCE_DATE_EPOCH, else the clock

    @property
    def output_dir(self) -> Path:
        return (self.output or self.site_dir / "output").absolute()


@dataclass(frozen=True)
class BuildResult:
    articles: int
    pages: int
    files: int
    written: int
    removed: int
    seconds: float
    warnings: tuple[BuildError, ...] = field(default=())


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
    protected = [site / name for name in ("content", "templates", "static", "themes", ".git")]
    if out == site or site.is_relative_to(out) or any(out.is_relative_to(p) for p in protected):
        raise BuildFailed([BuildError("config.toml", None, f"refusing to use {output} as the output folder: "
                                      "it would replace the site's own files")])


def parse_all(sources: list[Source], config: Config) -> tuple[list[Article], list[BuildError], list[BuildError]]:
    renderer = MarkdownRenderer(config)
    articles: list[Article] = []
    errors: list[BuildError] = []
    warnings: list[BuildError] = []
    for source in sources:
        try:
            article, problems, notes = parse_article(source, config, renderer)
        except Exception as exc:  # noqa: BLE001 - a bug must still name the file
            errors.append(BuildError(source.path, None, f"internal error while reading this file: {exc!r}"))
            continue
        errors.extend(problems)
        warnings.extend(notes)
        if article is not None:
            articles.append(article)
    return articles, errors, warnings


def plan_feeds(site: Site, config: Config) -> list[tuple[Planned, bytes]]:
    """The site feeds and one Atom feed per tag, section and author."""
    home = urls.site_path(config, "/")
    site_origin = Origin("config.toml", None, "the site feed")
    planned = [
        (Planned("feed.xml", site_origin), feeds.atom_feed(config, config.title, urls.site_path(config, "/feed.xml"), home, site.articles)),
        (Planned("rss.xml", site_origin), feeds.rss_feed(config, config.title, urls.site_path(config, "/rss.xml"), home, site.articles)),
    ]
    for kind, entries in (("tag", site.tags), ("section", site.sections), ("author", site.authors)):
        for entry in entries:
            page_url = urls.expand(config, kind, slug=entry.slug)
            feed_url = page_url + "feed.xml"
            first = entry.articles[-1]
            origin = Origin(first.source, None, f"the feed of {kind} '{entry.name}'")
            title = f"{entry.name} – {config.title}"
            planned.append((Planned(urls.output_file(config, feed_url), origin),
                            feeds.atom_feed(config, title, feed_url, page_url, entry.articles)))
    return planned


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build the site; raises ``BuildFailed`` with every author error found."""
    started = time.perf_counter()
    site_dir = options.site_dir.absolute()
    config, warnings = load_config(site_dir)
    output = options.output_dir
    check_output_location(site_dir, output)
    chain = theme_chain(site_dir, config.theme)
    theme_files = static_assets(site_dir, chain)

    sources, content_files, errors = collect_content(site_dir)
    articles, parse_errors, parse_warnings = parse_all(sources, config)
    errors += parse_errors
    warnings += parse_warnings

    site = collect_site(articles, config, current_time(options.now), drafts=options.drafts, future=options.future)
    pages = plan_pages(site, config)
    feed_files = plan_feeds(site, config)
    extras = [
        (Planned("sitemap.xml", Origin("config.toml", None, "the sitemap")), sitemap.sitemap(config, pages)),
        (Planned("robots.txt", Origin("config.toml", None, "robots.txt")), sitemap.robots(config)),
    ]
    copies = [*theme_files.values(), *content_files]
    planned = [page.planned for page in pages] + [p for p, _ in feed_files + extras]
    planned += [Planned(asset.output, Origin(asset.origin, None, "file")) for asset in copies]
    errors += check_collisions(planned)
    if errors:
        raise BuildFailed(errors)

    env = make_environment(config, chain, theme_files, site)
    files: list[OutputFile] = []
    for done, page in enumerate(pages, start=1):
        rendered = render_page(page, env)
        if isinstance(rendered, BuildError):
            errors.append(rendered)
        else:
            files.append(OutputFile(page.output, data=rendered))
        if progress:
            progress(done, len(pages))
    if errors:
        raise BuildFailed(errors)

    files += [OutputFile(p.output, data=data) for p, data in feed_files + extras]
    files += [OutputFile(asset.output, copy_from=asset.source) for asset in copies]
    try:
        result = write_output(output, files)
    except OutputError as exc:
        raise BuildFailed([BuildError(_shown(site_dir, output), None, str(exc))]) from None
    return BuildResult(
        articles=len(site.articles),
        pages=len(pages),
        files=len(files),
        written=result.written,
        removed=result.removed,
        seconds=time.perf_counter() - started,
        warnings=tuple(warnings),
    )


def _shown(site_dir: Path, path: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return str(path)
