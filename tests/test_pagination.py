"""Stable pagination (``paginate_stable = true``): a full page keeps its articles and URL for good."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config.load import load_config
from generator.site.pagination import paginate
from tests.helpers import age, article, make_site, parse, run_dateline, snapshot, write

CONFIG = 'title = "T"\nbase_url = "https://example.org/"\npaginate = 3\n'
STABLE = CONFIG + "paginate_stable = true\n"


def add_articles(site: Path, first: int, last: int) -> None:
    """Articles numbered ``first``..``last``, one a day in January 2020, each tagged 'harbour'."""
    for day in range(first, last + 1):
        write(site, f"content/a{day:02d}.md", article(f"Story {day}", f"2020-01-{day:02d} 09:00", tags="[Harbour]"))


def shown(output: Path, url: str) -> list[str]:
    """The headlines a list page shows, in order."""
    page = parse(output / url.strip("/") / "index.html")
    return [" ".join(text.split()) for text in page.xpath("//main//article//h2//text() | //main//article//h3//text()")
            if text.strip()]


def links(output: Path, url: str) -> dict[str, str]:
    """The pagination links of a list page, by their text."""
    page = parse(output / url.strip("/") / "index.html")
    return {" ".join(a.text_content().split()): a.get("href") for a in page.xpath("//nav[@class='pagination']//a")}


def stories(*numbers: int) -> list[str]:
    return [f"Story {number}" for number in numbers]


def build(site: Path) -> None:
    result = run_dateline("build", "-q", cwd=site)
    assert result.returncode == 0, result.stderr


def test_full_pages_count_from_the_oldest_and_the_front_shows_the_newest(tmp_path: Path) -> None:
    site = make_site(tmp_path, {}, config=STABLE)
    add_articles(site, 1, 10)
    build(site)
    output = site / "output"
    assert shown(output, "/page/1/") == stories(3, 2, 1)
    assert shown(output, "/page/2/") == stories(6, 5, 4)
    assert shown(output, "/page/3/") == stories(9, 8, 7)
    assert not (output / "page/4").exists()
    assert shown(output, "/") == stories(10, 9, 8, 7)  # the page that fills up, with the newest full page
    assert links(output, "/")["Older →"] == "/page/2/"
    assert links(output, "/page/3/")["← Newer"] == "/"
    assert links(output, "/page/1/") == {"← Newer": "/page/2/", "3": "/page/3/", "2": "/page/2/", "1": "/page/1/"}
    assert shown(output, "/tags/harbour/page/1/") == stories(3, 2, 1)  # every list, not only the front page
    title = parse(output / "page/2/index.html").xpath("//title/text()")[0]
    assert "page 2" in title


def test_publishing_rewrites_the_newest_page_and_leaves_full_pages_as_they_were(tmp_path: Path) -> None:
    site = make_site(tmp_path, {}, config=STABLE)
    add_articles(site, 1, 10)
    build(site)
    output = site / "output"
    before = snapshot(output)
    age(site)
    add_articles(site, 11, 11)
    build(site)
    after = snapshot(output)
    lists = {path for path in after if re.fullmatch(r"(tags/harbour/)?(page/\d+/)?index\.html", path)}
    assert len(lists) == 8
    changed = {path for path in lists if before.get(path) != after[path]}
    assert changed == {"index.html", "tags/harbour/index.html"}  # the full pages are byte for byte the same
    assert shown(output, "/") == stories(11, 10, 9, 8, 7)
    age(site)
    add_articles(site, 12, 12)  # page 4 fills up: it appears, and the pages whose links reach it change
    build(site)
    assert shown(output, "/page/4/") == stories(12, 11, 10)
    assert shown(output, "/") == stories(12, 11, 10)
    final = snapshot(output)
    assert final["page/1/index.html"] == before["page/1/index.html"]
    assert final["tags/harbour/page/1/index.html"] == before["tags/harbour/page/1/index.html"]
    assert links(output, "/page/3/")["← Newer"] == "/page/4/"


def test_the_classic_numbering_stays_the_default(tmp_path: Path) -> None:
    site = make_site(tmp_path, {}, config=CONFIG)
    add_articles(site, 1, 10)
    build(site)
    output = site / "output"
    assert shown(output, "/") == stories(10, 9, 8)
    assert shown(output, "/page/2/") == stories(7, 6, 5)
    assert shown(output, "/page/4/") == stories(1)
    assert links(output, "/")["Older →"] == "/page/2/"


def test_a_wrong_value_is_an_error_on_its_line(tmp_path: Path) -> None:
    site = make_site(tmp_path, {}, config=CONFIG + 'paginate_stable = "yes"\n')
    add_articles(site, 1, 1)
    result = run_dateline("build", cwd=site)
    assert result.returncode != 0
    assert "config.toml:4:" in result.stderr and "paginate_stable" in result.stderr


@pytest.fixture(scope="module")
def configs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Any]:
    """Loaded configurations with the stable numbering, by ``paginate``."""
    loaded = {}
    for size in range(1, 7):
        folder = tmp_path_factory.mktemp(f"paginate-{size}")
        write(folder, "config.toml", f'title = "T"\nbase_url = "https://example.org/"\npaginate = {size}\n'
                                     "paginate_stable = true\n")
        loaded[size], _ = load_config(folder)
    return loaded


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(1, 6), count=st.integers(0, 40), added=st.integers(1, 15))
def test_full_pages_never_change_and_every_article_is_listed_once(
        configs: dict[int, Any], size: int, count: int, added: int) -> None:
    items: Any = tuple(range(count, 0, -1))  # newest first, as a list holds its articles
    *full, newest = paginate(items, first_url="/", config=configs[size])
    assert all(len(page.items) == size for page in full)
    assert newest.is_first and newest.items[:1] == items[:1]  # the newest article is on the list's own URL
    if count >= size:  # never a lone article on the front page
        assert size <= len(newest.items) <= 2 * size - 1
    else:
        assert newest.items == items
    listed = [item for page in full for item in page.items] + list(newest.items)
    assert set(listed) == set(items) and len(listed) - len(items) == (size if full else 0)
    grown: Any = tuple(range(count + added, 0, -1))
    for page, later in zip(full, paginate(grown, first_url="/", config=configs[size]), strict=False):
        assert (later.number, later.items, later.url(later.number)) == (page.number, page.items, page.url(page.number))
