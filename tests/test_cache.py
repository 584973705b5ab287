"""The persistent build cache: reused when sound, discarded with a warning when not."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.golden import REPO
from tests.helpers import run_dateline, snapshot, write

CACHE = ".dateline/build-cache.pickle"
UP_TO_DATE = ".dateline/up-to-date.marshal"


def dateline(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_dateline(*args, "-v", cwd=site)


def rendered_and_files(site: Path, stdout: str) -> tuple[int, int]:
    """The pages a build says it rendered, and the files in its output (counted, not taken from it)."""
    rendered = int(stdout.split("unchanged; ")[1].split(" rendered")[0])
    return rendered, sum(1 for path in (site / "output").rglob("*") if path.is_file())


def sample(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "config.toml", site / "config.toml")
    return site


@pytest.mark.slow  # 4 `dateline build` subprocesses on the sample site: about 1.5 s
def test_cached_rebuilds_render_only_what_changed_and_match_a_clean_build(tmp_path: Path) -> None:
    site = sample(tmp_path)
    first = dateline(site, "build")
    assert first.returncode == 0 and (site / CACHE).is_file()
    assert "0 removed, 0 unchanged" in first.stdout
    _, files = rendered_and_files(site, first.stdout)
    again = dateline(site, "build")
    assert f"0 written, 0 removed, {files} unchanged; 0 rendered" in again.stdout
    article = site / "content/articles/2021/independent-cinemas-reopen.md"
    article.write_text(article.read_text() + "\nA late addition.\n")
    edited = dateline(site, "build")
    rendered = int(edited.stdout.split("unchanged; ")[1].split(" rendered")[0])
    assert 0 < rendered < 40
    clean = dateline(site, "build", "--no-cache", "-o", str(tmp_path / "clean"))
    assert clean.returncode == 0
    assert snapshot(site / "output") == snapshot(tmp_path / "clean")


def test_template_edit_through_the_cache(tmp_path: Path) -> None:
    site = sample(tmp_path)
    dateline(site, "build")
    write(site, "templates/tags.html", '{% extends "newsroom/tags.html" %}{% block title %}Every tag{% endblock %}')
    result = dateline(site, "build")
    assert "; 2 rendered" in result.stdout  # only the tags indexes use it, the English and the Russian
    assert "<title>Every tag</title>" in (site / "output/tags/index.html").read_text()
    assert "<title>Every tag</title>" in (site / "output/ru/tags/index.html").read_text()


@pytest.mark.slow  # 4 `dateline build` subprocesses on the sample site: about 1.5 s
def test_corrupt_truncated_and_foreign_caches_are_discarded_with_a_warning(tmp_path: Path) -> None:
    site = sample(tmp_path)
    cold, files = rendered_and_files(site, dateline(site, "build").stdout)
    good = (site / CACHE).read_bytes()
    for damaged in (b"garbage", good[: len(good) // 2], good.replace(b"DATELINE-CACHE", b"DATELINE-CACHX", 1)):
        (site / CACHE).write_bytes(damaged)
        (site / UP_TO_DATE).unlink(missing_ok=True)  # else the build stops before reading the cache
        result = dateline(site, "build")
        assert result.returncode == 0
        assert ".dateline/build-cache.pickle: warning: discarded the build cache because" in result.stderr
        assert "Traceback" not in result.stderr
        assert f"0 written, 0 removed, {files} unchanged; {cold} rendered" in result.stdout  # all again


@pytest.mark.slow  # 2 `dateline build` subprocesses on the sample site and a clean: about 0.8 s
def test_no_cache_neither_reads_nor_writes_and_clean_removes_it(tmp_path: Path) -> None:
    site = sample(tmp_path)
    dateline(site, "build", "--no-cache")
    # Only the made images and cards, named by what they are made from (see README, Images).
    assert sorted(p.name for p in (site / ".dateline").iterdir()) == ["cards", "images"]
    dateline(site, "build")
    assert (site / CACHE).is_file()
    assert run_dateline("clean", cwd=site).returncode == 0
    assert not (site / ".dateline").exists() and not (site / "output").exists()


@pytest.mark.slow  # 2 `dateline build` subprocesses on the sample site: about 0.8 s
def test_a_cache_written_by_other_code_is_not_reused(tmp_path: Path) -> None:
    site = sample(tmp_path)
    cold, _ = rendered_and_files(site, dateline(site, "build").stdout)
    cache = (site / CACHE).read_bytes()
    start = cache.index(b"code")
    tampered = cache[: start + 20] + bytes([cache[start + 20] ^ 1]) + cache[start + 21:]
    (site / CACHE).write_bytes(tampered)
    (site / UP_TO_DATE).unlink()
    result = dateline(site, "build")
    assert "discarded the build cache because it was written by another version" in result.stderr
    assert f"; {cold} rendered" in result.stdout


def test_cached_stats_are_trusted_only_for_files_saved_well_before_the_cached_build() -> None:
    from generator.content.parsed import Parsed
    from generator.content.sources import Source
    from generator.filetree import FileStat
    from generator.incremental.cache import RACY_NS, _distrust_recent_timestamps
    from generator.incremental.state import BuildState

    started = 10 * RACY_NS

    def entry(mtime: int) -> Parsed:
        return Parsed(stat=FileStat(mtime, mtime, 5, 7), source=Source(path="content/a.md", text="text", digest="digest"),
                      article=None, errors=(), warnings=())

    state = BuildState(config_key="key", parsed={
        "old.md": entry(started - 2 * RACY_NS), "racy.md": entry(started - RACY_NS // 2),
        "later.md": entry(started + 1), "unknown.md": entry(0)}, started_ns=started)
    kept = {path: parsed.stat != (0, 0, 0, 0) for path, parsed in _distrust_recent_timestamps(state).parsed.items()}
    assert kept == {"old.md": True, "racy.md": False, "later.md": False, "unknown.md": False}


@pytest.mark.slow  # 4 `dateline build` subprocesses on the sample site: about 1.5 s
def test_output_written_by_another_build_is_not_trusted_by_the_cache(tmp_path: Path) -> None:
    """``dateline serve --drafts`` (or any build without the cache) may rewrite output/ in between."""
    site = sample(tmp_path)
    assert dateline(site, "build").returncode == 0
    assert dateline(site, "build", "--drafts", "--no-cache").returncode == 0  # drafts now on the front page
    result = dateline(site, "build")
    assert result.returncode == 0, result.stderr
    assert dateline(site, "build", "--no-cache", "-o", str(tmp_path / "clean")).returncode == 0
    assert snapshot(site / "output") == snapshot(tmp_path / "clean")


def test_the_cached_state_comes_back_whole_with_its_html_as_markup(tmp_path: Path) -> None:
    """Texts travel apart from the state in the file (see ``cache``); identities and types must survive."""
    from markupsafe import Markup

    from generator.incremental.cache import BuildCache
    from tests.helpers import build_site

    site = sample(tmp_path)
    state = build_site(site).state
    assert state is not None and state.loaded is not None
    cache = BuildCache(site)
    assert cache.save(state) is None
    loaded, warning = BuildCache(site).load()
    assert warning is None and loaded is not None and loaded.loaded is not None
    before = {path: entry.article for path, entry in state.parsed.items()}
    after = {path: entry.article for path, entry in loaded.parsed.items()}
    assert after == before
    for article in after.values():
        if article is not None:
            assert all(type(text) is Markup for text in (article.body, article.summary, article.toc))
    # The plan holds the very objects the parses hold, as before saving.
    placed = {article.source: article for article in loaded.loaded.site.articles}
    assert any(placed[source] is after[source] for source in placed)
    assert all((placed[source] is after[source]) == (state.loaded.placed[source] is before[source])
               for source in placed)
    assert loaded.loaded.copies == state.loaded.copies


def test_paths_come_back_as_the_same_paths() -> None:
    import io

    from generator.incremental.cache import _StatePickler, _StateUnpickler

    paths = [Path("/"), Path("."), Path("a"), Path("a/b"), Path("/srv/site/.dateline/cards/x.png"),
             Path("/srv/site/.dateline/cards/y.png"), Path("/srv/site"), Path("/srv/site/é ü.png")]
    stream = io.BytesIO()
    pickler = _StatePickler(stream)
    pickler.dump(paths)
    stream.seek(0)
    again = _StateUnpickler(stream, []).load()
    assert again == paths
    assert [type(path) for path in again] == [type(path) for path in paths]


@pytest.mark.slow  # 2 `dateline build` subprocesses on the sample site and a probe process: about 0.9 s
def test_loading_leaves_nothing_for_the_collector(tmp_path: Path) -> None:
    """The load freezes the collector (see ``cache._long_lived_objects``), so a cycle made while
    loading, such as one through the unpickler's memo, would keep everything it names for the
    whole build: the records a replayed delta replaced among them. Checked in a fresh process,
    where nothing else left garbage."""
    import sys

    site = sample(tmp_path)
    dateline(site, "build")
    write(site, "templates/tags.html", '{% extends "newsroom/tags.html" %}{% block title %}Every tag{% endblock %}')
    dateline(site, "build")  # a template edit: appended to the cache as a delta
    probe = (
        "import gc, sys\n"
        "from pathlib import Path\n"
        "from generator.incremental.cache import BuildCache\n"
        "gc.collect()\n"
        "state, warning = BuildCache(Path(sys.argv[1])).load()\n"
        "assert warning is None and state is not None, warning\n"
        "gc.unfreeze()\n"
        "gc.set_debug(gc.DEBUG_SAVEALL)\n"
        "gc.collect()\n"
        "print(sorted({type(o).__name__ for o in gc.garbage if type(o).__module__.startswith('generator')}))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(site)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
