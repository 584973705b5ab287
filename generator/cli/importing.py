"""``dateline import KIND SOURCE -s NEW_SITE``."""

from __future__ import annotations

import argparse
import sys

from generator.cli.report import EXIT_ERRORS, EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from generator.importers.run import import_site
    from generator.importers.writer import ImportError_

    try:
        text = import_site(args.kind, args.source, args.site, args.uploads)
    except ImportError_ as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    print(text)
    print(f"Wrote {args.site}; build it with: dateline build -s {args.site}")
    return EXIT_OK
