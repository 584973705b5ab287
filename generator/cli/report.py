"""How the command line prints: exit statuses, errors, progress (the words are in ``generator.messages``)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from generator.errors import BuildError

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70  # 70: EX_SOFTWARE


def report(errors: Sequence[BuildError], stream: TextIO = sys.stderr, prefix: str = "") -> None:
    for error in errors:
        print(f"{prefix}{error}", file=stream)


class Progress:
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
