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
from datetime import datetime
from pathlib import Path
from typing import TextIO

from generator import messages
from generator.content.dates import current_time
from generator.content.sources import site_relative
from generator.errors import BuildFailed
from generator.options import BuildOptions
from generator.serve import preview
from generator.serve.status import EventHub, SiteStatus
from generator.session import Session


@dataclass(frozen=True, kw_only=True)
class ServeOptions:
    build: BuildOptions
    bind: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False
    allow_hosts: tuple[str, ...] = ()  # names besides loopback and ``bind`` that browsers may use (see ``hosts``)
    debounce: float = 0.02  # an editor's atomic save is over in one rename


def _url_of(base_path: str, output_file: str) -> str:
    if output_file.endswith("index.html"):
        output_file = output_file[: -len("index.html")]
    return base_path + output_file


class Desk:
    """The builder: turns batches of changed files into builds and notifications."""

    def __init__(self, options: ServeOptions, status: SiteStatus, hub: EventHub, out: TextIO,
                 err: TextIO | None = None) -> None:
        self.options = options
        self.site_dir = options.build.site_dir.absolute()
        self.status = status
        self.hub = hub
        self.out = out
        self.err = err or out
        self.session = Session(options.build, persistent=False)
        self.base_path = "/"
        self.banners: dict[str, str] = {}  # output file → preview banner (see ``preview``)
        self.pending: set[Path] = set()  # changes not yet in a successful build
        self.failed = False  # the last build failed
        self._known: frozenset[str] = frozenset()  # the files the last good build read
        self._banners_until: datetime | None = None  # when a banner of ``banners`` is due to go
        self._lock = threading.Lock()

    def say(self, text: str, error: bool = False) -> None:
        print(text, file=self.err if error else self.out, flush=True)

    def _names(self, batch: Iterable[Path]) -> list[str]:
        """The changed files worth naming: not a folder, nor an editor's temporary file gone before the build."""
        names = {site_relative(self.site_dir, path) for path in batch
                 if path.is_file() or site_relative(self.site_dir, path) in self._known}
        return sorted(names) or sorted(site_relative(self.site_dir, path) for path in batch)

    def rebuild(self, batch: frozenset[Path] = frozenset(), first: bool = False) -> bool:
        with self._lock:
            self.pending |= batch
            started = time.perf_counter()
            self.status.begin()
            names = self._names(batch)
            try:
                outcome = self.session.build(
                    self.pending, in_place=not first,
                    waiting=lambda: self.say(messages.waiting(self.options.build.output_dir)))
            except BuildFailed as failure:
                self._failed(failure, names, first)
                return False
            except Exception as exc:  # noqa: BLE001 - a bug must not stop the server rebuilding
                message = f"internal error in Dateline while building: {exc!r}; please report it"
                self.status.finish([message])
                self.say(f"{messages.changed(names)} → {message}", error=True)
                self.hub.publish("failed", {"errors": [message], "warnings": []})
                self.failed = True
                return False
            result = outcome.result
            assert result is not None and result.state is not None and result.state.loaded is not None, \
                "a session that does not persist always builds, and remembers"
            loaded = result.state.loaded
            now = current_time(self.options.build.now)
            self.pending = set()
            self.base_path = loaded.config.base_path
            if first or not result.partial or (self._banners_until is not None and now >= self._banners_until):
                # Body edits alone keep every article's draft flag, date and kind, and every
                # file of the site: the banners (until a scheduled one is due to go) and the
                # known files stand. Both walk the whole site (180,000 pages at 100,000
                # articles), too slow for every save.
                self.banners = preview.banners(loaded, now) if self.options.build.drafts else {}
                self._banners_until = preview.banners_change(loaded, now) if self.banners else None
                self._known = frozenset({*loaded.parsed, *(asset.origin for asset in loaded.copies)})
            self.status.finish(banners=self.banners)
            elapsed = time.perf_counter() - started
            changed = [_url_of(self.base_path, name) for name in result.changed_files]
            for warning in result.warnings:
                if first or warning.path in names:
                    self.say(warning.as_warning(), error=True)
            if first:
                self.say(messages.built(result.pages, result.articles, elapsed))
                self._announce_previews()
            else:
                fates = preview.fates(self.site_dir, batch, loaded, now, self.options.build.drafts)
                single = fates.get(names[0]) if len(names) == 1 else None
                self.say(messages.rebuilt(messages.changed(names), result.rendered, result.written + result.removed,
                                          elapsed, single))
                for name, fate in fates.items() if single is None else ():
                    self.say(f"  {name}: {fate}")
            if self.failed:
                self.say(messages.GOOD_AGAIN)
            self.failed = False
            self.hub.publish("built", {"build": self.status.build_number, "changed": changed})
            return True

    def _failed(self, failure: BuildFailed, names: list[str], first: bool) -> None:
        """Report every error, and the warnings of the files just changed, in the terminal and the browser."""
        errors = [str(error) for error in failure.errors]
        warnings = [w.as_warning() for w in failure.warnings if first or w.path in names]
        self.status.finish(errors, warnings)
        if not first:
            self.say(messages.rebuild_failed(messages.changed(names)))  # the rebuild line; its errors to stderr
        for line in (*errors, *warnings):
            self.say(f"  {line}" if not first else line, error=True)
        self.hub.publish("failed", {"errors": errors, "warnings": warnings})
        self.failed = True

    def _announce_previews(self) -> None:
        notes = list(self.banners.values())
        drafts = sum(1 for note in notes if note.startswith("Draft"))
        if notes:
            self.say(messages.previews(drafts, len(notes) - drafts))
