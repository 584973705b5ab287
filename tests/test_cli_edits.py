"""CLI builds after body edits: the cached plan is updated, not remade, and the result equals a clean build.

The up-to-date record names the inputs that changed since the cached build
(see ``uptodate.changed_inputs``); when they are all body edits, the build
updates the cached plan (see ``delta``) and the cache appends a small delta
instead of being written whole (see ``cache.StateDelta``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from generator.incremental.cache import BuildCache, cache_path
from tests.golden import REPO
from tests.helpers import age, run_dateline, snapshot, write

BODY_EDITS = "(body edits: the last build's plan was updated)"
TEMPLATE_EDITS = "(template edits: the last build's plan stood)"
CINEMAS = "content/articles/2021/independent-cinemas-reopen.md"
BIRDS = "content/articles/2020/lockdown-city-birds.md"
HOUSING = "content/articles/2019/council-approves-riverside-housing-plan.md"


def dateline(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_dateline("build", "-s", str(site), "-v", *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def aged_sample(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "config.toml", site / "config.toml")
    age(site)
    return site


def append(site: Path, relative: str, text: str) -> None:
    path = site / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def assert_equals_clean_build(site: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    dateline(site, "--no-cache", "-o", str(clean))
    assert snapshot(site / "output") == snapshot(clean)


def cached_deltas(site: Path) -> int:
    cache = BuildCache(site)
    state, warning = cache.load()
    assert state is not None and warning is None
    return cache.deltas


@pytest.mark.slow  # 12 `dateline build` subprocesses on the sample site: about 4 s
def test_body_edits_update_the_cached_plan_and_match_a_clean_build(tmp_path: Path) -> None:
    site = aged_sample(tmp_path)
    dateline(site)
    whole = cache_path(site).stat().st_size
    for number, (relative, text) in enumerate([(CINEMAS, "\nA late addition.\n"), (BIRDS, "\nMore birds.\n"),
                                               (CINEMAS, "\nA second addition.\n")], start=1):
        append(site, relative, text)
        result = dateline(site)
        assert BODY_EDITS in result.stdout
        rendered = int(result.stdout.split("unchanged; ")[1].split(" rendered")[0])
        assert 0 < rendered < 20
        assert cached_deltas(site) == number
        assert_equals_clean_build(site, tmp_path)
    # Appended, not rewritten: each delta is a small fraction of the whole state.
    assert whole < cache_path(site).stat().st_size < whole + 3 * whole / 10
    assert "0 written, 0 removed" in dateline(site).stdout  # nothing changed since

    # A title edit moves the article in lists: the full build, and the whole state again.
    path = site / CINEMAS
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    result = dateline(site)
    assert BODY_EDITS not in result.stdout
    assert cached_deltas(site) == 0
    assert_equals_clean_build(site, tmp_path)

    append(site, HOUSING, "\nAn update from the council.\n")
    assert BODY_EDITS in dateline(site).stdout
    assert_equals_clean_build(site, tmp_path)


@pytest.mark.slow  # five builds and a clean build of the sample site: about 0.8 s
def test_the_whole_state_is_written_again_after_many_deltas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import cli
    from generator.incremental import cache

    monkeypatch.setattr(cache, "MAX_DELTAS", 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    site = aged_sample(tmp_path)
    assert cli.main(["build", "-s", str(site), "-q"]) == 0
    counts = []
    for number in range(4):
        append(site, BIRDS, f"\nSighting {number}.\n")
        assert cli.main(["build", "-s", str(site), "-q"]) == 0
        counts.append(cached_deltas(site))
    assert counts == [1, 2, 0, 1]
    assert_equals_clean_build(site, tmp_path)


def test_a_build_leaves_its_session_and_what_it_read_to_the_exiting_caller(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """``run`` leaves with ``os._exit``: the state must not be freed object by object before, when locals go.

    At 100,000 articles freeing the state took 0.5 s after an edit build,
    and freeing the cache's unpickler (whose memo names every object) 0.45 s.
    """
    from generator import cli
    from generator.session import Session

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    site = aged_sample(tmp_path)
    assert cli.main(["build", "-s", str(site), "-q"]) == 0
    append(site, BIRDS, "\nA late sighting.\n")
    kept: list[object] = []
    assert cli.main(["build", "-s", str(site), "-q"], kept=kept) == 0
    [session] = kept
    assert isinstance(session, Session) and session.state is not None and session.state.loaded is not None
    assert session.cache is not None and session.cache.deltas == 1  # the cache it loaded, and appended to
    assert session.cache._reader is not None  # and the unpickler, with its memo of the state's objects
    assert cli.main(["build", "-s", str(site), "-q"]) == 0  # without ``kept``, freed as usual


@pytest.mark.slow  # 5 `dateline build` subprocesses on the sample site: about 1.7 s
def test_outputs_changed_by_hand_mean_the_full_build_which_repairs_them(tmp_path: Path) -> None:
    """The cached plan is updated only while the output folder is exactly as the cache recorded it."""
    site = aged_sample(tmp_path)
    dateline(site)
    (site / "output/index.html").write_text("vandalised", encoding="utf-8")  # lists the cinemas story
    (site / "output/about/index.html").write_text("vandalised", encoding="utf-8")  # shows nothing edited
    append(site, CINEMAS, "\nA late addition.\n")
    result = dateline(site)
    assert BODY_EDITS not in result.stdout
    assert_equals_clean_build(site, tmp_path)
    append(site, CINEMAS, "\nAnd another.\n")
    assert BODY_EDITS in dateline(site).stdout
    assert_equals_clean_build(site, tmp_path)


@pytest.mark.slow  # 3 `dateline build` subprocesses on the sample site: about 1.2 s
def test_without_its_up_to_date_record_the_cache_trusts_no_output(tmp_path: Path) -> None:
    """The outputs' stats are the record's alone: with the record gone, every output is checked by rendering it."""
    site = aged_sample(tmp_path)
    dateline(site)
    (site / ".dateline/up-to-date.marshal").unlink()
    (site / "output/about/index.html").write_text("vandalised", encoding="utf-8")  # shows nothing edited
    append(site, CINEMAS, "\nA late addition.\n")
    assert BODY_EDITS not in dateline(site).stdout
    assert_equals_clean_build(site, tmp_path)


@pytest.mark.slow  # 4 `dateline build` subprocesses on the sample site: about 1.5 s
def test_a_torn_delta_discards_the_cache_and_the_build_still_succeeds(tmp_path: Path) -> None:
    site = aged_sample(tmp_path)
    dateline(site)
    append(site, CINEMAS, "\nA late addition.\n")
    assert BODY_EDITS in dateline(site).stdout
    data = cache_path(site).read_bytes()
    cache_path(site).write_bytes(data[:-7])  # as if killed while appending
    append(site, BIRDS, "\nMore birds.\n")
    result = dateline(site)
    assert "discarded the build cache because it is damaged" in result.stderr
    assert_equals_clean_build(site, tmp_path)
    assert cached_deltas(site) == 0


def write_template(site: Path, relative: str, text: str) -> None:
    """Save a template as if a minute ago, so the builds after the next one can trust its stat."""
    path = write(site, relative, text)
    past = time.time() - 60
    os.utime(path, (past, past))


@pytest.mark.slow  # 11 `dateline build` subprocesses on the sample site: about 4 s
def test_template_edits_keep_the_cached_plan_and_match_a_clean_build(tmp_path: Path) -> None:
    site = aged_sample(tmp_path)
    dateline(site)
    write_template(site, "templates/archive.html",
                   '{% extends "newsroom/archive.html" %}{% block title %}Every month{% endblock %}')
    result = dateline(site)
    assert TEMPLATE_EDITS in result.stdout
    assert cached_deltas(site) == 1
    assert "; 2 rendered" in result.stdout  # only the archive indexes use it, the English and the Russian
    assert_equals_clean_build(site, tmp_path)
    write_template(site, "templates/article.html",
                   '{% extends "newsroom/article.html" %}{% block title %}Story{% endblock %}')
    result = dateline(site)
    assert TEMPLATE_EDITS in result.stdout
    assert_equals_clean_build(site, tmp_path)
    append(site, BIRDS, "\nMore birds.\n")
    assert BODY_EDITS in dateline(site).stdout
    assert cached_deltas(site) == 3
    assert_equals_clean_build(site, tmp_path)
    # A body edit and a template edit together: the plan is updated and every page checked.
    append(site, HOUSING, "\nThe vote was close.\n")
    write_template(site, "templates/archive.html",
                   '{% extends "newsroom/archive.html" %}{% block title %}All the months{% endblock %}')
    assert TEMPLATE_EDITS in dateline(site).stdout
    assert_equals_clean_build(site, tmp_path)
    # A static file changes what is copied: that is the full build.
    write(site, "static/extra.css", "body { color: black; }")
    assert TEMPLATE_EDITS not in dateline(site).stdout
    assert (site / "output/extra.css").is_file()
    assert_equals_clean_build(site, tmp_path)
