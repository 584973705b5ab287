"""The inline-pattern speed-ups in ``markup``: same HTML as stock Python-Markdown, for any text."""

from __future__ import annotations

import functools
import html
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import parse_config
from generator.markdown import speedups as markdown_speedups
from generator.markdown.python_markdown import MarkdownRenderer
from generator.markdown.speedups import _QuickInlineProcessor, _required, _sre_parse, needles_of
from generator.text import plain as markup_plain
from generator.text import typography
from tests.golden import REPO

ALL_EXTENSIONS = ("tables", "footnotes", "fenced_code", "toc", "smarty", "attr_list", "abbr", "def_list",
                  "sane_lists", "admonition", "md_in_html", "codehilite", "nl2br", "wikilinks", "legacy_em")
CONFIGS = {
    "default": 'title = "T"\nbase_url = "https://example.org/"\n',
    "raw_html_off": 'title = "T"\nbase_url = "https://example.org/news/"\n[markdown]\nraw_html = false\n',
    "many_extensions": 'title = "T"\nbase_url = "https://example.org/"\n[markdown]\nextensions = ['
                       + ", ".join(f'"{name}"' for name in ALL_EXTENSIONS) + "]\n",
}


def config(name: str):  # type: ignore[no-untyped-def]
    text = CONFIGS[name]
    parsed, errors = parse_config(Path("/nonexistent-site"), text, tomllib.loads(text))
    assert not errors
    return parsed


@functools.cache
def renderers(name: str) -> tuple[MarkdownRenderer, MarkdownRenderer]:
    """A renderer as the build makes it, and one left as stock Python-Markdown."""
    fast = MarkdownRenderer(config(name))
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(markdown_speedups, "speed_up", lambda md: None)
        stock = MarkdownRenderer(config(name))
    return fast, stock


def patterns(renderer: MarkdownRenderer) -> list[object]:
    md = renderer._md
    registries = [md.inlinePatterns, *(getattr(tp, "inlinePatterns", None) for tp in md.treeprocessors)]
    return [pattern for registry in registries if registry is not None for pattern in registry]


@pytest.mark.parametrize(("regex", "needles"), [
    (r"abc", {"abc"}),
    (r"a|bc", {"a", "bc"}),
    (r"x?yz", {"yz"}),
    (r"(?:ab)+c", {"ab"}),
    (r"\.{3}", {"..."}),
    (r"(?<!-)--(?!-)", {"--"}),
    (r"[*_]", {"*", "_"}),
    (r"(\s|&nbsp;)'(?=\w)", {"'"}),
    (r"<([a-z]+://[^<>]*)>", {"://"}),
    (r"a*", None),
    (r"[^a]", None),
    (r"[a-z]", None),
    (r"(?:a|\w)b?", None),
    (r"(?i:ab)", None),
])
def test_required_strings(regex: str, needles: set[str] | None) -> None:
    assert _required(_sre_parse.parse(regex)) == (frozenset(needles) if needles is not None else None)


def quick_processors(renderer: MarkdownRenderer) -> list[_QuickInlineProcessor]:
    return [tp for tp in renderer._md.treeprocessors if isinstance(tp, _QuickInlineProcessor)]


def test_every_inline_pattern_has_needles_by_default() -> None:
    """The default extensions' patterns can all be skipped: none is tried on every piece of text."""
    fast, stock = renderers("default")
    processors = quick_processors(fast)
    assert len(processors) == 2  # the core inline processor and smarty's
    quick = [item for processor in processors for item in processor.inlinePatterns.quick_patterns()]
    assert len(quick) > 30 and all(needles for _, needles in quick)
    assert not quick_processors(stock)


ALPHABET = "ab1 \n\t'\"`\\-.*_[]()!^<>:/&;#=~|{}+\u2014"


@pytest.mark.slow  # 300 examples through every inline pattern of each configuration: about 2 s
@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=60), pos=st.integers(0, 10))
def test_a_skipped_pattern_has_no_match(text: str, pos: int) -> None:
    """Where no needle is in the text from ``pos`` on, the regex finds nothing there either."""
    for name in CONFIGS:
        for pattern in patterns(renderers(name)[0]):
            needles = needles_of(pattern)
            if needles is not None and all(text.find(needle, pos) == -1 for needle in needles):
                regex = pattern.compiled_re  # type: ignore[attr-defined]
                assert [m.span() for m in regex.finditer(text, pos)] == [], regex.pattern


def test_the_pattern_list_follows_the_registry() -> None:
    """An extension registering a pattern after the first render is seen at the next one."""
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    renderer = MarkdownRenderer(config("default"))
    assert "<del>" not in renderer.render("a ~~b~~ c").body
    renderer._md.inlinePatterns.register(SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"), "del", 75)
    assert "<p>a <del>b</del> c</p>" in renderer.render("a ~~b~~ c").body


MARKDOWN_PIECES = st.sampled_from([
    "word ", "'quoted' ", '"double" ', "it's ", "the '90s ", "--", "---", "...", "`code` ", "``a`b`` ", "\\*",
    "*em* ", "**strong** ", "_u_ ", "[link](/x/) ", "[ref][r] ", "![img](/i.png) ", "<https://a.b/c> ",
    "<a@b.c> ", "<b>html</b> ", "&amp; ", "&copy; ", "text  \n", "\n\n", "\n- item\n", "\n1. one\n",
    "\n> quote\n", "\n# Head\n", "\n```\ncode 'x'\n```\n", "[^1]", "\n\n[^1]: note\n", "\n\n[r]: /ref/\n",
    "\n| a | b |\n|---|---|\n| 1 | 2 |\n", "\nTerm\n: def\n", "*[HTML]: Hyper\n", "{: .cls }", "<!--more-->",
])


@pytest.mark.slow  # 150 examples, each rendered by both renderers of each configuration: about 1.5 s
@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(MARKDOWN_PIECES, max_size=25))
def test_rendering_matches_stock_python_markdown(pieces: list[str]) -> None:
    text = "".join(pieces)
    for name in CONFIGS:
        fast, stock = renderers(name)
        assert fast.render(text) == stock.render(text)


@pytest.mark.slow  # every sample and test article, fast and stock, in each configuration: about 2 s
def test_sample_articles_render_as_with_stock_python_markdown() -> None:
    paths = [*sorted((REPO / "content").rglob("*.md")), *sorted((REPO / "tests").rglob("*.md"))]
    paths = [path for path in paths if "deep-nesting" not in str(path)]  # thousands of brackets: slow, and no news
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    assert len(texts) > 50
    for name in CONFIGS:
        fast, stock = renderers(name)
        for text in texts:
            assert fast.render(text) == stock.render(text)


WORDISH = st.text(alphabet="ab é1 \n\t\u00a0'’.-<>/p&;amp#39\"", max_size=80)


@settings(max_examples=400, deadline=None)
@given(fragment=WORDISH)
def test_count_words_counts_the_words_of_the_plain_text(fragment: str) -> None:
    assert markup_plain.count_words(fragment) == len(re.findall(r"\w+(?:['’.-]\w+)*", markup_plain.plain_text(fragment)))


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("a_é1²٣\u0301\u2028\u00a0 '’.-") | st.characters(), max_size=60))
def test_count_words_agrees_with_the_regex_on_any_text(text: str) -> None:
    """Underscores, non-Latin digits, combining marks, Unicode spaces: the whitespace cut changes no count."""
    plain = html.unescape(re.sub(r"<[^>]*>", " ", text))
    assert markup_plain.count_words(text) == len(re.findall(r"\w+(?:['’.-]\w+)*", plain))


def _smarten_as_first_written(text: str) -> str:
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
    text = re.sub(r"'(?=\d\ds\b)", "\u2019", text)
    text = re.sub(typography._OPENING + '"', "\\1\u201c", text)
    text = re.sub(typography._OPENING + "'", "\\1\u2018", text)
    return text.replace('"', "\u201d").replace("'", "\u2019")


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet="ab 9s-.'\"([{\u2014\n", max_size=40))
def test_smarten_typesets_as_before(text: str) -> None:
    assert typography.smarten(text) == _smarten_as_first_written(text)
