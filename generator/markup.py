"""Markdown to HTML, plus what we derive from the HTML (summary, words).

One ``MarkdownRenderer`` per process holds one Python-Markdown instance and
``reset()``s it between documents: building the extension pipeline costs far
more than resetting it.
"""

from __future__ import annotations

import html
import math
import re
try:  # the regex parser, to find which characters a pattern needs
    import re._constants as _sre
    import re._parser as _sre_parse
except ImportError:  # before Python 3.11
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from itertools import filterfalse
from typing import Any, Protocol

import markdown
from markdown import util as md_util
from markdown.extensions import Extension
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markupsafe import Markup

from generator.config import Config

MORE_MARKER = "<!--more-->"
_TAGS = re.compile(r"<[^>]*>")
_WORDS = re.compile(r"\w++(?:['’.-]\w++)*+")  # possessive: the same words as greedy, without backtracking
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


_STASHED_PRE = re.compile(r"<pre(?=[\s>])(?![^>]*\stabindex=)")
_ESCAPED_CHAR = re.compile(md_util.STX + r"([0-9]+)" + md_util.ETX)


class _ScrollableBlocks(Treeprocessor):
    """Let keyboard users scroll what scrolls sideways: code blocks and tables.

    On a narrow screen a long code line or a wide table scrolls inside the
    text column (see the theme's CSS), and a region that scrolls must be
    reachable with the keyboard (WCAG 2.1.1; axe's ``scrollable-region-focusable``).
    A table is wrapped in ``<div class="table-scroll" role="region" tabindex="0">``
    named after its column headings, so the wrapper scrolls and the table
    keeps its table semantics; a ``<pre>`` gets ``tabindex="0"``. Fenced code
    blocks reach the tree only as placeholders for stashed HTML, so the
    stashed ``<pre>`` is given the attribute there.
    """

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(parent):
                if child.tag == "pre" and child.get("tabindex") is None:
                    child.set("tabindex", "0")
                elif child.tag == "table" and not (parent.tag == "div" and "table-scroll" in parent.get("class", "").split()):
                    wrapper = etree.Element("div", {"class": "table-scroll", "role": "region", "tabindex": "0",
                                                    "aria-label": self._label(child)})
                    wrapper.tail, child.tail = child.tail, None
                    parent[index] = wrapper
                    wrapper.append(child)
        stash = self.md.htmlStash.rawHtmlBlocks
        for index, block in enumerate(stash):
            if isinstance(block, str) and _STASHED_PRE.match(block):
                stash[index] = _STASHED_PRE.sub('<pre tabindex="0"', block, count=1)

    def _label(self, table: etree.Element) -> str:
        """``Table: Group, Seats 2015, …`` from the header cells, as plain text."""
        headings = [self._text(cell) for cell in table.iter("th")]
        headings = [text for text in headings if text]
        return shorten("Table: " + ", ".join(headings), 120) if headings else "Table"

    def _text(self, element: etree.Element) -> str:
        text = "".join(element.itertext())
        stash = self.md.htmlStash.rawHtmlBlocks
        text = md_util.HTML_PLACEHOLDER_RE.sub(lambda m: plain_text(str(stash[int(m.group(1))])), text)
        text = _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1))), text)
        return " ".join(text.split())


class _BasePathExtension(Extension):
    def __init__(self, base_path: str) -> None:
        super().__init__()
        self.base_path = base_path

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown API
        md.treeprocessors.register(_BasePathLinks(md, self.base_path), "dateline_base_path", 1)


class _StripHtmlBlocks(HtmlBlockPreprocessor):
    """Drops raw HTML blocks (``raw_html = false``), keeping ``<!--more-->``.

    Blocks are found exactly as Python-Markdown finds them, so HTML inside
    fenced code (stashed earlier, at priority 25) is untouched.
    """

    def run(self, lines: list[str]) -> list[str]:
        stash = self.md.htmlStash.rawHtmlBlocks
        before = len(stash)
        result = super().run(lines)
        for index in range(before, len(stash)):
            if str(stash[index]).strip() != MORE_MARKER:
                stash[index] = ""
        return result


class _StripInlineHtml(HtmlInlineProcessor):
    """Drops raw inline HTML tags and comments (``raw_html = false``)."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # noqa: N802 - Markdown API
        if m.group(0) == MORE_MARKER:
            return super().handleMatch(m, data)
        return "", m.start(0), m.end(0)


class _DropEmptyParagraphs(Postprocessor):
    """A removed HTML block leaves the paragraph Python-Markdown wrapped it in."""

    def run(self, text: str) -> str:
        return text.replace("<p></p>\n", "").replace("<p></p>", "")


class _NoRawHtmlExtension(Extension):
    """Authors' raw HTML is removed, never rendered: for untrusted contributors."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown API
        md.preprocessors.register(_StripHtmlBlocks(md), "html_block", 20)
        md.inlinePatterns.register(_StripInlineHtml(HTML_RE, md), "html", 90)
        md.postprocessors.register(_DropEmptyParagraphs(md), "dateline_empty_paragraphs", 25)  # after raw_html


class _ScrollableBlocksExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown API
        # After inline markup is parsed (20) and before the output is indented (10).
        md.treeprocessors.register(_ScrollableBlocks(md), "dateline_scrollable", 12)


def _required(sequence: Any) -> frozenset[str] | None:
    """Strings of which every match of the parsed regex ``sequence`` contains at least one,
    or None if no such set is certain. Of the sets found, the one with the fewest and
    longest strings: runs of literal characters are taken whole (``---``)."""
    found: list[frozenset[str]] = []
    run = ""
    for op, argument in sequence:
        literal = _literal_text(op, argument)
        if literal is not None:
            run += literal
            continue
        if run:
            found.append(frozenset((run,)))
            run = ""
        required = _item_required(op, argument)
        if required:
            found.append(required)
    if run:
        found.append(frozenset((run,)))
    return min(found, key=lambda strings: (len(strings), -min(map(len, strings))), default=None)


def _literal_text(op: Any, argument: Any) -> str | None:
    """The exact text an item matches, for a literal character or one repeated a fixed number of times."""
    if op is _sre.LITERAL:
        return chr(argument)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        least, most, sequence = argument
        if least == most and len(sequence) == 1 and sequence[0][0] is _sre.LITERAL:
            return chr(sequence[0][1]) * least
    return None


def _item_required(op: Any, argument: Any) -> frozenset[str] | None:
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, sequence = argument
        return None if add_flags & re.IGNORECASE else _required(sequence)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        least, _most, sequence = argument
        return _required(sequence) if least >= 1 else None
    if op is _sre.BRANCH:
        alternatives = [_required(sequence) for sequence in argument[1]]
        return None if any(not found for found in alternatives) else frozenset().union(*alternatives)  # type: ignore[arg-type]
    if op is _sre.IN:
        if any(member_op is not _sre.LITERAL for member_op, _ in argument):
            return None  # negated, ranges, categories: left to the regex
        return frozenset(chr(code) for _, code in argument)
    return None  # anchors, lookarounds, classes...: they need no particular text


def needles_of(pattern: Any) -> tuple[str, ...] | None:
    """Strings of which every match of an inline ``pattern`` contains one, sorted; None if unknown."""
    compiled = getattr(pattern, "getCompiledRegExp", None)
    regex = compiled() if callable(compiled) else None
    if not isinstance(regex, re.Pattern) or not isinstance(regex.pattern, str) or regex.flags & re.IGNORECASE:
        return None
    try:
        needles = _required(_sre_parse.parse(regex.pattern, regex.flags))
    except Exception:  # noqa: BLE001 - a pattern the analysis does not follow is simply always tried
        return None
    return tuple(sorted(needles)) if needles else None


class _QuickRegistry(md_util.Registry):
    """A pattern registry that keeps its patterns, in order, with their needles (see
    ``needles_of``) until it changes."""

    quick: list[tuple[Any, tuple[str, ...] | None]] | None = None

    def quick_patterns(self) -> list[tuple[Any, tuple[str, ...] | None]]:
        if self.quick is None:
            self.quick = [(pattern, needles_of(pattern)) for pattern in self]
        return self.quick

    def register(self, item: Any, name: str, priority: float) -> None:
        self.quick = None
        super().register(item, name, priority)

    def deregister(self, name: str, strict: bool = True) -> None:
        self.quick = None
        super().deregister(name, strict)


class _QuickInlineProcessor(InlineProcessor):
    """Python-Markdown's inline processor, which skips the patterns that cannot match.

    The stock processor tries each of its thirty-odd patterns on each piece
    of text (over a thousand tries per article), and most pieces hold no
    quote, dash, bracket or backtick: those tries were about half of all the
    time Markdown took. Each pattern here comes with the strings every match
    of its regex must contain (``needles_of``), and is tried only if the text
    from the current position holds one of them. Skipping a pattern that
    cannot match is exactly what the stock processor ends up doing, so the
    HTML is the same; tests compare the two on random and real text.

    The loop below is the stock ``__handleInline`` with that check added; it
    replaces the private method by its mangled name, the one the stock code
    calls.
    """

    inlinePatterns: _QuickRegistry

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, md_util.AtomicString):
            return data
        patterns = self.inlinePatterns.quick or self.inlinePatterns.quick_patterns()
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        find = data.find
        start = 0
        count = len(patterns)
        while patternIndex < count:
            pattern, needles = patterns[patternIndex]
            if needles is not None:
                for needle in needles:
                    if find(needle, start) != -1:
                        break
                else:  # no match possible: what ``__applyPattern`` would find, without its cost
                    patternIndex += 1
                    start = 0
                    continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if matched:
                find = data.find
            else:
                patternIndex += 1
        return data


def _speed_up_inline_patterns(md: markdown.Markdown) -> None:
    """Make every stock inline processor (the core one, smarty's) a ``_QuickInlineProcessor``."""
    for processor in md.treeprocessors:
        if type(processor) is InlineProcessor and type(processor.inlinePatterns) is md_util.Registry:
            processor.inlinePatterns.__class__ = _QuickRegistry
            processor.__class__ = _QuickInlineProcessor


class MarkdownRenderer:
    """Converts article bodies with the extensions ``config.toml`` selects."""

    def __init__(self, config: Config) -> None:
        settings = config.markdown
        self._md = markdown.Markdown(
            extensions=[*settings.extensions, _BasePathExtension(config.base_path), _ScrollableBlocksExtension(),
                        *(() if settings.raw_html else (_NoRawHtmlExtension(),))],
            extension_configs={name: dict(options) for name, options in settings.extension_configs.items()},
            output_format="html",
        )
        _speed_up_inline_patterns(self._md)
        self.words_per_minute = config.words_per_minute

    def render(self, text: str) -> RenderedMarkdown:
        md = self._md.reset()
        body = md.convert(text)
        toc = getattr(md, "toc", "")
        headings = _count_headings(getattr(md, "toc_tokens", []))
        return finish_rendering(body, toc, headings)


class Renderer(Protocol):
    """What the build needs from a Markdown engine (``MarkdownRenderer``, ``cmark.PulldownRenderer``)."""

    def render(self, text: str) -> RenderedMarkdown: ...


def make_renderer(config: Config) -> Renderer:
    """The renderer for ``[markdown] engine``."""
    if config.markdown.engine == "pulldown-cmark":
        from generator.cmark import PulldownRenderer  # imports this module: loaded only when chosen

        return PulldownRenderer(config)
    return MarkdownRenderer(config)


def finish_rendering(body: str, toc: str, headings: int) -> RenderedMarkdown:
    """Any engine's HTML body: split off the summary, count the words."""
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


_ELLIPSES_DASHES_QUOTES = re.compile(r"-|\.\.\.|['\"]")
_DECADE = re.compile(r"'(?=\d\ds\b)")
_OPENING_DOUBLE = re.compile(_OPENING + '"')
_OPENING_SINGLE = re.compile(_OPENING + "'")


def smarten(text: str) -> str:
    """Typographic quotes, dashes and ellipses in plain text (headlines, captions).

    The Markdown body gets the same treatment from the ``smarty`` extension;
    this keeps frontmatter text consistent with it.
    """
    if not _ELLIPSES_DASHES_QUOTES.search(text):
        return text  # nothing to typeset
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
    text = _DECADE.sub("\u2019", text)  # the '90s
    text = _OPENING_DOUBLE.sub("\\1\u201c", text)
    text = _OPENING_SINGLE.sub("\\1\u2018", text)
    return text.replace('"', "\u201d").replace("'", "\u2019")


def plain_text(fragment: str) -> str:
    """The readable text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())


def count_words(fragment: str) -> int:
    """The number of words in ``plain_text(fragment)``.

    A word never spans whitespace, so the text is cut at whitespace first: a
    piece made only of letters and digits (``isalnum``: the characters of
    ``\\w`` but ``_``) is one word, and only the rest, a fraction of the text,
    goes through the regex. That takes 40% less time than the regex alone,
    which cost a quarter of a pulldown-cmark parse.
    """
    pieces = html.unescape(_TAGS.sub(" ", fragment)).split()
    rest = list(filterfalse(str.isalnum, pieces))
    return len(pieces) - len(rest) + len(_WORDS.findall(" ".join(rest)))


def reading_minutes(words: int, words_per_minute: int) -> int:
    return max(1, math.ceil(words / words_per_minute))


def shorten(text: str, limit: int = 160) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.–—-")
    return cut + "…"
