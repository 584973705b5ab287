"""The one interface every Markdown engine offers, and what is derived from any engine's HTML.

An engine turns a body into HTML plus its table of contents; the summary
(the text before ``<!--more-->``, else the first paragraph) and the word
count are worked out here, the same way for every engine, and so is the
sanitising of an untrusted body: after the summary is split off (the
sanitiser drops comments, ``<!--more-->`` among them) and before words are
counted (a removed script's text is not words a reader sees).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from markupsafe import Markup

from generator.config.model import Config
from generator.text.plain import count_words

MORE_MARKER = "<!--more-->"
# Jekyll, Hugo and WordPress themes write it with spaces too: ``<!-- more -->``.
MORE_PATTERN = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_FOOTNOTE_REFERENCE = re.compile(r'<sup id="fnref[^"]*">.*?</sup>')
_CELL_ALIGNMENT = re.compile(r'<(th|td) style="text-align: (left|center|right);?">')


@dataclass(frozen=True, kw_only=True)
class RenderedMarkdown:
    """One document's HTML body and what the theme needs to know about it."""

    body: Markup
    summary: Markup
    toc: Markup
    headings: int
    word_count: int
    # (line in the Markdown text, counted from 1; message): what the author may want to fix, such as
    # an unknown code language. The caller adds the line the text starts on in its file.
    warnings: tuple[tuple[int, str], ...] = ()


class Renderer(Protocol):
    """What the build needs from a Markdown engine."""

    def render(self, text: str, *, trusted: bool = True) -> RenderedMarkdown:
        """``text`` as HTML; an untrusted one (``trusted=False``) through the sanitiser."""
        ...


def make_renderer(config: Config) -> Renderer:
    """The renderer for ``[markdown] engine``; each engine's module is imported only when chosen."""
    if config.markdown.engine == "pulldown-cmark":
        from generator.markdown.pulldown import PulldownRenderer

        return PulldownRenderer(config)
    from generator.markdown.python_markdown import MarkdownRenderer

    return MarkdownRenderer(config)


def finish_rendering(body: str, toc: str, headings: int, clean: Callable[[str], str] | None = None,
                     warnings: tuple[tuple[int, str], ...] = ()) -> RenderedMarkdown:
    """Any engine's HTML body: split off the summary, sanitise with ``clean`` if given, count the words.

    Both engines align table columns (``|---:|``) with a ``style``
    attribute, which a strict Content Security Policy refuses; a class
    the theme styles does the same.
    """
    if 'style="text-align' in body:
        body = _CELL_ALIGNMENT.sub(r'<\1 class="align-\2">', body)
    more = MORE_PATTERN.search(body)
    if more is not None:
        summary = _close_paragraph(body[: more.start()].strip())
        body = body[: more.start()] + body[more.end():]
        if clean is not None:
            body, summary, toc = clean(body), clean(summary), clean(toc)
    else:
        if clean is not None:  # the first paragraph of a clean body is clean: one pass, not two
            body, toc = clean(body), clean(toc)
        first = _FIRST_PARAGRAPH.search(body)
        summary = f"<p>{first.group(1)}</p>" if first else ""
    return RenderedMarkdown(
        body=Markup(body),
        summary=Markup(_FOOTNOTE_REFERENCE.sub("", summary)),  # they point into the body: on index pages they dangle
        toc=Markup(toc),
        headings=headings,
        word_count=count_words(body),
        warnings=warnings,
    )


def is_more_marker(html: str) -> bool:
    """Whether a piece of raw HTML is the summary split, however it is spaced."""
    return MORE_PATTERN.fullmatch(html.strip()) is not None


def _close_paragraph(summary: str) -> str:
    """An inline ``<!--more-->`` splits a paragraph: close the one left open."""
    if summary.count("<p>") + summary.count("<p ") > summary.count("</p>"):
        summary = summary.rstrip() + "</p>"
    return summary
