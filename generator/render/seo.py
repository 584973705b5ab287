"""Machine-readable metadata: JSON-LD for search engines and news aggregators."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from generator import urls
from generator.config.model import Config
from generator.content.article import Article


def script_json(data: Any) -> Markup:
    """JSON safe to place inside ``<script>``: no ``</script>`` or ``<!--`` can appear."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _author(config: Config, article: Article, term_index: int) -> dict[str, str]:
    term = article.authors[term_index]
    person = {"@type": "Person", "name": term.name,
              "url": urls.absolute(config, urls.expand(config, "author", slug=term.slug))}
    return person


def news_article(config: Config, article: Article) -> Markup:
    """``NewsArticle`` structured data for one article page."""
    canonical = urls.absolute(config, article.url)
    publisher: dict[str, Any] = {"@type": "Organization", "name": config.publisher_name,
                                 "url": urls.absolute(config, config.base_path)}
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
        "author": [_author(config, article, i) for i in range(len(article.authors))]
        or [{"@type": "Organization", "name": config.publisher_name}],
        "publisher": publisher,
        "wordCount": article.word_count,
        "inLanguage": config.language,
    }
    if article.image:
        data["image"] = [urls.absolute(config, article.image)]
    if article.section:
        data["articleSection"] = article.section.name
    if article.tags:
        data["keywords"] = [tag.name for tag in article.tags]
    return script_json({key: value for key, value in data.items() if value is not None})


def website(config: Config) -> Markup:
    """``WebSite`` structured data for the front page."""
    return script_json({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": config.title,
        "url": urls.absolute(config, config.base_path),
        "description": config.description,
        "inLanguage": config.language,
    })
