"""How a list of articles (front page, tag, section, author) is cut into pages.

Two numberings. The classic one counts from the newest: page 1 is the
list's own URL, ``page/2/`` the next ten older articles, and every page
shifts by one article whenever one is published, so a link to
``/tags/belarus/page/3/`` shows other stories tomorrow and publishing one
article rewrites every page of every list it is in.

The stable one (``paginate_stable = true``) counts from the oldest:
``page/1/`` holds the first ``paginate`` articles ever published, and a
page, once full, keeps its articles and its URL for good. The newest page,
the one that fills up, is the list's own URL; so that it never shows a
lone article, it also shows the newest full page (between ``paginate`` and
twice that many articles in all). Publishing one article then rewrites the
list's own URL only, and, once in ``paginate`` articles, the page that
becomes full and the two before it (their links now reach it).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import urls
from generator.config.model import Config
from generator.content.article import Article


@dataclass(frozen=True, kw_only=True)
class Paginator:
    """One page of a paginated list, with the URLs of its neighbours.

    ``number`` is the page's number in its numbering; ``total`` is the
    number of pages. In the stable numbering the list's own URL is page
    ``total`` (the newest), and ``full`` pages (``1`` to ``total - 1``) are full.
    """

    items: tuple[Article, ...]
    number: int
    total: int
    first_url: str
    config: Config
    stable: bool = False

    @property
    def is_first(self) -> bool:
        """Whether this is the list's own URL, where readers land: the newest articles."""
        return self.number == (self.total if self.stable else 1)

    def url(self, number: int) -> str:
        if self.stable:
            if number == self.total:
                return self.first_url
            return urls.numbered_page(self.config, self.first_url, number)
        return urls.paginated(self.config, self.first_url, number)

    @property
    def previous_url(self) -> str | None:
        """The page of newer articles, if any."""
        if self.stable:
            return None if self.is_first else self.url(self.number + 1)
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        """The page of older articles, if any (from the newest page, the one before the full page it shows)."""
        if self.stable:
            older = self.number - (2 if self.is_first else 1)
            return self.url(older) if older >= 1 else None
        return self.url(self.number + 1) if self.number < self.total else None

    @property
    def numbers(self) -> list[int | None]:
        """Page numbers to link, newest first, with ``None`` for a gap: 1 … 5 6 7 8 9 … 20.

        The two ends and two either side of the current page are shown; a
        gap of a single page shows that page instead of "…". The stable
        numbering links full pages only (the newest is "Newer"), and the
        pages near the current one, so a full page's links never change
        once the pages two after it exist.
        """
        if self.stable:
            full = self.total - 1
            centre = full if self.is_first else self.number
            wanted = {1, *range(centre - 2, centre + 3)} & set(range(1, full + 1))
            if self.is_first:
                wanted.discard(full)  # the newest page already shows it
            return _with_gaps(sorted(wanted, reverse=True))
        shown = {1, self.total, *range(self.number - 2, self.number + 3)} & set(range(1, self.total + 1))
        return _with_gaps(sorted(shown))


def _with_gaps(shown: list[int]) -> list[int | None]:
    result: list[int | None] = []
    for number in shown:
        previous = result[-1] if result else None
        if previous is not None and abs(number - previous) == 2:
            result.append((previous + number) // 2)
        elif previous is not None and abs(number - previous) > 2:
            result.append(None)
        result.append(number)
    return result


def paginate(items: tuple[Article, ...], *, first_url: str, config: Config) -> list[Paginator]:
    """``items`` (newest first) as pages, in the numbering ``config`` asks for; always at least one page."""
    size = config.paginate
    if not config.paginate_stable:
        total = max(1, -(-len(items) // size))
        return [Paginator(items=items[(number - 1) * size: number * size], number=number, total=total,
                          first_url=first_url, config=config) for number in range(1, total + 1)]
    full = len(items) // size
    oldest_first = items[::-1]
    pages = [Paginator(items=oldest_first[(number - 1) * size: number * size][::-1], number=number,
                       total=full + 1, first_url=first_url, config=config, stable=True)
             for number in range(1, full + 1)]
    newest = items[: len(items) - max(full - 1, 0) * size]  # what fills up, and the newest full page
    pages.append(Paginator(items=newest, number=full + 1, total=full + 1, first_url=first_url, config=config,
                           stable=True))
    return pages
