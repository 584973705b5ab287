"""Pytest plugin: Jinja2's own test suite, run with Dateline's speed-ups in every environment.

``tests/test_library_suites.py`` runs ``python -m pytest <jinja2 sdist>/tests
-p jinja_speedups`` with this folder on ``PYTHONPATH``. Loading the plugin,
before any test module is imported, sets on ``jinja2.Environment`` itself
what Dateline's environment changes: its context class (``QuickContext``),
template class (``QuickTemplate``, whose output goes through
``escape_output``), template globals (``TemplateGlobals``) and ``getattr``.
Every environment the suite makes, spontaneous ones included, then takes
those paths; subclasses that define their own keep them (the sandbox's
``getattr``, ``NativeEnvironment``'s template class), as they would under
Dateline.

At the end the plugin fails the run unless each speed-up really ran, so a
change in Jinja or in Dateline cannot turn this into a run of the stock code.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, MutableMapping
from typing import Any

import jinja2
import pytest
from installed import require_installed_copy  # beside this plugin on PYTHONPATH
from jinja2.utils import internal_code


def dateline_classes() -> dict[str, Any]:
    """Dateline's Jinja speed-ups: the one place this harness imports them from."""
    from generator.render.recording import RecordingEnvironment
    from generator.render.speedups import QuickContext, QuickTemplate, TemplateGlobals, escape_output

    return {
        "QuickContext": QuickContext,
        "QuickTemplate": QuickTemplate,
        "TemplateGlobals": TemplateGlobals,
        "escape_output": escape_output,
        # The fast ``getattr`` is RecordingEnvironment's, which first notes reads of an
        # Article beyond its card: these are the attributes that note reads (no Article
        # reaches Jinja's tests, so they keep these values).
        "getattr": RecordingEnvironment.getattr,
        "getattr_needs": {"own_article": None, "read_full": False},
    }


require_installed_copy(jinja2, "Jinja2")


DATELINE = dateline_classes()
RAN: Counter[str] = Counter()  # how often each speed-up ran


def _counted(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, counting its calls; hidden from the template tracebacks Jinja rewrites,
    as the function itself is, so the suite's traceback tests see what they would without it."""
    @functools.wraps(function)
    def counted(*args: Any, **kwargs: Any) -> Any:
        RAN[name] += 1
        return function(*args, **kwargs)

    internal_code.add(counted.__code__)
    return counted


def _make_globals(self: jinja2.Environment, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
    """Dateline's ``make_globals``: Jinja's, as a ``TemplateGlobals``."""
    RAN["TemplateGlobals"] += 1
    return DATELINE["TemplateGlobals"]({} if d is None else d, self.globals)


def _switch_in() -> None:
    quick_context, quick_template = DATELINE["QuickContext"], DATELINE["QuickTemplate"]
    # Counted on the classes themselves: the suite checks these are its own subclasses.
    quick_context.call = _counted("QuickContext.call", quick_context.__dict__["call"])
    from_code = quick_template.__dict__["from_code"].__func__

    def counted_from_code(cls: type, *args: Any, **kwargs: Any) -> jinja2.Template:
        template = from_code(cls, *args, **kwargs)
        if template.root_render_func.__globals__.get("escape") is DATELINE["escape_output"]:
            RAN["escape_output installed"] += 1
        return template

    quick_template.from_code = classmethod(counted_from_code)
    environment = jinja2.Environment
    environment.context_class = quick_context
    environment.template_class = quick_template
    environment.make_globals = _make_globals
    environment.getattr = _counted("getattr", DATELINE["getattr"])
    for name, value in DATELINE["getattr_needs"].items():
        setattr(environment, name, value)


_switch_in()


def pytest_report_header(config: pytest.Config) -> str:
    return "jinja_speedups: every jinja2.Environment uses Dateline's context, template, globals and getattr"


# What must have run in a whole run of the suite (about 900 tests): a good many of each.
_MINIMUM = {"QuickContext.call": 100, "escape_output installed": 100, "TemplateGlobals": 100, "getattr": 100}
_SUMMARY: list[str] = []


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    whole = session.testscollected >= 500  # the whole suite, not a selection (-k, one file)
    short = [name for name, least in _MINIMUM.items() if session.testscollected and RAN[name] < (least if whole else 1)]
    _SUMMARY.append("jinja_speedups: " + ", ".join(f"{name} {RAN[name]}" for name in _MINIMUM))
    if short:
        _SUMMARY.append(f"jinja_speedups: FAILED: too few runs of {', '.join(short)}: the speed-ups were not"
                        " switched in")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in _SUMMARY:
        terminalreporter.write_line(line)
