"""``replace_article``: the site after a body edit, with the new article where the old one was."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from generator.content.article import Article
from generator.frozen import FrozenDict
from generator.site.model import Site, TermIndex, memberships
from generator.site.newsroom import has_corrections


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
    articles = swap(site.articles)
    related = {source: swap(items) for source, items in site.related.items() if _holds(items, old)}
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
        related=FrozenDict({**site.related, **related}) if related else site.related,
        withdrawn=swap(site.withdrawn),
        corrected=site.corrected if new.corrections == old.corrections else has_corrections(articles),
    )


def _holds(articles: Iterable[Article], wanted: Article) -> bool:
    """Identity, not equality: comparing whole articles field by field is slow."""
    return any(article is wanted for article in articles)
