"""The Python-Markdown engine, the default: Python-Markdown with Dateline's extensions.

One ``MarkdownRenderer`` per process holds one ``markdown.Markdown`` and
``reset()``s it between documents: building the extension pipeline costs far
more than resetting it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813 - the name Python-Markdown's own code and docs use
from typing import Any

import markdown
from markdown import util as md_util
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import Treeprocessor

from generator.config.model import Config
from generator.markdown import speedups
from generator.markdown.engine import RenderedMarkdown, finish_rendering, is_more_marker
from generator.markdown.highlight import Highlighter, escape
from generator.markdown.sanitise import sanitiser_for
from generator.text.plain import plain_text, shorten

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
            if not is_more_marker(str(stash[index])):
                stash[index] = ""
        return result


class _StripInlineHtml(HtmlInlineProcessor):
    """Drops raw inline HTML tags and comments (``raw_html = false``)."""

    def handleMatch(  # type: ignore[override]  # the stubs give the old Pattern's signature  # noqa: N802 - Markdown API
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | str | None, int | None, int | None]:
        if is_more_marker(m.group(0)):
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


class _HighlightedFences(FencedBlockPreprocessor):
    """fenced_code's preprocessor, with the blocks that name a language highlighted (``[markdown] highlight``).

    Fences are found as fenced_code finds them (at the start of a line,
    closed by the same fence), but the info string may be any of the forms
    ``generator.markdown.highlight`` reads, Hugo's ``python {linenos=true}``
    among them, which the stock pattern does not take for a fence. Each
    block remembers the line of its fence, for the warning about an unknown
    language: a replaced block leaves three lines (the placeholder between
    blank ones), so the lines it took are counted back in.
    """

    FENCED_BLOCK_RE = re.compile(
        r"(?P<fence>^(?:(?P<tilde>~{3,})|`{3,}))[ ]*(?P<info>(?(tilde)[^\n]*|[^\n`]*))\n"
        r"(?P<code>.*?)(?<=\n)(?P=fence)[ ]*$",
        re.MULTILINE | re.DOTALL,
    )

    def __init__(self, md: markdown.Markdown, highlighter: Highlighter, warnings: list[tuple[int, str]]) -> None:
        super().__init__(md, {})
        self.highlighter = highlighter
        self.warnings = warnings

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        index = 0
        taken = 0  # lines before ``index`` that placeholders replaced
        while (match := self.FENCED_BLOCK_RE.search(text, index)) is not None:
            code = match.group("code")
            block, warning = self.highlighter.block(code, match.group("info"))
            if warning is not None:
                self.warnings.append((text.count("\n", 0, match.start()) + 1 + taken, warning))
            if block is None:
                block = f"<pre><code>{escape(code)}</code></pre>"
            placeholder = self.md.htmlStash.store(block)
            taken += match.group().count("\n") - 2
            text = f"{text[:match.start()]}\n{placeholder}\n{text[match.end():]}"
            index = match.start() + 1 + len(placeholder)
        return text.split("\n")


class _HighlightExtension(Extension):
    def __init__(self, highlighter: Highlighter, warnings: list[tuple[int, str]]) -> None:
        super().__init__()
        self.highlighter = highlighter
        self.warnings = warnings

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown API
        if "fenced_code_block" in md.preprocessors:  # only where the site has fenced code at all
            md.preprocessors.register(_HighlightedFences(md, self.highlighter, self.warnings), "fenced_code_block", 25)


class MarkdownRenderer:
    """Converts article bodies with the extensions ``config.toml`` selects."""

    def __init__(self, config: Config) -> None:
        settings = config.markdown
        self._warnings: list[tuple[int, str]] = []  # of the document being converted: (line, message)
        highlighting = (_HighlightExtension(Highlighter(), self._warnings),) if settings.highlight else ()
        self._md = markdown.Markdown(
            extensions=[*settings.extensions, *highlighting, _ScrollableBlocksExtension(),
                        *(() if settings.raw_html else (_NoRawHtmlExtension(),))],
            extension_configs={name: dict(options) for name, options in settings.extension_configs.items()},
            output_format="html",
        )
        speedups.speed_up(self._md)
        self._sanitiser = sanitiser_for(config)

    def render(self, text: str, *, trusted: bool = True) -> RenderedMarkdown:
        md = self._md.reset()
        self._warnings.clear()
        body = md.convert(text)
        toc = getattr(md, "toc", "")
        headings = _count_headings(getattr(md, "toc_tokens", []))
        return finish_rendering(body, toc, headings, None if trusted else self._sanitiser.clean,
                                warnings=tuple(self._warnings))


def _count_headings(tokens: list[dict[str, Any]]) -> int:
    return sum(1 + _count_headings(token.get("children", [])) for token in tokens)
