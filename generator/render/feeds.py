"""Atom and RSS 2.0 feeds with full content and absolute URLs.

Feeds are built with ElementTree rather than templates: XML escaping, CDATA
pitfalls and namespace declarations are then the library's job, not every
theme author's. Entry ids are tag URIs made from the host, the publication
date and the article's path, so they stay stable across builds.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

from markupsafe import escape

from generator import urls
from generator.config.model import Config
from generator.content.article import Article
from generator.identity import IdentityMemory, Remembered
from generator.images.markup import plain_images
from generator.site.feeds import Feed

ATOM = "http://www.w3.org/2005/Atom"
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src|poster)=")(/(?!/)[^"]*)"')
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Categories per entry. An article's entry is repeated in the feed of each of
# its tags, so thousands of tags would make the feeds grow with their square.
MAX_CATEGORIES = 50


def absolute_links(config: Config, fragment: str) -> str:
    """Rewrite root-relative ``href``/``src`` in HTML so feed readers can follow them."""
    return _ROOT_RELATIVE.sub(lambda m: f'{m.group(1)}{config.origin}{m.group(2)}"', fragment)


def entry_id(config: Config, article: Article) -> str:
    host = urlsplit(config.base_url).hostname or "localhost"
    day = article.date.strftime("%Y-%m-%d") if article.date else "1970-01-01"
    return f"tag:{host},{day}:{article.url}"


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: xml_safe(value) for key, value in attributes.items()})
    element.text = xml_safe(text)
    return element


def xml_safe(text: str) -> str:
    """``text`` without the control characters XML forbids (they can come from config strings)."""
    return _NOT_XML.sub("", text)


def _stamp(moment: datetime | None) -> str:
    # As the article's JSON-LD and the sitemap write it: the same instant in the same offset.
    return (moment or _EPOCH).isoformat()


def atom_feed(config: Config, title: str, feed_url: str, page_url: str, articles: Sequence[Article],
              entries: Entries | None = None) -> bytes:
    """An Atom 1.0 document for ``articles`` (already newest first)."""
    items = config.feed_items(tuple(articles))
    feed = atom_head(config, title, feed_url, page_url, items)
    entries = entries or Entries(config)
    return _serialise(feed, feed, [entries.atom(article) for article in items])


def atom_head(config: Config, title: str, feed_url: str, page_url: str, items: Sequence[Article]) -> ET.Element:
    """The ``<feed>`` element with everything but its entries."""
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": config.language})
    _text(feed, "title", title)
    if config.description:
        _text(feed, "subtitle", config.description)
    _text(feed, "id", urls.absolute(config, feed_url))
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": urls.absolute(config, feed_url)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": urls.absolute(config, page_url)})
    _text(feed, "updated", _stamp(max((a.modified for a in items if a.modified), default=None)))
    author = ET.SubElement(feed, "author")
    _text(author, "name", config.publisher_name)
    _text(feed, "generator", "Dateline")
    return feed


def _atom_entry(config: Config, article: Article) -> ET.Element:
    entry = ET.Element("entry")
    _text(entry, "title", article.title)
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": urls.absolute(config, article.url)})
    _text(entry, "id", entry_id(config, article))
    _text(entry, "published", _stamp(article.date))
    _text(entry, "updated", _stamp(article.modified))
    for person in article.authors or ():
        author = ET.SubElement(entry, "author")
        _text(author, "name", person.name)
        _text(author, "uri", urls.absolute(config, urls.expand(config, "author", slug=person.slug)))
    if not article.authors:
        author = ET.SubElement(entry, "author")
        _text(author, "name", config.publisher_name)
    if article.section:
        ET.SubElement(entry, "category", {"term": article.section.slug, "label": xml_safe(article.section.name)})
    for tag in article.tags[:MAX_CATEGORIES]:
        ET.SubElement(entry, "category", {"term": tag.slug, "label": xml_safe(tag.name)})
    _text(entry, "summary", article.meta_description)
    _text(entry, "content", absolute_links(config, _content(config, article)), type="html")
    return entry


def rss_feed(config: Config, title: str, feed_url: str, page_url: str, articles: Sequence[Article],
             entries: Entries | None = None) -> bytes:
    """An RSS 2.0 document for ``articles`` (already newest first)."""
    items = config.feed_items(tuple(articles))
    rss = rss_head(config, title, feed_url, page_url, items)
    entries = entries or Entries(config)
    return _serialise(rss, rss[0], [entries.rss(article) for article in items])


def rss_head(config: Config, title: str, feed_url: str, page_url: str, items: Sequence[Article]) -> ET.Element:
    """The ``<rss>`` element with its ``<channel>`` holding everything but the items."""
    rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM, "xmlns:dc": "http://purl.org/dc/elements/1.1/"})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", title)
    _text(channel, "link", urls.absolute(config, page_url))
    _text(channel, "description", config.description or title)
    _text(channel, "language", config.language)
    ET.SubElement(channel, "atom:link", {"href": urls.absolute(config, feed_url), "rel": "self", "type": "application/rss+xml"})
    newest = max((a.modified for a in items if a.modified), default=None)
    _text(channel, "lastBuildDate", format_datetime((newest or _EPOCH).astimezone(UTC), usegmt=True))
    _text(channel, "generator", "Dateline")
    return rss


def _rss_item(config: Config, article: Article) -> ET.Element:
    item = ET.Element("item")
    _text(item, "title", article.title)
    _text(item, "link", urls.absolute(config, article.url))
    _text(item, "guid", entry_id(config, article), isPermaLink="false")
    _text(item, "pubDate", format_datetime((article.date or _EPOCH).astimezone(UTC), usegmt=True))
    for person in article.authors:
        _text(item, "dc:creator", person.name)
    if not article.authors:  # as in the Atom feed: the publisher speaks for unsigned articles
        _text(item, "dc:creator", config.publisher_name)
    if article.section:
        _text(item, "category", article.section.name)
    for tag in article.tags[:MAX_CATEGORIES]:
        _text(item, "category", tag.name)
    _text(item, "description", absolute_links(config, _content(config, article)))
    return item


class Entries:
    """Feed entries serialised once per article and reused.

    An article's entry is the same XML in the site feeds and in the feed of
    each of its tags, section and authors, and its body is most of a feed's
    bytes. Entries are remembered by the article's identity (see ``memory``);
    they stay right while the config does (a build starts afresh when the
    config changes). ``used`` is what this build touched, to pass on.
    """

    def __init__(self, config: Config, remembered: Remembered[bytes] | None = None) -> None:
        self.config = config
        self._memory: IdentityMemory[bytes] = IdentityMemory(remembered)

    @property
    def used(self) -> Remembered[bytes]:
        return self._memory.used

    def atom(self, article: Article) -> bytes:
        return self._entry("atom", article, 1)

    def rss(self, article: Article) -> bytes:
        return self._entry("rss", article, 2)

    def _entry(self, kind: str, article: Article, level: int) -> bytes:
        found = self._memory.recall(article, kind)
        if found is not None:
            return found
        element = _atom_entry(self.config, article) if kind == "atom" else _rss_item(self.config, article)
        ET.indent(element, space="  ", level=level)
        return self._memory.keep(article, ET.tostring(element, encoding="utf-8"), kind)


def _content(config: Config, article: Article) -> str:
    """The full article HTML, with the lead image first when there is one."""
    body = plain_images(str(article.body))
    if not article.image:
        return body
    figure = f'<p><img src="{escape(article.image)}" alt="{escape(article.image_alt)}"></p>'
    return figure + body


_SLOT = "dateline-entries"


def _serialise(root: ET.Element, parent: ET.Element, entries: list[bytes]) -> bytes:
    """The document, indented, with the serialised ``entries`` as the last children of ``parent``.

    The entries stand in one placeholder element while ElementTree writes the
    rest, then take its line: the bytes are those of one tree holding them.
    """
    ET.SubElement(parent, _SLOT)
    ET.indent(root, space="  ")
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    depth = 1 if parent is root else 2
    indent = b"  " * depth
    entries_text = b"".join(indent + entry + b"\n" for entry in entries)
    return document.replace(indent + f"<{_SLOT} />\n".encode(), entries_text, 1)


def render_feed(feed: Feed, config: Config, entries: Entries | None = None) -> bytes:
    """The bytes of one planned feed."""
    write = atom_feed if feed.format == "atom" else rss_feed
    return write(config, feed.title, feed.feed_url, feed.page_url, feed.articles, entries)
