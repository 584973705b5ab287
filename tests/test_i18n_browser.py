"""Russian and Arabic pages in Chromium and the validators: direction, mirrored layout, vnu, axe.

The Latin fixture site of ``test_i18n`` is built in Russian (left to right)
and Arabic (right to left) and served over real HTTP. Chromium measures
where the headline, the byline and the section links land; the Nu HTML
Checker and axe-core check both languages' pages.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import build_site
from tests.test_i18n import latin_site
from tests.test_validators import BLOCKING_IMPACTS, _describe, axe_script, serving, vnu_jar

__all__ = ["axe_script", "vnu_jar"]  # fixtures, shared with the validators' tests

ARTICLE = "2025/03/lorem-ipsum/"
LANGUAGES = ("ru", "ar")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    built = {}
    for language in LANGUAGES:
        site = latin_site(tmp_path_factory.mktemp(f"browser-{language}"), language)
        build_site(site)
        built[language] = site / "output"
    return built


@pytest.fixture(scope="module")
def servers(outputs: dict[str, Path]) -> Iterator[dict[str, str]]:
    with serving(outputs["ru"]) as ru, serving(outputs["ar"]) as ar:
        yield {"ru": ru, "ar": ar}


MEASURE = """() => {
  const box = (element) => { const r = element.getBoundingClientRect(); return {left: r.left, right: r.right}; };
  const text = (element) => { const range = document.createRange(); range.selectNodeContents(element);
                               const r = range.getBoundingClientRect(); return {left: r.left, right: r.right}; };
  const headline = document.querySelector('#headline');
  const header = document.querySelector('.story-header');
  const sections = [...document.querySelectorAll('nav.sections li')].map(box);
  return {
    dir: document.documentElement.dir,
    direction: getComputedStyle(headline).direction,
    header: box(header),
    headline: text(headline),
    byline: text(document.querySelector('.story-meta .byline')),
    dateline: box(document.querySelector('.story-meta .dateline')),
    reading: box(document.querySelector('.story-meta .reading-time')),
    home: sections[0], second: sections[1],
  };
}"""


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_arabic_pages_are_right_to_left_and_mirrored(servers: dict[str, str], browser: Any, language: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        response = page.goto(servers[language] + ARTICLE, wait_until="load")
        assert response is not None and response.ok
        found = page.evaluate(MEASURE)
    finally:
        context.close()
    header, headline = found["header"], found["headline"]
    if language == "ar":
        assert found["dir"] == "rtl" and found["direction"] == "rtl"
        # The headline's words start at the header's right edge and stop short of its left one.
        assert abs(headline["right"] - header["right"]) <= 2, found
        assert headline["left"] > header["left"] + 20, found
        # The byline starts at the right; the dateline comes first on its row, so right of the reading time.
        assert abs(found["byline"]["right"] - header["right"]) <= 2, found
        assert found["dateline"]["left"] >= found["reading"]["right"], found
        # "Home" is the first section link: the rightmost.
        assert found["home"]["left"] > found["second"]["right"], found
    else:
        assert found["dir"] == "" and found["direction"] == "ltr"
        assert abs(headline["left"] - header["left"]) <= 2, found
        assert headline["right"] < header["right"] - 20, found
        assert abs(found["byline"]["left"] - header["left"]) <= 2, found
        assert found["dateline"]["right"] <= found["reading"]["left"], found
        assert found["home"]["right"] < found["second"]["left"], found


@pytest.mark.validators
def test_russian_and_arabic_pages_pass_the_nu_html_checker(outputs: dict[str, Path], vnu_jar: Path) -> None:
    java = shutil.which("java") or "java"
    pages = sorted(p for output in outputs.values() for p in output.rglob("*.html"))
    assert len(pages) > 40
    result = subprocess.run([java, "-jar", str(vnu_jar), "--errors-only", "--format", "json", *map(str, pages)],
                            capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}" for m in messages]
    assert not errors, "\n".join(errors)


@pytest.mark.validators
@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["", ARTICLE, "archive/"])
def test_axe_finds_no_serious_violations_in_either_direction(
    servers: dict[str, str], browser: Any, axe_script: Path, language: str, path: str
) -> None:
    problems: list[str] = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            response = page.goto(servers[language] + path, wait_until="load")
            assert response is not None and response.ok
            page.add_script_tag(path=str(axe_script))
            violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        finally:
            context.close()
        problems += [line for v in violations if v["impact"] in BLOCKING_IMPACTS
                     for line in _describe(v, f"{language} {path or '/'} [{scheme}]")]
    assert not problems, "\n".join(problems)
