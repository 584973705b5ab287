"""The ``dateline`` command: init, build, serve, check, new, clean.

Exit status: 0 on success, 1 on content or configuration errors, 2 on
usage errors, 70 on a bug in Dateline itself. Author errors print as
``path:line: message``, never as a Python traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from generator import messages
from generator.cli.arguments import make_parser
from generator.cli.build import run_build
from generator.cli.commands import run_check, run_clean, run_new, run_serve
from generator.cli.importing import run_import
from generator.cli.init import run_init
from generator.cli.report import EXIT_ERRORS, EXIT_INTERNAL
from generator.config.model import CONFIG_NAME


def main(argv: Sequence[str] | None = None, *, kept: list[object] | None = None) -> int:
    """Run one command; ``kept`` receives what a build leaves behind, for a caller about to leave (see ``run``)."""
    parser = make_parser()
    args = parser.parse_args(argv)
    args.kept = kept
    handlers = {"init": run_init, "build": run_build, "new": run_new, "clean": run_clean, "serve": run_serve,
                "check": run_check, "import": run_import}
    if args.command not in ("init", "import") and not (args.site / CONFIG_NAME).is_file():
        print(messages.no_config(args.site), file=sys.stderr)  # one message, whichever command met it
        if args.command == "build":
            print(messages.build_failed(1), file=sys.stderr)  # every failed build ends with this line
        return EXIT_ERRORS
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("DATELINE_DEBUG"):
            raise
        print(messages.internal_error(exc), file=sys.stderr)
        return EXIT_INTERNAL


def run() -> NoReturn:
    """The ``dateline`` command itself: ``main``, then leave without freeing the build's objects one by one.

    A build holds the site's whole state, millions of objects, and the
    interpreter would free each as it shuts down: 0.1 to 0.2 s after a
    one-article edit of 10,000 articles, a tenth of the build (mypy leaves
    the same way). Nor may they be freed when the build's function returns,
    as its locals go: the build hands its session to ``kept``, which lives
    until the process leaves (0.5 s after an edit of 100,000 articles).
    By now every file is closed and every worker joined: only the
    standard streams' buffers are left to write.
    """
    kept: list[object] = []
    code = main(kept=kept)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: nothing more can be said
        pass
    os._exit(code)
