"""Watching the site's files: noise filtering and debouncing of event bursts.

Editors save atomically (write a temp file, then rename over the original),
leave swap and lock files behind, and ``git checkout`` touches hundreds of
files at once. The dev server wants one rebuild per burst, covering every
real file that changed, and nothing for the noise.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

_NOISE_NAMES = {".DS_Store", "4913", "Thumbs.db", ".git", ".hg", ".svn", "__pycache__", ".dateline", ".pytest_cache"}
_NOISE_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".swpx", ".tmp", ".part", ".crdownload", ".kate-swp", ".pyc")


def is_noise(path: Path) -> bool:
    """Editor temp, swap, lock and backup files, and version-control folders."""
    name = path.name
    return (
        name in _NOISE_NAMES
        or name.endswith(_NOISE_SUFFIXES)
        or name.startswith(".#")  # Emacs lock files (often dangling symlinks)
        or (name.startswith("#") and name.endswith("#"))  # Emacs auto-save
        or (name.startswith(".") and ".tmp" in name)  # our own and many editors' temp files
        or name.startswith(".~lock.")  # LibreOffice
        or any(part in _NOISE_NAMES for part in path.parts[:-1])
    )


@dataclass
class Debouncer:
    """Collects changed paths and says when a burst is over.

    A batch is due ``quiet`` seconds after the last event, or ``max_wait``
    seconds after the first, whichever comes first, so a never-ending stream
    of events still gets rebuilt regularly. Time is passed in, which keeps
    this class free of threads and easy to test.
    """

    quiet: float = 0.05
    max_wait: float = 1.0
    _paths: set[Path] = field(default_factory=set)
    _first: float | None = None
    _last: float | None = None

    def add(self, paths: Iterable[Path], now: float) -> None:
        added = False
        for path in paths:
            self._paths.add(path)
            added = True
        if added:
            self._first = now if self._first is None else self._first
            self._last = now

    def due_in(self, now: float) -> float | None:
        """Seconds until the batch is due (0 when it is), None when empty."""
        if self._first is None or self._last is None:
            return None
        return max(0.0, min(self._last + self.quiet, self._first + self.max_wait) - now)

    def take(self) -> frozenset[Path]:
        batch = frozenset(self._paths)
        self._paths.clear()
        self._first = self._last = None
        return batch


class _Handler(FileSystemEventHandler):
    def __init__(self, accept: Callable[[Path], bool], sink: Callable[[list[Path]], None]) -> None:
        self.accept = accept
        self.sink = sink

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.event_type == "closed" or (event.event_type == "modified" and event.is_directory):
            return  # "closed" follows "modified"; folder mtime changes follow their children
        paths = [Path(os.fsdecode(event.src_path))]
        destination = getattr(event, "dest_path", "")
        if destination:
            paths.append(Path(os.fsdecode(destination)))
        accepted = [path for path in paths if self.accept(path)]
        if accepted:
            self.sink(accepted)


class Watcher:
    """Watches folders with watchdog and hands debounced batches to a callback."""

    def __init__(self, folders: Iterable[Path], files: Iterable[Path], ignore: Iterable[Path],
                 on_batch: Callable[[frozenset[Path]], None], debouncer: Debouncer | None = None) -> None:
        self.folders = [f.absolute() for f in folders]  # watched once they exist
        self.files = {f.absolute() for f in files}
        self.ignore = [i.absolute() for i in ignore]
        self.on_batch = on_batch
        self.debouncer = debouncer or Debouncer()
        self._lock = threading.Condition()
        self._stopping = False
        self._observer = Observer()
        self._scheduled: set[Path] = set()
        self._handler = _Handler(self.accept, self._sink)
        self._thread = threading.Thread(target=self._run, name="dateline-debounce", daemon=True)

    def accept(self, path: Path) -> bool:
        path = path.absolute()
        if any(path == ignored or path.is_relative_to(ignored) for ignored in self.ignore):
            return False
        if is_noise(path):
            return False
        return path in self.files or any(path.is_relative_to(folder) for folder in self.folders)

    def _sink(self, paths: list[Path]) -> None:
        for path in paths:
            if path.absolute() in self.folders and path.is_dir():
                self._schedule(path.absolute())  # e.g. templates/ created while serving
        with self._lock:
            self.debouncer.add(paths, time.monotonic())
            self._lock.notify()

    def _schedule(self, folder: Path, recursive: bool = True) -> None:
        if folder in self._scheduled:
            return
        self._scheduled.add(folder)
        self._observer.schedule(self._handler, str(folder), recursive=recursive)

    def start(self) -> None:
        for folder in self.folders:
            if folder.is_dir():
                self._schedule(folder)
        # The folders' parents, not recursively: config.toml, and folders created later.
        for parent in sorted({f.parent for f in self.files} | {f.parent for f in self.folders}):
            if parent.is_dir() and parent not in self._scheduled:
                self._observer.schedule(self._handler, str(parent), recursive=False)
        self._observer.start()
        self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._stopping:
                    wait = self.debouncer.due_in(time.monotonic())
                    if wait == 0:
                        break
                    self._lock.wait(wait)
                if self._stopping:
                    return
                batch = self.debouncer.take()
            self.on_batch(batch)

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify()
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._thread.is_alive():
            self._thread.join(timeout=5)
