"""The bytes of the Google News sitemap, the corrections feed and the ``410`` rules of taken-down articles.

The News sitemap follows Google's schema (``sitemap-news/0.9``): each
article published in the last two days, with the publication's name and
language, the publication date and the headline. The corrections feed is
Atom, one entry per correction, so readers and other newsrooms can follow
what a site put right.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape

from generator import urls
from generator.config.model import Config
from generator.content.article import Article
from generator.render.feeds import absolute_links, atom_head, entry_id, xml_safe
from generator.render.redirects import rule_path
from generator.render.sitemap import SITEMAP_NS
from generator.site.newsroom import CORRECTIONS_FEED_PATH, CORRECTIONS_PATH, LoggedCorrection

NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def news_language(language: str) -> str:
    """The site's language as Google News asks for it: an ISO 639 code, or ``zh-cn``/``zh-tw``.

    ``en-GB`` becomes ``en``; Chinese keeps its script, which is what the
    region stands for there (``zh-Hant``, ``zh-TW`` and ``zh-HK`` are ``zh-tw``).
    """
    parts = language.replace("_", "-").lower().split("-")
    if parts[0] == "zh":
        return "zh-tw" if any(part in ("hant", "tw", "hk", "mo") for part in parts[1:]) else "zh-cn"
    code = parts[0]
    return code if code.isascii() and code.isalpha() and 2 <= len(code) <= 3 else "en"


def _stamp(moment: datetime) -> str:
    return moment.isoformat()  # in its own offset, as the article's JSON-LD says it


def news_sitemap(config: Config, articles: Sequence[Article]) -> bytes:
    """The News sitemap for ``articles`` (those in the window, newest first)."""
    name = escape(config.publisher_name or config.title, quote=False)
    entries = []
    for article in articles:
        assert article.date is not None
        language = news_language(article.in_language(config))  # on a site in several languages, the article's
        entries.append(
            "  <url>\n"
            f"    <loc>{escape(urls.absolute(config, article.url), quote=False)}</loc>\n"
            "    <news:news>\n"
            "      <news:publication>\n"
            f"        <news:name>{name}</news:name>\n"
            f"        <news:language>{language}</news:language>\n"
            "      </news:publication>\n"
            f"      <news:publication_date>{_stamp(article.date)}</news:publication_date>\n"
            f"      <news:title>{escape(article.title, quote=False)}</news:title>\n"
            "    </news:news>\n"
            "  </url>\n"
        )
    body = "".join(entries)
    return (f"<?xml version='1.0' encoding='utf-8'?>\n"
            f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n{body}</urlset>\n').encode()


def corrections_feed(config: Config, log: Sequence[LoggedCorrection]) -> bytes:
    """An Atom feed of the site's corrections and updates, newest first."""
    feed_url = urls.home_path(config, CORRECTIONS_FEED_PATH)
    page_url = urls.home_path(config, CORRECTIONS_PATH)
    newest = max((entry.correction.date for entry in log), default=None)
    feed = atom_head(config, f"Corrections – {config.title}", feed_url, page_url, ())
    updated = feed.find("updated")
    if updated is not None and newest is not None:
        updated.text = _stamp(newest)
    for entry in config.feed_items(tuple(log)):  # the newest ``feed_limit``, as every feed
        article, correction = entry.article, entry.correction
        item = ET.SubElement(feed, "entry")
        label = "Update" if correction.kind == "update" else "Correction"
        ET.SubElement(item, "title").text = f"{label}: {xml_safe(article.title)}"
        ET.SubElement(item, "link", {"rel": "alternate", "type": "text/html",
                                     "href": urls.absolute(config, article.url)})
        ET.SubElement(item, "id").text = f"{entry_id(config, article)}:{correction.kind}:{_stamp(correction.date)}"
        ET.SubElement(item, "published").text = _stamp(correction.date)
        ET.SubElement(item, "updated").text = _stamp(correction.date)
        ET.SubElement(item, "content", {"type": "html"}).text = xml_safe(absolute_links(config, str(correction.text)))
    ET.indent(feed, space="  ")
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def gone_rules(config: Config, articles: Iterable[Article]) -> list[str]:
    """A ``_redirects`` line answering each taken-down article with ``410 Gone`` (Netlify's syntax).

    The rule is forced (``410!``) because the "no longer available" page
    stands at that path, and Netlify serves a file rather than a rule that
    is not forced; the page is what the reader sees, with the status 410.
    """
    lines = []
    for article in articles:
        page = urls.site_path(config, urls.output_file(config, article.url))
        lines.append(f"{rule_path(article.url)} {rule_path(page)} 410!")
    return lines

