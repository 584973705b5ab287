"""What a render read, so the build knows what each page depends on.

List pages are fingerprinted by what story cards show of each article
(``CARD_FIELDS``), so editing a body re-renders only the pages that show the
body. ``RecordingEnvironment`` notes when a template reads more of another
article than its card, and ``SiteAccess`` when it reads the global ``site``;
the page then depends on the articles in full, or on the whole site.
``memo`` renders a block once per build and replays what it read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import jinja2

from generator.content.article import Article
from generator.render.speedups import environment_base
from generator.site.model import Site

# What list pages, related stories and previous/next links usually show of
# an article. Reading anything else (body, toc, word_count...) of an article
# that is not the page's own is recorded, and the page then depends on
# whole articles (see ``incremental.fingerprints``).
CARD_FIELDS = ("source", "kind", "slug", "url", "title", "date", "updated", "draft", "summary", "description",
               "image", "image_alt", "image_caption", "extra", "reading_time", "on_air", "lead_image")
# Card fields, the terms behind them, and the derived properties built only from them.
_CARD_READS = frozenset({*CARD_FIELDS, "tags", "section", "authors", "modified", "meta_description"})


class RecordingEnvironment(environment_base()):  # type: ignore[misc]  # the base is chosen at import by the speed-up gate
    """Notes when a template reads more of an article than its story card (see the module)."""

    own_article: object = None
    read_full: bool = False

    def getattr(self, obj: object, attribute: str) -> object:
        # Every ``a.b`` of every template comes here. The note, then Jinja's
        # documented ``Environment.getattr`` (the attribute, else the item,
        # else undefined), spelled out rather than called.
        if (not self.read_full and isinstance(obj, Article) and obj is not self.own_article
                and attribute not in _CARD_READS):
            self.read_full = True
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]  # type: ignore[index]  # any object may support items
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: object, argument: object) -> object:
        if (not self.read_full and isinstance(obj, Article) and obj is not self.own_article
                and argument not in _CARD_READS):
            self.read_full = True
        return super().getitem(obj, argument)


class SiteAccess:
    """Stands in for ``site`` during one render and notes whether it was read.

    A page that reads ``site`` (all articles, tags…) depends on the whole site;
    the build records that in the page's fingerprint.
    """

    def __init__(self, site: Site) -> None:
        self._site = site
        self.used = False

    def __getattr__(self, name: str) -> object:
        self.used = True
        return getattr(self._site, name)


@dataclass(frozen=True, kw_only=True)
class _Memo:
    """One block rendered by ``memo``, and what rendering it read."""

    arguments: tuple[object, ...]  # held so that the ids in the key are not reused
    html: object
    read_full: bool
    used_site: bool


def memo_for(env: RecordingEnvironment) -> Callable[..., object]:
    """The ``memo`` global: ``{% call memo("card", article, level) %}…{% endcall %}`` renders the
    block once per build for the same arguments and reuses the HTML.

    A story card of one article looks the same on the front page, its tag,
    section, author and archive pages and beside related articles, and the
    card macro is most of a list page's rendering. Articles among the
    arguments are told apart by identity. The block must depend on nothing
    but its arguments and the globals. What it read is replayed on every page
    that reuses it, so fingerprints stay right: reading more of an article
    than its card, or reading ``site``. A block about the page's own article
    is always rendered afresh (reads of one's own article are not noted).
    """
    store: dict[tuple[object, ...], _Memo] = {}

    @jinja2.pass_context
    def memo(context: jinja2.runtime.Context, *arguments: object, caller: Callable[[], object]) -> object:
        access = context.get("site")
        if env.own_article is not None and any(argument is env.own_article for argument in arguments):
            return caller()
        try:
            key = tuple(("article", id(a)) if isinstance(a, Article) else a for a in arguments)
            found = store.get(key)
        except TypeError:  # an unhashable argument: nothing to remember it by
            return caller()
        watched = access if isinstance(access, SiteAccess) else None
        if found is None:
            read_before, env.read_full = env.read_full, False
            used_before = watched is not None and watched.used
            if watched is not None:
                watched.used = False
            html = caller()
            found = store[key] = _Memo(arguments=arguments, html=html, read_full=env.read_full,
                                       used_site=watched is not None and watched.used)
            env.read_full = read_before
            if watched is not None:
                watched.used = used_before
        if found.read_full:
            env.read_full = True
        if found.used_site and watched is not None:
            watched.used = True
        return found.html

    return memo
