"""What the author's desk says about unpublished stories: page banners and rebuild notes.

``dateline serve`` shows drafts and scheduled articles by default, so that
a story being written is on screen from its first save. Each such page gets
a banner as it is served (never written to ``output/``), and each rebuild
line says what became of the file that changed: published, a draft,
scheduled, excluded by ``exclude``, not part of the site, removed or failed.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from generator.config.model import Config
from generator.content.article import Article
from generator.content.selection import Exclusions
from generator.content.sources import site_relative
from generator.load import LoadedSite
from generator.render.helpers import site_formats


def when(config: Config, moment: datetime) -> str:
    """A moment as the site shows it: ``5 May 2027 09:00`` in the site's time zone."""
    local = moment.astimezone(config.tz)
    formats = site_formats(config)
    return f"{formats.date(local)} {formats.time(local)}"


def unpublished(article: Article, config: Config, now: datetime,
                text: gettext.NullTranslations | None = None) -> str | None:
    """The banner of an article ``dateline build`` would leave out, or None if it publishes it.

    ``text``: the site's catalogue, for the banner on its page (the desk's
    terminal lines stay in English, as every message of the command does).
    """
    text = text or gettext.NullTranslations()
    if article.draft:
        return text.gettext("Draft — not published")
    if article.date is not None and article.date > now and article.kind == "article":
        return text.gettext("Scheduled for %(moment)s") % {"moment": when(config, article.date)}
    return None


def banners(loaded: LoadedSite, now: datetime) -> dict[str, str]:
    """The banner of each output file that shows an unpublished article or page, in the site's language."""
    text = loaded.catalogue.translations()
    found: dict[str, str] = {}
    for page in loaded.pages:
        article = page.context.get("article") if page.namespace in ("article", "page") else None
        if isinstance(article, Article) and (note := unpublished(article, loaded.config, now, text)):
            found[page.output] = note
    return found


def banners_change(loaded: LoadedSite, now: datetime) -> datetime | None:
    """When the next "Scheduled for" banner is due to go: the earliest scheduled article's date after ``now``."""
    return min((a.date for a in loaded.placed.values()
                if not a.draft and a.kind == "article" and a.date is not None and a.date > now),
               key=lambda moment: moment.astimezone(UTC), default=None)


def fate(name: str, loaded: LoadedSite, now: datetime, previews: bool) -> str | None:
    """What became of the Markdown file ``name`` (site-relative) in this build; None if it is no article."""
    if not name.endswith((".md", ".markdown")) or not name.startswith("content/"):
        return None
    placed = loaded.placed.get(name)
    if placed is not None:
        note = unpublished(placed, loaded.config, now)
        if note is None:
            return f"published at {placed.url}"
        return f"{note[0].lower()}{note[1:]}, shown only here at {placed.url}"
    parsed = loaded.parsed.get(name)
    if parsed is None:
        if not (loaded.config.site_dir / name).exists():
            return "removed"
        if Exclusions(loaded.config.exclude)(name.removeprefix("content/")):
            return "excluded by 'exclude' in config.toml"
        return "not part of the site (a hidden file)"
    article = parsed.article
    if article is None:
        return "failed"
    note = unpublished(article, loaded.config, now)
    if note is not None and not previews:
        return f"{note[0].lower()}{note[1:]}: not shown (--no-drafts)"
    return "not published"


def fates(site_dir: Path, batch: Iterable[Path], loaded: LoadedSite, now: datetime,
          previews: bool) -> Mapping[str, str]:
    """``fate`` of each Markdown file in ``batch``."""
    found = {}
    for path in batch:
        name = site_relative(site_dir, path)
        if (note := fate(name, loaded, now, previews)) is not None:
            found[name] = note
    return found
