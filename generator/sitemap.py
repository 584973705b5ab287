"""``sitemap.xml`` and ``robots.txt``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import timezone

from generator import urls
from generator.config import Config
from generator.pages import Page

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(config: Config, pages: Iterable[Page]) -> bytes:
    """Every indexable page, with ``lastmod`` where the page has a date."""
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for page in sorted((p for p in pages if p.in_sitemap), key=lambda p: p.url):
        entry = ET.SubElement(root, "url")
        ET.SubElement(entry, "loc").text = urls.absolute(config, page.url)
        if page.lastmod:
            stamp = page.lastmod.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
            ET.SubElement(entry, "lastmod").text = stamp
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(config: Config) -> bytes:
    sitemap_url = urls.absolute(config, urls.site_path(config, "/sitemap.xml"))
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()
