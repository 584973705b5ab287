"""``dateline build``: one session build (see ``generator.session``), and its summary line."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from generator.cli.report import EXIT_ERRORS, EXIT_OK, Progress, plural, report
from generator.errors import BuildFailed
from generator.options import BuildOptions
from generator.session import Outcome, Session


def run_build(args: argparse.Namespace) -> int:
    """Build, unless the up-to-date record proves there is nothing to do (see ``incremental.uptodate``)."""
    options = BuildOptions(site_dir=args.site, output=args.output, drafts=args.drafts, future=args.future,
                           jobs=args.jobs)
    if args.no_cache:
        options = replace(options, remember=False)
    notice = (lambda message: None) if args.quiet else (lambda message: print(f"warning: {message}", file=sys.stderr))
    session = Session(options, persistent=True, notice=notice)
    progress = Progress(sys.stdout)
    try:
        outcome = session.build(progress=progress, waiting=lambda: print(
            f"Waiting for another Dateline build writing into {options.output_dir} to finish…", file=sys.stderr,
            flush=True))
    except BuildFailed as failure:
        progress.clear()
        report(failure.errors, sys.stderr)
        print(f"Build failed with {plural(len(failure.errors), 'error')}; "
              f"the output folder was left as it was.", file=sys.stderr)
        return EXIT_ERRORS
    progress.clear()
    if not args.quiet:
        for warning in outcome.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        _summary(args, outcome)
    return EXIT_OK


def _plan_note(outcome: Outcome) -> str:
    result = outcome.result
    if result is None:
        return " (up to date: no file changed since the last build)"
    if result.partial:
        return " (body edits: the last build's plan was updated)"
    if result.plan_kept:
        return " (template edits: the last build's plan stood)"
    return ""


def _summary(args: argparse.Namespace, outcome: Outcome) -> None:
    note = _plan_note(outcome) if args.verbose or outcome.up_to_date else ""
    print(f"Built {plural(outcome.pages, 'page')} from {plural(outcome.articles, 'article')} "
          f"in {outcome.seconds:.2f} s{note}")
    if args.verbose:
        result = outcome.result
        written, removed, rendered = (result.written, result.removed, result.rendered) if result else (0, 0, 0)
        print(f"{outcome.files} files: {written} written, {removed} removed, "
              f"{outcome.files - written} unchanged; {rendered} rendered")
