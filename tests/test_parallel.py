"""Parallel builds: any number of jobs gives byte-identical output."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.build import build
from generator.options import BuildOptions
from generator.output import staging as writer  # Staging.add opens the files workers write
from generator.parallel import map_in_order, workers_for
from tests.helpers import NOW, article, make_site, snapshot


def big_site(root: Path, count: int = 160) -> Path:
    articles = {
        f"articles/{number:03d}.md": article(
            f"Story number {number}", f"20{10 + number % 12}-{number % 12 + 1:02d}-{number % 27 + 1:02d}",
            f"## Part one\n\nParagraph {number} with *emphasis* and a [link](https://example.com/{number}).\n\n"
            f"## Part two\n\n| a | b |\n|---|---|\n| {number} | {number * 2} |\n",
            tags=f"[Tag{number % 7}, Tag{number % 11}]", section=f"Section{number % 4}", author=f"Writer {number % 5}",
        )
        for number in range(count)
    }
    return make_site(root, articles)


@pytest.mark.slow  # two builds of a 250-page site, one with a forked worker: about 0.8 s
def test_jobs_one_and_two_give_identical_output(tmp_path: Path) -> None:
    site = big_site(tmp_path / "site")
    serial = build(BuildOptions(site_dir=site, output=tmp_path / "one", now=NOW, jobs=1))
    parallel = build(BuildOptions(site_dir=site, output=tmp_path / "two", now=NOW, jobs=2))
    assert workers_for(serial.pages, 2) == 2  # the site is big enough to use two workers
    assert serial.pages == parallel.pages > 250
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_parallel_build_reports_errors_like_a_serial_one(tmp_path: Path) -> None:
    site = big_site(tmp_path / "site")
    (site / "content/articles/050.md").write_text("---\ntitle: Broken\ndate: 2020-02-30\n---\n")
    messages = []
    for jobs in (1, 2):
        try:
            build(BuildOptions(site_dir=site, output=tmp_path / f"out{jobs}", now=NOW, jobs=jobs))
        except Exception as failure:  # noqa: BLE001 - compared below
            messages.append(str(failure))
    assert messages == ["content/articles/050.md:3: date '2020-02-30' is not a date (no such day)"] * 2


def test_map_in_order_keeps_order_across_workers() -> None:
    items = list(range(500))
    offset = 7  # a closure reaches the workers through fork
    assert list(map_in_order(lambda n: n * n + offset, items, jobs=2)) == [n * n + offset for n in items]


def test_map_in_order_balances_uneven_work_and_runs_each_item_once(tmp_path: Path) -> None:
    """This process takes back chunks the worker has not started: every item still runs
    exactly once, and the results come in order."""
    import os
    import time

    items = list(range(400))
    log = tmp_path / "ran"
    log.mkdir()

    def task(n: int) -> tuple[int, int]:
        if n < 100:
            time.sleep(0.002)  # the front is slow, so this process takes back chunks from the end
        (log / str(n)).write_text(str(os.getpid()))
        return n, os.getpid()

    results = list(map_in_order(task, items, jobs=2))
    assert [n for n, _ in results] == items
    assert sorted(int(p.name) for p in log.iterdir()) == items
    assert len({pid for _, pid in results}) == 2  # both processes did some of the work


def test_map_in_order_reports_a_worker_failure() -> None:
    def task(n: int) -> int:
        if n == 10:  # in the first chunk, which a worker takes
            raise ValueError("item 10 failed")
        return n

    try:
        list(map_in_order(task, list(range(2000)), jobs=2))
    except ValueError as failure:
        assert str(failure) == "item 10 failed"
    else:
        raise AssertionError("the failure was not reported")


@pytest.mark.slow  # six builds of a 250-page site, three with a forked worker: about 1 s
def test_a_cached_build_after_a_parallel_cold_build_renders_only_what_changed(tmp_path: Path) -> None:
    """Workers fingerprint what they render on a cold build; the next builds must trust those
    records exactly as after a serial cold build, and still match a clean build."""
    counts = {}
    for jobs in (1, 2):
        site = big_site(tmp_path / f"site{jobs}")
        output = tmp_path / f"out{jobs}"
        cold = build(BuildOptions(site_dir=site, output=output, now=NOW, jobs=jobs))
        again = build(BuildOptions(site_dir=site, output=output, now=NOW, jobs=jobs), state=cold.state)
        edited = site / "content/articles/050.md"
        edited.write_text(edited.read_text().replace("Paragraph 50", "Paragraph fifty"))
        after = build(BuildOptions(site_dir=site, output=output, now=NOW, jobs=jobs), state=again.state)
        counts[jobs] = (cold.rendered, again.rendered, again.written, after.rendered, after.written)
        assert snapshot(output) == snapshot(tmp_path / "out1")
    assert counts[1] == counts[2]
    cold_rendered, again_rendered, again_written, after_rendered, _ = counts[2]
    assert cold_rendered > 250 and (again_rendered, again_written) == (0, 0) and 0 < after_rendered < 40


def test_a_failed_write_in_a_worker_fails_the_build_and_leaves_the_output(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import errno
    import os

    import pytest

    from generator.errors import BuildFailed

    site = big_site(tmp_path / "site")
    output = tmp_path / "out"
    build(BuildOptions(site_dir=site, output=output, now=NOW, jobs=1))
    before = snapshot(output)
    (site / "config.toml").write_text((site / "config.toml").read_text().replace("Test Times", "Other Times"))
    parent = os.getpid()

    def full_disk_in_workers(file: str, mode: str = "r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if ".staging-" in str(file) and "w" in mode:
            if os.getpid() != parent:
                raise OSError(errno.ENOSPC, "No space left on device")
            time.sleep(0.005)  # this process is still staging its own pages when the worker fails
        return open(file, mode, *args, **kwargs)

    monkeypatch.setattr(writer, "open", full_disk_in_workers, raising=False)
    with pytest.raises(BuildFailed, match="the disk is full; the previous output is unchanged"):
        build(BuildOptions(site_dir=site, output=output, now=NOW, jobs=2))
    assert snapshot(output) == before
    assert [p.name for p in tmp_path.iterdir() if ".staging-" in p.name] == []
