"""Markdown to HTML, plus what we derive from the HTML (summary, words).

One ``MarkdownRenderer`` per process holds one Python-Markdown instance and
``reset()``s it between documents: building the extension pipeline costs far
more than resetting it.
"""

from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from generator.config import Config

MORE_MARKER = "<!--more-->"
_TAGS = re.compile(r"<[^>]*>")
_WORDS = re.compile(r"\w+(?:['’.-]\w+)*")
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


@dataclass(frozen=True)
class RenderedMarkdown:
    """One document's HTML body and what the theme needs to know about it."""

    body: Markup
    summary: Markup
    toc: Markup
    headings: int
    word_count: int


class _BasePathLinks(Treeprocessor):
    """Prefix root-relative links (``/2020/08/x/``) with the site's base path.

    Authors link between articles by root-relative URL; when the site lives
    under ``https://example.org/news/`` those links must gain ``/news``.
    """

    def __init__(self, md: markdown.Markdown, base_path: str) -> None:
        super().__init__(md)
        self.prefix = base_path.rstrip("/")

    def run(self, root: etree.Element) -> None:
        if not self.prefix:
            return
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value and value.startswith("/") and not value.startswith("//"):
                    if not (value == self.prefix or value.startswith(self.prefix + "/")):
                        element.set(attribute, self.prefix + value)


class _BasePathExtension(Extension):
    def __init__(self, base_path: str) -> None:
        super().__init__()
        self.base_path = base_path

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown API
        md.treeprocessors.register(_BasePathLinks(md, self.base_path), "dateline_base_path", 1)


class MarkdownRenderer:
    """Converts article bodies with the extensions ``config.toml`` selects."""

    def __init__(self, config: Config) -> None:
        settings = config.markdown
        self._md = markdown.Markdown(
            extensions=[*settings.extensions, _BasePathExtension(config.base_path)],
            extension_configs={name: dict(options) for name, options in settings.extension_configs.items()},
            output_format="html",
        )
        self.words_per_minute = config.words_per_minute

    def render(self, text: str) -> RenderedMarkdown:
        md = self._md.reset()
        body = md.convert(text)
        toc = getattr(md, "toc", "")
        headings = _count_headings(getattr(md, "toc_tokens", []))
        if MORE_MARKER in body:
            summary = _close_paragraph(body.split(MORE_MARKER, 1)[0].strip())
            body = body.replace(MORE_MARKER, "", 1)
        else:
            first = _FIRST_PARAGRAPH.search(body)
            summary = f"<p>{first.group(1)}</p>" if first else ""
        return RenderedMarkdown(
            body=Markup(body),
            summary=Markup(_strip_footnote_refs(summary)),
            toc=Markup(toc),
            headings=headings,
            word_count=count_words(body),
        )


def _close_paragraph(summary: str) -> str:
    """An inline ``<!--more-->`` splits a paragraph: close the one left open."""
    if summary.count("<p>") + summary.count("<p ") > summary.count("</p>"):
        summary = summary.rstrip() + "</p>"
    return summary


def _count_headings(tokens: list[dict]) -> int:
    return sum(1 + _count_headings(token.get("children", [])) for token in tokens)


def _strip_footnote_refs(summary: str) -> str:
    """Footnote markers point into the article body; on index pages they dangle."""
    return re.sub(r'<sup id="fnref[^"]*">.*?</sup>', "", summary)


_OPENING = r"(^|[\s(\[{\u2014\u2013-])"


def smarten(text: str) -> str:
    """Typographic quotes, dashes and ellipses in plain text (headlines, captions).

    The Markdown body gets the same treatment from the ``smarty`` extension;
    this keeps frontmatter text consistent with it.
    """
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
    text = re.sub(r"'(?=\d\ds\b)", "\u2019", text)  # the '90s
    text = re.sub(_OPENING + '"', "\\1\u201c", text)
    text = re.sub(_OPENING + "'", "\\1\u2018", text)
    return text.replace('"', "\u201d").replace("'", "\u2019")


def plain_text(fragment: str) -> str:
    """The readable text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())


def count_words(fragment: str) -> int:
    return len(_WORDS.findall(plain_text(fragment)))


def reading_minutes(words: int, words_per_minute: int) -> int:
    return max(1, math.ceil(words / words_per_minute))


def shorten(text: str, limit: int = 160) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.–—-")
    return cut + "…"
