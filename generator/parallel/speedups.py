"""Handing freed memory back to the system before a build forks its workers.

Loading the build cache and collecting the parse results from workers leave
the C heap full of holes; glibc keeps those pages for reuse, so they stay
resident, and a forked worker starts with a copy of this process's page
table, holes included. glibc's ``malloc_trim`` returns them. It is reached
through ctypes, so it is used only on Linux with a C library that has it.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

from generator.speedups import Gate, gate


def _find_malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # the C library Python is linked with
        return trim
    except (OSError, AttributeError, TypeError):  # musl, macOS; TypeError: Windows has no CDLL(None)
        return None


_MALLOC_TRIM = None
TRIM = gate("parallel.malloc-trim", tested={}, platforms=("linux",), works=lambda: _find_malloc_trim() is not None)
if TRIM.active:
    _MALLOC_TRIM = _find_malloc_trim()
GATES: tuple[Gate, ...] = (TRIM,)


def give_back_free_memory() -> None:
    """Return free heap pages to the system where the C library can; nothing otherwise."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
