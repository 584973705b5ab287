"""``Session``: the builds of one site in one process, the one way the CLI and the dev server build.

A session owns what one build hands the next (``BuildState``). The dev
server keeps it in memory between saves (``persistent=False``); the CLI,
which builds once and exits, keeps it on disk (``persistent=True``): before
building it asks the up-to-date record whether anything changed at all
(``incremental.uptodate``), loads the build cache (``incremental.cache``)
and tells the build which inputs changed since, and after the build saves
both again. A ``--no-cache`` build is a session that remembers nothing.

The machinery behind a build is imported only once the up-to-date check
has said a build is needed: a build that has nothing to do should cost
about what ``make`` costs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config.model import CONFIG_NAME
from generator.content.dates import current_time
from generator.incremental import uptodate
from generator.options import BuildOptions
from generator.search.tool import tool_identity

if TYPE_CHECKING:
    from generator.build import BuildResult
    from generator.filetree import FileStat
    from generator.incremental.cache import BuildCache
    from generator.incremental.state import BuildState

Progress = Callable[[int, int], None]


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What one build of a session did: a ``BuildResult``, or the recorded summary when nothing changed."""

    result: BuildResult | None  # None: up to date, nothing was built
    pages: int
    articles: int
    files: int
    warnings: tuple[str, ...]  # ``path:line: warning: message`` of each warning of the site
    seconds: float
    scheduled: str | None = None  # the next embargoed article and when it goes live (``messages.next_scheduled``)

    @property
    def up_to_date(self) -> bool:
        return self.result is None


@dataclass(frozen=True, kw_only=True)
class _Since:
    """What changed since the recorded build: inputs (see ``uptodate.changed_inputs``) and maybe outputs."""

    record: uptodate.Record
    changed: tuple[str, ...]
    outputs_unchanged: Callable[[], bool]  # the output folder checked against the record, while this process works

    def only_inputs(self, state: BuildState) -> bool:
        """Whether ``state`` is the recorded build's, and only the ``changed`` inputs changed since it."""
        return state.snapshot_ns == self.record.snapshot_ns and self.outputs_unchanged()


class Session:
    """Builds one site, again and again, each build starting from what the last one learnt."""

    def __init__(self, options: BuildOptions, *, persistent: bool,
                 notice: Callable[[str], None] = lambda message: None) -> None:
        self.options = options
        self.notice = notice  # told at once about the cache itself: discarded, or not written
        self.persistent = persistent and options.remember
        self.site_dir = options.site_dir.absolute()
        self.output = options.output_dir
        self.state: BuildState | None = None
        self.cache: BuildCache | None = None  # the last build's, kept with what it read (see ``BuildCache``)

    def build(self, changed: Iterable[Path] = (), *, in_place: bool = False, progress: Progress | None = None,
              waiting: Callable[[], None] | None = None) -> Outcome:
        """One build; raises ``BuildFailed`` with every author error, leaving the last good state.

        ``changed`` names the files changed since this session's last build
        (the dev server's watcher knows them); a persistent session works
        them out itself, from the up-to-date record.
        """
        started = time.perf_counter()
        if not self.persistent:  # the dev server: its watcher names every file changed
            return self._build(changed, started, changes_known=True, in_place=in_place, progress=progress,
                               waiting=waiting)
        code = uptodate.code_fingerprint()  # once: the cache's header names it too
        key = uptodate.build_key(self.site_dir, self.output,
                                 {"drafts": self.options.drafts, "future": self.options.future,
                                  "search": tool_identity()}, code)
        previous = uptodate.load(self.site_dir)
        # The outputs are checked on the other core while this one looks at the inputs.
        outputs_unchanged = uptodate.start_output_check(previous, self.output) if previous is not None else None
        snapshot = uptodate.take_snapshot(self.site_dir, self.output, key)
        since = None
        if previous is not None and snapshot is not None and outputs_unchanged is not None:
            now = current_time(self.options.now)
            inputs = uptodate.changed_inputs(previous, snapshot, now)
            new_day = previous.new_day(now)
            if inputs == () and not new_day and outputs_unchanged():
                settled = uptodate.settle(previous, snapshot)
                if settled is not None:  # racy inputs proved unchanged: the next check need not hash them
                    uptodate.save(self.site_dir, settled)
                return Outcome(result=None, **previous.summary, warnings=tuple(previous.warnings),
                               seconds=time.perf_counter() - started, scheduled=previous.scheduled)
            if inputs or (inputs == () and new_day):
                since = _Since(record=previous, changed=inputs, outputs_unchanged=outputs_unchanged)
        uptodate.forget(self.site_dir)
        return self._build_with_cache(previous, since, snapshot, started, code=code, progress=progress,
                                      waiting=waiting)

    def _build(self, changed: Iterable[Path], started: float, *, changes_known: bool, in_place: bool = False,
               progress: Progress | None = None, waiting: Callable[[], None] | None = None) -> Outcome:
        from generator.build import build

        result = build(self.options, progress=progress, state=self.state, changed=changed,
                       changes_known=changes_known, in_place=in_place, waiting=waiting)
        self.state = result.state
        return Outcome(result=result, pages=result.pages, articles=result.articles, files=result.files,
                       warnings=tuple(warning.as_warning() for warning in result.warnings),
                       seconds=time.perf_counter() - started, scheduled=result.scheduled)

    def _build_with_cache(self, previous: uptodate.Record | None, since: _Since | None,
                          snapshot: uptodate.Snapshot | None, started: float, *, code: str,
                          progress: Progress | None, waiting: Callable[[], None] | None) -> Outcome:
        from generator.incremental.cache import BuildCache

        cache = self.cache = BuildCache(self.site_dir, code)
        self.state, warning = cache.load()
        if warning:
            self.notice(warning)
        if self.state is not None and previous is not None and previous.snapshot_ns == self.state.snapshot_ns:
            # The record and the cached state are of the same build: its outputs' stats are the record's.
            self.state = replace(self.state, output_stats=previous.outputs)
        changed: list[Path] = []
        known = self.state is not None and since is not None and since.only_inputs(self.state)
        if known and since is not None:
            # The build may update the cached plan for these files instead of remaking it.
            changed = [self.site_dir / name for name in since.changed]
        outcome = self._build(changed, started, changes_known=known, progress=progress, waiting=waiting)
        result = outcome.result
        if result is None or result.state is None or not (self.site_dir / CONFIG_NAME).is_file():
            return outcome
        outputs: Mapping[str, FileStat | None] | None
        if result.partial and since is not None and snapshot:
            # It wrote only the files it names: no need to look at the others. The
            # rest are as the scan that began with this build's snapshot found them.
            outputs_ns = snapshot.taken_ns
            outputs = uptodate.updated_outputs(since.record.outputs, self.output, result.changed_files)
        else:
            outputs_ns = time.time_ns()
            outputs = uptodate.scan_outputs(self.output)
        self.state = replace(result.state, output_stats=outputs, snapshot_ns=snapshot.taken_ns if snapshot else 0)
        warning = cache.save(self.state, plan_kept=result.plan_kept)
        if warning:
            self.notice(warning)
        if snapshot is not None and outputs is not None and result.state.loaded is not None:
            uptodate.save(self.site_dir, snapshot.record(
                outputs, result.state.loaded.next_publication,
                {"pages": result.pages, "articles": result.articles, "files": result.files},
                list(outcome.warnings), outcome.scheduled, outputs_ns=outputs_ns,
                next_change=result.state.loaded.next_change))
        return replace(outcome, seconds=time.perf_counter() - started)
