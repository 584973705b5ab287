"""A/B: two installations of Dateline on the same generated corpus, runs interleaved.

    python bench/ab.py --a PYTHON_A --b PYTHON_B [--label-a before] [--label-b after]
                       [--size 10000] [--repeat 3] [--work DIR] [--out FILE]

Each PYTHON is an interpreter with a Dateline installed (``.venv/bin/python``
of a checkout, say one of an older commit). For the default engine and for
pulldown-cmark it measures, for A, B and B with ``DATELINE_NO_SPEEDUPS=1``:
the cold build (``--no-cache``, into a fresh folder: nothing is deleted
until the run ends, so no build pays for another's deletions), the no-op
build after a cached one, and the build after one article's text changed.
Runs alternate A, B, B-stock within each repeat, so a busy machine slows all
three alike; the table gives the best of ``--repeat`` and the B/A ratio.
Times are wall-clock for the whole command; CPU is user + system seconds of
the command and its workers. Never run by the tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

EPOCH = "1767225600"  # 2026-01-01: every run sees the same "now"
EDIT = "\n\nA sentence added by the A/B benchmark.\n"


@dataclass(frozen=True, kw_only=True)
class Variant:
    label: str
    python: str
    stock: bool = False  # DATELINE_NO_SPEEDUPS=1

    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key != "DATELINE_NO_SPEEDUPS"}
        env["SOURCE_DATE_EPOCH"] = EPOCH
        if self.stock:
            env["DATELINE_NO_SPEEDUPS"] = "1"
        return env


@dataclass(kw_only=True)
class Timings:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def best(self) -> tuple[float, float]:
        index = min(range(len(self.wall)), key=self.wall.__getitem__)
        return self.wall[index], self.cpu[index]


def run(variant: Variant, *args: str) -> tuple[float, float]:
    """Wall and CPU seconds of ``python -m generator ARGS``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([variant.python, "-m", "generator", *args], env=variant.env(), capture_output=True,
                            text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{variant.label}: dateline {' '.join(args)} failed:\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def compile_package(python: str) -> None:
    """Byte-compile the installation's ``generator`` package, as ``pip install`` does (see run.py)."""
    code = "import generator, os; print(os.path.dirname(generator.__file__))"
    package = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([python, "-m", "compileall", "-q", package], check=True)


def make_sites(work: Path, size: int) -> dict[str, Path]:
    base = work / "site-default"
    if not (base / "config.toml").is_file():
        corpus.generate(size, base, seed=1)
    pulldown = work / "site-pulldown"
    if not (pulldown / "config.toml").is_file():
        shutil.copytree(base, pulldown)
        with (pulldown / "config.toml").open("a", encoding="utf-8") as config:
            config.write('\n[markdown]\nengine = "pulldown-cmark"\n')
    return {"default": base, "pulldown-cmark": pulldown}


def first_article(site: Path) -> Path:
    return min((site / "content" / "articles").rglob("*.md"))


def measure(variants: list[Variant], sites: dict[str, Path], work: Path, repeat: int) -> dict[tuple[str, str, str], Timings]:
    results: dict[tuple[str, str, str], Timings] = {}
    for number in range(repeat):
        for engine, site in sites.items():
            for variant in variants:
                out = work / f"out-{engine}-{variant.label}-{number}"
                wall, cpu = run(variant, "build", "-s", str(site), "-o", str(out), "--no-cache", "-q")
                results.setdefault((engine, variant.label, "cold"), Timings()).wall.append(wall)
                results[(engine, variant.label, "cold")].cpu.append(cpu)
    for engine, site in sites.items():
        article = first_article(site)
        original = article.read_text(encoding="utf-8")
        for variant in variants:
            cached = work / f"cached-{engine}-{variant.label}"
            shutil.rmtree(site / ".dateline", ignore_errors=True)
            run(variant, "build", "-s", str(site), "-o", str(cached), "-q")
            past = time.time() - 60  # as an author's files are: saved a while before the build
            for number in range(repeat):
                for kind in ("no-op", "edit"):
                    if kind == "edit":
                        article.write_text(original + EDIT * (number + 1), encoding="utf-8")
                        os.utime(article, (past, past))
                    wall, cpu = run(variant, "build", "-s", str(site), "-o", str(cached), "-q")
                    timings = results.setdefault((engine, variant.label, kind), Timings())
                    timings.wall.append(wall)
                    timings.cpu.append(cpu)
            article.write_text(original, encoding="utf-8")
            os.utime(article, (past, past))
    return results


def table(results: dict[tuple[str, str, str], Timings], variants: list[Variant], size: int) -> str:
    a, b = variants[0].label, variants[1].label
    lines = [f"| {size:,} articles | build | " + " | ".join(v.label for v in variants) + f" | {b} / {a} |",
             "|---|---|" + "---:|" * len(variants) + "---:|"]
    for engine in ("default", "pulldown-cmark"):
        for kind in ("cold", "no-op", "edit"):
            cells = []
            for variant in variants:
                wall, cpu = results[(engine, variant.label, kind)].best()
                cells.append(f"{wall:.2f} s" + (f" ({cpu:.1f} s CPU)" if kind == "cold" else ""))
            ratio = results[(engine, b, kind)].best()[0] / results[(engine, a, kind)].best()[0]
            lines.append(f"| {engine} | {kind} | " + " | ".join(cells) + f" | {ratio:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", required=True, help="interpreter of installation A (the reference)")
    parser.add_argument("--b", required=True, help="interpreter of installation B")
    parser.add_argument("--label-a", default="A")
    parser.add_argument("--label-b", default="B")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temporary folder)")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="dateline-ab-"))
    work.mkdir(parents=True, exist_ok=True)
    variants = [Variant(label=args.label_a, python=args.a), Variant(label=args.label_b, python=args.b),
                Variant(label=f"{args.label_b}, DATELINE_NO_SPEEDUPS=1", python=args.b, stock=True)]
    for python in {args.a, args.b}:
        compile_package(python)
    results = measure(variants, make_sites(work, args.size), work, args.repeat)
    text = table(results, variants, args.size)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
