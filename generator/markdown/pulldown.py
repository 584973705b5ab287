"""The ``pulldown-cmark`` Markdown engine (through pyromark), for large sites.

``[markdown] engine = "pulldown-cmark"`` trades Python-Markdown's extension
ecosystem for speed: pulldown-cmark, the Rust parser Zola uses, is about a
hundred times faster. The features the newsroom theme relies on are made to
match Python-Markdown's output on the same text: tables, footnotes (same
``fn:``/``fnref:`` ids and back-links), fenced code with ``language-`` classes,
smart punctuation, heading ids from the same slug function with the same
``_1`` suffixes, the same table-of-contents markup, the ``<!--more-->``
summary split and base-path links. Documented differences: no attribute
lists (``{: .class }``), abbreviations or definition-list syntax beyond
CommonMark's, and typographic characters come out as characters rather than
entities.
"""

from __future__ import annotations

import functools
import html
import re
from importlib import metadata

import pyromark

from generator.config.model import CONFIG_NAME, Config
from generator.errors import BuildError, BuildFailed
from generator.markdown.engine import RenderedMarkdown, finish_rendering, is_more_marker
from generator.markdown.headings import Heading, nest, slugify, unique
from generator.markdown.highlight import Highlighter
from generator.markdown.sanitise import sanitiser_for
from generator.text.plain import plain_text, shorten

_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_SMART_PUNCTUATION
)
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_FOOTNOTE_REFERENCE = re.compile(r'<sup class="footnote-reference"><a href="#([^"]*)">(\d+)</a></sup>')
_FOOTNOTE_DEFINITION = re.compile(
    r'<div class="footnote-definition" id="([^"]*)"><sup class="footnote-definition-label">(\d+)</sup>\n?(.*?)</div>\n?',
    re.DOTALL,
)
_TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
_TABLE_HEADING = re.compile(r"<th\b[^>]*>(.*?)</th>", re.DOTALL)
_LANGUAGE_BLOCK = '<pre><code class="language-'
_LANGUAGE_BLOCK_START = re.compile(r'<pre><code class="language-[^"]*">')
_CODE_END = "</code></pre>"
_BLANK_LINE = re.compile(r"^ +$", re.MULTILINE)


class PulldownRenderer:
    """Converts article bodies with pulldown-cmark; the same interface as ``MarkdownRenderer``."""

    def __init__(self, config: Config) -> None:
        check_output_format()
        self.smart = "smarty" in config.markdown.extensions
        self.raw_html = config.markdown.raw_html
        self.sanitiser = sanitiser_for(config)
        self.highlighter = Highlighter() if config.markdown.highlight else None

    def render(self, text: str, *, trusted: bool = True) -> RenderedMarkdown:
        options = _OPTIONS if self.smart else _OPTIONS & ~pyromark.Options.ENABLE_SMART_PUNCTUATION
        if not self.raw_html:
            text = _without_raw_html(text, options)
        body = pyromark.html(text, options=options)
        warnings: tuple[tuple[int, str], ...] = ()
        if self.highlighter is not None and _LANGUAGE_BLOCK in body:
            body, warnings = _highlight(text, body, options, self.highlighter)
        body, headings = _heading_ids(body)
        body = _footnotes(body)
        body = _scrollable_blocks(body)
        return finish_rendering(body, _toc_html(nest(headings)), len(headings), None if trusted else self.sanitiser.clean,
                                warnings=warnings)


# pulldown-cmark's HTML for headings, footnotes and tables, as the regexes above read it.
_PROBE = "# Head\n\nText[^n].\n\n[^n]: Note.\n\n| a |\n|---|\n| b |\n"


@functools.cache
def check_output_format() -> None:
    """Refuse to run on a pyromark whose HTML the rewriting above would silently miss.

    Ids, footnotes and table wrappers are added by rewriting pulldown-cmark's
    HTML, whose shape is not a promise of the library; a release that
    changes it must stop the build with a clear message, not drop heading
    ids. Checked once per process on a probe document.
    """
    probe = pyromark.html(_PROBE, options=_OPTIONS)
    if not (_HEADING.search(probe) and _FOOTNOTE_REFERENCE.search(probe) and _FOOTNOTE_DEFINITION.search(probe)
            and _TABLE.search(probe)):
        version = metadata.version("pyromark")
        raise BuildFailed([BuildError(CONFIG_NAME, None, (
            f"the pulldown-cmark engine does not recognise the HTML of pyromark {version}; install the "
            "version in Dateline's constraints.txt, or set [markdown] engine = \"python-markdown\""))])


def _without_raw_html(text: str, options: int) -> str:
    """``text`` with the raw HTML pulldown-cmark finds in it cut out (``raw_html = false``).

    The parser's own event ranges say exactly where HTML is, so HTML shown
    in code blocks and code spans stays. Ranges are byte offsets.
    """
    data = text.encode("utf-8")
    cuts = [
        (span["start"], span["end"])
        for event, span in pyromark.events_with_range(text, options=pyromark.Options(options))
        if isinstance(event, dict) and ("Html" in event or "InlineHtml" in event)
        and not is_more_marker(str(event.get("Html") or event.get("InlineHtml", "")))
    ]
    if not cuts:
        return text
    pieces, position = [], 0
    for start, end in sorted(cuts):
        pieces.append(data[position:start])
        position = max(position, end)
    pieces.append(data[position:])
    return b"".join(pieces).decode("utf-8")


def _highlight(text: str, body: str, options: int, highlighter: Highlighter) -> tuple[str, tuple[tuple[int, str], ...]]:
    """Fenced blocks with a language, highlighted as the Python-Markdown engine highlights them.

    pulldown-cmark writes only the info string's first word (``class="language-python"``),
    so the whole info string, the code and the fence's line come from the parser's
    events; its n-th ``<pre><code class="language-`` is the n-th such block, counting
    the ones written in raw HTML, which are left alone. If the counts ever disagree,
    nothing is changed. Tabs are expanded and blank lines emptied as
    Python-Markdown does before it sees the code, so both engines give the same HTML.
    """
    data = text.encode("utf-8")
    blocks: list[tuple[str, str, int] | None] = []  # (info, code, line); None: one written in raw HTML
    current: tuple[str, int] | None = None
    parts: list[str] = []
    for event, span in pyromark.events_with_range(text, options=pyromark.Options(options)):
        if not isinstance(event, dict):
            continue
        start = event.get("Start")
        if isinstance(start, dict) and isinstance(start.get("CodeBlock"), dict) and start["CodeBlock"].get("Fenced"):
            current, parts = (start["CodeBlock"]["Fenced"], data.count(b"\n", 0, span["start"]) + 1), []
        elif current is not None and "Text" in event:
            parts.append(event["Text"])
        elif current is not None and event.get("End") == "CodeBlock":
            blocks.append((current[0], "".join(parts), current[1]))
            current = None
        elif "Html" in event or "InlineHtml" in event:
            blocks.extend([None] * str(event.get("Html") or event.get("InlineHtml")).count(_LANGUAGE_BLOCK))
    starts = list(_LANGUAGE_BLOCK_START.finditer(body))
    if len(starts) != len(blocks):
        return body, ()
    pieces: list[str] = []
    position = 0
    warnings: list[tuple[int, str]] = []
    for found, block in zip(starts, blocks, strict=True):
        end = body.find(_CODE_END, found.end())
        if block is None or end == -1:
            continue
        info, code, line = block
        html, warning = highlighter.block(_BLANK_LINE.sub("", code.expandtabs(4)), info)
        if warning is not None:
            warnings.append((line, warning))
        if html is not None:
            pieces.extend((body[position:found.start()], html))
            position = end + len(_CODE_END)
    pieces.append(body[position:])
    return "".join(pieces), tuple(warnings)


def _scrollable_blocks(body: str) -> str:
    """Keyboard-scrollable tables and code blocks, as ``python_markdown._ScrollableBlocks`` makes them."""

    def wrap(match: re.Match[str]) -> str:
        headings = [plain_text(cell) for cell in _TABLE_HEADING.findall(match.group(1))]
        headings = [text for text in headings if text]
        label = shorten("Table: " + ", ".join(headings), 120) if headings else "Table"
        return (f'<div class="table-scroll" role="region" tabindex="0" aria-label="{html.escape(label)}">'
                f"{match.group(0)}</div>")

    return _TABLE.sub(wrap, body).replace("<pre>", '<pre tabindex="0">')


def _heading_ids(body: str) -> tuple[str, list[Heading]]:
    """Give every heading the id Python-Markdown's toc extension would."""
    used: set[str] = set()
    headings: list[Heading] = []

    def add_id(match: re.Match[str]) -> str:
        level, inner = match.group(1), match.group(2)
        name = html.escape(plain_text(inner), quote=False)
        identifier = unique(slugify(html.unescape(name)), used)
        headings.append(Heading(level=int(level), id=identifier, name=name))
        return f'<h{level} id="{identifier}">{inner}</h{level}>'

    return _HEADING.sub(add_id, body), headings


def _toc_html(headings: list[Heading]) -> str:
    if not headings:
        return '<div class="toc">\n<ul></ul>\n</div>\n'

    def items(nodes: list[Heading]) -> str:
        parts = ["<ul>\n"]
        for node in nodes:
            nested = items(node.children) if node.children else ""
            parts.append(f'<li><a href="#{node.id}">{node.name}</a>{nested}</li>\n')
        parts.append("</ul>\n")
        return "".join(parts)

    return f'<div class="toc">\n{items(headings)}</div>\n'


def _footnotes(body: str) -> str:
    """Rewrite pulldown-cmark's footnotes into Python-Markdown's markup and ids."""
    definitions: dict[str, tuple[int, str]] = {}

    def collect(match: re.Match[str]) -> str:
        definitions[match.group(1)] = (int(match.group(2)), match.group(3).strip())
        return ""

    body = _FOOTNOTE_DEFINITION.sub(collect, body)
    if not definitions:
        return body
    seen: dict[str, int] = {}

    def reference(match: re.Match[str]) -> str:
        label, number = match.group(1), match.group(2)
        seen[label] = seen.get(label, 0) + 1
        anchor = f"fnref:{label}" if seen[label] == 1 else f"fnref{seen[label]}:{label}"
        return f'<sup id="{anchor}"><a class="footnote-ref" href="#fn:{label}">{number}</a></sup>'

    body = _FOOTNOTE_REFERENCE.sub(reference, body)
    notes = []
    for label, (number, content) in sorted(definitions.items(), key=lambda item: item[1][0]):
        back = (f'&#160;<a class="footnote-backref" href="#fnref:{label}" '
                f'title="Jump back to footnote {number} in the text">&#8617;</a>')
        position = content.rfind("</p>")
        content = content[:position] + back + content[position:] if position != -1 else content + back
        notes.append(f'<li id="fn:{label}">\n{content}\n</li>\n')
    return body.rstrip("\n") + '\n<div class="footnote">\n<hr />\n<ol>\n' + "".join(notes) + "</ol>\n</div>"
