"""Highlighted code in Chromium: the theme's colours in both schemes, and copying leaves out line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_fixtures import CHROMIUM, IN_CI
from tests.helpers import ServeProcess

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.is_file() and not IN_CI, reason=f"needs Chromium at {CHROMIUM}")]

DATA_DESK_URL = "2025/06/how-we-measured-which-buses-run-late-the-data-behind-our-investigation/"
SOURCE = "content/articles/2025/how-we-measured-late-buses.md"


def _python_code(root: Path) -> str:
    """The article's Python block as written in its Markdown file."""
    text = (root / SOURCE).read_text()
    return text.split("```python ", 1)[1].split("\n", 1)[1].split("\n```\n", 1)[0] + "\n"


@pytest.mark.parametrize(("scheme", "background"), [("light", "rgb(242, 239, 232)"), ("dark", "rgb(35, 37, 42)")])
def test_code_is_coloured_in_both_schemes_and_copies_without_line_numbers(
        site: Path, server: ServeProcess, browser, scheme: str, background: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(server.url + DATA_DESK_URL)
        block = page.locator("pre.highlight.linenos")
        assert block.evaluate("e => getComputedStyle(e).backgroundColor") == background
        keyword = block.locator("span.kn").first  # 'import'
        name = block.locator("span.n").first
        assert keyword.evaluate("e => getComputedStyle(e).color") != name.evaluate("e => getComputedStyle(e).color")
        number = block.locator("span.ln").first
        assert number.evaluate("e => getComputedStyle(e, '::before').content") == '"1"'
        assert number.evaluate("e => getComputedStyle(e, '::before').userSelect") == "none"
        marked = block.locator("span.hll").first
        assert marked.evaluate("e => getComputedStyle(e).display") == "block"
        copied = block.evaluate("""e => {
            const range = document.createRange();
            range.selectNodeContents(e.querySelector('code'));
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            return selection.toString();
        }""")
        assert copied.rstrip("\n") == _python_code(site).rstrip("\n")  # Chromium drops the final newline
    finally:
        context.close()
