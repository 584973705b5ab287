"""How much of each stylesheet a page uses: the sample site's page types in Chromium, on a phone's screen.

    .venv/bin/python bench/unused_css.py

Lighthouse's ``unused-css-rules`` names a figure only above its own threshold
and rounds it; this counts every byte. It builds the sample site (with the
golden tests' clock) into a temporary folder, serves it on 127.0.0.1, loads
each page in Debian's Chromium at 412×823 (Lighthouse's phone) and asks the
DevTools protocol which style rules were used (``CSS.startRuleUsageTracking``):
a rule in a media query that does not match on the phone counts as unused, as
it does for Lighthouse. Prints, per page, each stylesheet's size and the bytes
of its rules that no element used. A benchmark, not a test.
"""

from __future__ import annotations

import functools
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.golden import build_sample

CHROMIUM = Path("/usr/bin/chromium")
PAGES = (("front", ""), ("article", "2021/03/kestrel-bay-port-orders-electric-cranes-in-bid-to-cut-emissions/"),
         ("tag", "tags/belarus/"), ("archive", "archive/"), ("section", "politics/"), ("author", "authors/maya-okafor/"),
         ("live blog", "2025/10/storm-isolde-ferries-cancelled-and-harbour-wall-closed-as-gales-reach-kestrel-bay/"),
         ("standalone", "about/"), ("404", "404.html"))


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


def measure(base: str) -> list[tuple[str, str, int, int]]:
    """(page, stylesheet, bytes, unused bytes) for each stylesheet of each page."""
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        for name, path in PAGES:
            page = browser.new_page(viewport={"width": 412, "height": 823})
            session = page.context.new_cdp_session(page)
            sheets: dict[str, tuple[str, int]] = {}
            session.on("CSS.styleSheetAdded", lambda event, sheets=sheets: sheets.__setitem__(
                event["header"]["styleSheetId"], (event["header"]["sourceURL"], int(event["header"]["length"]))))
            session.send("DOM.enable")
            session.send("CSS.enable")
            session.send("CSS.startRuleUsageTracking")
            page.goto(base + path, wait_until="load")
            usage = session.send("CSS.stopRuleUsageTracking")["ruleUsage"]
            for sheet_id, (url, length) in sorted(sheets.items(), key=lambda item: item[1][0]):
                used = sum(rule["endOffset"] - rule["startOffset"] for rule in usage
                           if rule["styleSheetId"] == sheet_id and rule["used"])
                rows.append((f"{name} /{path}", url.removeprefix(base.rstrip("/")), length, length - used))
            page.close()
        browser.close()
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        build_sample(site)
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            rows = measure(f"http://127.0.0.1:{httpd.server_address[1]}/")
        finally:
            httpd.shutdown()
    width = max(len(row[0]) for row in rows)
    print(f"{'page':<{width}}  {'stylesheet':<20} {'bytes':>7} {'unused':>7}")
    totals: dict[str, list[int]] = {}
    for page, sheet, length, unused in rows:
        print(f"{page:<{width}}  {sheet:<20} {length:>7} {unused:>7}")
        totals.setdefault(page, [0, 0])
        totals[page][0] += length
        totals[page][1] += unused
    print()
    print(f"{'page':<{width}}  {'all its CSS':>12} {'unused':>7}")
    for page, (length, unused) in totals.items():
        print(f"{page:<{width}}  {length:>12} {unused:>7}  ({unused / 1024:.1f} KiB)")


if __name__ == "__main__":
    main()
