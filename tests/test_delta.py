"""Body edits update the previous plan (``generator.delta``) and still equal a clean build."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from generator.build import build
from generator.content.article import Article
from generator.content.terms import Term
from generator.errors import BuildFailed
from generator.incremental.body_edits import Substitution, moves_nothing
from generator.incremental.state import BuildState
from generator.load import load_site
from generator.options import BuildOptions
from generator.site.model import memberships
from generator.site.replace import replace_article
from tests.helpers import NOW, article, snapshot, write
from tests.test_incremental import assert_same_output, copy_sample

CINEMAS = "content/articles/2021/independent-cinemas-reopen.md"


class Session:
    """The dev server's way of building: the previous state plus the files that changed."""

    def __init__(self, site: Path, now: datetime = NOW) -> None:
        self.site = site
        self.now = now
        self.state: BuildState | None = None

    def build(self, *changed: str, now: datetime | None = None):  # type: ignore[no-untyped-def]
        self.now = now or self.now
        options = BuildOptions(site_dir=self.site, output=self.site / "output", now=self.now)
        result = build(options, state=self.state, changed={self.site / name for name in changed}, in_place=True)
        self.state = result.state
        return result

    def matches_clean_build(self, label: str) -> None:
        expected = snapshot_of_clean(self.site, self.now)
        assert_same_output(snapshot(self.site / "output"), expected, label)


@pytest.fixture()
def session(tmp_path: Path) -> Session:
    """The sample site, built once the way the dev server starts."""
    started = Session(copy_sample(tmp_path / "site"))
    assert not started.build().partial
    return started


def snapshot_of_clean(site: Path, now: datetime) -> dict[str, bytes]:
    output = site.parent / f"clean-{now.timestamp():.0f}-{len(list(site.parent.iterdir()))}"
    build(BuildOptions(site_dir=site, output=output, now=now))
    return snapshot(output)


def append(site: Path, relative: str, text: str) -> None:
    path = site / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_body_edit_updates_the_plan_and_equals_a_clean_build(session: Session) -> None:
    site = session.site
    pages = len(list((site / "output").rglob("*.html")))
    append(site, CINEMAS, "\nA closing paragraph about the projectionists.\n")
    result = session.build(CINEMAS)
    assert result.partial
    assert 0 < result.rendered < pages / 5
    page = site / "output/2021/06/independent-cinemas-reopen-to-queues-and-a-few-nerves/index.html"
    assert "projectionists" in page.read_text()
    session.matches_clean_build("after one body edit")
    # Again, on top of the updated plan.
    append(site, CINEMAS, "\nAnd a postscript.\n")
    assert session.build(CINEMAS).partial
    session.matches_clean_build("after a second body edit")


def test_edit_that_changes_the_summary_rerenders_the_lists_showing_the_card(session: Session) -> None:
    site = session.site
    path = site / CINEMAS
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    path.write_text(f"{head}\n---\nA brand new opening paragraph for the card.\n\n{body}", encoding="utf-8")
    assert "summary:" not in head  # the summary is the body's first paragraph
    result = session.build(CINEMAS)
    assert result.partial
    assert "brand new opening" in (site / "output/index.html").read_text()
    session.matches_clean_build("after a summary edit")


def test_several_body_edits_in_one_batch_including_neighbours(session: Session) -> None:
    site = session.site
    plan = load_site(BuildOptions(site_dir=site, now=NOW))
    # A live blog's text is its updates, which change its structure (its 'updated' time): not one of these.
    newest, second, third = [a.source for a in plan.site.articles if a.live is None][:3]
    for number, source in enumerate((newest, second, third)):
        append(site, source, f"\nBatch paragraph {number}.\n")
    assert session.build(newest, second, third).partial
    session.matches_clean_build("after three neighbouring body edits")


def test_edits_that_move_an_article_take_the_full_build(session: Session) -> None:
    site = session.site
    path = site / CINEMAS
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Moved, ", 1), encoding="utf-8")
    result = session.build(CINEMAS)
    assert not result.partial
    session.matches_clean_build("after a title edit")
    write(site, "content/articles/brand-new.md", article("Brand new", "2021-05-05"))
    assert not session.build("content/articles/brand-new.md").partial
    session.matches_clean_build("after a new article")


def test_a_body_edit_with_an_error_reports_it_and_the_next_good_edit_recovers(session: Session) -> None:
    site = session.site
    path = site / CINEMAS
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("\n---\n", "\nextra: [unclosed\n---\n", 1), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        session.build(CINEMAS)
    assert any(error.path == CINEMAS and error.line for error in failure.value.errors)
    path.write_text(good + "\nFixed.\n", encoding="utf-8")
    result = session.build(CINEMAS)
    assert result.partial
    session.matches_clean_build("after fixing the error")


def test_pages_whose_templates_read_site_follow_body_edits(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "site")
    write(site, "templates/page.html", '{% extends "newsroom/page.html" %}{% block content %}{{ super() }}'
          "{{ site.articles[-1].body }}{% endblock %}")
    session = Session(site)
    session.build()
    oldest = load_site(BuildOptions(site_dir=site, now=NOW)).site.articles[-1].source
    append(site, oldest, "\nA sentence only the about page repeats.\n")
    assert session.build(oldest).partial
    assert "only the about page repeats" in (site / "output/about/index.html").read_text()
    session.matches_clean_build("after editing an article a site-reading page shows")


def test_draft_body_edit_renders_nothing(session: Session) -> None:
    site = session.site
    drafts = [a for a in load_site(BuildOptions(site_dir=site, now=NOW, drafts=True)).site.articles if a.draft]
    assert drafts, "the sample site has a draft"
    append(site, drafts[0].source, "\nMore draft text.\n")
    result = session.build(drafts[0].source)
    assert result.partial and result.rendered == 0 and result.written == 0
    session.matches_clean_build("after a draft edit")


def test_a_scheduled_article_going_live_forces_the_full_build(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "site")
    publish_at = NOW + timedelta(hours=1)
    write(site, "content/articles/scheduled.md", article("Scheduled story", publish_at.strftime("%Y-%m-%d %H:%M:%S")))
    session = Session(site)
    session.build()
    assert not (site / "output/2026/01/scheduled-story/index.html").exists()
    append(site, CINEMAS, "\nStill early.\n")
    assert session.build(CINEMAS).partial
    append(site, CINEMAS, "\nNow later.\n")
    result = session.build(CINEMAS, now=publish_at + timedelta(minutes=1))
    assert not result.partial
    assert (site / "output/2026/01/scheduled-story/index.html").exists()
    session.matches_clean_build("after the scheduled time")


def reachable_articles(value: Any, seen: set[int] | None = None) -> set[str]:
    """Every article source held anywhere inside ``value`` (a page context or a feed)."""
    seen = set() if seen is None else seen
    if id(value) in seen or isinstance(value, (str, int, float, bool, datetime, type(None))):
        return set()
    seen.add(id(value))
    if isinstance(value, Article):
        return {value.source}
    found: set[str] = set()
    if isinstance(value, dict) or (hasattr(value, "items") and callable(value.items)):
        for item in value.values():
            found |= reachable_articles(item, seen)
    elif isinstance(value, (tuple, list)):
        for item in value:
            found |= reachable_articles(item, seen)
    elif is_dataclass(value) and type(value).__name__ != "Config":
        for item in fields(value):
            found |= reachable_articles(getattr(value, item.name), seen)
    return found


def test_every_article_a_page_or_feed_holds_is_in_its_shows_or_lists(tmp_path: Path) -> None:
    """The invariant the dependents index rests on: nothing a page holds goes unnoticed."""
    plan = load_site(BuildOptions(site_dir=copy_sample(tmp_path / "site"), now=NOW, drafts=True))
    groups_of = {a.source: set(memberships(a)) for a in plan.placed.values()}  # every language's
    for page in plan.pages:
        for source in reachable_articles(page.context):
            assert source in page.shows or groups_of[source] & set(page.lists), (page.url, source)
    for feed in plan.feeds:
        for source in reachable_articles(feed.articles):
            assert groups_of[source] & set(feed.lists), (feed.feed_url, source)


def make_article(source: str, body: str = "<p>Text</p>", **changes: Any) -> Article:
    base = Article(source=source, digest=source + body, kind="article", title="T", slug="t",
                   date=datetime(2020, 1, 1, tzinfo=UTC), updated=None, draft=False,
                   tags=(Term("a", "A"),), section=None, authors=(), summary=body, description="", image="",
                   image_alt="", image_caption="", extra={}, body_html=body.encode(), toc="", headings=0, word_count=1,
                   reading_time=1, url=f"/{source}/")
    return replace(base, **changes)


def test_moves_nothing_tells_body_edits_from_moves() -> None:
    old = make_article("a.md")
    assert moves_nothing(old, replace(old, body_html=b"<p>New</p>", digest="x", word_count=9, summary="New"))
    assert not moves_nothing(old, replace(old, title="Other"))
    assert not moves_nothing(old, replace(old, date=datetime(2021, 1, 1, tzinfo=UTC)))
    # Same slug, other spelling: the site-wide name of the tag may change.
    assert not moves_nothing(old, replace(old, tags=(Term("a", "a"),)))


def test_substitution_replaces_by_identity_and_shares_the_rest() -> None:
    old, other = make_article("a.md"), make_article("b.md")
    twin = make_article("a.md")  # equal to ``old``, but another object
    new = replace(old, body_html=b"<p>New</p>")
    untouched = (other, twin)
    context = {"items": (old, other), "untouched": untouched, "nested": [{"article": old}], "n": 3}
    swapped = Substitution({id(old): (old, new)})(context)
    assert swapped["items"][0] is new and swapped["items"][1] is other
    assert swapped["untouched"] is untouched
    assert swapped["nested"][0]["article"] is new
    assert context["items"][0] is old  # the original is not modified


def test_a_remembered_card_replays_what_it_read_on_every_page_that_reuses_it(tmp_path: Path) -> None:
    """``memo`` renders a card once per build; pages reusing it must still record its reads."""
    from generator.render.environment import make_environment
    from generator.render.page import render_page

    site = copy_sample(tmp_path / "site")
    block = ('{% for a in paginator.items %}{% call memo("story", a) %}{{ a.body }} of {{ site.articles|length }}'
             '{% endcall %}{% endfor %}')
    write(site, "templates/index.html", block)
    write(site, "templates/tag.html", block)
    plan = load_site(BuildOptions(site_dir=site, now=NOW))
    env = make_environment(plan.config, plan.chain, plan.theme_files, plan.site, {})
    newest = plan.site.articles[0]
    listing = [page for page in plan.pages if newest.source in page.shows and page.namespace in ("index", "tag")]
    assert len(listing) >= 2, "the newest article is on the front page and a tag page"
    for page in listing:  # the first renders the card, the others reuse it
        rendered = render_page(page, env, plan.site)
        assert isinstance(rendered.html, bytes) and str(newest.body)[:40].encode() in rendered.html
        assert rendered.used_site and rendered.read_full, page.url


def test_list_pages_reusing_a_card_that_shows_the_body_follow_body_edits(session: Session) -> None:
    site = session.site
    theme_macros = (Path(__file__).resolve().parent.parent / "generator/themes/newsroom/templates/partials/macros.html")
    write(site, "templates/partials/macros.html", theme_macros.read_text().replace(
        '<div class="card-summary">{{ article.summary }}</div>', '<div class="card-summary">{{ article.body }}</div>'))
    session.build("templates/partials/macros.html")
    newest = next(a.source for a in load_site(BuildOptions(site_dir=site, now=NOW)).site.articles if a.live is None)
    append(site, newest, "\nA sentence every list page must now show.\n")
    assert session.build(newest).partial
    assert "every list page must now show" in (site / "output/index.html").read_text()
    session.matches_clean_build("after a body edit shown by remembered cards")


def test_body_edit_of_a_live_blog_keeps_it_on_air(session: Session) -> None:
    """The site decides what a parse cannot know (on air at the build's time); a body edit must keep it.

    A change to a live blog's text changes its updates and takes the full
    build; one that leaves the rendered text as it was (here, blank lines)
    is a body edit, and once dropped the "Live" badge from every card.
    """
    live = "content/articles/2025/storm-isolde-live.md"
    append(session.site, live, "\n\n\n")
    assert session.build(live).partial
    assert 'class="live-badge-inline"' in (session.site / "output/index.html").read_text(encoding="utf-8")
    session.matches_clean_build("after a body edit of a live blog")


def test_body_edit_keeps_the_sites_spelling_of_a_contributor(session: Session) -> None:
    site = session.site
    write(site, "content/articles/lowercase.md",
          article("Lowercase contributor", "2024-05-05", "First text.", contributors="[maya okafor]"))
    assert not session.build("content/articles/lowercase.md").partial
    append(site, "content/articles/lowercase.md", "\nSecond paragraph.\n")
    assert session.build("content/articles/lowercase.md").partial
    session.matches_clean_build("after a body edit of an article spelling a contributor its own way")


def test_the_sites_corrected_flag_follows_the_articles_put_in_place(tmp_path: Path) -> None:
    """``Site.corrected`` (a corrections page and feed exist) is decided as the site is collected;
    ``replace_article`` keeps it true to the articles, as a new collection would."""
    site = load_site(BuildOptions(site_dir=copy_sample(tmp_path / "site"), now=NOW)).site
    corrected = [a for a in site.articles if a.corrections]
    assert corrected and site.corrected
    uncorrected = {a.source: replace(a, corrections=()) for a in corrected}
    after = site
    for old in corrected:
        after = replace_article(after, old, uncorrected[old.source])
        assert after.corrected == (old is not corrected[-1])
    assert not any(a.corrections for a in after.articles)
    restored = replace_article(after, uncorrected[corrected[0].source], corrected[0])
    assert restored.corrected


def test_a_body_edit_that_keeps_the_card_checks_only_the_pages_that_show_it_in_full(session: Session) -> None:
    """The lists showing its card keep their fingerprints: they are not even checked, and still equal a clean build."""
    site = session.site
    assert session.state is not None and session.state.loaded is not None
    loaded = session.state.loaded
    before = loaded.placed[CINEMAS]
    own = [page for page in loaded.pages if getattr(page.context.get("article"), "source", None) == CINEMAS]
    groups = {CINEMAS, *memberships(before)}
    feeds = [feed for feed in loaded.feeds if groups & set(feed.lists)]  # feeds show bodies: all are checked
    assert any(a.source == CINEMAS for feed in feeds for a in feed.articles)
    listing = [page for page in loaded.pages if CINEMAS in page.shows and page not in own]
    assert own and listing, "the article has its own page and is shown on lists"
    append(site, CINEMAS, "\nOne more sentence.\n")
    checked: list[int] = []
    options = BuildOptions(site_dir=site, output=site / "output", now=session.now)
    result = build(options, state=session.state, changed={site / CINEMAS}, in_place=True,
                   progress=lambda done, total: checked.append(total))
    session.state = result.state
    assert result.partial and result.state is not None and result.state.loaded is not None
    after = result.state.loaded.placed[CINEMAS]
    assert (after.summary, after.reading_time) == (before.summary, before.reading_time) and after.digest != before.digest
    assert set(checked) == {len(own) + len(feeds)}
    assert "One more sentence." in (site / "output" / own[0].output).read_text()
    session.matches_clean_build("after a body edit that keeps the card")


def _places_holding(value: object, wanted: Article, seen: set[int] | None = None) -> int:
    """How many places in ``value`` (dataclasses, tuples, lists, mappings) hold ``wanted`` itself."""
    seen = set() if seen is None else seen
    if value is wanted:
        return 1
    if isinstance(value, Article) or id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, (tuple, list)):
        return sum(_places_holding(item, wanted, seen) for item in value)
    if isinstance(value, Mapping):
        return sum(_places_holding(item, wanted, seen) for item in value.values())
    if is_dataclass(value) and not isinstance(value, type):
        return sum(_places_holding(getattr(value, f.name), wanted, seen) for f in fields(value))
    return 0


def test_replace_article_leaves_the_old_article_nowhere_in_the_site(tmp_path: Path) -> None:
    """Every place that held the old article holds the new one: its lists, archive month, neighbours, related lists."""
    site = load_site(BuildOptions(site_dir=copy_sample(tmp_path / "site"), now=NOW)).site
    for old in site.articles:
        holders = sum(old in items for items in site.related.values())
        new = replace(old, body_html=b"<p>Edited.</p>")
        after = replace_article(site, old, new)
        assert _places_holding(after, old) == 0, old.source
        assert _places_holding(after, new) == _places_holding(site, old) > 2 + holders, old.source


@pytest.mark.parametrize("zone", ["Etc/GMT+12", "Pacific/Pago_Pago", "America/St_Johns", "UTC", "Asia/Kathmandu",
                                  "Pacific/Chatham", "Pacific/Kiritimati"])
def test_the_archive_month_of_an_article_is_among_those_replace_article_looks_in(tmp_path: Path, zone: str) -> None:
    """Near a month's turn, any site's time zone files the article under one of the months looked in."""
    from zoneinfo import ZoneInfo

    from generator.site.replace import _months_around

    sample = load_site(BuildOptions(site_dir=copy_sample(tmp_path / "site"), now=NOW)).site.articles[0]
    for instant in ("2021-05-31T10:00:00+00:00", "2021-05-31T23:30:00+00:00", "2021-06-01T00:30:00+00:00",
                    "2021-12-31T12:30:00+00:00", "2022-01-01T11:00:00+00:00"):
        moment = datetime.fromisoformat(instant)
        local = moment.astimezone(ZoneInfo(zone))
        assert (local.year, local.month) in _months_around(replace(sample, date=moment)), (zone, instant)


def test_the_pages_that_read_site_or_whole_articles_are_carried_through_body_edits(tmp_path: Path) -> None:
    """After each body edit the outputs known to read ``site`` or more than cards are those a fresh look finds,
    also when an edit makes a page start or stop reading ``site``."""
    from generator.incremental.fingerprints import Fingerprints

    site = copy_sample(tmp_path / "site")
    theme_macros = (Path(__file__).resolve().parent.parent / "generator/themes/newsroom/templates/partials/macros.html")
    write(site, "templates/article.html", '{% extends "newsroom/article.html" %}{% block content %}{{ super() }}'
          '{% if "SITE-READ" in article.body|string %}{{ site.articles|length }}{% endif %}{% endblock %}')
    write(site, "templates/partials/macros.html", theme_macros.read_text().replace(
        '<div class="card-summary">{{ article.summary }}</div>', '<div class="card-summary">{{ article.body }}</div>'))
    session = Session(site)
    session.build()
    story = next(a for a in load_site(BuildOptions(site_dir=site, now=NOW)).site.articles if a.live is None)
    original = (site / story.source).read_text(encoding="utf-8")
    for text, reads_site in ((original + "\nSITE-READ\n", True), (original + "\nNo marker.\n", False)):
        (site / story.source).write_text(text, encoding="utf-8")
        assert session.build(story.source).partial
        assert session.state is not None
        carried = session.state.fingerprints.wide_readers()
        assert carried == Fingerprints(dict(session.state.fingerprints.records)).wide_readers()
        assert carried[1], "list pages read whole articles"
        assert any(output.startswith(story.url.strip("/")) for output in carried[0]) == reads_site
    session.matches_clean_build("after body edits that make a page start and stop reading site")


def test_frozen_dict_merged_copies_once_and_leaves_the_original_as_it_was() -> None:
    from generator.frozen import FrozenDict

    original = FrozenDict({"a": 1, "b": 2})
    merged = FrozenDict.merged(original, {"b": 3, "c": 4})
    assert merged == {"a": 1, "b": 3, "c": 4} and isinstance(merged, FrozenDict)
    assert original == {"a": 1, "b": 2}
    assert FrozenDict.merged({"x": 1}, {"y": 2}) == {"x": 1, "y": 2}
    with pytest.raises(AttributeError):
        merged.extra = 1  # type: ignore[attr-defined]


def test_swapping_an_article_goes_by_identity_and_shares_what_does_not_hold_it(tmp_path: Path) -> None:
    from generator.site.replace import _swapped

    site = load_site(BuildOptions(site_dir=copy_sample(tmp_path / "site"), now=NOW)).site
    first, second, *_ = site.articles
    twin = replace(first)  # equal to ``first``, but another object: never swapped
    new = replace(first, body_html=b"<p>Edited.</p>")
    assert twin == first and twin is not first
    swapped = _swapped((first, second, twin, first), first, new)
    assert [item is expected for item, expected in zip(swapped, (new, second, twin, new), strict=True)] == [True] * 4
    without = (second, twin)
    assert _swapped(without, first, new) is without
    assert _swapped((), first, new) == ()
