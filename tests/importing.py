"""Shared checks for the importer tests: import a fixture, build it, look at every page."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import html as lxml_html

from generator.importers.run import import_site
from tests.helpers import build_site

DATA = Path(__file__).resolve().parent / "data" / "import"

# Template syntax of any source generator, as a reader would see it.
RAW_SYNTAX = re.compile(r"\{%|%\}|\{\{|\}\}|\[/?caption\b|<!--\s*/?wp:|\[/?(?:embed|gallery|audio|video)\b|"
                        r"\{(?:filename|static|attach)\}|\]\(@/")


def imported_and_built(kind: str, source: Path, tmp_path: Path) -> tuple[Path, str]:
    site = tmp_path / "new-site"
    summary = import_site(kind, source, site)
    result = build_site(site)
    assert result.articles > 0
    return site, summary


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in (site / "output").rglob("*.html"))


def raw_syntax_outside_code(page: Path) -> list[str]:
    """Template syntax in a page, outside ``<code>`` and ``<pre>`` (where a post about templates shows it)."""
    doc = lxml_html.fromstring(page.read_bytes())
    for element in doc.xpath("//code | //pre | //script"):
        element.drop_tree()
    text = lxml_html.tostring(doc, encoding="unicode")
    return RAW_SYNTAX.findall(text)


def report_counts(site: Path) -> dict[str, int]:
    line = (site / "import-report.txt").read_text().splitlines()[2]
    found = re.search(r"Found (\d+) posts and pages; imported (\d+) .*skipped (\d+)", line)
    assert found, line
    return {"found": int(found[1]), "imported": int(found[2]), "skipped": int(found[3])}


def assert_no_raw_syntax(site: Path) -> None:
    """No built page shows template syntax outside code."""
    pages = html_pages(site)
    assert pages
    leaks = {page.relative_to(site).as_posix(): found for page in pages if (found := raw_syntax_outside_code(page))}
    assert leaks == {}


def assert_old_urls_answer(site: Path, old_urls: dict[str, str]) -> None:
    """Each old URL answers over HTTP, through ``dateline serve``, with a page holding the words given."""
    from tests.served import served

    with served(site) as server:
        for old, words in old_urls.items():
            answer = server.answer(old)
            assert answer.status == 200, old
            assert words.lower() in answer.body.lower(), old
