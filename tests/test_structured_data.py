"""Structured data and link previews of every page type, as Google, Twitter and Facebook read them.

Two readers: structured-data-testing-tool (npm, pinned in package-lock.json) with
its Google, Twitter and Facebook presets on every article page of the sample site,
and the properties Google documents as recommended for Article, NewsArticle,
LiveBlogPosting and BreadcrumbList, read here from the JSON-LD with lxml and
``json``, which the presets check only for presence.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image

from tests.golden import REPO, build_sample
from tests.helpers import parse
from tests.test_validators import BASE_URL, _node_eval, article_pages, html_pages, missing

pytestmark = pytest.mark.validators
# ISO 8601 with a time and an offset, as Google asks for dates.
ISO_WITH_OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)")
SHAPES = {"16x9": 16 / 9, "4x3": 4 / 3, "1x1": 1.0}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("structured") / "output"
    build_sample(output)
    return output


def json_ld(page: Path) -> dict[str, dict[str, Any]]:
    documents = [json.loads(s.text) for s in parse(page).xpath("//script[@type='application/ld+json']")]
    return {document["@type"]: document for document in documents}


def meta(page: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for element in parse(page).xpath("//head/meta[@property or @name]"):
        found.setdefault(element.get("property") or element.get("name"), []).append(element.get("content"))
    return found


def test_the_google_twitter_and_facebook_presets_pass_on_every_article_page(site: Path) -> None:
    if shutil.which("node") is None:
        missing("needs Node.js for structured-data-testing-tool (apt-get install nodejs npm)")
    _node_eval("require.resolve('structured-data-testing-tool')")  # skips (or fails on CI) without `npm ci`
    pages = article_pages(site)
    result = subprocess.run(["node", str(REPO / "tests" / "sdtt.js"), *map(str, pages)], cwd=REPO,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    results = json.loads(result.stdout)
    assert sorted(results) == sorted(map(str, pages))
    for page, found in results.items():
        where = Path(page).relative_to(site).as_posix()
        assert found["failed"] == [], where
        assert found["passed"] >= 15, where  # the presets ran: 19 tests on a live blog, 27 on a news article
        assert {"NewsArticle", "LiveBlogPosting"} & set(found["schemas"]) and "BreadcrumbList" in found["schemas"], where
        # Google's every check passes, warnings included: only Twitter's for handles the site has not set remain.
        assert [w for w in found["warnings"] if w.get("group") != "Twitter"] == [], where
        assert {w["test"] for w in found["warnings"]} <= {'"twitter:site"', '"twitter:creator"'}, where


def test_articles_carry_what_google_documents_for_articles(site: Path) -> None:
    for page in article_pages(site):
        where = page.relative_to(site).as_posix()
        documents = json_ld(page)
        kind = "LiveBlogPosting" if "LiveBlogPosting" in documents else "NewsArticle"
        data = documents[kind]
        for name in ("headline", "image", "datePublished", "dateModified", "author", "publisher", "description"):
            assert data.get(name), f"{where}: no {name}"
        assert len(data["headline"]) <= 110 or kind == "LiveBlogPosting", where
        for name in ("datePublished", "dateModified"):
            assert ISO_WITH_OFFSET.fullmatch(data[name]), f"{where}: {name} {data[name]}"
        for author in data["author"]:
            assert author["name"] and author["@type"] in ("Person", "Organization"), where
            assert author.get("url", BASE_URL).startswith(BASE_URL), where
        assert data["publisher"]["url"].startswith(BASE_URL) and data["publisher"]["logo"]["url"].startswith(BASE_URL)
        assert data["url"] == data["mainEntityOfPage"]["@id"] == parse(page).xpath("//link[@rel='canonical']/@href")[0]
        images = data["image"]
        assert all(image.startswith(BASE_URL) for image in images), where
        files = [site / image.removeprefix(BASE_URL) for image in images]
        assert all(file.is_file() for file in files), where
        crops = [file for file in files if re.search(r"-(16x9|4x3|1x1)\.jpg$", file.name)]
        if crops:  # a lead image of the site: in the three shapes Google asks for, at least 50,000 pixels
            assert [f.stem.rsplit("-", 1)[1] for f in crops] == list(SHAPES) and crops == files, where
            for crop in crops:
                with Image.open(crop) as image:
                    width, height = image.size
                    assert abs(width / height - SHAPES[crop.stem.rsplit("-", 1)[1]]) < 0.01, crop
                    assert width * height >= 50_000 and not image.getexif(), crop
        else:  # no lead image: the drawn card
            assert images == meta(page)["og:image"], where
        if kind == "LiveBlogPosting":
            assert ISO_WITH_OFFSET.fullmatch(data["coverageStartTime"]), where
            assert ISO_WITH_OFFSET.fullmatch(data["coverageEndTime"]), where
            assert data["liveBlogUpdate"], where
            for update in data["liveBlogUpdate"]:
                assert update["headline"] and update["articleBody"], where
                assert ISO_WITH_OFFSET.fullmatch(update["datePublished"]), where
                assert update["url"].startswith(data["url"] + "#"), where


def test_every_article_has_a_breadcrumb_trail_ending_at_itself(site: Path) -> None:
    for page in article_pages(site):
        where = page.relative_to(site).as_posix()
        trail = json_ld(page)["BreadcrumbList"]["itemListElement"]
        assert [item["position"] for item in trail] == list(range(1, len(trail) + 1)), where
        assert all(item["@type"] == "ListItem" and item["name"] and item["item"].startswith(BASE_URL) for item in trail)
        assert trail[0]["item"] == BASE_URL, where
        assert trail[-1]["item"] == parse(page).xpath("//link[@rel='canonical']/@href")[0], where


# What every indexed page's link preview carries, by page type.
COMMON_OG = ("og:title", "og:type", "og:url", "og:description", "og:site_name", "og:locale")
COMMON_TWITTER = ("twitter:card", "twitter:title", "twitter:description")
ARTICLE_ONLY = ("og:image", "og:image:width", "og:image:height", "og:image:alt", "twitter:image", "twitter:image:alt",
                "article:published_time", "article:modified_time")


def test_open_graph_and_twitter_tags_are_complete_on_every_page_type(site: Path) -> None:
    articles = set(article_pages(site) + article_pages(site, "ru/"))  # the Russian edition's too
    types_seen = set()
    for page in html_pages(site):
        where = page.relative_to(site).as_posix()
        tags = meta(page)
        if tags.get("robots") == ["noindex"]:
            continue
        expected = COMMON_OG + COMMON_TWITTER + (ARTICLE_ONLY if page in articles else ())
        missing_tags = [name for name in expected if len(tags.get(name, [])) != 1 or not tags[name][0].strip()]
        assert not missing_tags, f"{where}: {missing_tags}"
        types_seen.add(tags["og:type"][0])
        if "og:image" in tags:  # every preview image is described, and is absolute
            assert tags["og:image:alt"] == tags["twitter:image:alt"], where
            assert tags["og:image"] == tags["twitter:image"] and tags["og:image"][0].startswith(BASE_URL), where
            assert tags["twitter:card"] == ["summary_large_image"], where
        if page in articles:
            assert tags["og:type"] == ["article"], where
            for name in ("article:published_time", "article:modified_time"):
                assert ISO_WITH_OFFSET.fullmatch(tags[name][0]), f"{where}: {name}"
        else:
            assert tags["og:type"] == ["website"] and tags["twitter:card"] == ["summary"], where
        assert tags["og:url"][0].startswith(BASE_URL), where
    assert types_seen == {"article", "website"}


URL_KEYS = frozenset({"url", "@id", "item", "logo", "image", "sameAs"})
DATE_KEYS = frozenset({"datePublished", "dateModified", "coverageStartTime", "coverageEndTime"})


def _walk(value: Any, key: str = "") -> list[tuple[str, Any]]:
    """Every (key, value) of a JSON-LD document, nested objects and lists included."""
    if isinstance(value, dict):
        return [pair for name, inner in value.items() for pair in [(name, inner), *_walk(inner, name)]]
    if isinstance(value, list):
        return [pair for inner in value for pair in _walk(inner, key)]
    return [(key, value)] if key else []


def test_every_page_type_has_json_ld_with_absolute_urls_and_dates_with_offsets(site: Path) -> None:
    kinds: dict[str, set[str]] = {}
    for page in html_pages(site):
        where = page.relative_to(site).as_posix()
        for script in parse(page).xpath("//script[@type='application/ld+json']"):
            document = json.loads(script.text)
            assert document["@context"] == "https://schema.org", where
            kinds.setdefault(document["@type"], set()).add(where)
            for key, value in _walk(document):
                if key in URL_KEYS and isinstance(value, str):
                    parts = urlsplit(value)
                    assert parts.scheme == "https" and parts.netloc, f"{where}: {key} {value}"
                    # This site's own addresses; an author's profiles elsewhere (sameAs) are theirs.
                    assert key == "sameAs" or value.startswith(BASE_URL), f"{where}: {key} {value}"
                if key in DATE_KEYS:
                    assert isinstance(value, str) and ISO_WITH_OFFSET.fullmatch(value), f"{where}: {key} {value}"
    # Each page type of the sample says what it is: articles, a live blog, the front page, lists, authors, pages.
    assert {"NewsArticle", "LiveBlogPosting", "BreadcrumbList", "WebSite", "CollectionPage", "ProfilePage",
            "WebPage"} <= set(kinds), sorted(kinds)
