"""``collect_site(articles) -> Site``: the whole site's structure as plain data.

Everything a page may list is computed here, once: newest-first article
order, merged tags, sections, authors, the year/month archive, previous and
next links and related articles. Later stages only look things up.
"""

from __future__ import annotations

import heapq
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from generator.frozen import FrozenDict

from generator.articles import Article, Term
from generator.config import AuthorProfile, Config
from generator.slugs import fold


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class MonthArchive:
    year: int
    month: int
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class YearArchive:
    year: int
    months: tuple[MonthArchive, ...]  # newest first

    @property
    def count(self) -> int:
        return sum(len(month.articles) for month in self.months)


@dataclass(frozen=True)
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

    @property
    def updated(self) -> datetime | None:
        """When the newest change to any article was made: the site's clock."""
        stamps = [a.modified for a in (*self.articles, *self.pages) if a.modified]
        return max(stamps) if stamps else None


def is_published(article: Article, now: datetime, drafts: bool, future: bool) -> bool:
    if article.draft and not drafts:
        return False
    return future or article.date is None or article.date <= now


def collect_site(
    articles: Iterable[Article], config: Config, now: datetime, *, drafts: bool = False, future: bool = False
) -> Site:
    """Group the published ``articles`` into a ``Site``."""
    visible = [a for a in articles if is_published(a, now, drafts, future)]
    canonical = {
        "tags": _canonical_names(t for a in visible for t in a.tags),
        "section": _canonical_names(a.section for a in visible if a.section),
        "authors": _canonical_names(t for a in visible for t in a.authors),
    }
    for slug, profile in config.authors.items():
        canonical["authors"][slug] = profile.name
    visible = [_with_canonical_terms(a, canonical) for a in visible]

    stories = sorted(
        (a for a in visible if a.kind == "article"), key=lambda a: (a.date, a.source), reverse=True
    )
    pages = sorted((a for a in visible if a.kind == "page"), key=lambda a: a.source)

    tags = _index(stories, lambda a: a.tags)
    authors = tuple(
        replace(entry, profile=config.authors.get(entry.slug))
        for entry in _index(stories, lambda a: a.authors)
    )
    sections = _order_sections(_index(stories, lambda a: (a.section,) if a.section else ()), config)

    older = {newer.source: old for newer, old in zip(stories, stories[1:])}
    newer = {old.source: new for new, old in zip(stories, stories[1:])}
    return Site(
        articles=tuple(stories),
        pages=tuple(pages),
        tags=tags,
        sections=sections,
        authors=authors,
        archive=_archive(stories, config),
        older=FrozenDict(older),
        newer=FrozenDict(newer),
        related=FrozenDict(_related(stories, tags, config.related_count)),
    )


def _canonical_names(terms: Iterable[Term]) -> dict[str, str]:
    """For each slug, the spelling to show when authors spell a term differently.

    The most used spelling wins; ties go to a plain form over a compatibility
    one (fullwidth "Ｐａｒｉｓ", typed by an input method, loses to "Paris"),
    then to the capitalised, then accented, form ("Économie" over "economie"),
    then the alphabetically first.
    """
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for term in terms:
        spellings[term.slug][term.name] += 1
    return {
        slug: min(
            counts,
            key=lambda name: (-counts[name], unicodedata.normalize("NFKC", name) != name,
                              not name[:1].isupper(), fold(name) == name.lower(), name),
        )
        for slug, counts in spellings.items()
    }


def _with_canonical_terms(article: Article, names: Mapping[str, Mapping[str, str]]) -> Article:
    def canon(kind: str, terms: tuple[Term, ...]) -> tuple[Term, ...]:
        return tuple(Term(t.slug, names[kind].get(t.slug, t.name)) for t in terms)

    section = canon("section", (article.section,))[0] if article.section else None
    return replace(
        article, tags=canon("tags", article.tags), section=section, authors=canon("authors", article.authors)
    )


def _index(stories: list[Article], terms_of) -> tuple[TermIndex, ...]:  # type: ignore[no-untyped-def]
    grouped: dict[Term, list[Article]] = defaultdict(list)
    for article in stories:
        for term in terms_of(article):
            grouped[term].append(article)
    entries = [TermIndex(term, tuple(items)) for term, items in grouped.items()]
    return tuple(sorted(entries, key=lambda e: (fold(e.name), e.slug)))


def _order_sections(sections: tuple[TermIndex, ...], config: Config) -> tuple[TermIndex, ...]:
    """Sections named in ``sections = [...]`` first, in that order, then by size."""
    from generator.slugs import slugify

    wanted = [slugify(name) for name in config.sections]
    rank = {slug: position for position, slug in enumerate(wanted)}
    return tuple(
        sorted(sections, key=lambda e: (rank.get(e.slug, len(rank)), -e.count, fold(e.name)))
    )


def _archive(stories: list[Article], config: Config) -> tuple[YearArchive, ...]:
    zone = config.tz
    months: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for article in stories:
        assert article.date is not None
        local = article.date.astimezone(zone)
        months[(local.year, local.month)].append(article)
    years: dict[int, list[MonthArchive]] = defaultdict(list)
    for (year, month) in sorted(months, reverse=True):
        years[year].append(MonthArchive(year, month, tuple(months[(year, month)])))
    return tuple(YearArchive(year, tuple(entries)) for year, entries in years.items())


def _related(stories: list[Article], tags: tuple[TermIndex, ...], limit: int) -> dict[str, tuple[Article, ...]]:
    """Up to ``limit`` articles sharing the most tags, the most recent first on ties.

    Articles are counted by their position in ``stories`` (newest first), so
    ``Counter.update`` tallies whole tag lists in C and a smaller position
    breaks ties towards the more recent article. This is the hot loop of
    large sites: n articles times their tags' sizes.
    """
    if limit == 0:
        return {}
    position = {article.source: index for index, article in enumerate(stories)}
    by_tag = {entry.slug: [position[a.source] for a in entry.articles] for entry in tags}
    related: dict[str, tuple[Article, ...]] = {}
    for index, article in enumerate(stories):
        shared: Counter[int] = Counter()
        for tag in article.tags:
            shared.update(by_tag[tag.slug])
        shared.pop(index, None)
        best = heapq.nsmallest(limit, shared, key=lambda other: (-shared[other], other))
        related[article.source] = tuple(stories[other] for other in best)
    return related
