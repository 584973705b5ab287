"""Unit tests for ``collect_site``, ``plan_pages`` and ``check_collisions``."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.config import Config, parse_config
from generator.content.article import Article, parse_article
from generator.content.sources import Source
from generator.markdown.python_markdown import MarkdownRenderer
from generator.site.collect import collect_site
from generator.site.collisions import Origin, Planned, check_collisions
from generator.site.model import Site
from generator.site.pages import Page, plan_pages
from generator.site.pagination import Paginator

NOW = datetime(2025, 1, 1, tzinfo=UTC)


# --- helpers ------------------------------------------------------------------


def make_config(tmp_path: Path, extra: str = "") -> Config:
    text = 'title = "Test Times"\nbase_url = "https://example.org/"\n' + extra
    config, warnings = parse_config(tmp_path, text, tomllib.loads(text))
    assert warnings == []
    return config


class Writer:
    """Builds Articles the way the build does: from a Source, through parse_article."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.renderer = MarkdownRenderer(config)

    def article(
        self, name: str, title: str, date: str | None = None, body: str = "Body text.", **fields: object
    ) -> Article:
        folder = "pages" if name.startswith("pages/") else "articles"
        path = f"content/{folder}/{name.removeprefix('pages/')}.md"
        rows = [f"title: {title}"] + ([f"date: {date}"] if date else [])
        rows += [f"{key}: {value}" for key, value in fields.items()]
        text = "---\n" + "\n".join(rows) + "\n---\n" + body + "\n"
        article, errors, _ = parse_article(Source(path=path, text=text, digest=name), self.config, self.renderer)
        assert errors == [], [str(e) for e in errors]
        assert article is not None
        return article

    def page(self, name: str, title: str, **fields: object) -> Article:
        return self.article(f"pages/{name}", title, **fields)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


@pytest.fixture
def w(config: Config) -> Writer:
    return Writer(config)


def titles(articles) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.title for a in articles]


def collisions(site: Site, config: Config) -> list[str]:
    return sorted({str(error) for error in check_collisions(page.planned for page in plan_pages(site, config))})


# --- order, drafts and the future ---------------------------------------------


def test_articles_newest_first(config: Config, w: Writer) -> None:
    articles = [
        w.article("a", "Oldest", "2019-05-01"),
        w.article("b", "Newest", "2021-01-01"),
        w.article("c", "Middle", "2020-08-15 18:40"),
        w.article("d", "Middle morning", "2020-08-15 09:00"),
    ]
    site = collect_site(articles, config, NOW)
    assert titles(site.articles) == ["Newest", "Middle", "Middle morning", "Oldest"]


def test_order_respects_time_zones(config: Config, w: Writer) -> None:
    # 10:00 in Kyiv is 07:00 UTC; 09:00 in London (summer time) is 08:00 UTC, so London is newer.
    kyiv = w.article("a", "Kyiv", "2020-08-15T10:00:00+03:00")
    london = w.article("b", "London", "2020-08-15T09:00:00+01:00")
    assert titles(collect_site([kyiv, london], config, NOW).articles) == ["London", "Kyiv"]


def test_same_date_order_is_stable(config: Config, w: Writer) -> None:
    articles = [w.article(name, name.upper(), "2020-08-15") for name in ("b", "a", "c")]
    first = titles(collect_site(articles, config, NOW).articles)
    second = titles(collect_site(list(reversed(articles)), config, NOW).articles)
    assert first == second
    assert sorted(first) == ["A", "B", "C"]


def test_drafts_are_excluded_unless_asked_for(config: Config, w: Writer) -> None:
    articles = [
        w.article("a", "Published", "2020-01-01"),
        w.article("b", "Draft", "2020-02-01", draft="true"),
        w.article("c", "Unpublished", "2020-03-01", published="false"),
        w.article("d", "Status draft", "2020-04-01", status="draft"),
    ]
    assert titles(collect_site(articles, config, NOW).articles) == ["Published"]
    assert titles(collect_site(articles, config, NOW, drafts=True).articles) == [
        "Status draft", "Unpublished", "Draft", "Published"
    ]


def test_future_articles_are_excluded_unless_asked_for(config: Config, w: Writer) -> None:
    articles = [w.article("a", "Past", "2024-12-31"), w.article("b", "Future", "2025-01-02")]
    assert titles(collect_site(articles, config, NOW).articles) == ["Past"]
    assert titles(collect_site(articles, config, NOW, future=True).articles) == ["Future", "Past"]


def test_article_published_exactly_now_is_visible(config: Config, w: Writer) -> None:
    article = w.article("a", "Now", "2025-01-01T00:00:00Z")
    assert titles(collect_site([article], config, NOW).articles) == ["Now"]


def test_drafts_and_future_do_not_leak_into_tags_or_archive(config: Config, w: Writer) -> None:
    articles = [
        w.article("a", "Public", "2020-01-01", tags="[shared]"),
        w.article("b", "Draft", "2020-02-01", draft="true", tags="[shared, secret]"),
        w.article("c", "Future", "2030-01-01", tags="[shared, later]"),
    ]
    site = collect_site(articles, config, NOW)
    assert [(t.slug, t.count) for t in site.tags] == [("shared", 1)]
    assert [y.year for y in site.archive] == [2020]
    assert site.related == {"content/articles/a.md": ()}


def test_pages_are_separate_and_sorted_by_file(config: Config, w: Writer) -> None:
    items = [w.page("contact", "Contact"), w.article("a", "Story", "2020-01-01"), w.page("about", "About")]
    site = collect_site(items, config, NOW)
    assert titles(site.articles) == ["Story"]
    assert titles(site.pages) == ["About", "Contact"]


def test_draft_pages_are_hidden(config: Config, w: Writer) -> None:
    site = collect_site([w.page("about", "About", draft="true")], config, NOW)
    assert site.pages == ()
    assert titles(collect_site([w.page("about", "About", draft="true")], config, NOW, drafts=True).pages) == ["About"]


def test_site_updated_is_the_newest_change(config: Config, w: Writer) -> None:
    articles = [
        w.article("a", "A", "2020-01-01", updated="2021-06-01"),
        w.article("b", "B", "2021-01-01"),
    ]
    assert collect_site(articles, config, NOW).updated == datetime(2021, 6, 1, tzinfo=UTC)
    assert collect_site([], config, NOW).updated is None


# --- tags ---------------------------------------------------------------------


def test_tag_spellings_merge_into_one_tag(config: Config, w: Writer) -> None:
    articles = [
        w.article("a", "A", "2020-01-01", tags="[Elections, Économie]"),
        w.article("b", "B", "2020-02-01", tags="[elections, Economie]"),
        w.article("c", "C", "2020-03-01", tags="[ELECTIONS, economie]"),
    ]
    site = collect_site(articles, config, NOW)
    assert [(t.slug, t.count) for t in site.tags] == [("economie", 3), ("elections", 3)]
    assert titles(site.tags[1].articles) == ["C", "B", "A"]


def test_most_used_spelling_wins(config: Config, w: Writer) -> None:
    articles = [
        w.article("a", "A", "2020-01-01", tags="[Économie]"),
        w.article("b", "B", "2020-02-01", tags="[economie]"),
        w.article("c", "C", "2020-03-01", tags="[economie]"),
    ]
    site = collect_site(articles, config, NOW)
    [tag] = site.tags
    assert tag.name == "economie"
    # Every article now shows the one spelling.
    assert {t.name for a in site.articles for t in a.tags} == {"economie"}


def test_ties_go_to_the_capitalised_then_accented_spelling(config: Config, w: Writer) -> None:
    articles = [
        w.article("a", "A", "2020-01-01", tags="[economie, elections]"),
        w.article("b", "B", "2020-02-01", tags="[Economie, Elections]"),
        w.article("c", "C", "2020-03-01", tags="[Économie]"),
    ]
    site = collect_site(articles, config, NOW)
    assert {t.slug: t.name for t in site.tags} == {"economie": "Économie", "elections": "Elections"}
    assert [t.name for t in site.articles[-1].tags] == ["Économie", "Elections"]


def test_tags_are_sorted_by_folded_name(config: Config, w: Writer) -> None:
    article = w.article("a", "A", "2020-01-01", tags="[zebra, Économie, apple, Banana]")
    assert [t.name for t in collect_site([article], config, NOW).tags] == ["apple", "Banana", "Économie", "zebra"]


# --- sections -----------------------------------------------------------------


def test_sections_follow_config_order_then_size(tmp_path: Path) -> None:
    config = make_config(tmp_path, 'sections = ["Politics", "Culture"]\n')
    w = Writer(config)
    articles = [
        w.article("a", "A", "2020-01-01", section="World"),
        w.article("b", "B", "2020-01-02", section="World"),
        w.article("c", "C", "2020-01-03", section="Business"),
        w.article("d", "D", "2020-01-04", section="Culture"),
        w.article("e", "E", "2020-01-05", section="Politics"),
        w.article("f", "F", "2020-01-06", section="Science"),
        w.article("g", "G", "2020-01-07", section="Science"),
        w.article("h", "H", "2020-01-08", category="Science"),
    ]
    site = collect_site(articles, config, NOW)
    assert [(s.name, s.count) for s in site.sections] == [
        ("Politics", 1), ("Culture", 1), ("Science", 3), ("World", 2), ("Business", 1)
    ]


def test_config_sections_match_by_slug(tmp_path: Path) -> None:
    config = make_config(tmp_path, 'sections = ["Économie", "world news"]\n')
    w = Writer(config)
    articles = [
        w.article("a", "A", "2020-01-01", section="Sport"),
        w.article("b", "B", "2020-01-02", section="Sport"),
        w.article("c", "C", "2020-01-03", section="World News"),
        w.article("d", "D", "2020-01-04", section="Economie"),
    ]
    assert [s.slug for s in collect_site(articles, config, NOW).sections] == ["economie", "world-news", "sport"]


def test_section_spellings_merge(config: Config, w: Writer) -> None:
    articles = [w.article("a", "A", "2020-01-01", section="World"), w.article("b", "B", "2020-01-02", category="world")]
    [section] = collect_site(articles, config, NOW).sections
    assert (section.slug, section.count) == ("world", 2)


def test_configured_section_without_articles_is_not_listed(tmp_path: Path) -> None:
    config = make_config(tmp_path, 'sections = ["Politics"]\n')
    site = collect_site([Writer(config).article("a", "A", "2020-01-01", section="World")], config, NOW)
    assert [s.slug for s in site.sections] == ["world"]


# --- authors ------------------------------------------------------------------


def test_authors_with_profiles(tmp_path: Path) -> None:
    config = make_config(
        tmp_path, '[authors.maya-okafor]\nname = "Maya Okafor"\nbio = "Covers city hall."\n'
    )
    w = Writer(config)
    articles = [
        w.article("a", "A", "2020-01-01", author="maya okafor"),
        w.article("b", "B", "2020-01-02", authors="[Maya Okafor, Tomás Herrera]"),
        w.article("c", "C", "2020-01-03", author="MAYA OKAFOR"),
    ]
    site = collect_site(articles, config, NOW)
    assert [(a.slug, a.name, a.count) for a in site.authors] == [
        ("maya-okafor", "Maya Okafor", 3), ("tomas-herrera", "Tomás Herrera", 1)
    ]
    maya, tomas = site.authors
    assert maya.profile is not None and maya.profile.bio == "Covers city hall."
    assert tomas.profile is None
    # The profile's name is what every article shows, whatever the frontmatter spelling.
    assert {a.name for article in site.articles for a in article.authors} == {"Maya Okafor", "Tomás Herrera"}


def test_profile_without_articles_is_not_listed(tmp_path: Path) -> None:
    config = make_config(tmp_path, '[authors.ghost]\nname = "Ghost Writer"\n')
    site = collect_site([Writer(config).article("a", "A", "2020-01-01", author="Ann")], config, NOW)
    assert [a.slug for a in site.authors] == ["ann"]


# --- archive ------------------------------------------------------------------


def test_archive_years_and_months_with_counts(config: Config, w: Writer) -> None:
    articles = [
        w.article("a", "A", "2019-12-31"),
        w.article("b", "B", "2020-01-15"),
        w.article("c", "C", "2020-01-20"),
        w.article("d", "D", "2020-08-15"),
        w.article("e", "E", "2021-03-01"),
    ]
    site = collect_site(articles, config, NOW)
    assert [(y.year, y.count) for y in site.archive] == [(2021, 1), (2020, 3), (2019, 1)]
    assert [(m.year, m.month, len(m.articles)) for m in site.archive[1].months] == [(2020, 8, 1), (2020, 1, 2)]
    assert titles(site.archive[1].months[1].articles) == ["C", "B"]


def test_archive_uses_the_site_time_zone(tmp_path: Path) -> None:
    config = make_config(tmp_path, 'timezone = "Asia/Tokyo"\n')
    article = Writer(config).article("a", "A", "2020-12-31T20:00:00Z")  # already 2021 in Tokyo
    [year] = collect_site([article], config, NOW).archive
    assert (year.year, year.months[0].month) == (2021, 1)
    assert article.url == "/2021/01/a/"


# --- neighbours and related ---------------------------------------------------


def test_older_and_newer_neighbours(config: Config, w: Writer) -> None:
    articles = [w.article(n, n.upper(), f"2020-0{i}-01") for i, n in enumerate("abc", start=1)]
    site = collect_site(articles, config, NOW)
    older = {source: a.title for source, a in site.older.items()}
    newer = {source: a.title for source, a in site.newer.items()}
    assert older == {"content/articles/c.md": "B", "content/articles/b.md": "A"}
    assert newer == {"content/articles/a.md": "B", "content/articles/b.md": "C"}


def test_neighbours_skip_drafts(config: Config, w: Writer) -> None:
    articles = [
        w.article("a", "A", "2020-01-01"),
        w.article("b", "B", "2020-02-01", draft="true"),
        w.article("c", "C", "2020-03-01"),
    ]
    site = collect_site(articles, config, NOW)
    assert site.older["content/articles/c.md"].title == "A"
    assert site.newer["content/articles/a.md"].title == "C"


def test_related_articles_share_the_most_tags(config: Config, w: Writer) -> None:
    articles = [
        w.article("a", "A", "2020-01-01", tags="[x, y, z]"),
        w.article("b", "B", "2020-02-01", tags="[x]"),
        w.article("c", "C", "2020-03-01", tags="[x, y]"),
        w.article("d", "D", "2020-04-01", tags="[X, Y, Z]"),
        w.article("e", "E", "2020-05-01", tags="[other]"),
        w.article("f", "F", "2020-06-01", tags="[x]"),
    ]
    site = collect_site(articles, config, NOW)
    related = {source.split("/")[-1]: titles(items) for source, items in site.related.items()}
    assert related["a.md"] == ["D", "C", "F"]  # 3 shared, 2 shared, then the newest with 1
    assert related["e.md"] == []
    assert related["b.md"] == ["F", "D", "C"]  # one shared tag each: the most recent first
    assert all(source[0].upper() not in names for source, names in related.items())  # never itself
    # Who lists whom, the other way round: where a body edit of an article must update related lists.
    listed_by = {source.split("/")[-1]: sorted(other.split("/")[-1] for other in others)
                 for source, others in site.listed_by.items()}
    assert listed_by["a.md"] == ["c.md", "d.md"]  # b and f list three newer articles instead
    assert "e.md" not in listed_by  # nobody shares a tag with it
    assert listed_by == {
        source.split("/")[-1]: sorted(other.split("/")[-1] for other, items in site.related.items()
                                      if any(item.source == source for item in items))
        for source in site.listed_by}


def test_related_count_is_respected(tmp_path: Path) -> None:
    for count, expected in ((1, ["D"]), (0, None), (10, ["D", "C", "B"])):
        config = make_config(tmp_path, f"related_count = {count}\n")
        w = Writer(config)
        articles = [w.article(n, n.upper(), f"2020-0{i}-01", tags="[x]") for i, n in enumerate("abcd", start=1)]
        related = collect_site(articles, config, NOW).related
        if expected is None:
            assert dict(related) == {}
        else:
            assert titles(related["content/articles/a.md"]) == expected


def brute_force_related(site: Site, limit: int) -> dict[str, list[str]]:
    """The definition: every other article sharing a tag, by shared tags, then the most recent."""
    stories = list(site.articles)
    result = {}
    for article in stories:
        mine = {t.slug for t in article.tags}
        scored = [(-len(mine & {t.slug for t in other.tags}), position, other.source)
                  for position, other in enumerate(stories) if other is not article]
        result[article.source] = [source for shared, _, source in sorted(scored) if shared < 0][:limit]
    return result


@pytest.mark.parametrize("seed", range(6))
def test_related_stories_match_their_definition_on_random_tagging(tmp_path: Path, seed: int) -> None:
    import random

    rng = random.Random(seed)
    limit = rng.choice([1, 3, 5])
    config = make_config(tmp_path, f"related_count = {limit}\n")
    w = Writer(config)
    vocabulary = [f"t{number}" for number in range(rng.choice([3, 8, 20]))]
    articles = [
        w.article(f"a{number}", f"A{number}", f"20{10 + number % 12}-0{number % 9 + 1}-1{number % 10}",
                  tags="[" + ", ".join(rng.sample(vocabulary, rng.randint(0, min(5, len(vocabulary))))) + "]")
        for number in range(60)
    ]
    site = collect_site(articles, config, NOW)
    assert {source: [a.source for a in items] for source, items in site.related.items()} == \
        brute_force_related(site, limit)


def test_related_stories_are_reused_only_while_order_and_tags_stand(tmp_path: Path, config: Config) -> None:
    w = Writer(config)
    articles = [w.article(n, n.upper(), f"2020-0{i}-01", tags="[x, y]" if i % 2 else "[x]")
                for i, n in enumerate("abcdef", start=1)]
    first = collect_site(articles, config, NOW)
    retitled = [w.article("a", "Renamed", "2020-01-01", tags="[x, y]"), *articles[1:]]
    second = collect_site(retitled, config, NOW, related=first.related_memo())
    assert second.related_key == first.related_key
    # Reused, but holding this build's articles, not the previous build's.
    assert "Renamed" in [a.title for items in second.related.values() for a in items]
    assert all(any(a is b for b in second.articles) for items in second.related.values() for a in items)
    retagged = [w.article("a", "A", "2020-01-01", tags="[z]"), *articles[1:]]
    third = collect_site(retagged, config, NOW, related=second.related_memo())
    assert third.related_key != second.related_key
    assert third.related["content/articles/a.md"] == ()
    assert dict(third.related) == dict(collect_site(retagged, config, NOW).related)


# --- pagination ---------------------------------------------------------------


def front_pages(pages: list[Page]) -> list[Page]:
    return [p for p in pages if p.namespace == "index"]


def test_five_articles_two_per_page(tmp_path: Path) -> None:
    config = make_config(tmp_path, "paginate = 2\n")
    w = Writer(config)
    articles = [w.article(n, n.upper(), f"2020-0{i}-01") for i, n in enumerate("abcde", start=1)]
    pages = front_pages(plan_pages(collect_site(articles, config, NOW), config))
    assert [p.url for p in pages] == ["/", "/page/2/", "/page/3/"]
    assert [p.output for p in pages] == ["index.html", "page/2/index.html", "page/3/index.html"]
    assert [titles(p.context["paginator"].items) for p in pages] == [["E", "D"], ["C", "B"], ["A"]]
    assert [p.title for p in pages] == ["Test Times", "Test Times – page 2", "Test Times – page 3"]
    first, middle, last = (p.context["paginator"] for p in pages)
    assert (first.previous_url, first.next_url) == (None, "/page/2/")
    assert (middle.previous_url, middle.next_url) == ("/", "/page/3/")
    assert (last.previous_url, last.next_url) == ("/page/2/", None)
    assert [p.number for p in (first, middle, last)] == [1, 2, 3]
    assert {p.total for p in (first, middle, last)} == {3}


def test_empty_site_still_has_a_front_page(config: Config) -> None:
    pages = front_pages(plan_pages(collect_site([], config, NOW), config))
    assert [p.url for p in pages] == ["/"]
    assert pages[0].context["paginator"].items == ()


def test_tag_pages_are_paginated_too(tmp_path: Path) -> None:
    config = make_config(tmp_path, "paginate = 2\n")
    w = Writer(config)
    articles = [w.article(n, n.upper(), f"2020-0{i}-01", tags="[x]") for i, n in enumerate("abc", start=1)]
    pages = plan_pages(collect_site(articles, config, NOW), config)
    assert [p.url for p in pages if p.namespace == "tag"] == ["/tags/x/", "/tags/x/page/2/", "/tags/"]


@pytest.mark.parametrize(
    ("number", "total", "numbers"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
        (1, 20, [1, 2, 3, None, 20]),
        (10, 20, [1, None, 8, 9, 10, 11, 12, None, 20]),
        (20, 20, [1, None, 18, 19, 20]),
        (5, 20, [1, 2, 3, 4, 5, 6, 7, None, 20]),  # a one-page gap shows the page, not "…"
        (16, 20, [1, None, 14, 15, 16, 17, 18, 19, 20]),
    ],
)
def test_paginator_numbers_with_gaps(config: Config, number: int, total: int, numbers: list[int | None]) -> None:
    paginator = Paginator(items=(), number=number, total=total, first_url="/tags/x/", config=config)
    assert paginator.numbers == numbers
    assert paginator.url(1) == "/tags/x/"
    assert paginator.url(total) == ("/tags/x/" if total == 1 else f"/tags/x/page/{total}/")


# --- planned pages ------------------------------------------------------------


def test_plan_pages_lists_every_page_family(tmp_path: Path) -> None:
    config = make_config(tmp_path, '[authors.ann]\nname = "Ann"\n')
    w = Writer(config)
    items = [
        w.article("a", "Budget vote", "2020-08-15", tags="[Politics]", section="World", author="Ann"),
        w.page("about", "About"),
    ]
    pages = plan_pages(collect_site(items, config, NOW), config)
    assert [(p.url, p.namespace) for p in pages] == [
        ("/", "index"),
        ("/2020/08/budget-vote/", "article"),
        ("/about/", "page"),
        ("/tags/politics/", "tag"),
        ("/tags/", "tag"),
        ("/world/", "section"),
        ("/authors/ann/", "author"),
        ("/authors/", "author"),
        ("/archive/", "archive"),
        ("/archive/2020/", "archive"),
        ("/archive/2020/08/", "archive"),
        ("/404.html", "404"),
    ]
    by_url = {p.url: p for p in pages}
    assert by_url["/2020/08/budget-vote/"].templates == ("article.html",)
    assert by_url["/tags/politics/"].templates == ("tag.html", "term.html")
    assert by_url["/archive/2020/08/"].title == "August 2020"
    assert by_url["/404.html"].in_sitemap is False
    assert by_url["/2020/08/budget-vote/"].origin == Origin("content/articles/a.md", 2, "article 'Budget vote'")
    assert by_url["/tags/politics/"].origin == Origin("content/articles/a.md", 4, "tag 'Politics'")
    assert collisions(collect_site(items, config, NOW), config) == []


def test_article_page_context_links_neighbours_and_related(config: Config, w: Writer) -> None:
    articles = [w.article("a", "A", "2020-01-01", tags="[x]"), w.article("b", "B", "2020-02-01", tags="[x]")]
    pages = {p.url: p for p in plan_pages(collect_site(articles, config, NOW), config)}
    context = pages["/2020/02/b/"].context
    assert context["article"].title == "B"
    assert context["older"].title == "A"
    assert context["newer"] is None
    assert titles(context["related"]) == ["A"]


# --- collisions ---------------------------------------------------------------


def test_duplicate_slugs_name_both_source_files(config: Config, w: Writer) -> None:
    articles = [w.article("one", "Budget vote", "2020-08-01"), w.article("two", "Budget Vote!", "2020-08-20")]
    assert collisions(collect_site(articles, config, NOW), config) == [
        "content/articles/one.md:2: article 'Budget vote' writes '2020/08/budget-vote/index.html', "
        "which article 'Budget Vote!' (content/articles/two.md:2) also uses; rename one of them"
    ]


def test_same_slug_in_different_months_is_fine(config: Config, w: Writer) -> None:
    articles = [w.article("one", "Budget vote", "2020-08-01"), w.article("two", "Budget vote", "2020-09-01")]
    assert collisions(collect_site(articles, config, NOW), config) == []


def test_explicit_slug_collision_points_at_the_slug_line(config: Config, w: Writer) -> None:
    articles = [
        w.article("one", "First", "2020-08-01", slug="vote"),
        w.article("two", "Second", "2020-08-02", slug="Vote"),
    ]
    [message] = collisions(collect_site(articles, config, NOW), config)
    assert message.startswith("content/articles/one.md:4: article 'First' writes '2020/08/vote/index.html'")
    assert "(content/articles/two.md:4)" in message


def test_section_named_like_a_year_clashes_with_article_folders(config: Config, w: Writer) -> None:
    article = w.article("one", "Budget vote", "2020-08-01", section=2020)
    assert collisions(collect_site([article], config, NOW), config) == [
        "content/articles/one.md:4: section '2020' takes the folder '/2020/', which article 'Budget vote' "
        "(content/articles/one.md:2) also uses; rename one of them"
    ]


def test_page_named_tags_clashes_with_the_tags_index(config: Config, w: Writer) -> None:
    items = [w.article("one", "Budget vote", "2020-08-01", tags="[budget]"), w.page("tags", "Tags")]
    messages = collisions(collect_site(items, config, NOW), config)
    assert (
        "content/pages/tags.md:2: page 'Tags' writes 'tags/index.html', which the tags index (config.toml) "
        "also uses; rename one of them"
    ) in messages
    assert all(message.startswith("content/pages/tags.md:2: ") for message in messages)


def test_page_and_section_with_one_url(config: Config, w: Writer) -> None:
    items = [w.article("one", "Budget vote", "2020-08-01", section="About"), w.page("about", "About")]
    [message] = collisions(collect_site(items, config, NOW), config)
    assert "writes 'about/index.html'" in message
    assert "content/articles/one.md" in message and "content/pages/about.md" in message


def test_section_clashing_with_pagination_folder(tmp_path: Path) -> None:
    config = make_config(tmp_path, "paginate = 1\n")
    w = Writer(config)
    articles = [w.article("one", "A", "2020-08-01", section="Page"), w.article("two", "B", "2020-08-02")]
    [message] = collisions(collect_site(articles, config, NOW), config)
    assert message.startswith("content/articles/one.md:4: section 'Page' takes the folder '/page/'")
    assert "the front page (config.toml)" in message


def test_check_collisions_is_case_insensitive() -> None:
    planned = [
        Planned("About/index.html", Origin("content/pages/a.md", 2, "page 'About'"), "page"),
        Planned("about/index.html", Origin("content/pages/b.md", 3, "page 'about'"), "page"),
    ]
    [error] = check_collisions(planned)
    assert (error.path, error.line) == ("content/pages/b.md", 3)
    assert "(content/pages/a.md:2)" in error.message


def test_check_collisions_allows_nesting_within_one_family() -> None:
    planned = [
        Planned("tags/index.html", Origin("config.toml", None, "the tags index"), "tag"),
        Planned("tags/x/index.html", Origin("content/articles/a.md", 4, "tag 'x'"), "tag"),
        Planned("tags/x/feed.xml", Origin("content/articles/a.md", None, "feed")),
    ]
    assert check_collisions(planned) == []


def test_check_collisions_names_the_content_file_for_generated_clashes() -> None:
    planned = [
        Planned("feed.xml", Origin("config.toml", None, "the site feed")),
        Planned("feed.xml", Origin("content/feed.xml", None, "file")),
    ]
    [error] = check_collisions(planned)
    assert error.path == "content/feed.xml"
    assert "the site feed (config.toml)" in error.message
