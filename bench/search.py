"""What site search costs a build: Pagefind's run, the whole build, and that a no-op build skips it.

    python bench/search.py [--sizes 1000,10000] [--jobs 2] [--out bench/results/search.md] [--site DIR ...]

For each size, a generated corpus (``bench/corpus.py``, seed 1) with
``[search] enabled = true`` is built by ``python -m generator build``, as an
author runs it: cold and after a one-sentence body edit with search off
(the baseline), then with search on cold (no output, no cache), again with
nothing changed (the up-to-date fast path) and after another body edit
(the incremental path, which re-indexes).
``--site`` adds existing sites (an imported real blog) with a cold and a
no-op build. Pagefind is run through a wrapper named by
``PAGEFIND_BINARY_PATH`` that logs when each run starts and ends, so the
table shows Pagefind's own time and whether it ran at all. Prints a
Markdown table and writes it to ``--out``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from corpus import generate  # noqa: E402
from provenance import generator_version  # noqa: E402

from generator.search.tool import BINARY_VARIABLE, find_tool  # noqa: E402


@dataclass(frozen=True)
class Build:
    seconds: float
    pagefind_runs: int
    pagefind_seconds: float


def wrapper(folder: Path, log: Path) -> Path:
    tool = find_tool()
    if tool is None:
        sys.exit("no Pagefind binary: pip install 'pagefind[bin]'")
    script = folder / "pagefind"
    script.write_text(f'#!/bin/sh\necho "start $(date +%s.%N)" >> "{log}"\n"{tool.binary}" "$@"\nstatus=$?\n'
                      f'echo "end $(date +%s.%N)" >> "{log}"\nexit $status\n')
    script.chmod(0o755)
    return script


def build(site: Path, log: Path, script: Path, jobs: int) -> Build:
    before = log.read_text().splitlines() if log.exists() else []
    env = {**os.environ, BINARY_VARIABLE: str(script), "PYTHONPATH": str(HERE.parent)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--jobs", str(jobs)], cwd=site, env=env,
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(done.stderr)
    lines = log.read_text().splitlines()[len(before):] if log.exists() else []
    starts = [float(line.split()[1]) for line in lines if line.startswith("start")]
    ends = [float(line.split()[1]) for line in lines if line.startswith("end")]
    return Build(seconds, len(starts), sum(e - s for s, e in zip(starts, ends, strict=True)))


def set_search(site: Path, enabled: bool) -> None:
    config = site / "config.toml"
    text = config.read_text().split("\n[search]\n")[0].rstrip("\n") + "\n"
    config.write_text(text + f"\n[search]\nenabled = {'true' if enabled else 'false'}\n")


def bundle(site: Path) -> tuple[int, int, int]:
    """Files in output/pagefind, their bytes, and how many article fragments."""
    root = site / "output/pagefind"
    files = [p for p in root.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files), len(list((root / "fragment").iterdir()))


def edit_one(site: Path) -> None:
    source = sorted((site / "content").rglob("*.md"))[len(list((site / "content").rglob("*.md"))) // 2]
    with source.open("a", encoding="utf-8") as handle:
        handle.write("\nA sentence added by the benchmark: quetzalcoatlite.\n")


def row(label: str, cold: Build, noop: Build, edit: Build | None, off: Build | None, edit_off: Build | None,
        size: tuple[int, int, int]) -> str:
    def cell(b: Build | None) -> str:
        if b is None:
            return "–"
        return f"{b.seconds:.1f} s ({b.pagefind_runs} run{'s' if b.pagefind_runs != 1 else ''}" + (
            f", {b.pagefind_seconds:.1f} s)" if b.pagefind_runs else ")")
    files, size_bytes, fragments = size
    return (f"| {label} | {fragments:,} | {cell(off)} | {cell(cold)} | {cold.pagefind_seconds:.1f} s | {cell(noop)} | "
            f"{cell(edit_off)} | {cell(edit)} | {files:,} files, {size_bytes / 1e6:.1f} MB |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--site", action="append", default=[], help="an existing site (copied) to measure too")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "search.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="dateline-bench-search-") as scratch:
        root = Path(scratch)
        log = root / "runs.log"
        script = wrapper(root, log)
        sites = [(f"{int(n):,} generated articles", int(n), None) for n in args.sizes.split(",") if n]
        sites += [(Path(s).name, 0, Path(s)) for s in args.site]
        for label, n, existing in sites:
            site = root / f"site-{len(rows)}"
            if existing is None:
                generate(n, site)
            else:
                shutil.copytree(existing, site, ignore=shutil.ignore_patterns("output", ".dateline"))
            set_search(site, False)
            off = build(site, log, script, args.jobs) if existing is None else None
            edit_off = None
            if existing is None:
                edit_one(site)
                edit_off = build(site, log, script, args.jobs)
            shutil.rmtree(site / "output", ignore_errors=True)
            shutil.rmtree(site / ".dateline", ignore_errors=True)
            set_search(site, True)
            time.sleep(1.1)  # the config's mtime must differ from what the last build saw
            cold = build(site, log, script, args.jobs)
            noop = build(site, log, script, args.jobs)
            edit = None
            if existing is None:
                edit_one(site)
                edit = build(site, log, script, args.jobs)
            rows.append(row(label, cold, noop, edit, off, edit_off, bundle(site)))
            print(rows[-1], flush=True)
    header = [
        "# Site search: what indexing costs, and that a no-op build skips it",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `bench/search.py` on {os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}, `--jobs {args.jobs}`; Pagefind 1.5.2 "
        f"(pagefind-bin wheel). Dateline {generator_version(HERE.parent)}. Each cell is one `dateline build` "
        "(wall time) and how many times Pagefind ran in it, with Pagefind's own time. The machine is shared: "
        "treat differences under a second as noise.",
        "",
        "| site | articles indexed | cold, search off | cold, search on (Pagefind) | Pagefind alone | "
        "no-op rebuild | one body edited, search off | one body edited | output/pagefind |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    text = "\n".join(header + rows) + "\n"
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
