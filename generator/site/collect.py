"""``collect_site(articles) -> Site``: the whole site's structure as plain data.

Everything a page may list is computed here, once: newest-first article
order, merged tags, sections, authors, the year/month archive, previous and
next links and related articles. Later stages only look things up.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from itertools import pairwise

from generator.config.model import Config
from generator.content.article import Article
from generator.content.terms import Term
from generator.frozen import FrozenDict
from generator.site.model import (
    MonthArchive,
    RelatedMemo,
    Site,
    TermIndex,
    YearArchive,
    is_published,
    was_published,
)
from generator.site.newsroom import has_corrections
from generator.site.related import listed_by, related_key, related_stories
from generator.text.slugs import fold, slugify


def collect_site(
    articles: Iterable[Article], config: Config, now: datetime, *, drafts: bool = False, future: bool = False,
    related: RelatedMemo | None = None,
) -> Site:
    """Group the published ``articles`` into a ``Site``.

    ``related``, from the last build, is reused when the order and tags of
    all articles are unchanged: on a large site related stories cost more
    than everything else here together.
    """
    articles = list(articles)
    visible = [a for a in articles if is_published(a, now, drafts, future)]
    withdrawn = sorted((a for a in articles if a.is_gone(now) and was_published(a, now, drafts, future)),
                       key=lambda a: a.source)
    canonical = {
        "tags": _canonical_names(t for a in visible for t in a.tags),
        "section": _canonical_names(a.section for a in visible if a.section),
        "authors": _canonical_names(t for a in visible for t in (*a.authors, *a.contributors)),
    }
    for slug, profile in config.authors.items():
        canonical["authors"][slug] = profile.name
    visible = [_on_air(_with_canonical_terms(a, canonical), now) for a in visible]

    stories = sorted(
        (a for a in visible if a.kind == "article"), key=lambda a: (a.date, a.source), reverse=True
    )
    pages = sorted((a for a in visible if a.kind == "page"), key=lambda a: a.source)

    tags = _index(stories, lambda a: a.tags)
    authors = tuple(
        replace(entry, profile=config.authors.get(entry.slug))
        for entry in _index(stories, lambda a: (*a.authors, *a.contributors))  # an author page credits both
    )
    sections = _order_sections(_index(stories, lambda a: (a.section,) if a.section else ()), config)

    older = {newer.source: old for newer, old in pairwise(stories)}
    newer = {old.source: new for new, old in pairwise(stories)}
    key = related_key(stories, config.related_count)
    if related is not None and related.key == key:
        by_source = {article.source: article for article in stories}
        related_to = {source: tuple(by_source[other] for other in others)
                      for source, others in related.sources.items()}
    else:
        related_to = related_stories(stories, tags, config.related_count)
    return Site(
        articles=tuple(stories),
        pages=tuple(pages),
        tags=tags,
        sections=sections,
        authors=authors,
        archive=_archive(stories, config),
        older=FrozenDict(older),
        newer=FrozenDict(newer),
        related=FrozenDict(related_to),
        listed_by=FrozenDict(listed_by(related_to)),
        related_key=key,
        withdrawn=tuple(withdrawn),
        corrected=has_corrections(stories),
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


def as_placed(article: Article, placed: Article) -> Article:
    """``article``, a new parse of ``placed``'s file, with what collecting the site decided for ``placed``.

    A parse cannot know the site's spelling of each term (which depends on
    every other article) or whether a live blog is on air (which depends on
    the build's time); a body edit keeps the rest of the site, so it keeps
    these decisions too. Every field this module sets on an article is here.
    """
    return replace(article, tags=placed.tags, section=placed.section, authors=placed.authors,
                   contributors=placed.contributors, on_air=placed.on_air)


def _on_air(article: Article, now: datetime) -> Article:
    """``article`` marked as a live blog being covered at ``now``, or not; itself if that is so already."""
    on_air = article.live is not None and article.live.on_air(now)
    return article if article.on_air == on_air else replace(article, on_air=on_air)


def _with_canonical_terms(article: Article, names: Mapping[str, Mapping[str, str]]) -> Article:
    """``article`` with each term spelled the site's way; the article itself if it already is.

    Keeping the same object when nothing changes is what lets a rebuild
    recognise it (signatures and feed entries are remembered by identity).
    """
    def canonical(kind: str, terms: tuple[Term, ...]) -> bool:
        return all(names[kind].get(t.slug, t.name) == t.name for t in terms)

    def canon(kind: str, terms: tuple[Term, ...]) -> tuple[Term, ...]:
        return tuple(Term(t.slug, names[kind].get(t.slug, t.name)) for t in terms)

    if (canonical("tags", article.tags) and canonical("authors", article.authors)
            and canonical("authors", article.contributors)
            and (article.section is None or canonical("section", (article.section,)))):
        return article
    section = canon("section", (article.section,))[0] if article.section else None
    return replace(
        article, tags=canon("tags", article.tags), section=section, authors=canon("authors", article.authors),
        contributors=canon("authors", article.contributors),
    )


def _index(stories: list[Article], terms_of: Callable[[Article], Iterable[Term]]) -> tuple[TermIndex, ...]:
    grouped: dict[Term, list[Article]] = defaultdict(list)
    for article in stories:
        for term in terms_of(article):
            grouped[term].append(article)
    entries = [TermIndex(term=term, articles=tuple(items)) for term, items in grouped.items()]
    return tuple(sorted(entries, key=lambda e: (fold(e.name), e.slug)))


def _order_sections(sections: tuple[TermIndex, ...], config: Config) -> tuple[TermIndex, ...]:
    """Sections named in ``sections = [...]`` first, in that order, then by size."""
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
        years[year].append(MonthArchive(year=year, month=month, articles=tuple(months[(year, month)])))
    return tuple(YearArchive(year=year, months=tuple(entries)) for year, entries in years.items())


