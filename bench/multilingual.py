"""What a second language costs: the same corpus built in one language, and with every article translated.

    python bench/multilingual.py N [--seed S] [--jobs J]

Generates a corpus of N articles (``corpus.py``) and builds it twice, in this
process, through ``generator.build`` with the same number of workers:
(a) as it is, (b) with ``[languages.ru]`` and a copy of every article under
``content/ru/`` (same paths, so each is the other's translation: twice the
articles, every article page with hreflang alternates and a switcher). For
each it prints the pages and files written, the cold build's wall time and
CPU time, and a body edit's rebuild (``build(..., state, changed)``, as the
dev server does it) with the pages it rendered.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import corpus  # noqa: E402
from provenance import generator_version  # noqa: E402

from generator.build import build  # noqa: E402
from generator.options import BuildOptions  # noqa: E402


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime


def translate(site: Path) -> None:
    """Every article copied under content/ru/ (a line added to its body), and the language configured."""
    for path in sorted((site / "content/articles").rglob("*.md")):
        target = site / "content/ru" / path.relative_to(site / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        target.write_text(text + "\nПеревод этой статьи.\n", encoding="utf-8")
    with (site / "config.toml").open("a", encoding="utf-8") as config:
        config.write('\n[languages.ru]\ntitle = "Перевод"\n')


def measure(site: Path, jobs: int) -> dict[str, object]:
    options = BuildOptions(site_dir=site, output=site / "output", jobs=jobs)
    started, before = time.perf_counter(), cpu()
    cold = build(options)
    wall, used = time.perf_counter() - started, cpu() - before
    articles = sorted((site / "content/articles").rglob("*.md"))
    edited = articles[len(articles) // 2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    started = time.perf_counter()
    again = build(options, state=cold.state, changed=[edited], in_place=True)
    return {"articles": cold.articles, "pages": cold.pages, "files": cold.files, "wall": wall, "cpu": used,
            "edit": time.perf_counter() - started, "edit_rendered": again.rendered, "edit_partial": again.partial}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="dateline-bench-multilingual-") as scratch:
        for label, translated in (("one language", False), ("with every article in Russian too", True)):
            site = Path(scratch) / label.replace(" ", "-")
            corpus.generate(args.n, site, seed=args.seed)
            if translated:
                translate(site)
            rows.append((label, measure(site, args.jobs)))
            shutil.rmtree(site)
    print(f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/multilingual.py {args.n}` on {os.cpu_count()} cores, "
          f"{platform.machine()}, Python {platform.python_version()}; {args.n} generated articles (seed {args.seed}), "
          f"{args.jobs} workers, one cold build each. Dateline {generator_version(HERE.parent)}.\n")
    print("| site | articles | pages | files | cold wall s | cold CPU s | body edit s | pages rendered |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, row in rows:
        print(f"| {label} | {row['articles']} | {row['pages']} | {row['files']} | {row['wall']:.2f} | "
              f"{row['cpu']:.2f} | {row['edit']:.3f} | {row['edit_rendered']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
