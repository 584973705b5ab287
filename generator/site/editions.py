"""A site in several languages: one ``Site`` per language, and which pages translate which.

Each language of ``[languages]`` is an edition of the site under its own
path, planned exactly as a single-language site is (front page, archives,
tags, sections, authors, feeds), from the articles written in it. The
site's own language is the first edition, at the root, so a site without
``[languages]`` is planned as it always was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from generator import urls
from generator.config.model import Config
from generator.content.article import Article
from generator.frozen import FrozenDict
from generator.i18n.locales import language_name
from generator.site.collect import collect_site
from generator.site.model import Alternate, RelatedMemo, Site

X_DEFAULT = "x-default"


@dataclass(frozen=True, kw_only=True)
class Edition:
    """One language's part of the site: its config (see ``Config.edition``) and its articles grouped."""

    config: Config
    site: Site


def collect_editions(articles: Iterable[Article], config: Config, now: datetime, *, drafts: bool = False,
                     future: bool = False, related: RelatedMemo | None = None) -> tuple[Edition, ...]:
    """Every language's ``Site``, the site's own language first (``related`` serves that one)."""
    by_language: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_language[article.in_language(config)].append(article)
    editions = []
    for code in config.languages_all:
        edition = config.edition(code)
        own = code == config.home_language
        site = collect_site(by_language.get(code, ()), edition, now, drafts=drafts, future=future,
                            related=related if own else None)
        editions.append(Edition(config=edition, site=site))
    return tuple(editions)


def translations(editions: tuple[Edition, ...]) -> Mapping[str, tuple[Alternate, ...]]:
    """Each translated article's (and page's) versions, by source, and the front pages' under ``""``.

    Articles are translations of each other when they share a
    ``translation_key``; each language counts once (the first by source:
    ``dateline check`` reports the others). Every version lists all of them,
    itself included, and ``x-default``, the version in the site's own
    language, when there is one: the same list on every page, so the links
    are reciprocal as search engines require.
    """
    if len(editions) < 2:
        return FrozenDict({})
    home = editions[0].config.home_language
    groups: dict[str, dict[str, Article]] = defaultdict(dict)
    for edition in editions:
        for article in sorted((*edition.site.articles, *edition.site.pages), key=lambda a: a.source):
            groups[f"{article.kind}:{article.translation_key}"].setdefault(edition.config.language, article)
    found: dict[str, tuple[Alternate, ...]] = {}
    for versions in groups.values():
        if len(versions) < 2:
            continue
        alternates = _alternates({code: article.url for code, article in versions.items()}, home)
        for article in versions.values():
            found[article.source] = alternates
    found[""] = _alternates({e.config.language: urls.home_path(e.config, "/") for e in editions}, home)
    return FrozenDict(found)


def _alternates(url_by_language: Mapping[str, str], home: str) -> tuple[Alternate, ...]:
    listed = [Alternate(lang=code, url=url, name=language_name(code)) for code, url in url_by_language.items()]
    if home in url_by_language:
        listed.append(Alternate(lang=X_DEFAULT, url=url_by_language[home], name=language_name(home)))
    return tuple(listed)


def every_article(editions: tuple[Edition, ...]) -> tuple[Article, ...]:
    """The published articles and pages of every language."""
    return tuple(a for edition in editions for a in (*edition.site.articles, *edition.site.pages))
