"""``sitemap.xml`` and ``robots.txt``."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from generator import urls
from generator.config.model import Config
from generator.site.pages import Page

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"  # of <xhtml:link rel="alternate" hreflang>, as Google documents it


def sitemap(config: Config, pages: Sequence[Page]) -> bytes:
    """Every indexable page, with ``lastmod`` where the page has a date.

    Written as text rather than through ElementTree: the one process that
    waits for it at the end of a build should not build a tree of every URL.
    Escaped with ``html.escape(quote=False)``, the same three replacements
    as ``xml.sax.saxutils.escape``, which would import ``urllib.request``,
    ``http.client`` and ``ssl`` into every build.
    """
    entries = []
    for page in sorted((p for p in pages if p.in_sitemap), key=lambda p: p.url):
        entries.append(f"  <url>\n    <loc>{escape(urls.absolute(config, page.url), quote=False)}</loc>\n")
        if page.lastmod:
            stamp = page.lastmod.isoformat()  # in its own offset, as the page's JSON-LD and the feeds say it
            entries.append(f"    <lastmod>{stamp}</lastmod>\n")
        for alternate in page.alternates:  # Google's form: every version, itself included
            href = escape(urls.absolute(config, alternate.url))
            entries.append(f'    <xhtml:link rel="alternate" hreflang="{escape(alternate.lang)}" href="{href}"/>\n')
        entries.append("  </url>\n")
    # The XHTML namespace only where a page has translations: a single-language site's sitemap is unchanged.
    namespaces = f'xmlns="{SITEMAP_NS}"' + (f' xmlns:xhtml="{XHTML_NS}"' if any(p.alternates for p in pages) else "")
    urlset = f'<urlset {namespaces}>\n{"".join(entries)}</urlset>' if entries else f'<urlset {namespaces} />'
    return f"<?xml version='1.0' encoding='utf-8'?>\n{urlset}\n".encode()


def robots(config: Config, *, news: bool) -> bytes:
    """``robots.txt``: everything allowed, and where the sitemaps are (``news``: the News one too)."""
    sitemap_url = urls.absolute(config, urls.site_path(config, "/sitemap.xml"))
    news_url = urls.absolute(config, urls.site_path(config, "/news-sitemap.xml"))
    news_line = f"Sitemap: {news_url}\n" if news else ""
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n{news_line}".encode()
