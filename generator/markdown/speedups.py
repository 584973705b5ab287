"""Python-Markdown's inline processor, made to skip the patterns that cannot match.

The stock processor tries each of its thirty-odd inline patterns on each
piece of text, and most pieces hold no quote, dash, bracket or backtick.
Here each pattern comes with the strings every match of its regex must
contain (``needles_of``, which reads the regex's parse tree from CPython's
private ``re._parser``), and is tried only where the text holds one of
them. Skipping a pattern that cannot match is what the stock processor ends
up doing, so the HTML is the same: Python-Markdown's own test suite runs
with this processor switched in, and the tests compare both on real and
random text.

It overrides the processor's private ``__handleInline`` by its mangled
name, so it is used only with the Python-Markdown versions, and on the
Python versions, it was tested with (see ``generator.speedups``).
"""

from __future__ import annotations

import re
from typing import Any

import markdown
from markdown import util as md_util
from markdown.treeprocessors import InlineProcessor

from generator.speedups import Gate, gate

_sre: Any
_sre_parse: Any
try:  # CPython's regex parser, private (and without type stubs): it may move in any release
    import re._constants as _sre  # type: ignore[import-not-found, no-redef]  # no stubs for private modules
    import re._parser as _sre_parse  # type: ignore[import-not-found, no-redef]
except ImportError:  # pragma: no cover - another Python; the gate below stays shut
    _sre = _sre_parse = None

INLINE = gate("markdown.quick-inline", tested={"Markdown": ("3.11.3",)}, pythons=((3, 11), (3, 12), (3, 13)),
              works=lambda: _sre_parse is not None and hasattr(InlineProcessor, "_InlineProcessor__handleInline"))
GATES: tuple[Gate, ...] = (INLINE,)


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
            return str(chr(sequence[0][1]) * least)
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


class _QuickRegistry(md_util.Registry[Any]):
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
    """Python-Markdown's inline processor, which skips the patterns that cannot match (see above).

    The loop below is the stock ``__handleInline`` with that check added; it
    replaces the private method by its mangled name, the one the stock code
    calls.
    """

    inlinePatterns: _QuickRegistry  # noqa: N815 - the attribute Python-Markdown names

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
                    patternIndex += 1  # noqa: N806 - the stock method's parameter
                    start = 0
                    continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if matched:
                find = data.find
            else:
                patternIndex += 1  # noqa: N806
        return data


def speed_up(md: markdown.Markdown) -> None:
    """Make every stock inline processor of ``md`` (the core one, smarty's) a ``_QuickInlineProcessor``,
    if the gate is open; otherwise leave ``md`` as it is."""
    if not INLINE.active:
        return
    for processor in md.treeprocessors:
        if type(processor) is InlineProcessor and type(processor.inlinePatterns) is md_util.Registry:
            processor.inlinePatterns.__class__ = _QuickRegistry
            processor.__class__ = _QuickInlineProcessor
