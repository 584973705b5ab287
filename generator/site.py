"""``collect_site(articles) -> Site``: the whole site's structure as plain data.

Everything a page may list is computed here, once: newest-first article
order, merged tags, sections, authors, the year/month archive, previous and
next links and related articles. Later stages only look things up.
"""

from __future__ import annotations

import hashlib
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
class RelatedMemo:
    """Related stories by source, with the key of what they were computed from (see ``_related_key``)."""

    key: str
    sources: Mapping[str, tuple[str, ...]]


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
    related_key: str = ""  # what ``related`` was computed from (see ``_related_key``)

    def related_memo(self) -> RelatedMemo:
        """The related stories in a form the next build can reuse (and the build cache can keep)."""
        return RelatedMemo(self.related_key, {source: tuple(a.source for a in items)
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
        *(f"author:{term.slug}" for term in article.authors),
    )


def is_published(article: Article, now: datetime, drafts: bool, future: bool) -> bool:
    if article.draft and not drafts:
        return False
    return future or article.date is None or article.date <= now


def collect_site(
    articles: Iterable[Article], config: Config, now: datetime, *, drafts: bool = False, future: bool = False,
    related: RelatedMemo | None = None,
) -> Site:
    """Group the published ``articles`` into a ``Site``.

    ``related``, from the last build, is reused when the order and tags of
    all articles are unchanged: on a large site related stories cost more
    than everything else here together.
    """
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
    related_key = _related_key(stories, config.related_count)
    if related is not None and related.key == related_key:
        by_source = {article.source: article for article in stories}
        related_stories = {source: tuple(by_source[other] for other in others)
                           for source, others in related.sources.items()}
    else:
        related_stories = _related(stories, tags, config.related_count)
    return Site(
        articles=tuple(stories),
        pages=tuple(pages),
        tags=tags,
        sections=sections,
        authors=authors,
        archive=_archive(stories, config),
        older=FrozenDict(older),
        newer=FrozenDict(newer),
        related=FrozenDict(related_stories),
        related_key=related_key,
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
    """``article`` with each term spelled the site's way; the article itself if it already is.

    Keeping the same object when nothing changes is what lets a rebuild
    recognise it (signatures and feed entries are remembered by identity).
    """
    def canonical(kind: str, terms: tuple[Term, ...]) -> bool:
        return all(names[kind].get(t.slug, t.name) == t.name for t in terms)

    def canon(kind: str, terms: tuple[Term, ...]) -> tuple[Term, ...]:
        return tuple(Term(t.slug, names[kind].get(t.slug, t.name)) for t in terms)

    if (canonical("tags", article.tags) and canonical("authors", article.authors)
            and (article.section is None or canonical("section", (article.section,)))):
        return article
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


def _related_key(stories: list[Article], limit: int) -> str:
    """Everything related stories depend on: the order of the stories and their tags."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(str(limit).encode())
    for article in stories:
        hasher.update("\x00".join((article.source, *(tag.slug for tag in article.tags))).encode("utf-8", "surrogatepass"))
        hasher.update(b"\x01")
    return hasher.hexdigest()


def _related(stories: list[Article], tags: tuple[TermIndex, ...], limit: int) -> dict[str, tuple[Article, ...]]:
    """Up to ``limit`` articles sharing the most tags, the most recent first on ties.

    This was the hot loop of large sites. Articles are numbered by their
    position in ``stories`` (newest first), and each tag's articles are the
    bits of one Python integer. For an article, a few big-integer ANDs and
    ORs (done in C, a machine word at a time) give the set of articles that
    share at least one, two, three... of its tags; the best are then the
    lowest bits of the highest non-empty level, and so on down. Working
    through 10,000 articles this way takes a tenth of the time set
    intersections took, and grows far more slowly with the site.
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


def replace_article(site: Site, old: Article, new: Article) -> Site:
    """``site`` with ``new`` wherever ``old`` was, everything else shared.

    For an edit that moves nothing: the caller guarantees that ``new`` is
    published, ordered, grouped and linked exactly like ``old`` (same date,
    kind, terms and URL), so only the groups holding ``old`` are rebuilt,
    which costs a few tuple copies instead of a new ``collect_site``.
    """
    groups = set(memberships(old))

    def swap(articles: tuple[Article, ...]) -> tuple[Article, ...]:
        return tuple(new if article is old else article for article in articles)

    def swap_terms(kind: str, entries: tuple[TermIndex, ...]) -> tuple[TermIndex, ...]:
        return tuple(replace(entry, articles=swap(entry.articles)) if f"{kind}:{entry.slug}" in groups else entry
                     for entry in entries)

    def swap_links(links: Mapping[str, Article], keys: Iterable[str | None]) -> Mapping[str, Article]:
        changed = {key: new for key in keys if key is not None and links.get(key) is old}
        return FrozenDict({**links, **changed}) if changed else links

    after, before = site.newer.get(old.source), site.older.get(old.source)
    archive = tuple(
        replace(year, months=tuple(replace(month, articles=swap(month.articles)) if _holds(month.articles, old)
                                   else month for month in year.months))
        if any(_holds(month.articles, old) for month in year.months) else year
        for year in site.archive
    )
    related = {source: swap(items) for source, items in site.related.items() if _holds(items, old)}
    if old.source in site.related:
        related[old.source] = site.related[old.source]
    return Site(
        articles=swap(site.articles),
        pages=swap(site.pages),
        tags=swap_terms("tag", site.tags),
        sections=swap_terms("section", site.sections),
        authors=swap_terms("author", site.authors),
        archive=archive,
        older=swap_links(site.older, [after.source if after else None]),
        newer=swap_links(site.newer, [before.source if before else None]),
        related=FrozenDict({**site.related, **related}) if related else site.related,
        related_key=site.related_key,
    )


def _holds(articles: Iterable[Article], wanted: Article) -> bool:
    """Identity, not equality: comparing whole articles field by field is slow."""
    return any(article is wanted for article in articles)
