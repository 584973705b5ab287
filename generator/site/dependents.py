"""Which pages and feeds show each article and each group of articles.

Built once per full build and kept with the plan: a body edit looks up the
edited article's dependents here, and keeps every page's position, so the
index stays valid through any number of body edits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.frozen import FrozenDict
from generator.site.feeds import Feed
from generator.site.pages import Page

Dependents = Mapping[str, tuple[tuple[int, ...], tuple[int, ...]]]  # key -> (page indexes, feed indexes)


def dependents_index(pages: Sequence[Page], feeds: Sequence[Feed]) -> Dependents:
    """For each article source and group: the pages and feeds that may show it.

    Built once per full build; a body edit keeps the pages' positions, so
    the index stays valid through any number of body edits.
    """
    pages_of: dict[str, list[int]] = {}
    feeds_of: dict[str, list[int]] = {}
    for index, page in enumerate(pages):
        for key in (*page.shows, *page.lists):
            pages_of.setdefault(key, []).append(index)
    for index, feed in enumerate(feeds):
        for key in feed.lists:
            feeds_of.setdefault(key, []).append(index)
    keys = pages_of.keys() | feeds_of.keys()
    return FrozenDict({key: (tuple(pages_of.get(key, ())), tuple(feeds_of.get(key, ()))) for key in keys})
