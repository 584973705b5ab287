"""``BuildState``: what a successful build learnt that the next one can reuse.

The dev server keeps it in memory between builds; the CLI keeps it in the
build cache (``cache``). A build never changes the state it was given: it
makes a new one, so a failed build leaves the last good state as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.content.parsed import Parsed
from generator.filetree import FileStat
from generator.identity import Remembered, rekey
from generator.incremental.fingerprints import Fingerprints, TemplateFacts
from generator.site.model import RelatedMemo

if TYPE_CHECKING:
    from generator.load import LoadedSite


@dataclass(frozen=True, kw_only=True)
class BuildState:
    """What a successful build learnt that the next one can reuse."""

    config_key: str  # config.toml and the flags: any change starts afresh
    parsed: dict[str, Parsed] = field(default_factory=dict)
    fingerprints: Fingerprints = field(default_factory=Fingerprints)
    templates: dict[str, bytes] = field(default_factory=dict)  # compiled templates, checked against their source
    template_references: dict[str, TemplateFacts] = field(default_factory=dict)
    loaded: LoadedSite | None = None  # the build's plan, which a body edit updates (see ``plan``)
    signatures: tuple[Remembered[str], Remembered[str]] = ({}, {})  # full and card signatures (see ``identity``)
    # Kept in memory only (the dev server's): feed entries hold every body
    # again, which would double the build cache for little gain.
    feed_entries: Remembered[bytes] = field(default_factory=dict)
    started_ns: int = 0  # the wall clock when the build began, before it read any file
    related: RelatedMemo | None = None  # related stories, reused while order and tags stand
    # The output folder as the CLI build left it, "/path": stat (see
    # ``uptodate.scan_outputs``). A file is reused only while its stat is the
    # one recorded: another build (``serve --drafts``, ``--no-cache``) or a
    # hand edit may have rewritten it since. None: the dev server's state,
    # whose process alone writes there. Not cached: the up-to-date record
    # already holds these stats, packed, and the session gives them back to
    # the state they belong to (``Session``); a loaded state has none until
    # then, so no output counts as intact.
    output_stats: Mapping[str, FileStat | None] | None = None
    snapshot_ns: int = 0  # the CLI's up-to-date snapshot this build started from (see ``uptodate``)

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "feed_entries": {}, "output_stats": {}}

    def __setstate__(self, values: dict[str, object]) -> None:
        pair: tuple[Remembered[str], Remembered[str]] = values["signatures"]  # type: ignore[assignment]  # as written
        full_memory, card_memory = pair
        self.__dict__.update(values, signatures=(rekey(full_memory), rekey(card_memory)))
