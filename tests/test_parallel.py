"""Parallel builds: any number of jobs gives byte-identical output."""

from __future__ import annotations

from pathlib import Path

from generator.build import BuildOptions, build
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
