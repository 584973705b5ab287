"""Noise filtering and debouncing of file-system events, with real watchdog too."""

from __future__ import annotations

import os
import queue
import subprocess
from pathlib import Path

import pytest

from generator.serve.watch import Debouncer, Watcher, is_noise


@pytest.mark.parametrize(
    "name",
    [".article.md.swp", ".article.md.swx", "article.md~", ".#article.md", "#article.md#", "4913",
     ".DS_Store", "article.md.tmp", ".~lock.notes.odt#", ".article.md.tmp-1234", "x.crdownload"],
)
def test_editor_droppings_are_noise(name: str) -> None:
    assert is_noise(Path("/site/content/articles") / name)


@pytest.mark.parametrize("name", ["article.md", "photo.jpg", "site.css", "config.toml", "2020-08-15-x.md"])
def test_real_files_are_not_noise(name: str) -> None:
    assert not is_noise(Path("/site/content") / name)


def test_files_inside_version_control_folders_are_noise() -> None:
    assert is_noise(Path("/site/content/.git/index"))
    assert is_noise(Path("/site/.dateline/cache"))


def test_a_burst_becomes_one_batch_after_the_quiet_period() -> None:
    debouncer = Debouncer(quiet=0.05, max_wait=1.0)
    assert debouncer.due_in(0.0) is None
    debouncer.add([Path("a.md")], now=10.00)
    debouncer.add([Path("a.md"), Path("b.md")], now=10.03)
    assert debouncer.due_in(10.05) == pytest.approx(0.03)
    assert debouncer.due_in(10.08) == 0
    assert debouncer.take() == {Path("a.md"), Path("b.md")}
    assert debouncer.due_in(10.10) is None


def test_a_never_ending_stream_is_cut_at_max_wait() -> None:
    debouncer = Debouncer(quiet=0.05, max_wait=0.5)
    for step in range(100):
        debouncer.add([Path(f"{step}.md")], now=step * 0.01)
    assert debouncer.due_in(0.99) == 0  # first event at 0.0, so due by 0.5 however busy
    assert len(debouncer.take()) == 100


def test_adding_nothing_does_not_start_a_batch() -> None:
    debouncer = Debouncer()
    debouncer.add([], now=1.0)
    assert debouncer.due_in(1.0) is None


@pytest.fixture()
def watched(tmp_path: Path):  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    (site / "content/articles").mkdir(parents=True)
    (site / "output").mkdir()
    (site / "config.toml").write_text("title = 'x'\n")
    batches: queue.Queue[frozenset[Path]] = queue.Queue()
    watcher = Watcher(
        folders=[site / "content", site / "templates"],
        files=[site / "config.toml"],
        ignore=[site / "output"],
        on_batch=batches.put,
        debouncer=Debouncer(quiet=0.2, max_wait=2.0),
    )
    watcher.start()
    yield site, batches
    watcher.stop()


def next_batch(batches: queue.Queue[frozenset[Path]]) -> set[str]:
    return {path.name for path in batches.get(timeout=10)}


def test_atomic_save_is_one_batch_naming_the_real_file(watched) -> None:  # type: ignore[no-untyped-def]
    site, batches = watched
    article = site / "content/articles/story.md"
    temporary = site / "content/articles/.story.md.tmp-99"
    temporary.write_text("---\ntitle: Story\n---\n")
    os.replace(temporary, article)
    (site / "content/articles/.story.md.swp").write_text("swap")
    assert "story.md" in next_batch(batches)
    assert batches.empty()


def test_many_files_at_once_are_one_batch(watched) -> None:  # type: ignore[no-untyped-def]
    site, batches = watched
    for number in range(200):
        (site / f"content/articles/{number}.md").write_text("x")
    names = next_batch(batches)
    while len(names) < 200:  # a slow machine may cut the burst at max_wait
        names |= next_batch(batches)
    assert names == {f"{number}.md" for number in range(200)}


def test_output_and_noise_are_ignored_config_and_new_folders_are_not(watched) -> None:  # type: ignore[no-untyped-def]
    site, batches = watched
    (site / "output/index.html").write_text("built")
    (site / "content/4913").write_text("vim probe")
    (site / "config.toml").write_text("title = 'y'\n")
    assert next_batch(batches) == {"config.toml"}
    (site / "templates").mkdir()
    assert "templates" in next_batch(batches)
    (site / "templates/article.html").write_text("{{ article.title }}")
    assert "article.html" in next_batch(batches)


def test_folder_rename_and_delete_are_seen(watched) -> None:  # type: ignore[no-untyped-def]
    site, batches = watched
    folder = site / "content/articles/2020"
    folder.mkdir()
    (folder / "a.md").write_text("x")
    next_batch(batches)
    folder.rename(site / "content/articles/2021")
    assert {"2020", "2021"} <= next_batch(batches)
    subprocess.run(["rm", "-r", str(site / "content/articles/2021")], check=True)
    batch = next_batch(batches)
    assert "2021" in batch or "a.md" in batch
