"""The ``dateline`` command: build, serve, check, new, clean.

Exit status: 0 on success, 1 on content or configuration errors, 2 on
usage errors, 70 on a bug in Dateline itself. Author errors print as
``path:line: message``, never as a Python traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from generator.cli.arguments import make_parser
from generator.cli.build import run_build
from generator.cli.commands import run_check, run_clean, run_new, run_serve
from generator.cli.importing import run_import
from generator.cli.report import EXIT_INTERNAL


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    handlers = {"build": run_build, "new": run_new, "clean": run_clean, "serve": run_serve, "check": run_check,
                "import": run_import}
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("DATELINE_DEBUG"):
            raise
        print(f"internal error in Dateline: {exc!r}\nThis is a bug in Dateline, not in your site; "
              "please report it with the command you ran (DATELINE_DEBUG=1 shows the traceback).", file=sys.stderr)
        return EXIT_INTERNAL
