"""Related stories: for each article, those sharing the most tags, the most recent first on ties."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from generator.content.article import Article
from generator.site.model import TermIndex


def related_key(stories: list[Article], limit: int) -> str:
    """Everything related stories depend on: the order of the stories and their tags."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(str(limit).encode())
    for article in stories:
        hasher.update("\x00".join((article.source, *(tag.slug for tag in article.tags))).encode("utf-8", "surrogatepass"))
        hasher.update(b"\x01")
    return hasher.hexdigest()


def related_stories(stories: list[Article], tags: tuple[TermIndex, ...], limit: int) -> dict[str, tuple[Article, ...]]:
    """Up to ``limit`` articles sharing the most tags, the most recent first on ties.

    Articles are numbered by their position in ``stories`` (newest first),
    and each tag's articles are the bits of one Python integer. For an
    article, a few big-integer ANDs and ORs (done in C, a machine word at a
    time) give the set of articles that share at least one, two, three... of
    its tags; the best are then the lowest bits of the highest non-empty
    level, and so on down. Unlike intersecting sets of articles, the cost
    grows slowly with the size of the site.
    """
    if limit == 0:
        return {}
    position = {article.source: index for index, article in enumerate(stories)}
    members = {entry.slug: _bits((position[article.source] for article in entry.articles), len(stories))
               for entry in tags}
    related: dict[str, tuple[Article, ...]] = {}
    for index, article in enumerate(stories):
        ranked = _most_shared([members[tag.slug] for tag in article.tags], 1 << index, limit)
        related[article.source] = tuple(stories[other] for other in ranked)
    return related


def listed_by(related: Mapping[str, tuple[Article, ...]]) -> dict[str, tuple[str, ...]]:
    """For each article, the articles whose related stories list it (sources), in ``related``'s order."""
    found: dict[str, list[str]] = {}
    for source, items in related.items():
        for item in items:
            found.setdefault(item.source, []).append(source)
    return {source: tuple(listers) for source, listers in found.items()}


def _bits(positions: Iterable[int], size: int) -> int:
    """The integer with the bits at ``positions`` (each below ``size``) set."""
    found = bytearray((size + 7) // 8)
    for place in positions:
        found[place >> 3] |= 1 << (place & 7)
    return int.from_bytes(found, "little")


def _most_shared(tag_members: list[int], itself: int, limit: int) -> list[int]:
    """Positions of the ``limit`` articles in most of ``tag_members``, lowest positions first on ties.

    ``at_least[k]`` holds the articles in at least k + 1 of the sets: adding
    a set moves the articles it holds up one level (a bit-sliced counter).
    """
    at_least: list[int] = []
    for tag in tag_members:
        at_least.append(0)
        for level in range(len(at_least) - 1, 0, -1):
            at_least[level] |= at_least[level - 1] & tag
        at_least[0] |= tag
    ranked: list[int] = []
    above = itself  # articles already ranked at a higher level, and the article itself
    for level in reversed(at_least):
        candidates = level & ~above
        while candidates and len(ranked) < limit:
            lowest = candidates & -candidates
            ranked.append(lowest.bit_length() - 1)
            candidates ^= lowest
        if len(ranked) == limit:
            break
        above |= level
    return ranked


