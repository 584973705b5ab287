"""Pytest plugin: Python-Markdown's own test suite, run with Dateline's inline speed-up in every instance.

``tests/test_library_suites.py`` runs ``python -m pytest <markdown sdist>/tests
-p markdown_speedups`` with this folder on ``PYTHONPATH``. Loading the
plugin, before any test module is imported, makes every ``markdown.Markdown``
(so every ``markdown.markdown()`` and ``markdownFromFile()`` call too) apply
Dateline's speed-up to its inline processors right after its parser is built,
and again once its extensions are registered (as Dateline does, after
constructing its instance): extensions then register their patterns into the
quick registry, and smarty's own inline processor is made quick as well.

At the end the plugin fails the run unless instances were sped up, none was
left with a stock inline processor, and the quick processor really ran, so a
change in Markdown or in Dateline cannot turn this into a run of the stock
code.
"""

from __future__ import annotations

import functools
import unittest
from collections import Counter
from collections.abc import Callable
from typing import Any

import markdown
import pytest
from installed import require_installed_copy  # beside this plugin on PYTHONPATH
from markdown import util as md_util
from markdown.treeprocessors import InlineProcessor


def dateline_classes() -> Callable[[markdown.Markdown], None]:
    """Dateline's Markdown speed-up, the function that makes an instance's stock inline
    processors quick: the one place this harness imports it from."""
    from generator.markdown.speedups import speed_up

    return speed_up


require_installed_copy(markdown, "Markdown")


SPEED_UP = dateline_classes()
RAN: Counter[str] = Counter()
_WRAPPED: set[type] = set()


def _stock_processors(md: markdown.Markdown) -> list[InlineProcessor]:
    """The inline processors of ``md`` that are still Python-Markdown's own class, over its own registry."""
    return [processor for processor in getattr(md, "treeprocessors", ())
            if type(processor) is InlineProcessor and type(processor.inlinePatterns) is md_util.Registry]


def _speed_up(md: markdown.Markdown) -> int:
    """Apply the speed-up to ``md``; how many processors it switched."""
    stock = _stock_processors(md)
    SPEED_UP(md)
    switched = [processor for processor in stock if type(processor) is not InlineProcessor]
    for processor in switched:
        quick = type(processor)
        if quick not in _WRAPPED:  # count the quick loop's runs, once per class
            _WRAPPED.add(quick)
            handle = quick.__dict__["_InlineProcessor__handleInline"]
            quick._InlineProcessor__handleInline = _counted("quick __handleInline", handle)
    return len(switched)


def _counted(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def counted(*args: Any, **kwargs: Any) -> Any:
        RAN[name] += 1
        return function(*args, **kwargs)

    return counted


def _switch_in() -> None:
    build_parser = markdown.Markdown.build_parser
    init = markdown.Markdown.__init__

    @functools.wraps(build_parser)
    def build_parser_quick(self: markdown.Markdown) -> markdown.Markdown:
        result = build_parser(self)
        RAN["processors switched after build_parser"] += _speed_up(self)
        return result

    @functools.wraps(init)
    def init_quick(self: markdown.Markdown, **kwargs: Any) -> None:
        init(self, **kwargs)
        RAN["processors switched after extensions"] += _speed_up(self)
        RAN["instances"] += 1
        if _stock_processors(self):
            RAN["instances left with a stock inline processor"] += 1

    markdown.Markdown.build_parser = build_parser_quick
    markdown.Markdown.__init__ = init_quick


_switch_in()

# Not a speed-up, but what running this unittest suite under pytest needs: test_md_in_html.py
# imports unittest.TestSuite (for its load_tests), which pytest would report as a test class
# it cannot collect, and test_legacy.py, imported before it, turns every warning into an error.
# unittest itself never reads ``__test__``.
unittest.TestSuite.__test__ = False  # type: ignore[attr-defined]


def pytest_report_header(config: pytest.Config) -> str:
    return "markdown_speedups: every markdown.Markdown uses Dateline's quick inline processor"


_SUMMARY: list[str] = []


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    whole = session.testscollected >= 500  # the whole suite (about 1,300 tests), not a selection
    problems = []
    if session.testscollected and RAN["instances"] < (500 if whole else 1):
        problems.append(f"only {RAN['instances']} Markdown instances were made")
    if RAN["instances left with a stock inline processor"]:
        problems.append(f"{RAN['instances left with a stock inline processor']} instances kept a stock inline"
                        " processor: the speed-up did not switch them")
    if session.testscollected and RAN["quick __handleInline"] < (1000 if whole else 1):
        problems.append(f"the quick inline processor ran only {RAN['quick __handleInline']} times")
    _SUMMARY.append("markdown_speedups: " + ", ".join(f"{name} {count}" for name, count in sorted(RAN.items())))
    if problems:
        _SUMMARY.append(f"markdown_speedups: FAILED: {'; '.join(problems)}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in _SUMMARY:
        terminalreporter.write_line(line)
