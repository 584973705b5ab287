"""``Site``: every published article and page, and every way of grouping them, as plain data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from generator.config.model import AuthorProfile
from generator.content.article import Article
from generator.content.terms import Term


@dataclass(frozen=True, kw_only=True)
class TermIndex:
    """A tag, section or author with the articles filed under it, newest first."""

    term: Term
    articles: tuple[Article, ...]
    profile: AuthorProfile | None = None

    @property
    def name(self) -> str:
        return self.term.name

    @property
    def slug(self) -> str:
        return self.term.slug

    @property
    def count(self) -> int:
        return len(self.articles)


@dataclass(frozen=True, kw_only=True)
class MonthArchive:
    year: int
    month: int
    articles: tuple[Article, ...]


@dataclass(frozen=True, kw_only=True)
class YearArchive:
    year: int
    months: tuple[MonthArchive, ...]  # newest first

    @property
    def count(self) -> int:
        return sum(len(month.articles) for month in self.months)


@dataclass(frozen=True, kw_only=True)
class Alternate:
    """One language version of a page, for ``<link rel="alternate" hreflang>``, the sitemap and the switcher."""

    lang: str  # the language tag (``ru``, ``en-GB``); ``x-default`` for the version of the site's own language
    url: str  # root-relative
    name: str  # the language's name in itself (``Русский``), for the switcher


@dataclass(frozen=True, kw_only=True)
class RelatedMemo:
    """Related stories by source, with the key of what they were computed from (see ``_related_key``)."""

    key: str
    sources: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, kw_only=True)
class Site:
    """Published articles and pages and every way of grouping them."""

    articles: tuple[Article, ...]  # newest first
    pages: tuple[Article, ...]
    tags: tuple[TermIndex, ...]  # by name
    sections: tuple[TermIndex, ...]  # in navigation order
    authors: tuple[TermIndex, ...]  # by name
    archive: tuple[YearArchive, ...]  # newest first
    older: Mapping[str, Article]  # source -> the article published just before
    newer: Mapping[str, Article]  # source -> the article published just after
    related: Mapping[str, tuple[Article, ...]]
    # source -> the sources of the articles whose related stories list it: the lists a
    # body edit of that article must update, found without looking at every list.
    listed_by: Mapping[str, tuple[str, ...]]
    related_key: str = ""  # what ``related`` was computed from (see ``_related_key``)
    withdrawn: tuple[Article, ...] = ()  # expired or taken down: each answered by a "no longer available" page
    # Whether any published article carries a correction: then the site has a corrections page
    # and feed. Decided once, as the site is collected: the navigation of every build asks.
    corrected: bool

    def related_memo(self) -> RelatedMemo:
        """The related stories in a form the next build can reuse (and the build cache can keep)."""
        return RelatedMemo(key=self.related_key, sources={source: tuple(a.source for a in items)
                                              for source, items in self.related.items()})

    @property
    def updated(self) -> datetime | None:
        """When the newest change to any article was made: the site's clock."""
        stamps = [a.modified for a in (*self.articles, *self.pages) if a.modified]
        return max(stamps) if stamps else None


ALL = "*"  # the group of every article: pages such as the tags index hold all of them


def memberships(article: Article) -> tuple[str, ...]:
    """The groups ``article`` belongs to, as named in ``Page.lists`` and ``Feed.lists``.

    A page shows some articles directly (``Page.shows``) and may hold whole
    groups in its context: a tag page holds its tag's index, the tags index
    holds every tag. Editing an article can change exactly the pages that
    show it or hold one of its groups.
    """
    return (
        ALL,
        *(f"tag:{term.slug}" for term in article.tags),
        *((f"section:{article.section.slug}",) if article.section else ()),
        *(f"author:{term.slug}" for term in (*article.authors, *article.contributors)),
    )


def is_published(article: Article, now: datetime, drafts: bool, future: bool) -> bool:
    """Whether ``article`` is on the site at ``now``: not a draft, not embargoed, not expired or taken down."""
    return was_published(article, now, drafts, future) and not article.is_gone(now)


def was_published(article: Article, now: datetime, drafts: bool, future: bool) -> bool:
    """Whether ``article`` went live by ``now``, whether or not it has left the site since."""
    if article.draft and not drafts:
        return False
    return future or article.date is None or article.date <= now


