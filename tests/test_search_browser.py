"""Site search in Chromium: the masthead box, the search page, its filter, axe, the CSP and the dev server.

A fixture site with search on is built and served by ``dateline serve`` (in
a thread, on 127.0.0.1, with the site's own headers, CSP included); Chromium
types into the forms as a reader would. Every check waits for the page to
reach the state it expects; nothing sleeps.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.search.tool import BINARY_VARIABLE, find_tool
from tests.browser_fixtures import CHROMIUM, IN_CI, TIMEOUT
from tests.helpers import MINIMAL_CONFIG, article, make_site
from tests.served import served
from tests.test_browser import fetch
from tests.test_csp import LISTEN, violations
from tests.test_validators import axe_script  # noqa: F401 - a fixture

if not IN_CI:
    pytest.importorskip("playwright.sync_api")

from playwright.sync_api import Browser, BrowserContext, Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.is_file() and not IN_CI, reason=f"needs Chromium at {CHROMIUM}"),
              pytest.mark.skipif(find_tool() is None and not IN_CI, reason="needs the Pagefind binary")]

CONFIG = MINIMAL_CONFIG + '\n[search]\nenabled = true\n'
ARTICLES = {
    "politics/budget.md": article("Budget vote delayed", "2025-03-01",
                                  "The zanzibarite committee met at the harbour at dawn.",
                                  section="Politics", author="Ann Lee"),
    "sport/final.md": article("Cup final report", "2025-04-01", "A quixotic match by the harbour under floodlights.",
                              section="Sport", author="Bo Chen"),
    "sport/preview.md": article("Season preview", "2024-08-10", "Who will win the league this year?",
                                section="Sport", author="Bo Chen"),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", ARTICLES, CONFIG)


@pytest.fixture
def server(site: Path) -> Iterator[str]:
    with served(site) as running:
        yield f"http://127.0.0.1:{running.port}/"


def results(page: Page) -> list[str]:
    return page.locator(".search-results li h2 a").all_inner_texts()


def test_a_word_from_one_body_typed_in_the_masthead_finds_that_article(server: str, context: BrowserContext) -> None:
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.goto(server)
    box = page.get_by_role("search").get_by_role("searchbox", name="Search articles")
    box.focus()
    page.keyboard.type("zanzibarite")
    page.keyboard.press("Enter")  # the plain form: a link to /search/?q=zanzibarite
    page.wait_for_url("**/search/?q=zanzibarite")
    status = page.get_by_role("status")
    expect(status).to_have_text("Articles matching “zanzibarite”: 1.")
    assert results(page) == ["Budget vote delayed"]
    assert page.locator(".search-results a").get_attribute("href") == "/2025/03/budget-vote-delayed/"
    expect(page.locator(".search-results mark")).to_have_text("zanzibarite")
    assert violations(page) == []


def test_the_section_filter_narrows_the_results(server: str, context: BrowserContext) -> None:
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.goto(server + "search/")
    page.get_by_label("Search articles").fill("harbour")
    expect(page.get_by_role("status")).to_have_text("Articles matching “harbour”: 2.")
    assert sorted(results(page)) == ["Budget vote delayed", "Cup final report"]
    page.get_by_label("Section", exact=True).select_option("Sport")
    expect(page.get_by_role("status")).to_have_text("Articles matching “harbour”: 1.")
    assert results(page) == ["Cup final report"]
    assert page.url.endswith("/search/?q=harbour&section=Sport")  # the URL keeps the query, to share or reload
    page.reload()
    expect(page.get_by_role("status")).to_have_text("Articles matching “harbour”: 1.")
    assert page.get_by_label("Section", exact=True).input_value() == "Sport"
    page.get_by_label("Search articles").fill("nonesuchword")
    expect(page.get_by_role("status")).to_have_text("No articles match “nonesuchword”.")
    assert results(page) == []
    assert violations(page) == []


def test_search_keeps_working_after_an_edit_under_the_dev_server(site: Path, server: str, page: Page) -> None:
    page.goto(server + "search/?q=zanzibarite")
    expect(page.get_by_role("status")).to_have_text("Articles matching “zanzibarite”: 1.")
    page.goto("about:blank")  # away from the live reload, which would reload the page mid-test
    source = site / "content/politics/budget.md"
    source.write_text(source.read_text().replace("zanzibarite", "obstreperous"))
    # The dev server holds requests while it builds, and writes the index with the pages: once the
    # article is served with the new word, so is the index.
    deadline = time.monotonic() + TIMEOUT * 4
    while "obstreperous" not in fetch(server + "2025/03/budget-vote-delayed/")[1]:
        assert time.monotonic() < deadline, "the dev server did not rebuild the article"
        time.sleep(0.1)
    page.goto(server + "search/?q=obstreperous")
    expect(page.get_by_role("status")).to_have_text("Articles matching “obstreperous”: 1.")
    assert results(page) == ["Budget vote delayed"]
    page.goto(server + "search/?q=zanzibarite")
    expect(page.get_by_role("status")).to_have_text("No articles match “zanzibarite”.")


def test_without_the_binary_the_search_page_says_search_is_unavailable(site: Path, page: Page,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BINARY_VARIABLE, str(site / "no-such-pagefind"))
    with served(site) as running:
        assert not (site / "output/pagefind").exists()
        page.goto(f"http://127.0.0.1:{running.port}/search/?q=harbour")
        expect(page.get_by_role("status")).to_have_text("Search is unavailable on this site at the moment.")


@pytest.mark.validators
def test_axe_finds_nothing_on_the_search_page_with_results(server: str, browser: Browser, axe_script: Path) -> None:  # noqa: F811 - the fixture
    problems = []
    for scheme in ("light", "dark"):
        # axe is injected as an inline script, which the site's CSP refuses: this profile lets it in.
        context = browser.new_context(color_scheme=scheme, bypass_csp=True)
        try:
            page = context.new_page()
            page.goto(server + "search/?q=harbour")
            expect(page.get_by_role("status")).to_have_text("Articles matching “harbour”: 2.")
            page.add_script_tag(path=str(axe_script))
            found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        finally:
            context.close()
        problems += [f"{scheme}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']]}" for v in found]
    assert problems == []

