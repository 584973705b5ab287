"""The sample site under its own Content Security Policy, in Chromium, served by ``dateline serve``.

The build writes ``_headers`` with a strict CSP (no inline script or style);
the dev server sends the same headers. Every page is loaded with a listener
for ``securitypolicyviolation`` events: none may fire, and the dev server's
own additions (live reload, the error overlay) must work under the policy.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.headers import read_headers_file
from tests.browser_fixtures import CHROMIUM, IN_CI
from tests.helpers import ServeProcess
from tests.test_browser import FESTIVAL, FESTIVAL_URL, NO_PROXY, connected_to, edit, expect, mark, wait_for_reload

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.is_file() and not IN_CI, reason=f"needs Chromium at {CHROMIUM}")]

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} \
at ${event.sourceFile}:${event.lineNumber}`);
});
"""


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The violations so far; the events are queued as tasks, so one task is let run first."""
    return page.evaluate("() => new Promise((done) => setTimeout(() => done(window.__violations), 0))")  # type: ignore[no-any-return]


def test_the_dev_server_sends_the_headers_the_build_wrote(site: Path, server: ServeProcess) -> None:
    written = read_headers_file((site / "output/_headers").read_bytes())
    assert "'unsafe-inline'" not in written["Content-Security-Policy"]
    assert set(written) == {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"}
    for path in ("", FESTIVAL_URL, "no-such-page/", "css/site.css", "__dateline__/livereload.js"):
        try:
            with NO_PROXY.open(server.url + path, timeout=15) as response:
                headers = response.headers
        except Exception as error:  # noqa: BLE001 - a 404 carries headers too
            headers = error.headers  # type: ignore[attr-defined]
        for name, value in written.items():
            assert headers[name] == value, (path, name)


def test_every_page_of_the_sample_site_loads_without_a_violation(site: Path, server: ServeProcess, page) -> None:  # type: ignore[no-untyped-def]
    page.add_init_script(LISTEN)
    output = site / "output"
    pages = sorted(path.relative_to(output).as_posix() for path in output.rglob("*.html"))
    assert len(pages) > 70
    found = {}
    for name in pages:
        url = server.url + (name.removesuffix("index.html") if name.endswith("index.html") else name)
        page.goto(url)
        page.wait_for_load_state("load")
        if problems := violations(page):
            found[name] = problems
    assert found == {}
    connected_to(page, server)  # the live-reload script ran and reached the server under the policy
    # The listener hears a violation when there is one: an inline script is refused.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; "
                  "document.body.append(s); }")
    page.wait_for_function("() => window.__violations.length > 0")
    assert violations(page)[0].startswith("script-src-elem blocked inline")
    assert page.evaluate("window.ran") is None


def test_live_reload_and_the_error_overlay_work_under_the_policy(site: Path, server: ServeProcess, context) -> None:  # type: ignore[no-untyped-def]
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.goto(server.url + FESTIVAL_URL)
    connected_to(page, server)
    mark(page)
    edit(site, FESTIVAL, "The festival runs from 10 to 19 October.", "The festival now runs all month.")
    wait_for_reload(page)
    expect(page.locator(".story-body")).to_contain_text("The festival now runs all month.")

    edit(site, FESTIVAL, "tags: [Festivals, Music, Local business]", "tags: [Festivals, Music")
    overlay = page.locator("#dateline-overlay")
    expect(overlay).to_be_visible()
    expect(overlay).to_have_css("position", "fixed")  # overlay.css applies (it loads when the overlay first shows)
    overlay.get_by_role("button", name="Dismiss").click()
    expect(overlay).to_have_count(0)

    fresh = context.new_page()  # the overlay as the server renders it into a page
    fresh.goto(server.url + FESTIVAL_URL)
    served = fresh.locator("#dateline-overlay")
    expect(served).to_be_visible()
    expect(served).to_have_css("position", "fixed")
    connected_to(fresh, server)
    served.get_by_role("button", name="Dismiss").click()
    expect(served).to_have_count(0)

    edit(site, FESTIVAL, "tags: [Festivals, Music", "tags: [Festivals, Music, Local business]")
    for view in (page, fresh):
        expect(view.locator("#dateline-overlay")).to_have_count(0)
        expect(view.locator(".story-body")).to_contain_text("The festival now runs all month.")
        assert violations(view) == []
