"""``dateline serve`` end to end, with a real browser.

Each test copies the sample site into a temporary folder, starts the real dev
server as a subprocess, drives Debian's Chromium with Playwright, changes
files on disk and watches the open pages react: live reload, the build-error
overlay, stylesheet swaps without a reload, 404s for removed pages, and the
reconnection after a server restart.

Nothing here sleeps or measures time: every check waits (generously) for
the browser to reach the expected state. Skipped when Playwright or
Chromium is missing.
"""

from __future__ import annotations

import html
import json
import os
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser_fixtures import CHROMIUM, IN_CI, TIMEOUT
from tests.golden import REPO
from tests.helpers import ServeProcess

if not IN_CI:
    pytest.importorskip("playwright.sync_api")

from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, expect

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.is_file() and not IN_CI, reason=f"needs Chromium at {CHROMIUM}")]
expect.set_options(timeout=TIMEOUT * 1000)
# Waiting conditions are written as functions: Playwright runs a bare expression through eval(),
# which the site's Content Security Policy (sent by the dev server) forbids.

# The sample site's articles used below, with their URLs.
FESTIVAL = "content/articles/2025/northern-light-festival-returns.md"
FESTIVAL_URL = "2025/10/northern-light-festival-returns-with-its-biggest-programme-yet/"
FESTIVAL_TITLE = "Northern Light Festival Returns With Its Biggest Programme Yet"
RANSOMWARE = "content/articles/2024/city-hall-ransomware.md"
# The newest story on the sample's front page: a live blog, whose card heading also says "Live".
NEWEST_TITLE = "Storm Isolde: ferries cancelled and harbour wall closed as gales reach Kestrel Bay"
TARIFFS = "content/articles/2025/what-new-tariffs-mean-for-harbour-exporters.md"
TARIFFS_URL = "2025/04/what-new-tariffs-mean-for-the-harbours-exporters/"
TARIFFS_TITLE = "What New Tariffs Mean for the Harbour's Exporters"
THEME_CSS = REPO / "generator/themes/newsroom/static/css/site.css"

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# --- helpers --------------------------------------------------------------------------------


def mark(page: Page) -> None:
    """Tag the current document; the tag disappears when the page reloads."""
    page.evaluate("window.__marker = 42")


def wait_for_reload(page: Page) -> None:
    page.wait_for_function("() => window.__marker === undefined")
    page.wait_for_load_state()


def server_id(server: ServeProcess) -> str:
    status, body = fetch(server.url + "__dateline__/status")
    assert status == 200
    return json.loads(body)["server"]


def connected_to(page: Page, server: ServeProcess) -> None:
    """Wait until the page's live-reload script has said hello to this very server process."""
    page.wait_for_function(f"() => sessionStorage.getItem('dateline-server') === {json.dumps(server_id(server))}")


def fetch(url: str) -> tuple[int, str]:
    try:
        with NO_PROXY.open(url, timeout=TIMEOUT) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


def edit(site: Path, relative: str, old: str, new: str) -> None:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def new_article(title: str, date: str, body: str, tags: str = "[Local business]") -> str:
    return (f'---\ntitle: "{title}"\ndate: {date}\nsection: Business\nauthor: Staff Reporter\n'
            f"tags: {tags}\n---\n\n{body}\n")


# --- the tests ---------------------------------------------------------------------------------


def test_served_html_has_the_live_reload_script_but_the_output_folder_does_not(
        site: Path, server: ServeProcess) -> None:
    status, served = fetch(server.url)
    assert status == 200
    assert '<script src="/__dateline__/livereload.js"' in served
    assert served.rstrip().endswith("</html>")
    on_disk = (site / "output/index.html").read_text(encoding="utf-8")
    assert "__dateline__" not in on_disk and "livereload" not in on_disk
    status, script = fetch(server.url + "__dateline__/livereload.js")
    assert status == 200 and "EventSource" in script


def test_editing_an_article_reloads_its_open_page(site: Path, server: ServeProcess, page: Page) -> None:
    page.goto(server.url + FESTIVAL_URL)
    body = page.locator(".story-body")
    expect(body).to_contain_text("The festival runs from 10 to 19 October.")
    mark(page)

    edit(site, FESTIVAL, "The festival runs from 10 to 19 October.",
         "The festival now runs until 26 October after a late extension.")

    expect(body).to_contain_text("The festival now runs until 26 October after a late extension.")
    expect(body).not_to_contain_text("The festival runs from 10 to 19 October.")
    wait_for_reload(page)  # the change came with a reload of the page, not by magic
    server.wait_for(rf"^{re.escape(FESTIVAL)} changed → published at /{re.escape(FESTIVAL_URL)}; \d+ pages?")


def test_a_broken_build_shows_an_overlay_that_goes_away_when_fixed(
        site: Path, server: ServeProcess, page: Page, context: BrowserContext, browser: Browser) -> None:
    headline = page.locator("#headline")
    page.goto(server.url + FESTIVAL_URL)
    expect(headline).to_have_text(FESTIVAL_TITLE)
    overlay = page.locator("#dateline-overlay")
    expect(overlay).to_have_count(0)

    # Two errors: a YAML syntax error, and a bad value that looks like markup.
    edit(site, FESTIVAL, "tags: [Festivals, Music, Local business]", "tags: [Festivals, Music")
    edit(site, RANSOMWARE, "date: 2024-02-08 14:20:00 +0000", "date: <b>soon</b>")

    expect(overlay).to_be_visible()
    expect(overlay).to_contain_text("Build failed")
    expect(overlay).to_contain_text(re.compile(rf"{re.escape(FESTIVAL)}:\d+: YAML syntax error"))
    expect(overlay).to_contain_text(f"{RANSOMWARE}:4: date '<b>soon</b>' is not a date")
    expect(overlay.locator("b")).to_have_count(0)  # shown as text, not as markup
    expect(headline).to_have_text(FESTIVAL_TITLE)  # the last good page is still underneath
    server.wait_for(r"→ failed; the last good site is still being served:$")

    overlay.get_by_role("button", name="Dismiss").click()
    expect(overlay).to_have_count(0)
    expect(headline).to_have_text(FESTIVAL_TITLE)

    # A page loaded while the build is broken has the overlay at once, from the server.
    status, served = fetch(server.url + FESTIVAL_URL)
    assert status == 200
    assert '<div id="dateline-overlay"' in served
    assert "date &#x27;&lt;b&gt;soon&lt;/b&gt;&#x27; is not a date" in served
    no_script = browser.new_context(java_script_enabled=False)
    try:
        static_page = no_script.new_page()
        static_page.goto(server.url)
        expect(static_page.locator("#dateline-overlay")).to_contain_text(f"{RANSOMWARE}:4: date '<b>soon</b>'")
        expect(static_page.locator("#dateline-overlay b")).to_have_count(0)
    finally:
        no_script.close()
    fresh = context.new_page()
    fresh.goto(server.url + FESTIVAL_URL)
    fresh_overlay = fresh.locator("#dateline-overlay")
    expect(fresh_overlay).to_contain_text(re.compile(rf"{re.escape(FESTIVAL)}:\d+: YAML syntax error"))
    expect(fresh.locator("#headline")).to_have_text(FESTIVAL_TITLE)

    # Fixing both files removes the overlay and shows the new content.
    edit(site, RANSOMWARE, "date: <b>soon</b>", "date: 2024-02-08 14:20:00 +0000")
    edit(site, FESTIVAL, "tags: [Festivals, Music", "tags: [Festivals, Music, Local business]")
    edit(site, FESTIVAL, "The festival runs from 10 to 19 October.", "Fixed: the festival runs all month.")
    for view in (page, fresh):
        expect(view.locator(".story-body")).to_contain_text("Fixed: the festival runs all month.")
        expect(view.locator("#dateline-overlay")).to_have_count(0)
        expect(view.locator("#headline")).to_have_text(FESTIVAL_TITLE)
    fresh.close()


def test_a_new_article_appears_on_the_open_front_page(site: Path, server: ServeProcess, page: Page) -> None:
    page.goto(server.url)
    titles = page.locator(".card-title a")
    expect(titles.first).to_have_text(NEWEST_TITLE)

    (site / "content/articles/2025/harbour-ferry.md").write_text(new_article(
        "Harbour Ferry Returns After Winter Refit", "2025-12-01T08:00:00Z",
        "The harbour ferry is back in service after a three-month refit."), encoding="utf-8")

    expect(titles.first).to_have_text("Harbour Ferry Returns After Winter Refit")
    expect(titles.nth(1)).to_have_text(NEWEST_TITLE)
    titles.first.click()
    expect(page.locator("#headline")).to_have_text("Harbour Ferry Returns After Winter Refit")
    assert page.url == server.url + "2025/12/harbour-ferry-returns-after-winter-refit/"


def test_a_deleted_article_becomes_a_404_and_leaves_the_lists(
        site: Path, server: ServeProcess, page: Page, context: BrowserContext) -> None:
    page.goto(server.url + FESTIVAL_URL)
    expect(page.locator("#headline")).to_have_text(FESTIVAL_TITLE)
    front = context.new_page()
    front.goto(server.url)
    tag = context.new_page()
    tag.goto(server.url + "tags/local-business/")
    link = f'a[href="/{FESTIVAL_URL}"]'
    expect(front.locator(link).first).to_be_attached()
    expect(tag.locator(link).first).to_be_attached()
    expect(tag.locator(".card-title")).to_have_count(2)

    after_festival = front.locator(".card-title a").nth(2).text_content()  # the story listed after it
    (site / FESTIVAL).unlink()

    expect(page.locator("h1")).to_have_text("Page not found")
    assert page.url == server.url + FESTIVAL_URL
    expect(front.locator(link)).to_have_count(0)
    expect(front.locator(".card-title a").nth(1)).to_have_text(after_festival or "?")  # the festival was second
    expect(tag.locator(link)).to_have_count(0)
    expect(tag.locator(".card-title")).to_have_count(1)
    status, body = fetch(server.url + FESTIVAL_URL)
    assert status == 404 and "Page not found" in body
    assert not (site / "output" / FESTIVAL_URL).exists()
    front.close()
    tag.close()


def test_editing_css_swaps_the_stylesheet_without_a_reload(site: Path, server: ServeProcess, page: Page) -> None:
    page.goto(server.url + FESTIVAL_URL)
    expect(page.locator("#headline")).to_have_text(FESTIVAL_TITLE)
    background = "getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(background) != "rgb(1, 2, 3)"
    mark(page)

    css = site / "static/css/site.css"
    css.parent.mkdir(parents=True)
    css.write_text(THEME_CSS.read_text(encoding="utf-8") + "\nbody { background: rgb(1, 2, 3) !important; }\n",
                   encoding="utf-8")

    page.wait_for_function(f"() => {background} === 'rgb(1, 2, 3)'")
    assert page.evaluate("window.__marker") == 42  # the same document: no reload
    # The old site.css is gone; the new one stands where it stood, before the article's own sheet, untouched.
    expect(page.locator('link[rel="stylesheet"]')).to_have_count(2)
    expect(page.locator('link[rel="stylesheet"]').first).to_have_attribute("href", re.compile(r"/css/site\.css\?dateline=\d+$"))
    expect(page.locator('link[rel="stylesheet"]').last).to_have_attribute("href", "/css/article.css")
    status, served_css = fetch(server.url + "css/site.css")
    assert status == 200 and "background:rgb(1,2,3)!important" in served_css  # published minified


def test_renaming_an_article_moves_its_page(site: Path, server: ServeProcess, page: Page,
                                            context: BrowserContext) -> None:
    page.goto(server.url + TARIFFS_URL)
    expect(page.locator("#headline")).to_have_text("What New Tariffs Mean for the Harbour’s Exporters")
    front = context.new_page()
    front.goto(server.url)
    old_link = front.locator(f'a[href="/{TARIFFS_URL}"]')
    expect(old_link.first).to_be_attached()

    old = site / TARIFFS
    new = old.with_name("tariffs-explained.md")
    text = old.read_text(encoding="utf-8")
    os.rename(old, new)
    new.write_text(text.replace(f'title: {TARIFFS_TITLE}', "title: Tariffs Explained for Harbour Exporters"),
                   encoding="utf-8")

    new_url = "2025/04/tariffs-explained-for-harbour-exporters/"
    expect(front.locator(f'a[href="/{new_url}"]').first).to_have_text("Tariffs Explained for Harbour Exporters")
    expect(old_link).to_have_count(0)
    expect(page.locator("h1")).to_have_text("Page not found")
    assert fetch(server.url + TARIFFS_URL)[0] == 404
    status, body = fetch(server.url + new_url)
    assert status == 200 and "Tariffs Explained for Harbour Exporters" in body
    front.close()


def test_an_open_page_reconnects_after_a_server_restart(
        site: Path, start_server: Callable[..., ServeProcess], page: Page) -> None:
    first = start_server()
    page.goto(first.url + FESTIVAL_URL)
    expect(page.locator("#headline")).to_have_text(FESTIVAL_TITLE)
    connected_to(page, first)
    mark(page)

    first.stop()
    second = start_server(first.port)
    assert second.url == first.url
    # The page notices the new server by itself (its EventSource reconnects) and reloads.
    wait_for_reload(page)
    expect(page.locator("#headline")).to_have_text(FESTIVAL_TITLE)

    mark(page)
    edit(site, FESTIVAL, "The festival runs from 10 to 19 October.", "After the restart: still running.")
    expect(page.locator(".story-body")).to_contain_text("After the restart: still running.")
    wait_for_reload(page)


def test_css_edited_again_before_the_new_stylesheet_loaded_leaves_one_stylesheet(
        site: Path, server: ServeProcess, page: Page) -> None:
    """Two quick saves of a stylesheet: the second swap must not stack a second copy of it."""
    page.goto(server.url + FESTIVAL_URL)
    expect(page.locator("#headline")).to_have_text(FESTIVAL_TITLE)
    mark(page)
    held: list[Route] = []  # swapped stylesheets are held back until both edits are in
    released = threading.Event()

    def hold(route: Route) -> None:
        if released.is_set():
            route.continue_()
        else:
            held.append(route)

    page.route(re.compile(r"/css/site\.css\?dateline=\d+$"), hold)

    def swapped(request: Request) -> bool:
        return "/css/site.css?dateline=" in request.url

    css = site / "static/css/site.css"
    css.parent.mkdir(parents=True)
    theme = THEME_CSS.read_text(encoding="utf-8")
    with page.expect_request(swapped):
        css.write_text(theme + "\nbody { background: rgb(1, 2, 3) !important; }\n", encoding="utf-8")
    with page.expect_request(swapped):
        css.write_text(theme + "\nbody { background: rgb(4, 5, 6) !important; }\n", encoding="utf-8")
    released.set()
    for route in held:
        try:
            route.continue_()
        except Exception:  # noqa: BLE001 - a request the page has since abandoned
            pass

    page.wait_for_function("() => getComputedStyle(document.body).backgroundColor === 'rgb(4, 5, 6)'")
    expect(page.locator('link[rel="stylesheet"]')).to_have_count(2)  # one site.css, and the article's sheet
    expect(page.locator('link[rel="stylesheet"][href*="/css/site.css"]')).to_have_count(1)
    assert page.evaluate("window.__marker") == 42


# --- the author's desk: drafts, scheduled stories, warnings with errors -------------------------

DRAFT_URL = "2024/08/street-trees-kept-neighbourhoods-up-to-3c-cooler-at-night-study-finds/"  # draft: true
SCREENSHOTS = os.environ.get("DATELINE_SCREENSHOTS")  # a folder to keep the screenshots in, if set


def keep_screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / name))


def test_a_draft_and_a_scheduled_story_carry_a_visible_banner(site: Path, server: ServeProcess, page: Page) -> None:
    page.set_viewport_size({"width": 1100, "height": 700})
    page.goto(server.url + DRAFT_URL)
    banner = page.locator("#dateline-preview")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Draft — not published")
    box = banner.bounding_box()
    assert box is not None and box["y"] == 0 and box["width"] == 1100 and box["height"] >= 30  # across the top
    keep_screenshot(page, "draft-banner.png")
    page.mouse.wheel(0, 2000)
    page.wait_for_function("() => window.scrollY > 500")  # not a bare expression: eval() breaks the CSP
    box = banner.bounding_box()
    assert box is not None and box["y"] == 0  # it stays in sight while the author reads on
    assert "dateline-preview" not in (site / "output" / DRAFT_URL / "index.html").read_text(encoding="utf-8")
    # A story dated in the future appears as soon as it is saved, marked as scheduled.
    page.goto("about:blank")  # an open page of the site would reload as the story is added
    (site / "content/articles/2027").mkdir()
    (site / "content/articles/2027/budget.md").write_text(
        new_article("Budget leaks under embargo", "2027-05-05 09:00", "Not before May."), encoding="utf-8")
    server.wait_for(r"→ scheduled for 5 May 2027 09:00, shown only here at /2027/05/budget-leaks-under-embargo/; ")
    page.goto(server.url + "2027/05/budget-leaks-under-embargo/")
    expect(page.locator("#dateline-preview")).to_contain_text("Scheduled for 5 May 2027 09:00")
    page.goto(server.url + FESTIVAL_URL)
    expect(page.locator("h1")).to_have_text(FESTIVAL_TITLE)
    expect(page.locator("#dateline-preview")).to_have_count(0)  # published stories have none


def test_the_overlay_shows_warnings_with_the_errors_and_goes_when_fixed(
        site: Path, server: ServeProcess, page: Page) -> None:
    page.goto(server.url + FESTIVAL_URL)
    original = (site / FESTIVAL).read_text(encoding="utf-8")
    broken = original.replace("\ndate:", "\nimgae: /media/x.png\ndate:", 1).replace("date: ", "date: Oct 35 #", 1)
    (site / FESTIVAL).write_text(broken, encoding="utf-8")
    overlay = page.locator("#dateline-overlay")
    expect(overlay).to_contain_text("is not a date")
    expect(overlay).to_contain_text("warning: unknown field 'imgae'; did you mean 'image'?")
    server.wait_for(r"→ failed; the last good site is still being served:$")
    (site / FESTIVAL).write_text(original, encoding="utf-8")
    expect(overlay).to_have_count(0)
    server.wait_for(r"^The site is good again: every error is fixed\.$")
    if SCREENSHOTS:  # the terminal as the author saw it, both streams in the order printed
        shown = _terminal_order(server)
        page.set_content(
            "<!doctype html><title>dateline serve</title><body style='margin:0;background:#1e1e1e'>"
            "<pre style='margin:0;padding:16px;color:#e6e6e6;font:14px/1.5 DejaVu Sans Mono,monospace;"
            "white-space:pre-wrap'>" + "\n".join(html.escape(line) for line in shown) + "</pre>")
        page.set_viewport_size({"width": 1300, "height": 420})
        keep_screenshot(page, "terminal-fixed-after-error.png")


def _terminal_order(server: ServeProcess) -> list[str]:
    """stdout with each failed rebuild's errors (stderr, indented) after its line, as a terminal shows them."""
    errors = [line.rstrip("\n") for line in server.stderr]
    shown = ["$ dateline serve"]
    for line in (line.rstrip("\n") for line in server.stdout):
        shown.append(line)
        if line.endswith("the last good site is still being served:"):
            shown += [error for error in errors if error.startswith("  ")]
    return shown
