"""The ``dateline`` command: build, new, clean (and the dev server's serve).

Exit status: 0 on success, 1 on content or configuration errors, 2 on
usage errors. Author errors print as ``path:line: message``, never as a
Python traceback.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from generator import __version__
from generator.config import CONFIG_NAME, load_config
from generator.errors import BuildError, BuildFailed
from generator.slugs import slugify

if TYPE_CHECKING:
    from generator.build import BuildResult, BuildState
    from generator.uptodate import Record, Snapshot, Stat

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70  # 70: EX_SOFTWARE


def _site_arguments(parser: argparse.ArgumentParser, output: bool = True) -> None:
    parser.add_argument("-s", "--site", type=Path, default=Path("."), metavar="SITE",
                        help="the site folder, the one with config.toml (default: current folder)")
    if output:
        parser.add_argument("-o", "--output", type=Path, default=None, metavar="OUTPUT",
                            help="where to write the site (default: SITE/output)")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is out of range (0-65535)")
    return port


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of jobs (1 or more)")
    return int(text)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dateline", description="A static site generator for news blogs.")
    parser.add_argument("--version", action="version", version=f"dateline {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="build the site into the output folder")
    _site_arguments(build_cmd)
    build_cmd.add_argument("--drafts", action="store_true", help="include articles marked as drafts")
    build_cmd.add_argument("--future", action="store_true", help="include articles dated in the future")
    build_cmd.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                           help="worker processes for parsing and rendering (default: the number of cores)")
    build_cmd.add_argument("--no-cache", action="store_true",
                           help="ignore and do not write the build cache in SITE/.dateline/")
    loudness = build_cmd.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    loudness.add_argument("-v", "--verbose", action="store_true", help="print warnings and file counts")

    new_cmd = commands.add_parser("new", help="start a new article from a template")
    new_cmd.add_argument("title", help='the headline, in quotes: dateline new "Council votes on budget"')
    new_cmd.add_argument("--section", default="", help="the section to file it under")
    _site_arguments(new_cmd, output=False)

    serve_cmd = commands.add_parser("serve", help="build, serve on 127.0.0.1, rebuild on changes, reload the browser")
    _site_arguments(serve_cmd)
    serve_cmd.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS",
                           help="address to listen on (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--port", type=_port, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve_cmd.add_argument("--drafts", action="store_true", help="include articles marked as drafts")
    serve_cmd.add_argument("--future", action="store_true", help="include articles dated in the future")
    serve_cmd.add_argument("--open", action="store_true", help="open the site in the web browser")

    check_cmd = commands.add_parser("check", help="check links, images, summaries, feeds and sitemap")
    _site_arguments(check_cmd)
    check_cmd.add_argument("--external", action="store_true", help="also request external links (slow)")
    check_cmd.add_argument("--strict", action="store_true", help="fail on warnings too")
    check_cmd.add_argument("--drafts", action="store_true", help="include articles marked as drafts")
    check_cmd.add_argument("--future", action="store_true", help="include articles dated in the future")

    clean_cmd = commands.add_parser("clean", help="remove the output folder")
    _site_arguments(clean_cmd)
    return parser


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _report(errors: Sequence[BuildError], stream: TextIO, prefix: str = "") -> None:
    for error in errors:
        print(f"{prefix}{error}", file=stream)


class _Progress:
    """A one-line counter for long builds, only on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if self.enabled and total >= 200 and (done % 50 == 0 or done == total):
            self.stream.write(f"\rRendering pages {done}/{total} ({done * 100 // total}%)")
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def run_build(args: argparse.Namespace) -> int:
    """Build, unless the up-to-date record proves there is nothing to do (see ``uptodate``)."""
    started = time.perf_counter()
    site_dir = args.site.absolute()
    output = (args.output or args.site / "output").absolute()
    if args.no_cache:
        return _full_build(args, site_dir, output, None, started)
    from generator import uptodate  # only builds need it (and importlib.metadata)
    from generator.dates import current_time

    key = uptodate.build_key(site_dir, output, {"drafts": args.drafts, "future": args.future})
    previous = uptodate.load(site_dir)
    snapshot = uptodate.take_snapshot(site_dir, output, key)
    changed = None
    if previous is not None and snapshot is not None:
        changed = uptodate.changed_inputs(previous, snapshot, current_time())
        if uptodate.is_current(previous, changed, output):
            if not args.quiet:
                for warning in previous.warnings:
                    print(f"warning: {warning}", file=sys.stderr)
                _summary(args, time.perf_counter() - started, **previous.summary, written=0, removed=0,
                         rendered=0, note=" (up to date: no file changed since the last build)")
            return EXIT_OK
    uptodate.forget(site_dir)
    since = None
    if previous is not None and changed:
        since = _Since(previous, changed, uptodate.scan_outputs_aside(output))
    return _full_build(args, site_dir, output, _Cached(snapshot, since), started)


@dataclass(frozen=True)
class _Since:
    """What changed since the recorded build: inputs (see ``uptodate.changed_inputs``) and maybe outputs."""

    record: Record
    changed: tuple[str, ...]
    outputs: Callable[[], dict[str, Stat | None] | None]  # the output folder now, scanned while the cache loads

    def only_inputs(self, state: BuildState) -> bool:
        """Whether ``state`` is the recorded build's, and only the ``changed`` inputs changed since it."""
        return state.snapshot_ns == self.record.snapshot_ns and self.outputs() == self.record.outputs


@dataclass(frozen=True)
class _Cached:
    """A build with the build cache, and what the up-to-date check found before it."""

    snapshot: Snapshot | None  # the inputs, before the build read them
    since: _Since | None


def _full_build(args: argparse.Namespace, site_dir: Path, output: Path, cached: _Cached | None,
                started: float) -> int:
    from generator import uptodate
    from generator.build import BuildOptions, build
    from generator.cache import BuildCache

    options = BuildOptions(site_dir=args.site, output=args.output, drafts=args.drafts, future=args.future,
                           jobs=args.jobs, remember=cached is not None)
    cache = BuildCache(site_dir)
    state, cache_warning = (None, None) if cached is None else cache.load()
    if cache_warning and not args.quiet:
        print(f"warning: {cache_warning}", file=sys.stderr)
    changed: list[Path] = []
    if state is not None and cached is not None and cached.since is not None and cached.since.only_inputs(state):
        # The build may update the cached plan for these files instead of remaking it.
        changed = [site_dir / name for name in cached.since.changed]
    progress = _Progress(sys.stdout)
    try:
        result = build(options, progress=progress, state=state, changed=changed, waiting=lambda: print(
            f"Waiting for another Dateline build writing into {output} to finish…", file=sys.stderr, flush=True))
    except BuildFailed as failure:
        progress.clear()
        _report(failure.errors, sys.stderr)
        print(f"Build failed with {_plural(len(failure.errors), 'error')}; "
              f"the output folder was left as it was.", file=sys.stderr)
        return EXIT_ERRORS
    progress.clear()
    if cached is not None and result.state is not None and (site_dir / CONFIG_NAME).is_file():
        if result.partial and state is not None and state.output_stats is not None:
            # It wrote only the files it names: no need to look at the others.
            outputs = uptodate.updated_outputs(state.output_stats, output, result.changed_files)
        else:
            outputs = uptodate.scan_outputs(output)
        snapshot = cached.snapshot
        cache_warning = cache.save(replace(result.state, output_stats=outputs,
                                           snapshot_ns=snapshot.taken_ns if snapshot else 0),
                                   plan_kept=result.plan_kept)
        if cache_warning and not args.quiet:
            print(f"warning: {cache_warning}", file=sys.stderr)
        if snapshot is not None and outputs is not None and result.state.loaded is not None:
            uptodate.save(site_dir, snapshot.record(
                outputs, result.state.loaded.next_publication,
                {"pages": result.pages, "articles": result.articles, "files": result.files},
                [str(warning) for warning in result.warnings]))
    if not args.quiet:
        _report(result.warnings, sys.stderr, prefix="warning: ")
        _summary(args, time.perf_counter() - started, result.pages, result.articles, result.files, result.written,
                 result.removed, result.rendered, note=_plan_note(result) if args.verbose else "")
    return EXIT_OK


def _plan_note(result: BuildResult) -> str:
    if result.partial:
        return " (body edits: the last build's plan was updated)"
    if result.plan_kept:
        return " (template edits: the last build's plan stood)"
    return ""


def _summary(args: argparse.Namespace, seconds: float, pages: int, articles: int, files: int, written: int,
             removed: int, rendered: int, note: str = "") -> None:
    print(f"Built {_plural(pages, 'page')} from {_plural(articles, 'article')} in {seconds:.2f} s{note}")
    if args.verbose:
        print(f"{files} files: {written} written, {removed} removed, "
              f"{files - written} unchanged; {rendered} rendered")


NEW_ARTICLE = """---
title: {title}
date: {date}
section: {section}
tags: []
authors: []
summary: ""
draft: true
---

Write the first paragraph here: it becomes the summary on index pages.

<!--more-->

The rest of the story.
"""


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_new(args: argparse.Namespace) -> int:
    site = args.site
    try:
        config, _ = load_config(site)
    except BuildFailed as failure:
        _report(failure.errors, sys.stderr)
        return EXIT_ERRORS
    title = " ".join(args.title.split())
    slug = slugify(title)
    if not slug:
        print(f"error: the title {args.title!r} has no letters or digits to make a file name from", file=sys.stderr)
        return EXIT_USAGE
    now = datetime.now(config.tz).replace(microsecond=0)
    path = site / "content" / "articles" / f"{now.year:04d}" / f"{slug}.md"
    if path.exists():
        print(f"error: {path} already exists; choose another title or edit that file", file=sys.stderr)
        return EXIT_ERRORS
    path.parent.mkdir(parents=True, exist_ok=True)
    text = NEW_ARTICLE.format(title=_yaml_string(title), date=now.isoformat(sep=" "),
                              section=_yaml_string(args.section) if args.section else '""')
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    print(f"Created {path} (a draft: set 'draft: false' or remove it to publish)")
    return EXIT_OK


def run_clean(args: argparse.Namespace) -> int:
    from generator.build import check_output_location

    site = args.site
    if not (site / CONFIG_NAME).is_file():
        print(f"error: no {CONFIG_NAME} in {site}; is this a Dateline site?", file=sys.stderr)
        return EXIT_ERRORS
    output = (args.output or site / "output").absolute()
    try:
        check_output_location(site.absolute(), output)
    except BuildFailed as failure:
        _report(failure.errors, sys.stderr)
        return EXIT_ERRORS
    from generator.lock import output_lock

    removed = []
    with output_lock(output, lambda: print(f"Waiting for the Dateline build writing into {output} to finish…",
                                           file=sys.stderr, flush=True)):
        for folder in (output, site.absolute() / ".dateline"):
            if folder.exists():
                shutil.rmtree(folder)
                removed.append(str(folder))
    print("Removed " + ", ".join(removed) if removed else "Nothing to clean")
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    from generator.build import BuildOptions
    from generator.serve import ServeOptions, serve

    options = BuildOptions(site_dir=args.site, output=args.output, drafts=args.drafts, future=args.future)
    return serve(ServeOptions(build=options, bind=args.bind, port=args.port, open_browser=args.open))


def run_check(args: argparse.Namespace) -> int:
    from generator.check import check_site

    output = args.output.absolute() if args.output else None
    if output is not None and not output.is_dir():
        print(f"error: {args.output} is not a folder; build the site first or leave out -o", file=sys.stderr)
        return EXIT_ERRORS
    try:
        findings = check_site(args.site.absolute(), output, external=args.external,
                              drafts=args.drafts, future=args.future)
    except BuildFailed as failure:
        _report(failure.errors, sys.stderr)
        print(f"The site does not build ({_plural(len(failure.errors), 'error')}); nothing was checked.",
              file=sys.stderr)
        return EXIT_ERRORS
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    for finding in findings:
        print(finding, file=sys.stderr if finding.severity == "error" else sys.stdout)
    print(f"Checked the site: {_plural(len(errors), 'error')}, {_plural(len(warnings), 'warning')}")
    return EXIT_ERRORS if errors or (args.strict and warnings) else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    handlers = {"build": run_build, "new": run_new, "clean": run_clean, "serve": run_serve, "check": run_check}
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug in Dateline, not in the site: one line, not a traceback
        if os.environ.get("DATELINE_DEBUG"):
            raise
        print(f"internal error in Dateline: {exc!r}\nThis is a bug in Dateline, not in your site; "
              "please report it with the command you ran (DATELINE_DEBUG=1 shows the traceback).", file=sys.stderr)
        return EXIT_INTERNAL
