"""Body edits: updating the previous build's plan instead of making a new one.

Most saves in an editor change the text of one article and nothing about
where it sits: same date, title, URL, tags, section, authors and contributors. Such an
edit cannot add, remove or reorder a page, so the previous build's ``Site``,
pages and feeds stay right once the new article is put where the old one
was. That costs a few tuple copies, where ``collect_site`` and ``plan_pages``
cost time in proportion to the whole site; the build then fingerprints and
renders only the pages that show the article or hold one of its groups.

Everything else (a new, deleted or moved article, a template, a static
file, the config) goes through the full build, which is the reference: the
tests check that both give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import datetime
from typing import Any

from markupsafe import Markup

from generator.config.model import Config
from generator.content.article import Article
from generator.frozen import FrozenDict
from generator.incremental.fingerprints import card_signature
from generator.site.feeds import Feed
from generator.site.model import Site, memberships
from generator.site.pages import Page
from generator.site.replace import replace_article

# What an edit of the Markdown body changes; an edit that changes any other
# field may move the article (or rename a page) and needs the full build.
BODY_FIELDS = frozenset({"digest", "summary", "body_html", "toc", "headings", "word_count", "reading_time"})
_STRUCTURE_FIELDS = tuple(f.name for f in fields(Article) if f.name not in BODY_FIELDS)


_TERM_FIELDS = ("tags", "section", "authors", "contributors")


def moves_nothing(old: Article, new: Article) -> bool:
    """Whether ``new`` differs from ``old`` in body-derived fields only.

    Terms compare by slug alone, but their spelling decides the name shown
    for the tag across the site, so it must not change either.
    """
    return (all(getattr(old, name) == getattr(new, name) for name in _STRUCTURE_FIELDS)
            and all(repr(getattr(old, name)) == repr(getattr(new, name)) for name in _TERM_FIELDS))


@dataclass(frozen=True, kw_only=True)
class Replanned:
    """The plan after body edits, and which pages and feeds may now differ."""

    site: Site
    pages: list[Page]
    feeds: list[Feed]
    pages_to_check: tuple[int, ...]
    feeds_to_check: tuple[int, ...]


def replan(site: Site, pages: Sequence[Page], feeds: Sequence[Feed],
           dependents: Mapping[str, tuple[tuple[int, ...], tuple[int, ...]]],
           edits: Iterable[tuple[Article, Article]], read_full: frozenset[str] = frozenset()) -> Replanned:
    """Put each edited article (``(old, new)``, as placed on the site) where the old one was.

    The pages to check are those that show the article or hold one of its
    groups; if what its card shows is as it was, only those whose
    fingerprint can still change: its own pages, and pages whose last render
    read more of another article than its card (``read_full``: their
    outputs). Every other page signs the article by its card (see
    ``fingerprints.Signer.page``), so its fingerprint is the one recorded
    and checking it would only confirm that. Feeds show bodies: all are checked.
    """
    edits = list(edits)
    page_indexes: set[int] = set()
    feed_indexes: set[int] = set()
    for old, new in edits:
        same_card = card_signature(old) == card_signature(new)
        for key in (old.source, *memberships(old)):
            on_pages, in_feeds = dependents.get(key, ((), ()))
            feed_indexes.update(in_feeds)
            if not same_card:
                page_indexes.update(on_pages)
                continue
            for index in on_pages:
                own = pages[index].context.get("article")
                if (isinstance(own, Article) and own.source == old.source) or pages[index].output in read_full:
                    page_indexes.add(index)
    old_site = site
    for old, new in edits:
        site = replace_article(site, old, new)
    substitute = Substitution({id(old): (old, new) for old, new in edits})
    substitute.pair(old_site, site)
    new_pages = list(pages)
    for index in page_indexes:
        new_pages[index] = replace(pages[index], context=substitute(pages[index].context))
    new_feeds = list(feeds)
    for index in feed_indexes:
        new_feeds[index] = replace(feeds[index], articles=substitute(feeds[index].articles))
    return Replanned(site=site, pages=new_pages, feeds=new_feeds, pages_to_check=tuple(sorted(page_indexes)),
                     feeds_to_check=tuple(sorted(feed_indexes)))


_LEAVES = (str, int, float, bool, type(None), datetime, Markup, Config)


class Substitution:
    """Rebuilds values with some articles replaced, sharing every part that holds none.

    Identity decides, never equality: two articles can compare equal and
    still be different objects on the site. Results are remembered by the
    identity of what was rebuilt, so a tag index held by fifty pages is
    rebuilt once and the new plan shares it like the old one did.
    """

    def __init__(self, replacements: Mapping[int, tuple[Article, Article]]) -> None:
        self._replacements = replacements
        self._done: dict[int, tuple[object, object]] = {}

    def pair(self, old: object, new: object) -> None:
        """Teach it that ``new`` (built elsewhere, e.g. by ``replace_article``) replaces ``old``.

        Walks the two structures side by side where their shapes match, so
        parts of ``old`` are not walked again when pages hold them.
        """
        if isinstance(old, Article) or isinstance(old, _LEAVES):
            return
        self._done[id(old)] = (old, new)
        if old is new:
            return
        if isinstance(old, tuple) and isinstance(new, tuple) and len(old) == len(new):
            if old and isinstance(old[0], Article):
                return  # a list of articles (every article of the site, say): nothing in it to pair
            for before, after in zip(old, new, strict=True):
                self.pair(before, after)
        elif is_dataclass(old) and type(old) is type(new):
            for item in fields(old):
                self.pair(getattr(old, item.name), getattr(new, item.name))

    def __call__(self, value: Any) -> Any:
        if isinstance(value, Article):
            found = self._replacements.get(id(value))
            return found[1] if found is not None and found[0] is value else value
        if isinstance(value, _LEAVES):
            return value
        done = self._done.get(id(value))
        if done is not None and done[0] is value:
            return done[1]
        result = self._rebuild(value)
        self._done[id(value)] = (value, result)
        return result

    def _rebuild(self, value: Any) -> Any:
        if isinstance(value, (tuple, list)):
            items = [self(item) for item in value]
            if all(new is old for new, old in zip(items, value, strict=True)):
                return value
            return type(value)(items)
        if isinstance(value, Mapping):
            entries = {key: self(item) for key, item in value.items()}
            if all(entries[key] is item for key, item in value.items()):
                return value
            return FrozenDict(entries) if isinstance(value, FrozenDict) else dict(entries)
        if is_dataclass(value) and not isinstance(value, type):
            changes = {}
            for item in fields(value):
                if not item.init:
                    continue
                current = getattr(value, item.name)
                updated = self(current)
                if updated is not current:
                    changes[item.name] = updated
            return replace(value, **changes) if changes else value
        return value
