"""The sanitiser for bodies written by people the site does not trust (``[content.trust]``).

Removing raw HTML is not sanitising: Markdown's own links and images carry
``javascript:``, ``vbscript:`` and ``data:`` URLs, entity-encoded or split by
whitespace. So every untrusted body goes, after Markdown, through ``nh3``
(the Rust ``ammonia`` sanitiser, which parses the HTML as a browser's
HTML5 parser would) with an allowlist of what an article needs: headings
with their ids, lists, tables in Dateline's keyboard-scrollable wrapper,
figures, code, footnotes, images and links. Everything else goes: scripts,
event handlers, ``style``, forms, objects, and every URL whose scheme is not
http, https, mailto or tel (relative URLs stay). Iframes stay only when
their ``https`` address is on one of the site's embed hosts, and then
sandboxed. Links out of the site get ``rel="nofollow ugc noopener"``.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

import nh3

from generator.config.model import Config
from generator.text.links import SAFE_SCHEMES, browser_view, has_safe_scheme, scheme_of

EXTERNAL_REL = "nofollow ugc noopener"
IFRAME_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation"

_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
    "ul", "var", "wbr",
})
# Removed with their content: what they hold is code or markup, never text to show.
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "textarea", "select", "title"})
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "details": {"open"},
    "div": {"aria-label"},
    "span": {"data-line"},  # a highlighted line's number, which only CSS shows (markdown/highlight.py)
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"},
}
# The keyboard-scrollable wrappers Dateline itself makes (``<pre tabindex="0">``, ``div.table-scroll``).
_ATTRIBUTE_VALUES = {
    "pre": {"tabindex": {"0"}},
    "div": {"tabindex": {"0"}, "role": {"region"}},
    "span": {"aria-hidden": {"true"}},
}
# Classes the engines and the theme give meaning to; anything else an author writes is dropped.
_CLASSES = frozenset({"table-scroll", "footnote", "footnote-ref", "footnote-backref", "toc", "decorative",
                      "align-left", "align-center", "align-right"})
_LANGUAGE_CLASS = re.compile(r"language-[\w+#.-]{1,40}")
# Highlighted code (markdown/highlight.py): the block's classes, and Pygments' short token classes on spans.
_CODE_CLASSES = frozenset({"highlight", "linenos"})
_SPAN_CLASSES = frozenset({"hll", "ln"})
_TOKEN_CLASS = re.compile(r"[a-z]{1,3}[0-9]?")

# nh3's output is serialised by ammonia: every attribute is written name="value" with
# '"', '&', '<' and '>' escaped, so a tag ends at the first '>' and these patterns are exact.
_LINK = re.compile(r'<a ((?:[^>]*\s)?href="([^"]*)"[^>]*)>')  # anchors with an href, the href read in the same pass
# A fragment, or a path from the root: "/" not followed by another slash or backslash, which a
# browser reads as "//host" even with tabs or line breaks between them (it removes those).
_ON_THIS_SITE = re.compile(r"#|/(?![\t\n\r]*[/\\])")
_SCHEME_RELATIVE = re.compile(r"[/\\]{2}")
_IFRAME_WITHOUT_SOURCE = re.compile(r'<iframe(?![^>]*\ssrc=")[^>]*>.*?</iframe>', re.DOTALL)


class Sanitiser:
    """One configured ``nh3.Cleaner``, reused for every body of a build (it is immutable)."""

    def __init__(self, *, embed_hosts: tuple[str, ...], site_host: str) -> None:
        self._embed_hosts = frozenset(host.lower() for host in embed_hosts)
        self._site_host = site_host.lower()
        tags = set(_TAGS) | ({"iframe"} if self._embed_hosts else set())
        self._cleaner = nh3.Cleaner(
            tags=tags,
            clean_content_tags=set(_DROPPED_WITH_CONTENT),
            attributes={tag: set(names) for tag, names in _ATTRIBUTES.items() if tag in tags or tag == "*"},
            # Not a bound method: the cleaner would then hold the sanitiser that holds it, a cycle
            # through a Rust object the collector cannot see into, and each build's sanitiser would live on.
            attribute_filter=functools.partial(_kept_attribute, self._embed_hosts),
            strip_comments=True,
            link_rel=None,  # added below, to links that leave the site only
            tag_attribute_values={tag: {name: set(values) for name, values in names.items()}
                                  for tag, names in _ATTRIBUTE_VALUES.items()},
            set_tag_attribute_values={"iframe": {"sandbox": IFRAME_SANDBOX}} if self._embed_hosts else None,
            url_schemes=set(SAFE_SCHEMES),
        )

    def clean(self, fragment: str) -> str:
        """``fragment`` with everything outside the allowlist removed."""
        if not fragment:
            return fragment
        cleaned = self._cleaner.clean(fragment)
        if "<iframe" in cleaned:
            cleaned = _IFRAME_WITHOUT_SOURCE.sub("", cleaned)
        if "<a " in cleaned:
            cleaned = _LINK.sub(self._anchor, cleaned)
        return cleaned

    def _anchor(self, match: re.Match[str]) -> str:
        if not self._external(match.group(2)):
            return match.group(0)
        return f'<a {match.group(1)} rel="{EXTERNAL_REL}">'

    def _external(self, href: str) -> bool:
        if _ON_THIS_SITE.match(href):
            return False  # most of a body's links; the rest are read as a browser reads them
        url = browser_view(href.replace("&amp;", "&"))
        if scheme_of(url) not in ("http", "https") and not _SCHEME_RELATIVE.match(url):
            return False
        try:  # "https:\\host" and "/\\host" name a host as "https://host" does
            host = urlsplit(url.replace("\\", "/")).hostname
        except ValueError:
            return True
        return host != self._site_host


def _kept_attribute(embed_hosts: frozenset[str], tag: str, name: str, value: str) -> str | None:
    """The value ``nh3`` may keep of attribute ``name`` of ``tag``; None drops it."""
    if name == "class":
        kept = [word for word in value.split() if word in _CLASSES or _LANGUAGE_CLASS.fullmatch(word)
                or (tag == "pre" and word in _CODE_CLASSES)
                or (tag == "span" and (word in _SPAN_CLASSES or _TOKEN_CLASS.fullmatch(word)))]
        return " ".join(kept) or None
    if name in ("href", "src"):
        if tag == "iframe":
            return value if _embeddable(value, embed_hosts) else None
        return value if has_safe_scheme(value) else None  # ammonia passes "java script:" on as relative
    return value


def _embeddable(url: str, embed_hosts: frozenset[str]) -> bool:
    if scheme_of(url) != "https":
        return False
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return False
    return host is not None and host in embed_hosts


def sanitiser_for(config: Config) -> Sanitiser:
    """The sanitiser for ``config``'s embed hosts; links to ``base_url``'s host are the site's own."""
    return Sanitiser(embed_hosts=config.trust.embed_hosts, site_host=urlsplit(config.base_url).hostname or "")
