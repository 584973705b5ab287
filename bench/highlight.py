"""What syntax highlighting costs, on the benchmark corpus.

    python bench/highlight.py [--size 10000] [--repeat 2] [--jobs N] [--work DIR] [--keep] [--out FILE]

Generates the corpus (``bench/corpus.py``, where about one article in
twenty-five has a fenced code block with a language, as on a news site with
a data desk) once, then for each Markdown engine builds it cold
(``dateline build --no-cache``, empty output folder) with
``[markdown] highlight = true`` and ``false``, alternating, ``--repeat``
times each, and reports the best wall-clock and CPU time (user + system,
the build and its workers). It also times, in this process, rendering every
body with and without highlighting, and the bodies with code alone (best of
five: exact CPU time, which a cold build's noise on a shared machine hides),
and, in a fresh interpreter, what the
first highlighted block costs: importing Pygments and its Python lexer,
which every build worker pays once. Prints a table and writes it to
``--out`` (default ``bench/results/highlight.md``). A script, not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
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

from generator.config.load import load_config  # noqa: E402
from generator.content.frontmatter import normalise_text, split_frontmatter  # noqa: E402
from generator.markdown.engine import make_renderer  # noqa: E402
from generator.parallel import default_jobs  # noqa: E402

ENGINES = ("python-markdown", "pulldown-cmark")
FENCE = re.compile(r"^```(\w+)", re.MULTILINE)
FIRST_BLOCK = ("import time; started = time.perf_counter(); "
               "from generator.markdown.highlight import Highlighter; "
               "Highlighter().block('x = 1\\n', 'python'); print(time.perf_counter() - started)")


def configure(site: Path, engine: str, highlight: bool) -> None:
    base = (site / "config.toml.base").read_text(encoding="utf-8")
    setting = "true" if highlight else "false"
    (site / "config.toml").write_text(base + f'\n[markdown]\nengine = "{engine}"\nhighlight = {setting}\n', encoding="utf-8")


def cold_build(site: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the build and its workers) of one cold build."""
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build", "--no-cache", "-q", "-s", str(site), "-o", str(out),
                    "-j", str(jobs)], cwd=ROOT, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def rendering_alone(site: Path, engine: str, texts: list[str]) -> dict[bool, float]:
    """CPU seconds rendering every body, with and without highlighting (after one warm-up body with code)."""
    seconds = {}
    for highlight in (False, True):
        configure(site, engine, highlight)
        config, _ = load_config(site)
        renderer = make_renderer(config)
        renderer.render("```python\nx = 1\n```\n")  # the import, paid once per process: measured on its own
        started = time.process_time()
        for text in texts:
            renderer.render(text)
        seconds[highlight] = time.process_time() - started
    return seconds


def code_bodies_alone(site: Path, engine: str, texts: list[str], rounds: int = 5) -> dict[bool, float]:
    """CPU seconds rendering only the bodies with code, with and without highlighting, best of ``rounds``:
    the whole cost of highlighting, measured where it is not lost in the other bodies' noise."""
    with_code = [text for text in texts if FENCE.search(text)]
    seconds: dict[bool, float] = {}
    for highlight in (False, True):
        configure(site, engine, highlight)
        config, _ = load_config(site)
        renderer = make_renderer(config)
        renderer.render("```python\nx = 1\n```\n")
        best = float("inf")
        for _ in range(rounds):
            started = time.process_time()
            for text in with_code:
                renderer.render(text)
            best = min(best, time.process_time() - started)
        seconds[highlight] = best
    return seconds


def first_block() -> float:
    """Seconds for a fresh interpreter's first highlighted block (imports included), best of three."""
    runs = [float(subprocess.run([sys.executable, "-c", FIRST_BLOCK], cwd=ROOT, check=True, capture_output=True,
                                 text=True).stdout) for _ in range(3)]
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--work", type=Path)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "highlight.md")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="dateline-bench-highlight-"))
    site = work / "site"
    started_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    try:
        corpus.generate(args.size, site)
        shutil.copy(site / "config.toml", site / "config.toml.base")
        texts = [split_frontmatter(normalise_text(path.read_text(encoding="utf-8")), frozenset()).body
                 for path in sorted((site / "content").rglob("*.md"))]
        blocks = sum(len(FENCE.findall(text)) for text in texts)
        with_code = sum(1 for text in texts if FENCE.search(text))
        import_seconds = first_block()
        rows = []
        for engine in ENGINES:
            alone = rendering_alone(site, engine, texts)
            code_only = code_bodies_alone(site, engine, texts)
            runs: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
            for _ in range(args.repeat):
                for highlight in (False, True):
                    configure(site, engine, highlight)
                    runs[highlight].append(cold_build(site, work / "out", args.jobs))
            wall = {highlight: min(wall for wall, _ in times) for highlight, times in runs.items()}
            cpu = {highlight: min(cpu for _, cpu in times) for highlight, times in runs.items()}
            rows.append((engine, alone, code_only, wall, cpu))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    lines = [
        "# What syntax highlighting costs",
        "",
        f"Run {started_at} by `bench/highlight.py` on {os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}; {args.size:,} generated articles ({len(texts):,} bodies, {with_code:,} "
        f"with code, {blocks:,} fenced blocks with a language), `--jobs {args.jobs}`, best of {args.repeat}. "
        f"Dateline {generator_version(ROOT)}. The machine is shared: treat cold-build differences under a second "
        "as noise; the rendering-alone columns are exact CPU time.",
        "",
        f"The first highlighted block in a fresh interpreter (importing Pygments and the Python lexer): "
        f"{import_seconds * 1000:.0f} ms, paid once by each build worker that meets code, never by a build without.",
        "",
        "| engine | all bodies, off (CPU s) | on (CPU s) | bodies with code, off (CPU ms) | on (CPU ms) "
        "| highlighting + first block per worker ÷ cold-build CPU (off) "
        "| cold, off (wall s / CPU s) | cold, on (wall s / CPU s) | on − off (wall) | on − off (CPU) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for engine, alone, code_only, wall, cpu in rows:
        share = (code_only[True] - code_only[False] + import_seconds * args.jobs) / cpu[False]
        lines.append(
            f"| {engine} | {alone[False]:.2f} | {alone[True]:.2f} | {code_only[False] * 1000:.0f} "
            f"| {code_only[True] * 1000:.0f} | {share:+.1%} "
            f"| {wall[False]:.2f} / {cpu[False]:.1f} | {wall[True]:.2f} / {cpu[True]:.1f} "
            f"| {(wall[True] - wall[False]) / wall[False]:+.1%} | {(cpu[True] - cpu[False]) / cpu[False]:+.1%} |")
    report = "\n".join(lines) + "\n"
    print(report)
    args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
