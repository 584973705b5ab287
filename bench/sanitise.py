"""What the sanitiser of untrusted bodies costs, on the benchmark corpus.

    python bench/sanitise.py [--size 10000] [--repeat 2] [--jobs N] [--work DIR] [--keep] [--out FILE]

Generates the corpus (``bench/corpus.py``) once, then for each Markdown
engine builds it cold (``dateline build --no-cache``, empty output folder)
with every article trusted and with every article untrusted
(``[content.trust] default = "untrusted"``), alternating, ``--repeat``
times each, and reports the best wall-clock time and the CPU time (user +
system, the build and its workers). It also times the sanitiser alone, in
this process: every body rendered once, then only ``Sanitiser.clean`` on
what ``finish_rendering`` cleans: the body and the table of contents, and
the summary too when the body has a ``<!--more-->`` marker (else the
summary is the clean body's first paragraph).
That figure is exact; the difference between two cold builds of 10,000
articles is within the noise of a shared machine, which is why both are
shown. Prints a table and writes it to ``--out`` (default
``bench/results/sanitise.md``). A script, not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
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
from generator.markdown.engine import MORE_MARKER, MORE_PATTERN, Renderer, make_renderer  # noqa: E402
from generator.markdown.sanitise import sanitiser_for  # noqa: E402
from generator.parallel import default_jobs  # noqa: E402

ENGINES = ("python-markdown", "pulldown-cmark")


def configure(site: Path, engine: str, trusted: bool) -> None:
    base = (site / "config.toml.base").read_text(encoding="utf-8")
    extra = f'\n[markdown]\nengine = "{engine}"\n' if "[markdown]" not in base else ""
    trust = "" if trusted else '\n[content.trust]\ndefault = "untrusted"\n'
    (site / "config.toml").write_text(base + extra + trust, encoding="utf-8")


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


def untrusted_extra(renderer: Renderer, texts: list[str], rounds: int = 3) -> float:
    """CPU seconds that rendering every body untrusted adds to rendering it trusted (best of ``rounds``).

    This counts what cleaning costs inside the renderer (caches, allocation), which
    timing ``clean`` on its own does not; the rounds alternate, so a busy machine
    weighs on both sides alike.
    """
    best = {True: float("inf"), False: float("inf")}
    for _ in range(rounds):
        for trusted in (True, False):
            started = time.process_time()
            for text in texts:
                renderer.render(text, trusted=trusted)
            best[trusted] = min(best[trusted], time.process_time() - started)
    return best[False] - best[True]


def sanitiser_alone(site: Path, engine: str) -> tuple[int, float, float, float]:
    """(bodies, seconds rendering them trusted, seconds in the sanitiser alone, seconds untrusted adds)."""
    configure(site, engine, trusted=True)
    config, _ = load_config(site)
    renderer = make_renderer(config)
    sanitiser = sanitiser_for(config)
    texts = [split_frontmatter(normalise_text(path.read_text(encoding="utf-8")), frozenset()).body
             for path in sorted((site / "content").rglob("*.md"))]
    started = time.process_time()
    rendered = [renderer.render(text) for text in texts]
    render_seconds = time.process_time() - started
    pieces = [(str(r.body), str(r.summary) if MORE_PATTERN.search(text) else "", str(r.toc))
              for text, r in zip(texts, rendered, strict=True)]
    assert not any(MORE_MARKER in body for body, _, _ in pieces)
    started = time.process_time()
    for body, summary, toc in pieces:
        sanitiser.clean(body)
        if summary:
            sanitiser.clean(summary)
        sanitiser.clean(toc)
    clean_seconds = time.process_time() - started
    return len(texts), render_seconds, clean_seconds, untrusted_extra(renderer, texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--work", type=Path)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "sanitise.md")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="dateline-bench-sanitise-"))
    site = work / "site"
    started_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    try:
        corpus.generate(args.size, site)
        shutil.copy(site / "config.toml", site / "config.toml.base")
        rows = []
        for engine in ENGINES:
            count, render_seconds, clean_seconds, extra_seconds = sanitiser_alone(site, engine)
            runs: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
            for _ in range(args.repeat):
                for trusted in (True, False):
                    configure(site, engine, trusted)
                    runs[trusted].append(cold_build(site, work / "out", args.jobs))
            best = {trusted: min(times) for trusted, times in runs.items()}
            cpu = {trusted: min(cpu for _, cpu in times) for trusted, times in runs.items()}
            rows.append((engine, count, render_seconds, clean_seconds, extra_seconds, best, cpu))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    lines = [
        "# The sanitiser's cost",
        "",
        f"Run {started_at} by `bench/sanitise.py` on {os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}; {args.size:,} generated articles, `--jobs {args.jobs}`, best of "
        f"{args.repeat}. Dateline {generator_version(ROOT)}. The machine is shared: treat cold-build "
        "differences under a second as noise; the sanitiser-alone column is exact CPU time.",
        "",
        "| engine | bodies | Markdown alone (CPU s) | sanitiser alone (CPU s) | untrusted render − trusted render "
        "(CPU s) | that ÷ trusted cold-build CPU | cold, trusted (wall s / CPU s) | cold, untrusted (wall s / CPU s) "
        "| untrusted − trusted cold build (CPU) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for engine, count, render_seconds, clean_seconds, extra_seconds, best, cpu in rows:
        share = extra_seconds / cpu[True]
        difference = (cpu[False] - cpu[True]) / cpu[True]
        lines.append(
            f"| {engine} | {count:,} | {render_seconds:.2f} | {clean_seconds:.2f} | {extra_seconds:.2f} | {share:.1%} "
            f"| {best[True][0]:.2f} / {cpu[True]:.1f} | {best[False][0]:.2f} / {cpu[False]:.1f} | {difference:+.1%} |")
    report = "\n".join(lines) + "\n"
    print(report)
    args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
