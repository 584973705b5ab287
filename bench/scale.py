"""How Dateline's incremental builds scale with the size of the archive.

    python bench/scale.py                      # 1k, 10k and 30k articles
    python bench/scale.py 100000 --corpora DIR # one size, its corpus kept in DIR
    python bench/scale.py 1000 10000 --out bench/results/scale.md
    python bench/scale.py 100000 --noop-only --corpora DIR   # the no-op check alone, on a made-up output folder

For each size: a generated corpus (``bench/corpus.py``) with the
pulldown-cmark engine, built once with the cache (cold), then each kind of
change followed by a build: nothing (no-op), one article's text, nothing
on the next day (the clock moves a day on: the pages that show the date),
one template, a new article, a deleted article. Every changed file is left two
seconds to age before the build, so the up-to-date check can trust its time
stamps as it would for an author who saves and then builds. Each row gives the
build's wall time as measured from outside (process start to exit), the peak
memory summed over the build's processes, and the size of ``.dateline/``
afterwards. Nothing here is a test: goals are printed, not asserted.

``--noop-only`` measures the up-to-date check alone where a real cold build
would take too long (100,000 articles take hours on a loaded 2-core
machine): the corpus is kept as it is, the output folder is made up (one
page per article, then list pages up to 1.65 pages per article, as the
real site has), the code under test writes its own record of them as a
build would, and three no-op builds are timed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from provenance import generator_version  # noqa: E402
from run import Run, measure  # noqa: E402

SETTLE = 2.1  # seconds: files saved closer than 2 s to a build are not trusted by their time stamp
EDIT = "\nBench scale edit {k}: the council confirmed the revised figures on Tuesday evening.\n"
STEPS = ("cold", "no-op", "edit article", "no-op after edit", "new day", "edit template", "new article",
         "deleted article")
# The builds' clock (``SOURCE_DATE_EPOCH``): noon UTC on a fixed day, then from "new day" on the next one.
DAY = 1780315200  # 2026-06-01 12:00 UTC, after every date the corpus gives
NEW_DAY_FROM = STEPS.index("new day")


def folder_size(path: Path) -> int:
    total = 0
    for folder, _, names in os.walk(path):
        for name in names:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                pass
    return total


def prepare(n: int, corpora: Path, site: Path) -> None:
    """A copy of the N-article corpus (generated once into ``corpora``) at ``site``, with pulldown-cmark."""
    source = corpora / f"corpus-{n}"
    if not (source / "config.toml").is_file():
        corpus.generate(n, source)
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(source, site, symlinks=True)
    with open(site / "config.toml", "a", encoding="utf-8") as handle:
        handle.write('\n[markdown]\nengine = "pulldown-cmark"\n')


def one_article(site: Path) -> Path:
    articles = sorted((site / "content" / "articles").rglob("*.md"))
    return articles[len(articles) // 2]


def run_size(n: int, corpora: Path, scratch: Path, python: str, code: Path) -> dict[str, Run | int]:
    site, output = scratch / f"site-{n}", scratch / f"output-{n}"
    print(f"== {n} articles", flush=True)
    prepare(n, corpora, site)
    if output.exists():
        shutil.rmtree(output)
    command = [python, "-m", "generator", "build", "-s", str(site), "-o", str(output)]
    logs = scratch / "logs"
    target = one_article(site)
    template = site / "templates" / "article.html"
    new = site / "content" / "articles" / "2025" / "bench-scale-new-article.md"

    def edit_article() -> None:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(EDIT.format(k=1))

    def edit_template() -> None:
        template.parent.mkdir(exist_ok=True)
        template.write_text('{% extends "newsroom/article.html" %}\n{% block structured_data %}{{ super() }}'
                            '<!-- bench scale edit -->{% endblock %}\n', encoding="utf-8")

    def add_article() -> None:
        new.parent.mkdir(parents=True, exist_ok=True)
        new.write_text("---\ntitle: A new article for the scale bench\ndate: 2025-10-30 09:00:00 +0000\n"
                       "tags: [housing]\nsection: World\n---\n\nThe new article's only paragraph.\n",
                       encoding="utf-8")

    changes: dict[str, Callable[[], None]] = {
        "cold": lambda: None, "no-op": lambda: None, "edit article": edit_article,
        "no-op after edit": lambda: None, "new day": lambda: None, "edit template": edit_template,
        "new article": add_article, "deleted article": new.unlink,
    }
    row: dict[str, Run | int] = {}
    for number, step in enumerate(STEPS):
        changes[step]()
        time.sleep(SETTLE)
        epoch = DAY + (86400 if number >= NEW_DAY_FROM else 0)
        run = measure(step, command, code, logs / f"{n}-{step.replace(' ', '-')}.log",
                      env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch)})
        row[step] = run
        if run.rc != 0:
            print(run.output, file=sys.stderr)
            break
    row["state bytes"] = folder_size(site / ".dateline")
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    return row


_RECORD = """
import sys
from pathlib import Path
from generator.incremental import uptodate
from generator.search.tool import tool_identity
site, output = Path(sys.argv[1]).absolute(), Path(sys.argv[2])
key = uptodate.build_key(site, output, {"drafts": False, "future": False, "search": tool_identity()})
snapshot = uptodate.take_snapshot(site, output, key)
taken = __import__("time").time_ns()
outputs = uptodate.scan_outputs(output)
extra = {"outputs_ns": taken} if "outputs_ns" in uptodate.Snapshot.record.__code__.co_varnames else {}
summary = {"pages": len([n for n in outputs if not n.endswith("/")]), "articles": int(sys.argv[3]), "files": 0}
uptodate.save(site, snapshot.record(outputs, None, summary, [], None, **extra))
"""


def made_up_output(site: Path, output: Path, n: int) -> None:
    """One page per article, then list pages, 1.65 per article in all: the shape of a real build's folder."""
    pages = 0
    for source in sorted((site / "content").rglob("*.md")):
        folder = output / source.relative_to(site / "content").with_suffix("")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_bytes(b"<p>page</p>" * 100)
        pages += 1
    for number in range(int(n * 1.65) - pages):
        folder = output / "tags" / f"t{number // 200}" / "page" / str(number % 200)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_bytes(b"<p>list</p>" * 50)


def noop_only(n: int, corpora: Path, scratch: Path, python: str, code: Path) -> list[str]:
    site, output = scratch / f"site-{n}", scratch / f"output-{n}"
    prepare(n, corpora, site)
    if output.exists():
        shutil.rmtree(output)
    made_up_output(site, output, n)
    time.sleep(SETTLE)
    environment = {**os.environ, "PYTHONPATH": str(code)}
    subprocess.run([python, "-c", _RECORD, str(site), str(output), str(n)], cwd=code, env=environment, check=True)
    time.sleep(SETTLE)
    command = [python, "-m", "generator", "build", "-s", str(site), "-o", str(output)]
    runs = [measure(f"no-op #{k}", command, code, scratch / "logs" / f"{n}-noop-only-{k}.log") for k in (1, 2, 3)]
    state = folder_size(site / ".dateline")
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    lines = ["| articles | output files | no-op builds, wall s (CPU s) | up to date | .dateline/ (MB) |",
             "|---:|---:|---|---|---:|",
             f"| {n:,} | {int(n * 1.65):,} | " + ", ".join(f"{run.seconds:.2f} ({run.cpu_user + run.cpu_sys:.1f})"
                                                         for run in runs)
             + f" | {'yes' if all('up to date' in run.output for run in runs) else 'NO'} | {state / 1e6:.1f} |"]
    return lines


def table(rows: dict[int, dict[str, Run | int]]) -> list[str]:
    lines = ["| articles | " + " | ".join(f"{step} (s)" for step in STEPS) + " | peak RSS, cold (MB) | "
             "peak RSS, edits (MB) | .dateline/ (MB) |",
             "|---:|" + "---:|" * (len(STEPS) + 3)]
    for n, row in rows.items():
        runs = [row[step] for step in STEPS if isinstance(row.get(step), Run)]
        cells = [f"{run.seconds:.2f} ({run.cpu_user + run.cpu_sys:.1f})" if run.rc == 0  # type: ignore[union-attr]
                 else "failed" for run in runs]
        cells += ["-"] * (len(STEPS) - len(cells))
        cold = row.get("cold")
        edits = [run.peak_rss_mb for run in runs[1:]]  # type: ignore[union-attr]
        size = row["state bytes"]
        assert isinstance(size, int)
        lines.append(f"| {n:,} | " + " | ".join(cells)
                     + f" | {cold.peak_rss_mb:.0f} | {max(edits, default=0):.0f} | {size / 1e6:.1f} |"
                     if isinstance(cold, Run) else f"| {n:,} | failed |")
    return lines


def goals(rows: dict[int, dict[str, Run | int]]) -> list[str]:
    lines = []

    def seconds(n: int, step: str) -> float | None:
        run = rows[n].get(step)
        return run.seconds if isinstance(run, Run) and run.rc == 0 else None

    for n in rows:
        for step in ("no-op", "no-op after edit", "edit article"):
            value = seconds(n, step)
            if value is not None:
                lines.append(f"- [{'PASS' if value < 1 else 'FAIL'}] {n:,}: {step} < 1 s: {value:.2f} s")
    smallest, largest = min(rows), max(rows)
    low, high = seconds(smallest, "edit article"), seconds(largest, "edit article")
    if low and high and largest != smallest:
        lines.append(f"- [{'PASS' if high <= 2 * low else 'FAIL'}] edit at {largest:,} within 2x of {smallest:,}: "
                     f"{high:.2f} s vs {low:.2f} s ({high / low:.1f}x)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[1000, 10000, 30000])
    parser.add_argument("--corpora", type=Path, help="where generated corpora are kept between runs")
    parser.add_argument("--scratch", type=Path, help="where sites and outputs are built (deleted after)")
    parser.add_argument("--python", default=str(REPO / ".venv" / "bin" / "python"))
    parser.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    parser.add_argument("--noop-only", action="store_true", help="time only no-op builds, on a made-up output")
    parser.add_argument("--code", type=Path, default=REPO,
                        help="the Dateline checkout to run (another commit's, for a before-and-after table)")
    args = parser.parse_args(argv)
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="dateline-scale-"))
    corpora = args.corpora or scratch
    version = generator_version(args.code)
    if args.noop_only:
        lines = [f"Dateline {version}: the no-op check on a made-up output folder (see --noop-only), "
                 "wall seconds and, in brackets, CPU seconds.", ""]
        for n in args.sizes:
            lines += noop_only(n, corpora, scratch, args.python, args.code)[0 if n == args.sizes[0] else 2:]
        print("\n".join(lines))
        if args.out:
            args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return 0
    rows = {n: run_size(n, corpora, scratch, args.python, args.code) for n in args.sizes}
    lines = [f"Dateline {version}, pulldown-cmark engine, {os.cpu_count()} cores; wall seconds per build, "
             "measured from outside the process (in brackets: CPU seconds, user and system, of it and its "
             "children).", "", *table(rows), "", *goals(rows)]
    print("\n".join(lines))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
