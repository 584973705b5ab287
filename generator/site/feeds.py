"""``plan_feeds(site) -> list[Feed]``: every Atom and RSS feed, what it carries and where it goes.

Planned here with the pages, so collisions and incremental builds see the
feeds as outputs like any other; ``render.feeds`` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from generator import urls
from generator.config.model import CONFIG_NAME, Config
from generator.content.article import Article
from generator.site.collisions import Origin, Planned
from generator.site.model import ALL, Site


@dataclass(frozen=True, kw_only=True)
class Feed:
    """One feed to write: which format, where, and which articles (newest first)."""

    planned: Planned
    format: str  # "atom" or "rss"
    title: str
    feed_url: str
    page_url: str
    articles: tuple[Article, ...]
    lists: tuple[str, ...] = ()  # the group the feed carries (see ``site.memberships``)
    language: str = ""  # the edition it belongs to, as ``Page.language``: "" for the site's own language

    def entries(self, config: Config) -> tuple[Article, ...]:
        """The articles the feed carries: the newest ``feed_limit``."""
        return config.feed_items(self.articles)


def plan_feeds(site: Site, config: Config) -> list[Feed]:
    """The site's Atom and RSS feeds and one Atom feed per tag, section and author."""
    home = urls.home_path(config, "/")
    origin = Origin(CONFIG_NAME, None, "the site feed")
    feeds = [
        Feed(planned=Planned(config.language_path + "feed.xml", origin), format="atom", title=config.title,
             feed_url=urls.home_path(config, "/feed.xml"), page_url=home, articles=site.articles, lists=(ALL,)),
        Feed(planned=Planned(config.language_path + "rss.xml", origin), format="rss", title=config.title,
             feed_url=urls.home_path(config, "/rss.xml"), page_url=home, articles=site.articles, lists=(ALL,)),
    ]
    for kind, entries in (("tag", site.tags), ("section", site.sections), ("author", site.authors)):
        for entry in entries:
            page_url = urls.expand(config, kind, slug=entry.slug)
            feed_url = page_url + "feed.xml"
            first = entry.articles[-1]
            planned = Planned(urls.output_file(config, feed_url),
                              Origin(first.source, None, f"the feed of {kind} '{entry.name}'"))
            feeds.append(Feed(planned=planned, format="atom", title=f"{entry.name} – {config.title}",
                              feed_url=feed_url, page_url=page_url, articles=entry.articles,
                              lists=(f"{kind}:{entry.slug}",)))
    if config.edition_key:
        feeds = [replace(feed, language=config.edition_key) for feed in feeds]
    return feeds
