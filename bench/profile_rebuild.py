"""Where the dev server's rebuild time goes.

    python bench/profile_rebuild.py N [--kind body|title] [--seed S] [--site DIR] [--top 40] [--source DIR]

Generates a corpus of N articles (or uses ``--site``), runs the cold build
the way ``dateline serve`` does, then edits one article and runs the
incremental rebuild exactly as ``Desk.rebuild`` does
(``build(options, state=..., changed={path}, in_place=True)``): once timed
stage by stage (each stage function of ``generator.build`` wrapped with a
timer, nothing under ``generator/`` modified), once under cProfile. Prints
the stage table and the top functions by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import pstats
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from serve_latency import EDITS, atomic_write, pick_article  # noqa: E402

gb = None  # generator.build, imported in main() from --source

STAGES = ("load_site", "load_config", "theme_chain", "static_assets", "list_content", "parse_sources", "collect_site",
          "plan_pages", "plan_feeds", "check_collisions", "make_environment", "_render_all",
          "write_in_place", "write_output", "_config_key", "check_output_location")


def instrument() -> dict[str, list[float]]:
    """Wrap the stage functions ``generator.build`` calls with timers (in memory only)."""
    timings: dict[str, list[float]] = defaultdict(list)
    for name in STAGES:
        original = getattr(gb, name, None)
        if original is None:
            continue

        def timed(*args, _original=original, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                timings[_name].append(time.perf_counter() - started)

        setattr(gb, name, functools.wraps(original)(timed))
    sitemap_original = gb.sitemap.sitemap

    def timed_sitemap(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return sitemap_original(*args, **kwargs)
        finally:
            timings["sitemap.sitemap"].append(time.perf_counter() - started)

    gb.sitemap.sitemap = timed_sitemap  # type: ignore[assignment]
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--kind", choices=sorted(EDITS), default="body")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--site", type=Path, help="an existing corpus made by bench/corpus.py with the same N and seed")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--dump", type=Path, help="also write the raw cProfile stats here")
    parser.add_argument("--source", type=Path, default=HERE.parent,
                        help="folder holding the generator package to profile (default: this checkout)")
    args = parser.parse_args()
    global gb
    sys.path.insert(0, str(args.source.resolve()))
    import generator.build

    gb = generator.build
    print(f"generator package: {Path(generator.build.__file__).parent}")

    workdir = None
    site = args.site
    if site is None:
        workdir = Path(tempfile.mkdtemp(prefix="dateline-profile-"))
        site = workdir / "site"
        corpus.generate(args.n, site, args.seed)
    try:
        specs, _ = corpus.plan(args.n, args.seed)
        spec = pick_article(specs)
        path = site / spec.path
        cold_options = options = gb.BuildOptions(site_dir=site)
        if "jobs" in gb.BuildOptions.__dataclass_fields__:
            # The dev server's first build may fork workers; once its threads run it
            # renders serially (no fork with threads), so rebuilds here use one job.
            options = gb.BuildOptions(site_dir=site, jobs=1)

        started = time.perf_counter()
        result = gb.build(cold_options, state=None, in_place=False)  # as Desk.rebuild(first=True)
        print(f"cold build: {result.pages} pages, {result.articles} articles, {time.perf_counter() - started:.2f} s")
        state = result.state

        timings = instrument()
        for repeat in range(1, 4):
            atomic_write(path, EDITS[args.kind](path.read_text(encoding="utf-8"), f"zqprofile{repeat}x"))
            for values in timings.values():
                values.clear()
            started = time.perf_counter()
            result = gb.build(options, state=state, changed={path}, in_place=True)
            total = time.perf_counter() - started
            state = result.state
            print(f"\nrebuild #{repeat} after a {args.kind} edit: {total * 1000:.0f} ms, {result.rendered} rendered, "
                  f"{result.written} written")
            for name, values in sorted(timings.items(), key=lambda kv: -sum(kv[1])):
                if values:
                    inner = "  (includes the stages up to check_collisions)" if name == "load_site" else ""
                    print(f"  {name:<22} {sum(values) * 1000:8.1f} ms{inner}")

        atomic_write(path, EDITS[args.kind](path.read_text(encoding="utf-8"), "zqprofilefinalx"))
        profiler = cProfile.Profile()
        profiler.enable()
        gb.build(options, state=state, changed={path}, in_place=True)
        profiler.disable()
        if args.dump:
            profiler.dump_stats(str(args.dump))
        for order in ("cumulative", "tottime"):
            stream = io.StringIO()
            pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(order).print_stats(args.top)
            print(f"\n=== cProfile of one incremental rebuild, by {order} ===")
            print(stream.getvalue())
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
