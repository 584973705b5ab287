"""One build at a time writes into an output folder.

A build stages files in folders next to ``output/`` and, before writing,
clears what a killed build left there (``writer.remove_leftovers``). Run
alongside another (``dateline build`` while ``dateline serve`` rebuilds,
two terminals), it would take the other's staging folder for a leftover.
So the writing part of a build holds an exclusive lock on the folder that
contains ``output/``: ``flock`` on the folder itself, which leaves no lock
file behind and is released by the system if the process dies.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

try:
    import fcntl as _fcntl

    fcntl: ModuleType | None = _fcntl
except ImportError:  # not a POSIX system: builds are not serialised
    fcntl = None


@contextmanager
def output_lock(output: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the lock of ``output``'s folder; ``waiting`` is called once if another process holds it."""
    if fcntl is None:
        yield
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(output.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock
