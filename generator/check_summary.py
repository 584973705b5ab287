"""Two helpers that keep ``dateline check`` actionable on imported sites.

``summary_links``: an index page shows articles' summaries, so a broken
link there is the article's, at the line where its author wrote it, not "a
template's". ``grouped``: a warning that holds for most articles of an
imported site (none of them has a summary) is one warning naming a few,
not hundreds that bury the errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')
GROUP_OVER = 5  # more findings of one kind than this become one
F = TypeVar("F")


class _HasSummary(Protocol):
    @property
    def source(self) -> str: ...

    @property
    def summary(self) -> str: ...


def summary_links(articles: Iterable[_HasSummary]) -> dict[str, str]:
    """Each link written in an article's summary, to the article's source (the first, if several)."""
    found: dict[str, str] = {}
    for article in articles:
        for href in _LINK.findall(str(article.summary)):
            found.setdefault(href.replace("&amp;", "&"), article.source)
    return found


def grouped(findings: Sequence[F], message: str, restate: Callable[[F, str], F]) -> list[F]:
    """``findings`` as they are when few; else the first, restated to say how many share it."""
    if len(findings) <= GROUP_OVER:
        return list(findings)
    paths = [path for path, _ in sorted((path_of(f), id(f)) for f in findings)]
    first = next(f for f in findings if path_of(f) == paths[0])
    names = ", ".join(paths[1:4])
    return [restate(first, f"{len(findings)} {message} (also {names} and {len(findings) - 4} more)")]


def path_of(finding: object) -> str:
    return str(getattr(finding, "path", ""))
