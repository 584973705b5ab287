"""Site search: the Pagefind index built with the site, the search page and box, and when the index is made.

Each test builds a real fixture site with the real Pagefind binary (from the
``pagefind[bin]`` package) and reads what it wrote: the HTML with lxml, the
index's fragments (gzipped JSON, one per page) with gzip and json. Which
builds run Pagefind is seen through a wrapper script that logs each run and
then runs the real binary, named by ``PAGEFIND_BINARY_PATH``, Pagefind's own
setting for a binary installed elsewhere.
"""

from __future__ import annotations

import gzip
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from generator.build import BuildResult, BuildState, build
from generator.errors import BuildFailed
from generator.options import BuildOptions
from generator.render.headers import read_headers_file
from generator.search.tool import BINARY_VARIABLE, find_tool
from tests.helpers import MINIMAL_CONFIG, NOW, article, build_site, cli_env, make_site, parse, write

SEARCH_CONFIG = MINIMAL_CONFIG + '\n[search]\nenabled = true\n'
ARTICLES = {
    "politics/budget.md": article("Budget vote delayed", "2025-03-01", "The zanzibarite committee met at dawn.",
                                  section="Politics", tags="[Budget, Council]", author="Ann Lee"),
    "sport/final.md": article("Cup final report", "2025-04-01", "A quixotic match under floodlights.",
                              section="Sport", author="Bo Chen"),
    "sport/preview.md": article("Season preview", "2024-08-10", "Who will win the league this year?",
                                section="Sport", author="Bo Chen"),
}
BUDGET_URL = "/2025/03/budget-vote-delayed/"
FINAL_URL = "/2025/04/cup-final-report/"

pytestmark = pytest.mark.skipif(find_tool() is None and not os.environ.get("CI"),
                                reason="needs the Pagefind binary (pip install 'pagefind[bin]')")


def fragments(output: Path) -> dict[str, dict[str, object]]:
    """The index's page fragments by URL: each is gzipped ``pagefind_dcd`` + JSON."""
    found = {}
    for path in (output / "pagefind/fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        fragment = json.loads(data[len(b"pagefind_dcd"):])
        found[fragment["url"]] = fragment
    return found


def tree_of(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", ARTICLES, SEARCH_CONFIG)


@pytest.fixture
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A log with a line for every run of Pagefind from now on (a wrapper around the real binary)."""
    tool = find_tool()
    assert tool is not None
    log = tmp_path / "pagefind-runs.log"
    log.write_text("")
    wrapper = tmp_path / "bin" / "pagefind"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{tool.binary}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(BINARY_VARIABLE, str(wrapper))
    return log


def rebuild(site: Path, state: BuildState | None, changed: tuple[Path, ...] = ()) -> BuildResult:
    """The next build after one that left ``state``, told which files changed (as the dev server is)."""
    return build(BuildOptions(site_dir=site, output=site / "output", now=NOW), state=state, changed=changed)


def leftovers(site: Path) -> list[str]:
    """What a build left beside output/ besides the pages Pagefind reads (kept for the next index)."""
    return [p.name for p in site.iterdir() if p.name.startswith(".output.") and p.name != ".output.search-pages"]


def run_count(log: Path) -> int:
    return len(log.read_text().splitlines())


def test_the_index_holds_each_article_with_its_filters_and_meta(site: Path) -> None:
    result = build_site(site)
    assert result.warnings == ()
    output = site / "output"
    for name in ("pagefind.js", "pagefind-entry.json"):
        assert (output / "pagefind" / name).is_file(), name
    entry = json.loads((output / "pagefind/pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en"]  # from <html lang="en">
    assert entry["languages"]["en"]["page_count"] == 3  # the articles only: no list page, no search page
    found = fragments(output)
    assert set(found) == {BUDGET_URL, FINAL_URL, "/2024/08/season-preview/"}
    budget = found[BUDGET_URL]
    assert "zanzibarite committee met at dawn" in str(budget["content"])
    assert "Who will win" not in str(budget["content"])
    assert budget["meta"] == {"title": "Budget vote delayed", "date": "1 March 2025"}
    assert budget["filters"] == {"section": ["Politics"], "tag": ["Budget", "Council"], "author": ["Ann Lee"],
                                 "year": ["2025"]}
    assert found["/2024/08/season-preview/"]["filters"]["year"] == ["2024"]  # type: ignore[index]


def test_the_search_page_and_the_masthead_box_are_forms_that_work_as_links(site: Path) -> None:
    build_site(site)
    output = site / "output"
    search = parse(output / "search/index.html")
    (form,) = search.xpath("//main//form[@role='search']")
    assert form.get("action") == "/search/" and form.get("method") == "get"
    (query,) = form.xpath(".//input[@name='q']")
    assert form.xpath(f".//label[@for='{query.get('id')}']/text()") == ["Search articles"]
    assert sorted(form.xpath(".//select[@name='section']/option/@value")) == ["", "Politics", "Sport"]
    assert search.xpath("//*[@role='status']"), "the result count is announced in a live region"
    assert search.xpath("//script[@type='module']/@src")[0].startswith("/js/search.js")
    assert not search.xpath("//script[not(@src) and not(@type='application/ld+json')] | //style | //*[@style]")
    assert search.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert "/search/" not in (output / "sitemap.xml").read_text()
    for page in (output / "index.html", output / BUDGET_URL.strip("/") / "index.html"):
        (box,) = parse(page).xpath("//header//form[@role='search']")
        assert box.get("action") == "/search/"
        (box_query,) = box.xpath(".//input[@name='q']")
        assert box.xpath(f".//label[@for='{box_query.get('id')}']")
    assert not parse(output / "index.html").xpath("//*[@data-pagefind-body]")  # list pages carry no body


def test_without_the_setting_there_is_no_search_and_the_policy_stays_strict(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", ARTICLES)
    build_site(site)
    output = site / "output"
    assert not (output / "pagefind").exists() and not (output / "search").exists()
    assert "data-pagefind" not in (output / BUDGET_URL.strip("/") / "index.html").read_text()
    assert not parse(output / "index.html").xpath("//form[@role='search']")
    policy = read_headers_file((output / "_headers").read_bytes())["Content-Security-Policy"]
    assert "script-src 'self';" in policy


def test_with_search_scripts_may_compile_webassembly_and_nothing_more(site: Path) -> None:
    build_site(site)
    policy = read_headers_file((site / "output/_headers").read_bytes())["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert "'unsafe-eval'" not in policy and "'unsafe-inline'" not in policy


def test_a_build_with_nothing_changed_does_not_run_pagefind(site: Path, runs: Path) -> None:
    first = build_site(site)
    assert run_count(runs) == 1
    before = tree_of(site / "output")
    again = rebuild(site, first.state)
    assert run_count(runs) == 1
    assert again.written == 0 and tree_of(site / "output") == before
    build_site(site)  # a cold build (no state) knows the index from the key it left
    assert run_count(runs) == 1


def test_a_second_command_line_build_takes_the_up_to_date_path_without_pagefind(site: Path, runs: Path) -> None:
    import subprocess

    def dateline_build() -> str:
        done = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=site, env=cli_env(),
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr

    dateline_build()
    assert run_count(runs) == 1
    dateline_build()
    assert run_count(runs) == 1
    source = site / "content/sport/final.md"
    source.write_text(source.read_text().replace("quixotic", "thunderous"))
    dateline_build()
    assert run_count(runs) == 2
    assert "thunderous" in str(fragments(site / "output")[FINAL_URL]["content"])


def test_a_change_that_no_article_page_shows_does_not_run_pagefind(site: Path, runs: Path) -> None:
    first = build_site(site)
    write(site, "templates/term.html", '{% extends "newsroom/term.html" %}{% block title %}Topic: {{ page.title }}{% endblock %}')
    again = rebuild(site, first.state)
    assert again.rendered > 0 and run_count(runs) == 1


def test_a_body_edit_is_indexed_and_the_old_word_is_gone(site: Path, runs: Path) -> None:
    first = build_site(site)
    source = site / "content/politics/budget.md"
    source.write_text(source.read_text().replace("zanzibarite", "obstreperous"))
    again = rebuild(site, first.state, (source,))
    assert again.partial  # the short path for body edits
    assert run_count(runs) == 2
    content = str(fragments(site / "output")[BUDGET_URL]["content"])
    assert "obstreperous" in content and "zanzibarite" not in content
    old_fragments = {path.name for path in (site / "output/pagefind/fragment").iterdir()}
    assert len(old_fragments) == 3, "the edited page's old fragment was removed"


def test_a_whole_build_over_an_old_output_stages_the_new_index_with_the_pages(site: Path, runs: Path) -> None:
    build_site(site)
    source = site / "content/sport/final.md"
    source.write_text(source.read_text().replace("quixotic", "thunderous"))
    result = build_site(site)  # no state: the whole site through the staging folder
    assert run_count(runs) == 2 and not result.partial
    found = fragments(site / "output")
    assert "thunderous" in str(found[FINAL_URL]["content"]) and len(found) == 3
    assert "thunderous" in (site / "output" / FINAL_URL.strip("/") / "index.html").read_text()
    assert leftovers(site) == []


def test_an_incremental_index_is_the_one_a_clean_build_makes(site: Path, tmp_path: Path) -> None:
    """Pages byte for byte; the index by what it holds, since Pagefind 1.5.2's own output varies from run
    to run (it numbers pages as its threads finish, and writes a hash map in its own order)."""
    first = build_site(site)
    source = site / "content/sport/final.md"
    source.write_text(source.read_text().replace("quixotic", "thunderous"))
    rebuild(site, first.state, (source,))
    build_site(site, tmp_path / "clean")
    incremental, clean = tree_of(site / "output"), tree_of(tmp_path / "clean")
    assert {k: v for k, v in incremental.items() if not k.startswith("pagefind/")} == {
        k: v for k, v in clean.items() if not k.startswith("pagefind/")}
    assert fragments(site / "output") == fragments(tmp_path / "clean")
    assert incremental["pagefind/dateline-index.key"] == clean["pagefind/dateline-index.key"]
    def named(tree: dict[str, bytes]) -> list[str]:  # files named by a hash of their bytes count only
        return sorted(k.split("/")[1] if "en_" not in k else f"{k.split('/')[1][:8]}…" for k in tree if k.startswith("pagefind/"))
    assert named(incremental) == named(clean)
    assert len([k for k in incremental if k.startswith("pagefind/filter/")]) == 4  # section, tag, year, author


def test_a_template_edit_in_the_dev_server_indexes_every_page_again(site: Path, tmp_path: Path, runs: Path) -> None:
    """The dev server renders the whole site in place through a flat staging folder: the pages it
    indexes are found there, the index goes in with them, and nothing is left beside output/."""
    first = build_site(site)
    template = write(site, "templates/article.html", '{% extends "newsroom/article.html" %}'
                     '{% block content %}{{ super()|replace("</article>", "<p>Marmalade footnote.</p></article>") }}'
                     '{% endblock %}')
    result = build(BuildOptions(site_dir=site, output=site / "output", now=NOW), state=first.state,
                   changed=(template,), in_place=True)
    assert not result.partial and run_count(runs) == 2
    assert all("Marmalade" in str(found["content"]) for found in fragments(site / "output").values())
    assert leftovers(site) == []
    build_site(site, tmp_path / "clean")
    assert fragments(site / "output") == fragments(tmp_path / "clean")
    assert {k: v for k, v in tree_of(site / "output").items() if not k.startswith("pagefind/")} == {
        k: v for k, v in tree_of(tmp_path / "clean").items() if not k.startswith("pagefind/")}


def test_no_binary_warns_once_and_builds_the_site_without_search(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BINARY_VARIABLE, str(site / "no-such-pagefind"))
    result = build_site(site)
    assert [w.as_warning() for w in result.warnings] == [
        "config.toml: warning: search is on, but the Pagefind binary is not installed for this platform "
        "(pip install 'pagefind[bin]', or set PAGEFIND_BINARY_PATH); the site is built without search"]
    output = site / "output"
    assert not (output / "pagefind").exists()
    assert (output / "search/index.html").is_file() and (output / BUDGET_URL.strip("/") / "index.html").is_file()


def test_the_command_line_says_it_once(site: Path) -> None:
    import subprocess

    env = {**cli_env(), BINARY_VARIABLE: str(site / "no-such-pagefind")}
    done = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=site, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("Pagefind binary is not installed") == 1, done.stderr
    assert not (site / "output/pagefind").exists()


def test_a_failing_indexer_fails_the_build_and_leaves_the_output_as_it_was(site: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    build_site(site)
    before = tree_of(site / "output")
    source = site / "content/politics/budget.md"
    source.write_text(source.read_text().replace("zanzibarite", "obstreperous"))
    failing = site.parent / "failing-pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: the disk ate the index' >&2\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setenv(BINARY_VARIABLE, str(failing))
    with pytest.raises(BuildFailed) as failed:
        build_site(site)
    assert [str(e) for e in failed.value.errors] == [
        "config.toml: cannot build the search index: failing-pagefind failed: Error: the disk ate the index"]
    assert tree_of(site / "output") == before
    assert leftovers(site) == []


def test_pages_from_a_failed_build_do_not_linger_in_the_next_index(site: Path, runs: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder of pages Pagefind reads outlives a build; a page it holds from a failed build is not trusted."""
    old = write(site, "content/sport/old.md", article("Old match", "2020-05-01", "A forgotten quixotic game.",
                                                     section="Sport"))  # on no page that shows the budget story
    first = build_site(site)
    budget = site / "content/politics/budget.md"
    original = budget.read_text()
    budget.write_text(original.replace("zanzibarite", "obstreperous"))
    failing = site.parent / "failing-pagefind"
    failing.write_text("#!/bin/sh\nexit 1\n")
    failing.chmod(0o755)
    with monkeypatch.context() as patched:
        patched.setenv(BINARY_VARIABLE, str(failing))
        with pytest.raises(BuildFailed):
            rebuild(site, first.state)
    budget.write_text(original)  # back to what output/ holds: the page is current, not rendered
    old.write_text(old.read_text().replace("quixotic", "thunderous"))  # and the index must be made again
    again = rebuild(site, first.state)
    assert BUDGET_URL.strip("/") + "/index.html" not in again.changed_files  # kept: its link in the folder is old
    found = fragments(site / "output")
    assert "zanzibarite" in str(found[BUDGET_URL]["content"]) and "obstreperous" not in str(found[BUDGET_URL]["content"])
    assert "thunderous" in str(found["/2020/05/old-match/"]["content"])


def test_the_index_is_in_the_site_language(tmp_path: Path) -> None:
    """Pagefind reads <html lang>: a French site gets a French index (its stemming) and French page strings."""
    french = MINIMAL_CONFIG.replace('title = "Test Times"', 'title = "Le Temps"\nlanguage = "fr"')
    site = make_site(tmp_path / "site", ARTICLES, french + "\n[search]\nenabled = true\n")
    build_site(site)
    entry = json.loads((site / "output/pagefind/pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["fr"] and entry["languages"]["fr"]["page_count"] == 3
    assert (site / "output/pagefind/wasm.fr.pagefind").is_file()
    search = parse(site / "output/search/index.html")
    assert search.xpath("//main//label[@for='search-q']/text()") == ["Rechercher des articles"]
    assert search.xpath("//*[@data-search]/@data-count") == ["Articles correspondant à « {query} » : {count}."]


def test_switching_search_off_removes_the_index_and_the_pages_it_read(site: Path) -> None:
    build_site(site)
    assert (site / ".output.search-pages").is_dir()
    (site / "config.toml").write_text(SEARCH_CONFIG.replace("enabled = true", "enabled = false"))
    build_site(site)
    assert not (site / "output/pagefind").exists() and not (site / "output/search").exists()
    assert not (site / ".output.search-pages").exists()
