"""Faster paths through Jinja for what every page does many times.

Three replacements, each for something Jinja does not promise to keep:

* ``QuickContext.call`` calls plain functions, methods and macros without
  the six ``hasattr`` checks of ``Context.call``, using Jinja's private
  ``jinja_pass_arg`` marks to pass what each callable asks for;
* ``QuickTemplate`` swaps the ``escape`` its compiled code looks up in its
  module globals for ``escape_output``, which returns the escaped text
  without wrapping each of a page's outputs in ``Markup``;
* ``TemplateGlobals`` answers the ``keys()`` that every ``{% import %}``
  asks of a template's globals with a frozenset made in C.

They are used only with the Jinja and MarkupSafe versions they were tested
with (see ``generator.speedups``): Jinja's own test suite runs with them
switched in, and the tests render the sample site both ways and compare the
bytes. ``environment_base()`` is the class the build's environment derives
from: Jinja's own when the gate is shut.
"""

from __future__ import annotations

import types
from collections import ChainMap
from collections.abc import Callable, MutableMapping
from typing import Any

import jinja2
from jinja2.runtime import BlockReference, Macro

from generator.speedups import Gate, gate

TEMPLATES = gate("render.quick-templates", tested={"Jinja2": ("3.1.6",), "MarkupSafe": ("3.0.4",)})
GATES: tuple[Gate, ...] = (TEMPLATES,)

# Callables whose ``jinja_pass_arg``, if any, is found by ``getattr``: these
# classes' ``__call__`` carry none, but a macro's, which takes the eval context.
_PLAIN_CALLABLES = frozenset({
    types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.BuiltinMethodType, Macro, BlockReference,
})
_PASS_CONTEXT = getattr(jinja2.pass_context(lambda context: None), "jinja_pass_arg")  # noqa: B009 - Jinja marks it at run time


class QuickContext(jinja2.runtime.Context):
    """A template context that calls plain functions and macros without Jinja's checks.

    Every ``{{ f(x) }}`` and macro call goes through ``Context.call``, which
    asks the callable and its ``__call__`` whether they want the context
    passed in: up to six ``hasattr`` lookups, most of them failing, and
    dozens of calls a page. For the callables above one ``getattr``
    answers. Those that want no context, or this context as it is, are
    called here; a macro gets the eval context, as ``Macro.__call__`` asks
    (it decides the macro's escaping where it is called, not where it was
    defined); anything else (callable objects, a context with loop or block
    variables, the environment) takes Jinja's own path.
    """

    @jinja2.utils.internalcode
    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's spelling
        kind = type(__obj)
        if kind not in _PLAIN_CALLABLES:
            return super().call(__obj, *args, **kwargs)
        pass_arg = getattr(__obj, "jinja_pass_arg", None)
        if kwargs:  # what the compiled template passes for context-taking callables
            if pass_arg is not None and (kwargs.get("_loop_vars") or kwargs.get("_block_vars")):
                return super().call(__obj, *args, **kwargs)
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
        if kind is Macro:
            args = (__self.eval_ctx, *args)
        elif pass_arg is _PASS_CONTEXT:
            args = (__self, *args)
        elif pass_arg is not None:
            return super().call(__obj, *args, **kwargs)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a"
                                                " StopIteration exception")


def escape_output(value: object) -> str:
    """``markupsafe.escape(value)`` as plain ``str``, for what templates output.

    Compiled templates pass every ``{{ … }}`` through ``escape``, whose
    result is only ever joined into the page (or into a macro's or block's
    text, which Jinja marks safe itself), so wrapping each piece in
    ``Markup`` is work thrown away.
    """
    if value.__class__ is not str:
        html = getattr(value, "__html__", None)
        if html is not None:
            return str(html())
        value = str(value)
    text = str(value)
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


class QuickTemplate(jinja2.Template):
    """A template whose output goes through ``escape_output``."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: types.CodeType, globals: MutableMapping[str, Any],  # noqa: A002 - Jinja's name
                  uptodate: Callable[[], bool] | None = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # The compiled module's own ``escape`` (imported from jinja2.runtime), which
        # its render functions look up when they run.
        template.root_render_func.__globals__["escape"] = escape_output
        return template


class TemplateGlobals(ChainMap[str, Any]):
    """A template's globals over the environment's, as Jinja makes them, with cheap ``keys()``.

    Every ``{% import %}`` of every page works out which of the page's
    globals the imported template lacks, as ``set - globals.keys()``: with a
    ``ChainMap``'s key view that is three Python calls per global. A
    frozenset of the keys as they are now is made in C, and still sees any
    global added later.
    """

    def keys(self) -> frozenset[str]:  # type: ignore[override]  # a set is what the caller subtracts
        return frozenset().union(*self.maps)


class QuickEnvironment(jinja2.Environment):
    """An environment whose templates, contexts and globals take the paths above."""

    context_class = QuickContext
    template_class = QuickTemplate

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return TemplateGlobals({} if d is None else d, self.globals)


def environment_base() -> type[jinja2.Environment]:
    """The environment class to build on: ``QuickEnvironment`` when the gate is open, else Jinja's."""
    return QuickEnvironment if TEMPLATES.active else jinja2.Environment
