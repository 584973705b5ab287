"""The dev server's builder: turns batches of changed files into builds and notifications.

It builds through a ``Session`` kept in memory, so every save costs what
it changed; a failed build leaves the last good site and state in place,
and its errors go to the terminal and to every open page.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from generator.config import load_config
from generator.content.sources import site_relative
from generator.errors import BuildFailed
from generator.options import BuildOptions
from generator.serve.status import EventHub, SiteStatus
from generator.session import Session


@dataclass(frozen=True, kw_only=True)
class ServeOptions:
    build: BuildOptions
    bind: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False
    debounce: float = 0.02  # an editor's atomic save is over in one rename


def _url_of(base_path: str, output_file: str) -> str:
    if output_file.endswith("index.html"):
        output_file = output_file[: -len("index.html")]
    return base_path + output_file


def _describe(site_dir: Path, batch: Iterable[Path]) -> str:
    names = sorted({site_relative(site_dir, path) for path in batch})
    if len(names) == 1:
        return f"{names[0]} changed"
    if len(names) <= 3:
        return ", ".join(names) + " changed"
    return f"{len(names)} files changed"


class Desk:
    """The builder: turns batches of changed files into builds and notifications."""

    def __init__(self, options: ServeOptions, status: SiteStatus, hub: EventHub, out: TextIO) -> None:
        self.options = options
        self.site_dir = options.build.site_dir.absolute()
        self.status = status
        self.hub = hub
        self.out = out
        self.session = Session(options.build, persistent=False)
        self.base_path = "/"
        self.pending: set[Path] = set()  # changes not yet in a successful build
        self._lock = threading.Lock()

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def rebuild(self, batch: frozenset[Path] = frozenset(), first: bool = False) -> bool:
        with self._lock:
            self.pending |= batch
            started = time.perf_counter()
            self.status.begin()
            try:
                outcome = self.session.build(
                    self.pending, in_place=not first,
                    waiting=lambda: self.say("waiting for another Dateline build writing there to finish…"))
            except BuildFailed as failure:
                errors = [str(error) for error in failure.errors]
                self.status.finish(errors)
                if batch:
                    self.say(f"{_describe(self.site_dir, batch)} → build failed:")
                for line in errors:
                    self.say(f"  {line}")
                self.hub.publish("failed", {"errors": errors})
                return False
            except Exception as exc:  # noqa: BLE001 - a bug must not stop the server rebuilding
                message = f"internal error in Dateline while building: {exc!r}; please report it"
                self.status.finish([message])
                self.say(f"{_describe(self.site_dir, batch)} → {message}")
                self.hub.publish("failed", {"errors": [message]})
                return False
            result = outcome.result
            assert result is not None, "a session that does not persist always builds"
            self.pending = set()
            self.base_path = self._base_path()
            self.status.finish()
            elapsed = (time.perf_counter() - started) * 1000
            changed = [_url_of(self.base_path, name) for name in result.changed_files]
            for warning in outcome.warnings if first else ():
                self.say(f"warning: {warning}")
            if first:
                self.say(f"Built {result.pages} pages from {result.articles} articles in {elapsed:.0f} ms")
            else:
                what = f"{result.rendered} pages" if result.rendered != 1 else "1 page"
                files = f", {result.written + result.removed} files changed" if result.written + result.removed else ""
                self.say(f"{_describe(self.site_dir, batch)} → {what}{files} in {elapsed:.0f} ms")
            self.hub.publish("built", {"build": self.status.build_number, "changed": changed})
            return True

    def _base_path(self) -> str:
        try:
            config, _ = load_config(self.site_dir)
        except BuildFailed:
            return self.base_path
        return config.base_path
