"""Live coverage: an article that is a live blog, its timestamped updates shown newest first.

An article with ``live: true`` (or ``live: false`` once the coverage has
ended, or with ``live_until``) is a live blog. Its updates are either
written in the body, each under a ``###`` heading that starts with a time::

    ### 14:20 Ferries suspended
    ### 2024-03-06 08:05 — Harbour reopens

(a bare time is on the day of the heading with a date above it, else on the
article's day, in the site's time zone), or listed in the frontmatter as
``updates``, each with a ``time``, an optional ``title`` and a Markdown
``text``. Whatever comes before the first timestamped heading is the
introduction. The article is *on air* while ``live`` is true and
``live_until``, if set, has not passed: the theme shows a "Live" badge then,
on the article and on its cards.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from markupsafe import escape

from generator.content.dates import DateError, parse_date
from generator.content.fields import FieldReader, kind_of
from generator.errors import BuildError

# "### 14:20 Headline", "### 2024-03-06 08:05 — Headline", "### 9:05: Headline"
_ENTRY = re.compile(r"###[ \t]+(?:(\d{4}-\d{2}-\d{2})[ T])?(\d{1,2}):(\d{2})(?![\d:])[ \t]*(?:[—–|:-][ \t]*)?(.*?)[ \t#]*")
_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")


@dataclass(frozen=True, kw_only=True)
class LiveUpdate:
    """One timestamped update of a live blog."""

    moment: datetime
    headline: str  # plain text; may be empty
    anchor: str  # the update's id on the page: "update-20240305-1420"
    html: str


@dataclass(frozen=True, kw_only=True)
class LiveCoverage:
    """What makes an article a live blog: the author's switch, its end and its updates."""

    live: bool  # the author's switch: true while the newsroom is covering the story
    until: datetime | None  # when the coverage ends by itself
    intro: str  # the body before the first update, as HTML
    updates: tuple[LiveUpdate, ...]  # newest first

    def on_air(self, now: datetime) -> bool:
        return self.live and (self.until is None or now < self.until)

    @property
    def last_update(self) -> datetime | None:
        return self.updates[0].moment if self.updates else None


@dataclass(frozen=True, kw_only=True)
class _Written:
    """An update as the author wrote it, before rendering."""

    moment: datetime
    headline: str
    text: str
    line: int


def is_live_blog(reader: FieldReader) -> bool:
    return any(key in reader.fields for key in ("live", "live_until", "updates"))


def read_live(reader: FieldReader, body: str, body_line: int, date: datetime, zone: tzinfo,
              render: Callable[[str], str]) -> tuple[LiveCoverage | None, str]:
    """The coverage of a live blog and its introduction's Markdown; errors go to ``reader``.

    ``render`` turns one update's Markdown into HTML, with the article's trust.
    """
    live = reader.flag("live")
    until = reader.when("live_until", None, zone)
    intro, written = _updates_in_body(reader, body, body_line, date, zone)
    written += _updates_in_frontmatter(reader, zone)
    if reader.errors:
        return None, intro
    seen: dict[str, int] = {}
    updates = []
    for entry in sorted(written, key=lambda item: (item.moment, item.line), reverse=True):
        anchor = "update-" + entry.moment.astimezone(zone).strftime("%Y%m%d-%H%M")
        seen[anchor] = seen.get(anchor, 0) + 1
        if seen[anchor] > 1:  # two updates in one minute
            anchor += f"-{seen[anchor]}"
        updates.append(LiveUpdate(moment=entry.moment, headline=entry.headline, anchor=anchor,
                                  html=render(entry.text) if entry.text.strip() else ""))
    return LiveCoverage(live=bool(live), until=until, intro="", updates=tuple(updates)), intro


def _updates_in_body(reader: FieldReader, body: str, body_line: int, date: datetime,
                     zone: tzinfo) -> tuple[str, list[_Written]]:
    """The introduction and the updates written under timestamped ``###`` headings."""
    lines = body.splitlines(keepends=True)
    intro: list[str] = []
    entries: list[tuple[datetime, str, int, list[str]]] = []
    day = date.astimezone(zone).date()
    fence: str | None = None
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if opening and (fence is None or opening.group(1).startswith(fence)):
            fence = None if fence else opening.group(1)[:3]
        heading = None if fence or opening else _ENTRY.fullmatch(line.rstrip("\r\n"))
        if heading is None:
            (entries[-1][3] if entries else intro).append(line)
            continue
        written_day, hour, minute, headline = heading.groups()
        number = body_line + index
        try:
            if written_day:
                day = parse_date(written_day, zone).date()
            moment = parse_date(f"{day.isoformat()} {int(hour):02d}:{minute}", zone)
        except DateError as exc:
            reader.errors.append(BuildError(reader.source.path, number, f"live update: {exc}"))
            continue
        entries.append((moment, headline.strip(), number, []))
    return "".join(intro), [_Written(moment=moment, headline=headline, text="".join(text), line=line)
                            for moment, headline, line, text in entries]


def _updates_in_frontmatter(reader: FieldReader, zone: tzinfo) -> list[_Written]:
    """``updates: [{time: …, title: …, text: …}]``."""
    value = reader.fields.get("updates")
    if value is None:
        return []
    line = reader.line("updates")
    if not isinstance(value, list):
        reader.error("updates", f"'updates' must be a list of updates with a time and a text, not {kind_of(value)}")
        return []
    written = []
    for number, item in enumerate(value, 1):
        where = f"update {number} in 'updates'"
        if not isinstance(item, dict) or "time" not in item:
            reader.error("updates", f"{where} must be a table with a 'time' (and a 'title' or 'text')")
            continue
        unknown = sorted(set(item) - {"time", "title", "text"})
        if unknown:
            reader.error("updates", f"{where} has unknown field '{unknown[0]}'; use time, title and text")
            continue
        title, text = item.get("title", ""), item.get("text", "")
        if not isinstance(title, str) or not isinstance(text, str) or not (title.strip() or text.strip()):
            reader.error("updates", f"{where} needs a 'title' or a 'text' written as text")
            continue
        try:
            moment = parse_date(item["time"], zone)
        except DateError as exc:
            reader.error("updates", f"{where}: {exc}")
            continue
        written.append(_Written(moment=moment, headline=" ".join(title.split()), text=text, line=line))
    return written


def updates_html(coverage: LiveCoverage | None, zone: tzinfo) -> str:
    """The updates as plain HTML after the introduction, newest first: what feeds and search carry.

    The article page shows them from ``LiveCoverage.updates`` through the
    theme, with its own times and markup.
    """
    if coverage is None or not coverage.updates:
        return ""
    parts = ['\n<section class="live-updates">\n']
    for update in coverage.updates:
        local = update.moment.astimezone(zone)
        headline = f" {escape(update.headline)}" if update.headline else ""
        parts.append(f'<h3 id="{update.anchor}"><time datetime="{update.moment.isoformat()}">'
                     f'{local:%Y-%m-%d %H:%M}</time>{headline}</h3>\n{update.html}\n')
    parts.append("</section>\n")
    return "".join(parts)
