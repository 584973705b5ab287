"""The browser tests' shared fixtures: a copy of the sample site under ``dateline serve``, and Chromium.

tests/conftest.py offers these fixtures to every test file, so a test asks for
``site``, ``server``, ``browser``, ``context`` or ``page`` by name instead of
importing the fixture from another test module, where the parameter of the
same name would shadow the import. A module that defines a fixture of the
same name (many build their own ``site``) uses its own.

The suite is collected without Playwright too: it is imported here only if
installed, and the ``browser`` fixture skips without it (fails in CI, which
installs everything).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.golden import REPO
from tests.helpers import ServeProcess

try:
    from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
except ImportError:  # reported by the ``browser`` fixture
    sync_playwright = None  # type: ignore[assignment]

IN_CI = bool(os.environ.get("CI"))  # CI installs everything: there a missing tool is a failure
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT = 15.0  # seconds, for anything the server, the watcher or the browser has to do


# --- the dev server as a subprocess -------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A private copy of the sample site."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy2(REPO / "config.toml", root / "config.toml")
    return root


@pytest.fixture
def start_server(site: Path) -> Iterator[Callable[..., ServeProcess]]:
    """Starts ``dateline serve`` on ``site``; every server still running at the end is stopped cleanly."""
    servers: list[ServeProcess] = []

    def start(port: int = 0) -> ServeProcess:
        server = ServeProcess(site, port, timeout=TIMEOUT)
        servers.append(server)
        return server

    yield start
    try:
        for server in servers:
            if not server.stopped:
                server.stop()
    finally:
        for server in servers:
            server.kill()


@pytest.fixture
def server(start_server: Callable[..., ServeProcess]) -> ServeProcess:
    return start_server()


# --- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright; a missing one skips the test (fails it in CI)."""
    for needed, message in ((sync_playwright is not None, "needs Playwright for Python (pip install -e '.[test]')"),
                            (CHROMIUM.is_file(), f"needs Chromium at {CHROMIUM} (apt-get install chromium)")):
        if not needed:
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile; uncaught errors in any of its pages (e.g. in livereload.js) fail the test."""
    ctx = browser.new_context()
    ctx.set_default_timeout(TIMEOUT * 1000)
    errors: list[str] = []
    ctx.on("weberror", lambda error: errors.append(str(error.error)))
    yield ctx
    ctx.close()
    assert not errors, errors


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
