"""Unit tests for ``parse_article``: every frontmatter field, alias and error."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.config import Config, parse_config
from generator.content.article import Article, parse_article
from generator.content.sources import Source
from generator.content.terms import Term
from generator.errors import BuildError
from generator.markdown.python_markdown import MarkdownRenderer

UTC = UTC
LONDON = ZoneInfo("Europe/London")

BASE_CONFIG = """\
title = "Test Times"
base_url = "https://example.org/"
timezone = "Europe/London"
"""


def make_config(tmp_path: Path, extra: str = "", base_url: str = "https://example.org/") -> Config:
    text = BASE_CONFIG.replace("https://example.org/", base_url) + extra
    config, warnings = parse_config(tmp_path, text, tomllib.loads(text))
    assert warnings == []
    return config


def frontmatter(*rows: str, body: str = "Body text.\n") -> str:
    return "\n".join(["---", *rows, "---", body])


def parse(
    config: Config, text: str, path: str = "content/articles/x.md"
) -> tuple[Article | None, list[BuildError], list[BuildError]]:
    return parse_article(Source(path=path, text=text, digest="d0123456789abcdef"), config, MarkdownRenderer(config))


def ok(config: Config, text: str, path: str = "content/articles/x.md") -> Article:
    article, errors, _warnings = parse(config, text, path)
    assert errors == [], [str(e) for e in errors]
    assert article is not None
    return article


def errors_of(config: Config, text: str, path: str = "content/articles/x.md") -> list[str]:
    article, errors, _warnings = parse(config, text, path)
    assert article is None
    assert errors, "expected at least one error"
    return [str(error) for error in errors]


def warnings_of(config: Config, text: str, path: str = "content/articles/x.md") -> list[str]:
    return [str(warning) for warning in parse(config, text, path)[2]]


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


# --- title --------------------------------------------------------------------


def test_minimal_article(config: Config) -> None:
    article = ok(config, frontmatter("title: Council votes on budget", "date: 2020-08-15"))
    assert article.kind == "article"
    assert article.title == "Council votes on budget"
    assert article.slug == "council-votes-on-budget"
    assert article.date == datetime(2020, 8, 15, tzinfo=LONDON)
    assert article.updated is None
    assert article.modified == article.date
    assert article.draft is False
    assert article.tags == ()
    assert article.section is None
    assert article.authors == ()
    assert article.url == "/2020/08/council-votes-on-budget/"
    assert article.source == "content/articles/x.md"
    assert article.digest == "d0123456789abcdef"
    assert dict(article.lines) == {"title": 2, "date": 3}
    assert dict(article.extra) == {}


def test_title_whitespace_is_collapsed(config: Config) -> None:
    article = ok(config, frontmatter('title: "  Council\\tvotes   on  budget "', "date: 2020-08-15"))
    assert article.title == "Council votes on budget"


def test_numeric_title_becomes_text(config: Config) -> None:
    assert ok(config, frontmatter("title: 1984", "date: 2020-08-15")).title == "1984"


def test_yaml_1_1_words_in_title_stay_as_written(config: Config) -> None:
    assert ok(config, frontmatter("title: NO", "date: 2020-08-15")).title == "NO"
    assert ok(config, frontmatter("title: 12:30", "date: 2020-08-15")).title == "12:30"


def test_missing_title(config: Config) -> None:
    assert errors_of(config, frontmatter("date: 2020-08-15")) == [
        "content/articles/x.md:1: missing required field 'title'"
    ]


def test_empty_title_names_its_line(config: Config) -> None:
    assert errors_of(config, frontmatter("date: 2020-08-15", "title:")) == [
        "content/articles/x.md:3: missing required field 'title'"
    ]
    assert errors_of(config, frontmatter("date: 2020-08-15", "title: '   '")) == [
        "content/articles/x.md:3: 'title' is empty"
    ]


def test_title_must_be_text(config: Config) -> None:
    assert errors_of(config, frontmatter("date: 2020-08-15", "title: [a, b]")) == [
        "content/articles/x.md:3: 'title' must be text, not a list"
    ]
    assert errors_of(config, frontmatter("date: 2020-08-15", "title: true")) == [
        "content/articles/x.md:3: 'title' must be text, not the boolean true"
    ]


# --- date ---------------------------------------------------------------------


def test_missing_date_is_an_error_for_articles(config: Config) -> None:
    assert errors_of(config, frontmatter("title: Hello")) == [
        "content/articles/x.md:1: missing required field 'date' (or start the file name with YYYY-MM-DD-)"
    ]


def test_empty_date_is_an_error_on_its_line(config: Config) -> None:
    assert errors_of(config, frontmatter("title: Hello", "date:")) == [
        "content/articles/x.md:3: missing required field 'date' (or start the file name with YYYY-MM-DD-)"
    ]


def test_date_from_file_name(config: Config) -> None:
    article = ok(config, frontmatter("title: Call"), "content/articles/2020-08-15-call.md")
    assert article.date == datetime(2020, 8, 15, tzinfo=LONDON)
    assert article.url == "/2020/08/call/"


def test_date_field_wins_over_file_name(config: Config) -> None:
    article = ok(config, frontmatter("title: Call", "date: 2021-01-02"), "content/articles/2020-08-15-call.md")
    assert article.date == datetime(2021, 1, 2, tzinfo=LONDON)


def test_empty_date_falls_back_to_file_name(config: Config) -> None:
    article = ok(config, frontmatter("title: Call", "date:"), "content/articles/2020-08-15-call.md")
    assert article.date == datetime(2020, 8, 15, tzinfo=LONDON)


def test_impossible_date_in_file_name_is_reported_once(config: Config) -> None:
    assert errors_of(config, frontmatter("title: Call"), "content/articles/2020-02-30-call.md") == [
        "content/articles/2020-02-30-call.md:1: date '2020-02-30' is not a date (no such day)"
    ]


def test_bad_date_names_path_and_line(config: Config) -> None:
    assert errors_of(config, frontmatter("title: Hello", "", "date: Aug 35")) == [
        "content/articles/x.md:4: date 'Aug 35' is not a date"
    ]


def test_ambiguous_date_is_refused(config: Config) -> None:
    assert errors_of(config, frontmatter("title: Hello", "date: 08/09/2020")) == [
        "content/articles/x.md:3: date '08/09/2020' is ambiguous; write it as YYYY-MM-DD"
    ]


def test_real_world_date_with_numeric_offset(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2013-11-30 12:00:00 +0000"))
    assert article.date == datetime(2013, 11, 30, 12, 0, tzinfo=UTC)
    assert article.date.utcoffset() == timedelta(0)
    assert article.url == "/2013/11/hello/"


def test_real_world_quoted_iso_date_with_milliseconds(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: '2020-04-21T12:00:00.000Z'"))
    assert article.date == datetime(2020, 4, 21, 12, 0, tzinfo=UTC)
    assert article.date.tzinfo is not None
    assert article.date.utcoffset() == timedelta(0)


def test_naive_date_takes_the_site_time_zone(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15 18:40"))
    assert article.date == datetime(2020, 8, 15, 18, 40, tzinfo=LONDON)
    assert article.date.utcoffset() == timedelta(hours=1)  # British Summer Time
    assert article.date.astimezone(UTC) == datetime(2020, 8, 15, 17, 40, tzinfo=UTC)


def test_url_uses_the_date_in_the_site_time_zone(config: Config) -> None:
    # 23:30 in New York on 31 July is already August in London.
    article = ok(config, frontmatter("title: Hello", "date: 2020-07-31T23:30:00-04:00"))
    assert article.date == datetime(2020, 8, 1, 3, 30, tzinfo=UTC)
    assert article.url == "/2020/08/hello/"


def test_toml_native_dates(config: Config) -> None:
    text = '+++\ntitle = "Hello"\ndate = 2020-08-15\nupdated = 2020-08-16T09:30:00Z\n+++\nBody\n'
    article = ok(config, text)
    assert article.date == datetime(2020, 8, 15, tzinfo=LONDON)
    assert article.updated == datetime(2020, 8, 16, 9, 30, tzinfo=UTC)
    assert dict(article.lines) == {"title": 2, "date": 3, "updated": 4}


# --- updated and its aliases --------------------------------------------------


@pytest.mark.parametrize("key", ["updated", "modified", "lastmod"])
def test_updated_and_aliases(config: Config, key: str) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", f"{key}: 2020-08-20 10:00"))
    assert article.updated == datetime(2020, 8, 20, 10, 0, tzinfo=LONDON)
    assert article.modified == article.updated


def test_updated_before_date_is_an_error(config: Config) -> None:
    assert errors_of(config, frontmatter("title: Hello", "date: 2020-08-15", "lastmod: 2020-08-14")) == [
        "content/articles/x.md:4: 'lastmod' is earlier than 'date'"
    ]


def test_bad_updated_names_the_alias_line(config: Config) -> None:
    assert errors_of(config, frontmatter("title: Hello", "date: 2020-08-15", "modified: soon")) == [
        "content/articles/x.md:4: date 'soon' is not a date"
    ]


def test_updated_and_alias_both_set(config: Config) -> None:
    text = frontmatter("title: Hello", "date: 2020-08-15", "updated: 2020-08-16", "lastmod: 2020-08-17")
    assert errors_of(config, text) == ["content/articles/x.md:5: both 'updated' and 'lastmod' are set; keep one"]


# --- slug ---------------------------------------------------------------------


def test_explicit_slug_is_used_as_written(config: Config) -> None:
    # Old sites' URLs keep their capitals and dots: slugifying again would break every link to them.
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "slug: Release-2.4.0"))
    assert article.slug == "Release-2.4.0"
    assert article.url == "/2020/08/Release-2.4.0/"


def test_slug_from_title_folds_accents_and_keeps_other_scripts(config: Config) -> None:
    assert ok(config, frontmatter("title: Économie à Québec", "date: 2020-08-15")).slug == "economie-a-quebec"
    article = ok(config, frontmatter("title: Беларусь протестует", "date: 2020-08-15"))
    assert article.slug == "беларусь-протестует"
    assert article.url == "/2020/08/беларусь-протестует/"


@pytest.mark.parametrize(("slug", "problem"), [
    ("../../etc/passwd", "contains '/', which cannot be part of one URL segment"),
    ("'..'", "slug '..' would leave its folder"),
    ("a\\\\b", "contains '\\', which cannot be part of one URL segment"),
    ("'what?'", "contains '?', which cannot be part of one URL segment"),
    ('"a\\x1bb"', "'slug' contains control characters"),
])
def test_slug_must_be_one_safe_path_segment(config: Config, slug: str, problem: str) -> None:
    errors = errors_of(config, frontmatter("title: Hello", "date: 2020-08-15", f"slug: {slug}"))
    assert len(errors) == 1
    assert errors[0].startswith("content/articles/x.md:4: ")
    assert problem in errors[0]


def test_slug_of_punctuation_is_kept(config: Config) -> None:
    assert ok(config, frontmatter("title: Hello", "date: 2020-08-15", "slug: '!!!'")).url == "/2020/08/!!!/"


def test_title_without_letters_takes_slug_from_file_name(config: Config) -> None:
    article = ok(config, frontmatter("title: '!!!'", "date: 2020-08-15"), "content/articles/breaking.md")
    assert article.title == "!!!"
    assert article.slug == "breaking"


def test_slug_is_never_empty(config: Config) -> None:
    article = ok(config, frontmatter("title: '???'", "date: 2020-08-15"), "content/articles/---.md")
    assert article.slug == "article-d0123456"
    assert article.url == "/2020/08/article-d0123456/"


# --- tags ---------------------------------------------------------------------


def test_tags_as_list(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "tags: [Elections, Économie, Kestrel Bay]"))
    assert article.tags == (
        Term("elections", "Elections"), Term("economie", "Économie"), Term("kestrel-bay", "Kestrel Bay")
    )
    assert [t.name for t in article.tags] == ["Elections", "Économie", "Kestrel Bay"]


def test_tags_as_comma_string(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "tags: a, b"))
    assert [(t.slug, t.name) for t in article.tags] == [("a", "a"), ("b", "b")]


def test_single_tag_string(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "tags: security"))
    assert [(t.slug, t.name) for t in article.tags] == [("security", "security")]


def test_numeric_tags(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "tags: [2020, 3.5]"))
    assert [(t.slug, t.name) for t in article.tags] == [("2020", "2020"), ("3-5", "3.5")]
    assert [t.slug for t in ok(config, frontmatter("title: Hello", "date: 2020-08-15", "tags: 2020")).tags] == ["2020"]


def test_null_tags_and_null_entries_are_ignored(config: Config) -> None:
    assert ok(config, frontmatter("title: Hello", "date: 2020-08-15", "tags:")).tags == ()
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "tags: [~, a, '', ' ']"))
    assert article.tags == (Term("a", "a"),)


def test_duplicate_tags_keep_first_spelling(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "tags: [Elections, elections, ELECTIONS]"))
    assert [(t.slug, t.name) for t in article.tags] == [("elections", "Elections")]


def test_bad_tags(config: Config) -> None:
    assert errors_of(config, frontmatter("title: Hello", "date: 2020-08-15", "tags: {a: 1}")) == [
        "content/articles/x.md:4: 'tags' must be a list or a comma-separated string, not a table"
    ]
    assert errors_of(config, frontmatter("title: Hello", "date: 2020-08-15", "tags: [[nested]]")) == [
        "content/articles/x.md:4: each entry of 'tags' must be a name, not a list"
    ]
    assert errors_of(config, frontmatter("title: Hello", "date: 2020-08-15", "tags: ['#!', ok]")) == [
        "content/articles/x.md:4: '#!' in 'tags' has no letters or digits to make a URL from"
    ]


# --- section / category --------------------------------------------------------


@pytest.mark.parametrize("key", ["section", "category"])
def test_section_and_category_alias(config: Config, key: str) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", f"{key}: World News"))
    assert article.section == Term("world-news", "World News")
    assert article.section.name == "World News"


def test_section_and_category_both_set(config: Config) -> None:
    text = frontmatter("title: Hello", "date: 2020-08-15", "section: World", "category: Politics")
    assert errors_of(config, text) == ["content/articles/x.md:5: both 'section' and 'category' are set; keep one"]


def test_section_must_be_one_name(config: Config) -> None:
    assert errors_of(config, frontmatter("title: Hello", "date: 2020-08-15", "category: [World]")) == [
        "content/articles/x.md:4: 'category' must be text, not a list"
    ]


def test_section_in_url_pattern(tmp_path: Path) -> None:
    config = make_config(tmp_path, '[urls]\narticle = "/{section}/{year}/{month}/{day}/{slug}/"\n')
    with_section = ok(config, frontmatter("title: Hello", "date: 2020-08-05", "section: World"))
    assert with_section.url == "/world/2020/08/05/hello/"
    without = ok(config, frontmatter("title: Hello", "date: 2020-08-05"))
    assert without.url == "/news/2020/08/05/hello/"


# --- authors / author ---------------------------------------------------------


def test_authors_list(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "authors: [Maya Okafor, Tomás Herrera]"))
    assert article.authors == (Term("maya-okafor", "Maya Okafor"), Term("tomas-herrera", "Tomás Herrera"))
    assert article.authors[1].name == "Tomás Herrera"


def test_authors_comma_string_is_a_list(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "authors: Ann, Bob"))
    assert [a.name for a in article.authors] == ["Ann", "Bob"]


def test_author_string_is_one_name_even_with_a_comma(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "author: Smith, John"))
    assert article.authors == (Term("smith-john", "Smith, John"),)


def test_author_alias_as_list(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "author: [Ann, Bob]"))
    assert [a.slug for a in article.authors] == ["ann", "bob"]


def test_authors_and_author_both_set_names_the_second_key_line(config: Config) -> None:
    text = frontmatter("title: Hello", "authors: [Ann]", "date: 2020-08-15", "author: Ann")
    assert errors_of(config, text) == ["content/articles/x.md:5: both 'authors' and 'author' are set; keep one"]


def test_alias_before_canonical_key_names_the_second_key_line(config: Config) -> None:
    text = frontmatter("title: Hello", "author: Ann", "date: 2020-08-15", "authors: [Ann]")
    assert errors_of(config, text) == ["content/articles/x.md:5: both 'author' and 'authors' are set; keep one"]


def test_three_spellings_of_updated_are_reported_once(config: Config) -> None:
    text = frontmatter("title: Hello", "date: 2020-08-15", "lastmod: 2020-08-16", "updated: 2020-08-17",
                       "modified: 2020-08-18")
    assert errors_of(config, text) == ["content/articles/x.md:5: both 'lastmod' and 'updated' are set; keep one"]


# --- summary and description --------------------------------------------------


def test_summary_field_is_escaped_text(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "summary: Fish & <chips>"))
    assert str(article.summary) == "<p>Fish &amp; &lt;chips&gt;</p>"


def test_summary_from_more_marker(config: Config) -> None:
    body = "Intro with **bold**.\n\nSecond intro paragraph.\n\n<!--more-->\n\nThe rest.\n"
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", body=body))
    assert str(article.summary) == "<p>Intro with <strong>bold</strong>.</p>\n<p>Second intro paragraph.</p>"
    assert "<!--more-->" not in article.body
    assert "<p>The rest.</p>" in article.body


def test_inline_more_marker_closes_the_summary_paragraph(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", body="Intro <!--more--> rest.\n"))
    assert str(article.summary) == "<p>Intro</p>"
    assert "<!--more-->" not in article.body


def test_summary_defaults_to_first_paragraph(config: Config) -> None:
    body = "# Heading\n\nFirst paragraph[^1].\n\nSecond paragraph.\n\n[^1]: A footnote.\n"
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", body=body))
    assert str(article.summary) == "<p>First paragraph.</p>"  # the dangling footnote marker is removed


def test_summary_of_empty_body_is_empty(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", body=""))
    assert str(article.summary) == ""
    assert article.word_count == 0
    assert article.reading_time == 1


def test_description(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "description: A short   standfirst."))
    assert article.description == "A short standfirst."
    assert article.meta_description == "A short standfirst."


def test_meta_description_falls_back_to_summary_text(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", body="The *first* paragraph.\n"))
    assert article.description == ""
    assert article.meta_description == "The first paragraph."


# --- image --------------------------------------------------------------------


def test_image_fields(config: Config) -> None:
    text = frontmatter(
        "title: Hello", "date: 2020-08-15", "image: /media/cranes.png",
        "image_alt: Two cranes", "image_caption: The port at dawn",
    )
    article = ok(config, text)
    assert (article.image, article.image_alt, article.image_caption) == (
        "/media/cranes.png", "Two cranes", "The port at dawn"
    )


def test_root_relative_image_gets_the_base_path(tmp_path: Path) -> None:
    config = make_config(tmp_path, base_url="https://example.org/news/")
    for value in ("/media/a.png", "media/a.png"):
        article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", f"image: {value}"))
        assert article.image == "/news/media/a.png"


def test_image_already_under_the_base_path_is_not_prefixed_twice(tmp_path: Path) -> None:
    # Links in the body keep '/news/...' as it is; the image field must agree.
    config = make_config(tmp_path, base_url="https://example.org/news/")
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "image: /news/media/a.png"))
    assert article.image == "/news/media/a.png"


@pytest.mark.parametrize(
    "url", ["https://cdn.example.com/a.png", "http://cdn.example.com/a.png", "//cdn.example.com/a.png"]
)
def test_absolute_image_urls_are_kept(tmp_path: Path, url: str) -> None:
    config = make_config(tmp_path, base_url="https://example.org/news/")
    assert ok(config, frontmatter("title: Hello", "date: 2020-08-15", f"image: {url}")).image == url


def test_no_image(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15"))
    assert (article.image, article.image_alt, article.image_caption) == ("", "", "")


# --- drafts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "draft"),
    [
        ("draft: true", True),
        ("draft: false", False),
        ("draft: yes", True),
        ("draft: no", False),
        ("published: false", True),
        ("published: true", False),
        ("status: draft", True),
        ("status: Draft", True),
        ("status: published", False),
    ],
)
def test_draft_forms(config: Config, row: str, draft: bool) -> None:
    assert ok(config, frontmatter("title: Hello", "date: 2020-08-15", row)).draft is draft


def test_any_draft_marker_wins(config: Config) -> None:
    assert ok(config, frontmatter("title: Hello", "date: 2020-08-15", "draft: false", "status: draft")).draft is True


def test_bad_draft_values(config: Config) -> None:
    assert errors_of(config, frontmatter("title: Hello", "date: 2020-08-15", "draft: maybe")) == [
        "content/articles/x.md:4: 'draft' must be true or false, not 'maybe'"
    ]
    assert errors_of(config, frontmatter("title: Hello", "date: 2020-08-15", "status: pending")) == [
        "content/articles/x.md:4: 'status' must be 'draft' or 'published', not 'pending'"
    ]


# --- extra --------------------------------------------------------------------


def test_extra_mapping(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", "extra:", "  kicker: Exclusive", "  score: 3"))
    assert dict(article.extra) == {"kicker": "Exclusive", "score": 3}
    with pytest.raises(TypeError):
        article.extra["kicker"] = "changed"  # type: ignore[index]


def test_extra_must_be_a_mapping(config: Config) -> None:
    assert errors_of(config, frontmatter("title: Hello", "date: 2020-08-15", "extra: [1, 2]")) == [
        "content/articles/x.md:4: 'extra' must be a table of your own fields, not a list"
    ]


# --- pages --------------------------------------------------------------------


def test_page_needs_no_date_and_gets_a_top_level_url(config: Config) -> None:
    page = ok(config, frontmatter("title: About us"), "content/pages/about.md")
    assert page.kind == "page"
    assert page.date is None
    assert page.url == "/about-us/"


def test_page_slug(tmp_path: Path) -> None:
    config = make_config(tmp_path, base_url="https://example.org/news/")
    page = ok(config, frontmatter("title: About us", "slug: about"), "content/pages/about.md")
    assert page.url == "/news/about/"


def test_page_ignores_tags_and_section_with_a_warning(config: Config) -> None:
    text = frontmatter("title: About", "tags: [a]", "section: World")
    page = ok(config, text, "content/pages/about.md")
    assert page.tags == ()
    assert page.section is None
    assert warnings_of(config, text, "content/pages/about.md") == [
        "content/pages/about.md:3: pages have no tags or section; ignored"
    ]


def test_nested_page_folder(config: Config) -> None:
    page = ok(config, frontmatter("title: Contact"), "content/pages/company/contact.md")
    assert (page.kind, page.url) == ("page", "/contact/")


# --- body metrics -------------------------------------------------------------


def test_word_count_and_reading_time(tmp_path: Path) -> None:
    config = make_config(tmp_path, "words_per_minute = 10\n")
    body = "one two three four five six seven eight nine ten eleven\n"
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", body=body))
    assert article.word_count == 11
    assert article.reading_time == 2


def test_reading_time_is_at_least_one_minute(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", body="Short.\n"))
    assert (article.word_count, article.reading_time) == (1, 1)


def test_words_with_apostrophes_and_markup(config: Config) -> None:
    body = "Don't *stop* — it's [well-known](https://x.org/) 3.5 times.\n"
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", body=body))
    assert article.word_count == 6


def test_headings_and_table_of_contents(config: Config) -> None:
    body = "## First\n\nText.\n\n### Detail\n\n## Second\n"
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", body=body))
    assert article.headings == 3
    assert 'href="#first"' in article.toc
    assert 'href="#detail"' in article.toc
    assert 'href="#second"' in article.toc
    assert '<h2 id="first">First</h2>' in article.body


def test_no_headings_no_toc_entries(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", body="Just text.\n"))
    assert article.headings == 0
    assert "<li>" not in article.toc


def test_body_links_are_left_as_written_until_the_site_is_planned(tmp_path: Path) -> None:
    # Whether '/x/' names this site or the rest of its domain is known only once every page is planned.
    config = make_config(tmp_path, base_url="https://example.org/news/")
    body = "[link](/2020/08/x/) and [ext](https://a.org/) and ![pic](/media/a.png)\n"
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15", body=body))
    assert 'href="/2020/08/x/"' in article.body
    assert 'src="/media/a.png"' in article.body


# --- errors and warnings ------------------------------------------------------


def test_every_error_of_a_file_is_reported_at_once(config: Config) -> None:
    text = frontmatter("title: [x]", "date: someday", "draft: perhaps", "extra: 3")
    assert errors_of(config, text) == [
        "content/articles/x.md:2: 'title' must be text, not a list",
        "content/articles/x.md:3: date 'someday' is not a date",
        "content/articles/x.md:4: 'draft' must be true or false, not 'perhaps'",
        "content/articles/x.md:5: 'extra' must be a table of your own fields, not '3'",
    ]


def test_frontmatter_errors_become_build_errors_with_file_lines(config: Config) -> None:
    article, errors, warnings = parse(config, "\ufeff---\r\ntitle: Hello\r\nsummary: a: b\r\n---\r\n")
    assert article is None
    assert warnings == []
    assert errors == [
        BuildError(
            "content/articles/x.md",
            3,
            "YAML syntax error in frontmatter: a ':' inside a value; put the value in quotes "
            "(title: \"Budget: what changes\"), or check the indentation "
            "(the YAML parser says: mapping values are not allowed in this context)",
        )
    ]


def test_numeric_yaml_key_is_an_error_not_a_crash(config: Config) -> None:
    assert errors_of(config, frontmatter("title: Hello", "date: 2020-08-15", "2020: yes")) == [
        "content/articles/x.md:4: frontmatter keys must be plain names"
    ]


def test_unknown_field_close_to_a_known_one_is_a_warning(config: Config) -> None:
    text = frontmatter("title: Hello", "date: 2020-08-15", "tag: [a]", "categories: World", "kicker: K")
    assert ok(config, text).tags == ()
    assert warnings_of(config, text) == [
        "content/articles/x.md:4: unknown field 'tag'; did you mean 'tags'?",
        "content/articles/x.md:5: unknown field 'categories'; did you mean 'category'?",
    ]


def test_control_characters_in_text_fields_are_refused(config: Config) -> None:
    assert errors_of(config, frontmatter('title: "Bell\\a"', "date: 2020-08-15")) == [
        "content/articles/x.md:2: 'title' contains control characters"
    ]


def test_article_is_frozen(config: Config) -> None:
    article = ok(config, frontmatter("title: Hello", "date: 2020-08-15"))
    with pytest.raises(AttributeError):
        article.title = "Changed"  # type: ignore[misc]
    assert article.line_of("slug", "title") == 2
    assert article.line_of("nothing") == 1


def test_headline_and_summary_get_typographic_quotes(config: Config) -> None:
    article = ok(config, frontmatter("title: \"The Harbour's 'new' era -- so far...\"", "date: 2020-08-15",
                                     "summary: 'He said \"no\".'"))
    assert article.title == "The Harbour’s ‘new’ era – so far…"
    assert str(article.summary) == "<p>He said “no”.</p>"
    assert article.slug == "the-harbours-new-era-so-far"
