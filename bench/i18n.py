"""What the site's language costs: compiling its catalogue, and a cold build in each language.

    python bench/i18n.py [--repeat 5] [--out FILE]

For each shipped language of the newsroom theme: the time to find, merge
and compile its catalogue (``load_catalogue`` with no previous one), the
time when the previous build's catalogue is reused (the .po files are only
read and hashed), and the best wall-clock time of a cold build of the
sample site (``dateline build --no-cache``, empty output folder) with
``language`` set to it, ``--repeat`` times. Prints a table and writes it to
``--out`` (default ``bench/results/i18n.md``). A script, not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

from provenance import generator_version  # noqa: E402

from generator.config.themes import BUILTIN_THEMES  # noqa: E402
from generator.i18n.catalogue import find_po_files, load_catalogue  # noqa: E402

LANGUAGES = ("en", "ru", "uk", "de", "fr", "es", "ar", "ja")


def catalogue_ms(language: str, repeat: int) -> tuple[float, float]:
    """Median milliseconds to compile the catalogue, and to reuse it."""
    folders = [(BUILTIN_THEMES / "newsroom", "<built-in>/newsroom")]
    cold, warm = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        catalogue = load_catalogue(find_po_files(folders, language), language)
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        load_catalogue(find_po_files(folders, language), language, catalogue)
        warm.append(time.perf_counter() - started)
    return statistics.median(cold) * 1000, statistics.median(warm) * 1000


def cold_build_s(work: Path, language: str, repeat: int) -> float:
    site = work / language
    shutil.copytree(ROOT / "content", site / "content", dirs_exist_ok=True)
    config = (ROOT / "config.toml").read_text(encoding="utf-8").replace('language = "en"', f'language = "{language}"')
    (site / "config.toml").write_text(config, encoding="utf-8")
    best = float("inf")
    for _ in range(repeat):
        shutil.rmtree(site / "output", ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "generator", "build", "--no-cache", "-q", "-s", str(site)],
                       check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "i18n.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for language in LANGUAGES:
            cold, warm = catalogue_ms(language, args.repeat)
            rows.append((language, cold, warm, cold_build_s(Path(scratch), language, args.repeat)))
    lines = [
        "# The site's language: catalogue and build cost",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/i18n.py` on {os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}; the sample site (14 articles, 74 pages) "
        f"with `language` set to each, best of {args.repeat} cold builds (`--no-cache`); catalogue times are "
        f"medians of {args.repeat}. Dateline {generator_version(ROOT)}.",
        "",
        "| language | compile catalogue (ms) | reuse last build's (ms) | cold build of the sample site (s) |",
        "|---|---:|---:|---:|",
        *(f"| {lang} | {cold:.1f} | {warm:.2f} | {build:.2f} |" for lang, cold, warm, build in rows),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
