"""``replace_article``: the site after a body edit, with the new article where the old one was."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, timedelta

from generator.content.article import Article
from generator.frozen import FrozenDict
from generator.site.model import MonthArchive, Site, TermIndex, memberships
from generator.site.newsroom import has_corrections


def replace_article(site: Site, old: Article, new: Article) -> Site:
    """``site`` with ``new`` wherever ``old`` was, everything else shared.

    For an edit that moves nothing: the caller guarantees that ``new`` is
    published, ordered, grouped and linked exactly like ``old`` (same date,
    kind, terms and URL), so only the groups holding ``old`` are rebuilt,
    which costs a few tuple copies instead of a new ``collect_site``.
    Nothing here walks every article in Python: the dev server does this
    on every save, and the archive can hold 100,000 of them.
    """
    groups = set(memberships(old))

    def swap(articles: tuple[Article, ...]) -> tuple[Article, ...]:
        return _swapped(articles, old, new)

    def swap_terms(kind: str, entries: tuple[TermIndex, ...]) -> tuple[TermIndex, ...]:
        return tuple(replace(entry, articles=swap(entry.articles)) if f"{kind}:{entry.slug}" in groups else entry
                     for entry in entries)

    def swap_links(links: Mapping[str, Article], keys: Iterable[str | None]) -> Mapping[str, Article]:
        changed = {key: new for key in keys if key is not None and links.get(key) is old}
        return FrozenDict.merged(links, changed) if changed else links

    def swap_month(month: MonthArchive) -> MonthArchive:
        swapped = swap(month.articles)
        return month if swapped is month.articles else replace(month, articles=swapped)

    after, before = site.newer.get(old.source), site.older.get(old.source)
    months = _months_around(old)
    archive = tuple(
        replace(year, months=tuple(swap_month(month) if (month.year, month.month) in months else month
                                   for month in year.months))
        if any(month_year == year.year for month_year, _ in months) else year
        for year in site.archive
    )
    articles = swap(site.articles)
    related = {source: swap(site.related[source]) for source in site.listed_by.get(old.source, ())}
    if old.source in site.related:
        related[old.source] = site.related[old.source]
    return replace(  # every other field (and any added later) as it was
        site,
        articles=articles,
        pages=swap(site.pages),
        tags=swap_terms("tag", site.tags),
        sections=swap_terms("section", site.sections),
        authors=swap_terms("author", site.authors),
        archive=archive,
        older=swap_links(site.older, [after.source if after else None]),
        newer=swap_links(site.newer, [before.source if before else None]),
        related=FrozenDict.merged(site.related, related) if related else site.related,
        withdrawn=swap(site.withdrawn),
        corrected=site.corrected if new.corrections == old.corrections else has_corrections(articles),
    )


def _months_around(article: Article) -> set[tuple[int, int]]:
    """The (year, month) the archive can file ``article`` under, whatever the site's time zone.

    Every time zone is within 12 hours behind and 14 ahead of UTC, so its
    local month is the UTC month of one of those two moments. Undated
    articles are in no month.
    """
    if article.date is None:
        return set()
    earliest, latest = (article.date.astimezone(UTC) + timedelta(hours=hours) for hours in (-12, 14))
    return {(earliest.year, earliest.month), (latest.year, latest.month)}


def _swapped(articles: tuple[Article, ...], old: Article, new: Article) -> tuple[Article, ...]:
    """``articles`` with ``new`` wherever ``old`` is (by identity), or ``articles`` itself if it is nowhere.

    Looked for among the articles' ids, a search in C: the site's list of
    every article is one of those searched on each save.
    """
    ids = list(map(id, articles))
    wanted = id(old)
    try:
        at = ids.index(wanted)
    except ValueError:
        return articles
    items = list(articles)
    while True:
        items[at] = new
        try:
            at = ids.index(wanted, at + 1)
        except ValueError:
            return tuple(items)
