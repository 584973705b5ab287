"""How many files publishing one article changes, with classic and with stable pagination.

    python bench/pagination.py [--size 10000] [--work DIR] [--keep] [--out FILE]

Generates the corpus (``bench/corpus.py``) once; then, for each numbering
(``paginate_stable = false`` and ``true``), builds it with the cache as an
author would, publishes one new article (newest of all, in a section, with
three tags and an author that exist), builds again and compares every
output file's bytes before and after. Prints the changed files by kind
(list pages, articles, feeds and the rest) and the second build's time,
and writes the table to ``--out`` (default ``bench/results/pagination.md``).
A script, not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

import corpus  # noqa: E402
from provenance import generator_version  # noqa: E402

NOW = "1762419600"  # 2025-11-06 09:00 UTC: after every generated article and the new one
NEW_ARTICLE = """---
title: "Harbour board approves the new ferry timetable"
date: 2025-11-05 08:00
category: World
tags: [Mining, Global pensions, Digital airports]
author: "Grace Haddad"
---

The harbour board approved the winter ferry timetable on Wednesday.
"""


def hashes(output: Path) -> dict[str, str]:
    return {path.relative_to(output).as_posix(): hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
            for path in output.rglob("*") if path.is_file()}


def kind(path: str) -> str:
    if not path.endswith(".html"):
        return "feeds, sitemap and the rest"
    if re.fullmatch(r"\d{4}/\d{2}/[^/]+/index\.html", path):
        return "article pages"
    return "list pages"


def build(site: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build", "-q", "-s", str(site)], cwd=ROOT, check=True,
                   env={**os.environ, "SOURCE_DATE_EPOCH": NOW})
    return time.perf_counter() - started


def measure(site: Path, stable: bool) -> tuple[dict[str, int], int, float]:
    """(changed files by kind, files in the output, seconds of the build that published the article)."""
    base = (site / "config.toml.base").read_text(encoding="utf-8")
    (site / "config.toml").write_text(base.replace("paginate = 10\n", f"paginate = 10\npaginate_stable = "
                                                                        f"{'true' if stable else 'false'}\n"),
                                      encoding="utf-8")
    new = site / "content/articles/2025/harbour-ferry-timetable.md"
    new.unlink(missing_ok=True)
    shutil.rmtree(site / "output", ignore_errors=True)
    shutil.rmtree(site / ".dateline", ignore_errors=True)
    build(site)
    before = hashes(site / "output")
    time.sleep(2.1)  # past the up-to-date check's window for trusting a file's time stamp
    new.write_text(NEW_ARTICLE, encoding="utf-8")
    seconds = build(site)
    after = hashes(site / "output")
    changed: dict[str, int] = {}
    for path in after:
        if before.get(path) != after[path]:
            changed[kind(path)] = changed.get(kind(path), 0) + 1
    return changed, len(after), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "pagination.md")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="dateline-bench-pagination-"))
    site = work / "site"
    started_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    try:
        corpus.generate(args.size, site)
        shutil.copy(site / "config.toml", site / "config.toml.base")
        rows = [(stable, *measure(site, stable)) for stable in (False, True)]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    kinds = ("list pages", "article pages", "feeds, sitemap and the rest")
    lines = [
        "# Publishing one article: files changed, classic and stable pagination",
        "",
        f"Run {started_at} by `bench/pagination.py` on {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}; {args.size:,} generated articles, `paginate = 10`. Dateline "
        f"{generator_version(ROOT)}. One new article (a section, three tags, an author) published on top of a "
        "cached build; every output file compared byte for byte before and after.",
        "",
        f"| numbering | files in output | changed: {' | changed: '.join(kinds)} | changed in all | publishing build (s) |",
        "|---|---:|" + "---:|" * len(kinds) + "---:|---:|",
    ]
    for stable, changed, files, seconds in rows:
        counts = " | ".join(f"{changed.get(name, 0):,}" for name in kinds)
        lines.append(f"| {'stable' if stable else 'classic'} | {files:,} | {counts} | {sum(changed.values()):,} "
                     f"| {seconds:.2f} |")
    report = "\n".join(lines) + "\n"
    print(report)
    args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
