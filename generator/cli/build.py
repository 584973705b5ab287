"""``dateline build``: one session build (see ``generator.session``), and its summary line."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from generator import messages
from generator.cli.report import EXIT_ERRORS, EXIT_OK, Progress, report
from generator.errors import BuildFailed
from generator.options import BuildOptions
from generator.session import Outcome, Session


def run_build(args: argparse.Namespace) -> int:
    """Build, unless the up-to-date record proves there is nothing to do (see ``incremental.uptodate``)."""
    options = BuildOptions(site_dir=args.site, output=args.output, drafts=args.drafts, future=args.future,
                           jobs=args.jobs)
    if args.no_cache:
        options = replace(options, remember=False)
    notice = (lambda message: None) if args.quiet else (lambda message: print(messages.notice(message), file=sys.stderr))
    session = Session(options, persistent=True, notice=notice)
    if args.kept is not None:  # the process leaves next: its exit frees the session's state at once
        args.kept.append(session)
    progress = Progress(sys.stdout)
    try:
        outcome = session.build(progress=progress, waiting=lambda: print(
            messages.waiting(options.output_dir), file=sys.stderr, flush=True))
    except BuildFailed as failure:
        progress.clear()
        report(failure.errors, sys.stderr)
        if not args.quiet:
            for problem in failure.warnings:
                print(problem.as_warning(), file=sys.stderr)
        print(messages.build_failed(len(failure.errors)), file=sys.stderr)
        return EXIT_ERRORS
    progress.clear()
    if not args.quiet:
        for warning in outcome.warnings:
            print(warning, file=sys.stderr)
        _summary(args, outcome)
    return EXIT_OK


def _plan_note(outcome: Outcome) -> str:
    result = outcome.result
    if result is None:
        return messages.UP_TO_DATE
    if result.partial:
        return messages.NEW_DAY if result.new_day else messages.BODY_EDITS
    if result.plan_kept:
        return messages.TEMPLATE_EDITS
    return ""


def _summary(args: argparse.Namespace, outcome: Outcome) -> None:
    note = _plan_note(outcome) if args.verbose or outcome.up_to_date else ""
    print(messages.built(outcome.pages, outcome.articles, outcome.seconds, note))
    if outcome.scheduled:
        print(outcome.scheduled)
    if args.verbose:
        result = outcome.result
        written, removed, rendered = (result.written, result.removed, result.rendered) if result else (0, 0, 0)
        print(messages.files_summary(outcome.files, written, removed, rendered, result.images_made if result else 0))
