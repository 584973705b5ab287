"""Machine-readable metadata: JSON-LD for search engines and news aggregators."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from markupsafe import Markup

from generator import urls
from generator.config.model import Config
from generator.content.article import Article
from generator.content.live import LiveCoverage
from generator.content.terms import Term
from generator.images.markup import social_card
from generator.text.plain import plain_text, shorten

# How long a live blog with no ``live_until`` is said to run on after its newest update.
ESTIMATED_COVERAGE = timedelta(days=1)


def script_json(data: Any) -> Markup:
    """JSON safe to place inside ``<script>``: no ``</script>`` or ``<!--`` can appear."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def person(config: Config, term: Term) -> dict[str, Any]:
    """A ``Person`` for an author or contributor, with what ``[authors.<slug>]`` says of them.

    Both have an author page (it lists what they wrote and what they reported
    for), which is their ``url``.
    """
    data: dict[str, Any] = {"@type": "Person", "name": term.name,
                            "url": urls.absolute(config, urls.expand(config, "author", slug=term.slug))}
    profile = config.authors.get(term.slug)
    if profile is not None:
        if profile.role:
            data["jobTitle"] = profile.role
        if profile.photo:
            data["image"] = urls.absolute(config, urls.file_url(config, profile.photo))
        if profile.same_as:
            data["sameAs"] = list(profile.same_as)
    return data


def profile_page(config: Config, term: Term) -> Markup:
    """``ProfilePage`` structured data for an author's page, as Google documents for bylines."""
    return script_json({
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": urls.absolute(config, urls.expand(config, "author", slug=term.slug)),
        "mainEntity": {**person(config, term),
                       **({"description": profile.bio} if (profile := config.authors.get(term.slug)) and profile.bio
                          else {})},
    })


def news_article(config: Config, article: Article) -> Markup:
    """``NewsArticle`` structured data for one article page."""
    canonical = urls.absolute(config, article.url)
    publisher: dict[str, Any] = {"@type": "Organization", "name": config.publisher_name,
                                 "url": urls.absolute(config, config.home_path)}
    if config.publisher_logo:
        publisher["logo"] = {"@type": "ImageObject",
                             "url": urls.absolute(config, urls.site_path(config, config.publisher_logo))}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.meta_description,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
        "datePublished": article.date.isoformat() if article.date else None,
        "dateModified": article.modified.isoformat() if article.modified else None,
        "author": [person(config, term) for term in article.authors]
        or [{"@type": "Organization", "name": config.publisher_name}],
        "publisher": publisher,
        "wordCount": article.word_count,
        "inLanguage": config.language,
    }
    data["image"] = [urls.absolute(config, image) for image in lead_images(config, article)]
    if article.section:
        data["articleSection"] = article.section.name
    if article.tags:
        data["keywords"] = [tag.name for tag in article.tags]
    if article.contributors:
        data["contributor"] = [person(config, term) for term in article.contributors]
    corrections = [c for c in article.corrections if c.kind == "correction"]  # updates only move dateModified
    if corrections:
        data["correction"] = [{"@type": "CorrectionComment", "text": c.text.striptags(),
                               "datePublished": c.date.isoformat()} for c in reversed(corrections)]
    if article.live is not None:
        data.update(_live_blog(config, article, article.live, canonical))
    return script_json({key: value for key, value in data.items() if value is not None})


def lead_images(config: Config, article: Article) -> list[str]:
    """The article's images for search engines: its lead image in the shapes Google asks for, or the card.

    A lead image of this site is cropped to 16:9, 4:3 and 1:1 (``images.cards``);
    one on another site cannot be, and is listed as it is, before the social
    card; an article without one has its drawn card (1200×630).
    """
    card = social_card(config, article)
    if card.crops:
        return list(card.crops)
    return [*([article.image] if article.image and article.image != card.url else []), card.url]


def _live_blog(config: Config, article: Article, live: LiveCoverage, canonical: str) -> dict[str, Any]:
    """What makes the ``NewsArticle`` a ``LiveBlogPosting``: the coverage's span and its updates."""
    # While covering: the planned end, else an estimate, as Google asks for an unknown end (a day
    # after the newest update, or the start); once 'live: false', the last update ended it.
    if live.live:
        start = live.last_update or article.date
        end = live.until or (start + ESTIMATED_COVERAGE if start else None)
    else:
        end = live.last_update or article.modified
    data: dict[str, Any] = {"@type": "LiveBlogPosting", "coverageStartTime": article.date.isoformat() if article.date
                            else None}
    if end is not None:
        data["coverageEndTime"] = end.isoformat()
    data["liveBlogUpdate"] = [{
        "@type": "BlogPosting",
        "headline": update.headline or shorten(plain_text(update.html), 110) or article.title,
        "datePublished": update.moment.isoformat(),
        "url": f"{canonical}#{update.anchor}",
        "articleBody": plain_text(update.html),
    } for update in live.updates]
    return data


# The pages that list articles: schema.org's CollectionPage.
_COLLECTIONS = frozenset({"tag", "section", "author", "archive", "corrections"})


def page_data(config: Config, *, namespace: str, url: str, title: str, description: str) -> Markup | None:
    """``CollectionPage`` for a list, ``WebPage`` for a standalone page; None for the rest.

    Articles, the front page and each author's page have their own types; the 404
    and "no longer available" pages are not to be indexed and say nothing.
    """
    if namespace in _COLLECTIONS:
        kind = "CollectionPage"
    elif namespace in ("page", "search"):
        kind = "SearchResultsPage" if namespace == "search" else "WebPage"
    else:
        return None
    return script_json({
        "@context": "https://schema.org",
        "@type": kind,
        "name": title,
        "url": urls.absolute(config, url),
        "description": description,
        "inLanguage": config.language,
        "isPartOf": {"@type": "WebSite", "name": config.title, "url": urls.absolute(config, config.home_path)},
    })


def breadcrumbs(config: Config, article: Article) -> Markup:
    """``BreadcrumbList`` for an article: the front page, its section if any, the article."""
    trail = [(config.title, config.home_path)]
    if article.section is not None:
        trail.append((article.section.name, urls.expand(config, "section", slug=article.section.slug)))
    trail.append((article.title, article.url))
    return script_json({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [{"@type": "ListItem", "position": number, "name": name, "item": urls.absolute(config, url)}
                            for number, (name, url) in enumerate(trail, 1)],
    })


def website(config: Config) -> Markup:
    """``WebSite`` structured data for the front page."""
    return script_json({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": config.title,
        "url": urls.absolute(config, config.home_path),
        "description": config.description,
        "inLanguage": config.language,
    })
