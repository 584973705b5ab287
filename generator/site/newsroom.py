"""What only a newsroom needs, planned: the News sitemap's window, the corrections log, scheduled moments.

Each of these depends on the clock as well as on the files: an article
enters the News sitemap when it is published and leaves it two days later,
goes live at its date, and leaves the site when it expires. ``next_moment``
tells the build (and the up-to-date check) when the output next changes
with no file touched, so a scheduled rebuild after that moment does the work.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from generator.content.article import Article
from generator.content.corrections import Correction

# Google News reads articles published in the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000
NEWS_SITEMAP = "news-sitemap.xml"
CORRECTIONS_PATH = "/corrections/"
CORRECTIONS_FEED_PATH = "/corrections/feed.xml"


@dataclass(frozen=True, kw_only=True)
class LoggedCorrection:
    """One correction with the article it corrects, for the site's corrections page and feed."""

    article: Article
    correction: Correction


@dataclass(frozen=True, kw_only=True)
class Scheduled:
    """The next article to go live."""

    source: str
    date: datetime


def newer_than_window(articles: Sequence[Article], now: datetime) -> Iterator[Article]:
    """The articles of ``articles`` (a site's, newest first) that may be in the News window at ``now``.

    Stops at the first one published before the window: the dev server asks
    on every save, and the rest of a twenty-year archive is older still.
    """
    start = now.astimezone(UTC) - NEWS_WINDOW
    return itertools.takewhile(lambda article: article.date is None or article.date > start, articles)


def in_news_window(articles: Iterable[Article], now: datetime) -> tuple[Article, ...]:
    """The articles published in the two days before ``now``, newest first, at most 1,000.

    Compared in UTC: two days are 48 hours even across a change of clocks.
    Only the few in the window are sorted: every build asks, and an archive
    holds a hundred thousand articles.
    """
    now = now.astimezone(UTC)
    start = now - NEWS_WINDOW
    recent = [a for a in articles
              if a.kind == "article" and a.date is not None and start < a.date.astimezone(UTC) <= now]
    recent.sort(key=lambda a: (a.date, a.source), reverse=True)
    return tuple(recent[:NEWS_LIMIT])


def has_corrections(articles: Iterable[Article]) -> bool:
    """Whether any of the published ``articles`` was corrected: then the site has a corrections page and feed."""
    return any(article.corrections for article in articles)


def correction_log(articles: Iterable[Article]) -> tuple[LoggedCorrection, ...]:
    """Every correction of the published ``articles``, newest first."""
    logged = [LoggedCorrection(article=a, correction=c) for a in articles for c in a.corrections]
    return tuple(sorted(logged, key=lambda e: (e.correction.date.astimezone(UTC), e.article.source), reverse=True))


def next_scheduled(articles: Iterable[Article], now: datetime, *, drafts: bool, future: bool) -> Scheduled | None:
    """The article that goes live next (the earliest dated after ``now``), unless ``--future`` shows them all."""
    if future:
        return None
    waiting = [Scheduled(source=a.source, date=a.date) for a in articles
               if a.date is not None and a.date > now and (drafts or not a.draft) and not a.unpublished
               and not (a.expires is not None and a.expires <= a.date)]
    return min(waiting, key=lambda s: (s.date.astimezone(UTC), s.source), default=None)


def next_moment(articles: Iterable[Article], now: datetime, *, drafts: bool, future: bool) -> datetime | None:
    """The next moment after ``now`` at which the output changes by the clock alone.

    An article going live, one expiring, a live blog's coverage ending, or
    one leaving the News sitemap's window. Drafts are never shown (without ``--drafts``), so their dates
    are no moment.
    """
    moments: list[datetime] = []
    for article in articles:
        if article.date is None or (article.draft and not drafts) or article.unpublished:
            continue
        if article.date > now and not future:
            moments.append(article.date)
        if article.expires is not None and article.expires > now:
            moments.append(article.expires)
        if article.live is not None and article.live.live and article.live.until and article.live.until > now:
            moments.append(article.live.until)  # a live blog going off air
        leaves_window = article.date.astimezone(UTC) + NEWS_WINDOW
        if article.kind == "article" and leaves_window > now:
            moments.append(leaves_window)
    return min(moments, key=lambda m: m.astimezone(UTC), default=None)
