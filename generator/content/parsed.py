"""``parse_sources``: every Markdown file of the site parsed, reusing what the last build parsed.

A file whose stat is the one recorded is not read again; one whose bytes
hash to the recorded digest is not parsed again. New files are read where
they are parsed, in the workers of a cold build, so the parent does not
read them all first while the workers wait.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from generator.config.model import Config
from generator.content.article import Article, parse_article
from generator.content.sources import Source, read_source
from generator.errors import BuildError
from generator.filetree import FileStat, stat_of
from generator.markdown.engine import make_renderer
from generator.parallel import map_in_order

UNKNOWN_STAT = FileStat(0, 0, 0, 0)


@dataclass(frozen=True, kw_only=True)
class Parsed:
    """One Markdown file as parsed, with the stat that identifies it (``source.text`` is not kept)."""

    stat: FileStat  # UNKNOWN_STAT: to be read again
    source: Source
    article: Article | None
    errors: tuple[BuildError, ...]
    warnings: tuple[BuildError, ...]


def parse_sources(
    site_dir: Path, paths: Iterable[Path], config: Config, previous: dict[str, Parsed], changed: frozenset[str],
    jobs: int = 1,
) -> dict[str, Parsed]:
    """Read and parse each Markdown file, reusing ``previous`` where the file is unchanged."""
    parsed: dict[str, Parsed | None] = {}
    to_parse: list[tuple[FileStat, Source | Path]] = []
    for path in paths:
        relative = path.relative_to(site_dir).as_posix()
        stat = stat_of(str(path)) or UNKNOWN_STAT
        old = previous.get(relative)
        if old is not None and old.stat == stat and relative not in changed:
            parsed[relative] = old
            continue
        parsed[relative] = None  # keeps the walk's order
        if old is None:
            to_parse.append((stat, path))
            continue
        source = read_source(site_dir, path)
        if isinstance(source, BuildError):
            parsed[relative] = _unreadable(stat, source)
        elif old.source.digest == source.digest:
            parsed[relative] = replace(old, stat=stat)
        else:
            to_parse.append((stat, source))
    if not to_parse:
        return parsed  # type: ignore[return-value]  # every entry was filled above
    renderer = make_renderer(config)  # one per process: forked workers inherit it

    def parse_one(item: tuple[FileStat, Source | Path]) -> Parsed:
        stat, given = item
        source = read_source(site_dir, given) if isinstance(given, Path) else given
        if isinstance(source, BuildError):
            return _unreadable(stat, source)
        try:
            article, errors, warnings = parse_article(source, config, renderer)
        except Exception as exc:  # noqa: BLE001 - a bug must still name the file
            bug = BuildError(source.path, None, f"internal error while reading this file: {exc!r}")
            article, errors, warnings = None, [bug], []
        # The text is not kept: a parse needs it once, and on a large site it
        # would be the biggest thing held in memory and in the build cache.
        return Parsed(stat=stat, source=replace(source, text=""), article=article, errors=tuple(errors),
                      warnings=tuple(warnings))

    for result in map_in_order(parse_one, to_parse, jobs):
        parsed[result.source.path] = result
    return parsed  # type: ignore[return-value]  # every entry is filled now


def _unreadable(stat: FileStat, error: BuildError) -> Parsed:
    return Parsed(stat=stat, source=Source(path=error.path, text="", digest=""), article=None, errors=(error,),
                  warnings=())
