"""Exchanging two folders in one atomic step, with Linux's ``renameat2(RENAME_EXCHANGE)``.

The standard library has no call for it, so it is reached through ctypes,
and only on Linux with a C library that has it. Elsewhere (and with
``DATELINE_NO_SPEEDUPS=1``) ``exchange`` says so, and the swap falls back
to two renames, with the old output put back if the second fails.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable
from pathlib import Path

from generator.speedups import Gate, gate

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _find_renameat2() -> Callable[..., int] | None:
    try:
        renameat2: Callable[..., int] = ctypes.CDLL(None, use_errno=True).renameat2
        return renameat2
    except (OSError, AttributeError, TypeError):  # no such function; TypeError: Windows has no CDLL(None)
        return None


_RENAMEAT2 = None
EXCHANGE = gate("output.renameat2-exchange", tested={}, platforms=("linux",),
                works=lambda: _find_renameat2() is not None)
if EXCHANGE.active:
    _RENAMEAT2 = _find_renameat2()
GATES: tuple[Gate, ...] = (EXCHANGE,)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step; False if that cannot be done here (nothing was changed then)."""
    if _RENAMEAT2 is None:
        return False
    return _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
