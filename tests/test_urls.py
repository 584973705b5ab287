"""Unit tests for URL planning: patterns, base paths, pagination and output files."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from generator import urls
from generator.config import Config, parse_config


def make_config(tmp_path: Path, base_url: str = "https://example.org/", extra: str = "") -> Config:
    text = f'title = "T"\nbase_url = "{base_url}"\n{extra}'
    config, warnings = parse_config(tmp_path, text, tomllib.loads(text))
    assert warnings == []
    return config


@pytest.fixture
def root(tmp_path: Path) -> Config:
    return make_config(tmp_path)


@pytest.fixture
def news(tmp_path: Path) -> Config:
    """A site that lives below a path: https://example.org/news/."""
    return make_config(tmp_path, "https://example.org/news/")


ARTICLE = {"year": "2020", "month": "08", "day": "15", "slug": "call", "section": "world"}


# --- expand -------------------------------------------------------------------


def test_expand_default_patterns_at_the_root(root: Config) -> None:
    assert urls.expand(root, "article", **ARTICLE) == "/2020/08/call/"
    assert urls.expand(root, "page", slug="about") == "/about/"
    assert urls.expand(root, "tags") == "/tags/"
    assert urls.expand(root, "tag", slug="belarus") == "/tags/belarus/"
    assert urls.expand(root, "section", slug="world") == "/world/"
    assert urls.expand(root, "authors") == "/authors/"
    assert urls.expand(root, "author", slug="maya-okafor") == "/authors/maya-okafor/"
    assert urls.expand(root, "archive") == "/archive/"
    assert urls.expand(root, "archive_year", year=2020) == "/archive/2020/"
    assert urls.expand(root, "archive_month", year="2020", month="08") == "/archive/2020/08/"


def test_expand_under_a_base_path(news: Config) -> None:
    assert urls.expand(news, "article", **ARTICLE) == "/news/2020/08/call/"
    assert urls.expand(news, "tag", slug="belarus") == "/news/tags/belarus/"
    assert urls.expand(news, "archive") == "/news/archive/"


def test_expand_base_url_without_trailing_slash(tmp_path: Path) -> None:
    config = make_config(tmp_path, "https://example.org/news")
    assert urls.expand(config, "tag", slug="x") == "/news/tags/x/"


def test_expand_custom_patterns(tmp_path: Path) -> None:
    config = make_config(
        tmp_path,
        extra='[urls]\narticle = "/{section}/{year}/{month}/{day}/{slug}/"\ntag = "/topics/{slug}/"\n',
    )
    assert urls.expand(config, "article", **ARTICLE) == "/world/2020/08/15/call/"
    assert urls.expand(config, "tag", slug="belarus") == "/topics/belarus/"


def test_expand_keeps_unicode_slugs(root: Config) -> None:
    assert urls.expand(root, "tag", slug="беларусь") == "/tags/беларусь/"


def test_expand_missing_field_is_an_error(root: Config) -> None:
    with pytest.raises(KeyError):
        urls.expand(root, "tag")


def test_expand_ignores_unused_fields(root: Config) -> None:
    assert urls.expand(root, "page", slug="about", year="2020") == "/about/"


# --- site_path ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "at_root", "under_news"),
    [
        ("/", "/", "/news/"),
        ("/feed.xml", "/feed.xml", "/news/feed.xml"),
        ("feed.xml", "/feed.xml", "/news/feed.xml"),
        ("/2020/08/x/", "/2020/08/x/", "/news/2020/08/x/"),
        ("media/a.png", "/media/a.png", "/news/media/a.png"),
        ("", "/", "/news/"),
    ],
)
def test_site_path(root: Config, news: Config, path: str, at_root: str, under_news: str) -> None:
    assert urls.site_path(root, path) == at_root
    assert urls.site_path(news, path) == under_news


def test_site_path_with_nested_base_path(tmp_path: Path) -> None:
    config = make_config(tmp_path, "https://example.org/a/b/")
    assert urls.site_path(config, "/x/") == "/a/b/x/"


# --- absolute -----------------------------------------------------------------


def test_absolute_root_relative_urls(news: Config) -> None:
    assert urls.absolute(news, "/news/2020/08/call/") == "https://example.org/news/2020/08/call/"
    assert urls.absolute(news, "/") == "https://example.org/"


def test_absolute_keeps_port(tmp_path: Path) -> None:
    config = make_config(tmp_path, "http://localhost:8000/")
    assert urls.absolute(config, "/x/") == "http://localhost:8000/x/"


@pytest.mark.parametrize(
    "url",
    ["https://other.org/x", "http://other.org/", "//cdn.example.com/a.png", "mailto:a@b.org", "relative/path", "#top"],
)
def test_absolute_leaves_other_urls_alone(news: Config, url: str) -> None:
    assert urls.absolute(news, url) == url


# --- paginated ----------------------------------------------------------------


def test_paginated_first_page_is_the_list_itself(news: Config) -> None:
    assert urls.paginated(news, "/news/", 1) == "/news/"
    assert urls.paginated(news, "/news/tags/x/", 1) == "/news/tags/x/"


def test_paginated_later_pages(news: Config) -> None:
    assert urls.paginated(news, "/news/", 2) == "/news/page/2/"
    assert urls.paginated(news, "/news/tags/x/", 3) == "/news/tags/x/page/3/"


def test_paginated_custom_pattern(tmp_path: Path) -> None:
    config = make_config(tmp_path, extra='[urls]\npagination = "p{number}/"\n')
    assert urls.paginated(config, "/world/", 2) == "/world/p2/"


# --- output_file --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("/", "index.html"),
        ("/2020/08/call/", "2020/08/call/index.html"),
        ("/feed.xml", "feed.xml"),
        ("/404.html", "404.html"),
        ("/tags/беларусь/", "tags/беларусь/index.html"),
        ("/a/./b/", "a/b/index.html"),
    ],
)
def test_output_file_at_the_root(root: Config, url: str, file: str) -> None:
    assert urls.output_file(root, url) == file


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("/news/", "index.html"),
        ("/news/2020/08/call/", "2020/08/call/index.html"),
        ("/news/feed.xml", "feed.xml"),
        ("/news/tags/x/page/2/", "tags/x/page/2/index.html"),
    ],
)
def test_output_file_under_a_base_path(news: Config, url: str, file: str) -> None:
    assert urls.output_file(news, url) == file


def test_output_file_round_trips_expand(news: Config) -> None:
    url = urls.expand(news, "article", **ARTICLE)
    assert urls.output_file(news, url) == "2020/08/call/index.html"


@pytest.mark.parametrize("url", ["/other/", "/news", "/", "/newsroom/", "https://example.org/news/"])
def test_output_file_refuses_urls_outside_the_base_path(news: Config, url: str) -> None:
    with pytest.raises(ValueError, match="outside the site's base path"):
        urls.output_file(news, url)


@pytest.mark.parametrize(
    "url",
    [
        "/news/../etc/",
        "/news/..",
        "/news/a/../../x/",
        "/news/a/../../../etc/passwd",
        "/news//etc/passwd",
        "/news/a\\..\\..\\x/",
        "/news/a\x00b/",
        "/news/.",
        "/news/a/..",
    ],
)
def test_output_file_refuses_paths_that_escape(news: Config, url: str) -> None:
    with pytest.raises(ValueError, match="outside the output folder"):
        urls.output_file(news, url)


@pytest.mark.parametrize("url", ["/../x/", "/..", "/a/../../b/", "/.", "/a/.."])
def test_output_file_refuses_escapes_at_the_root(root: Config, url: str) -> None:
    with pytest.raises(ValueError, match="outside the output folder"):
        urls.output_file(root, url)


def test_output_file_allows_dots_that_stay_inside(root: Config) -> None:
    assert urls.output_file(root, "/a/../b/") == "b/index.html"
    assert urls.output_file(root, "/v1.2/notes.txt") == "v1.2/notes.txt"
