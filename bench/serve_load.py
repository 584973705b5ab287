"""Load on the dev server: many concurrent requests while files change in bursts.

    python bench/serve_load.py [--requests 20000] [--concurrency 200] [--changes 5000]

Starts `dateline serve` on a copy of the sample site, fires requests (pages,
assets, unknown paths, traversal attempts) from a thread pool while another
thread rewrites articles in bursts of 50, then prints requests served,
unexpected statuses, p50/p99/max latency, and the server's threads, file
descriptors and memory before and after. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.test_serve_load import HOSTILE, MISSING, PAGES, process_counts, request, start_server  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--changes", type=int, default=5000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dateline-load-") as temporary:
        site = Path(temporary) / "site"
        shutil.copytree(REPO / "content", site / "content")
        shutil.copy(REPO / "config.toml", site / "config.toml")
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        server, port = start_server(site, env)
        rebuilds = []
        threading.Thread(target=lambda: rebuilds.extend(server.stdout), daemon=True).start()  # type: ignore[arg-type]
        request(port, "/")
        before = process_counts(server.pid)

        articles = sorted((site / "content/articles").rglob("*.md"))
        originals = {path: path.read_text() for path in articles}

        def edit() -> None:
            rng = random.Random(1)
            for number in range(args.changes):
                path = rng.choice(articles)
                path.write_text(originals[path] + f"\nEdit {number}.\n")
                if number % 50 == 49:
                    time.sleep(0.05)

        latencies: list[float] = []
        unexpected: list[str] = []

        def one(path: str) -> None:
            started = time.perf_counter()
            try:
                status, _ = request(port, path)
            except OSError as exc:
                unexpected.append(f"{path}: {exc}")
                return
            latencies.append(time.perf_counter() - started)
            expected = (404,) if path in MISSING else (400, 404) if path in HOSTILE else (200,)
            if status not in expected:
                unexpected.append(f"{path}: {status}")

        rng = random.Random(2)
        paths = [rng.choice(PAGES + MISSING + HOSTILE) for _ in range(args.requests)]
        editor = threading.Thread(target=edit)
        started = time.perf_counter()
        editor.start()
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(one, paths))
        editor.join()
        elapsed = time.perf_counter() - started
        time.sleep(3)  # let the last rebuild finish and handler threads wind down
        after = process_counts(server.pid)
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)

    ordered = sorted(latencies)
    print("| requests | unexpected | p50 ms | p99 ms | max ms | requests/s | file changes | rebuild lines |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {len(latencies)} | {len(unexpected)} | {statistics.median(ordered) * 1000:.1f} | "
          f"{ordered[int(len(ordered) * 0.99)] * 1000:.1f} | {ordered[-1] * 1000:.1f} | "
          f"{len(latencies) / elapsed:.0f} | {args.changes} | {sum('changed' in r for r in rebuilds)} |")
    print()
    print("| server | threads | open fds | RSS MB |")
    print("|---|---:|---:|---:|")
    print(f"| before | {before[0]} | {before[1]} | {before[2] / 1024:.1f} |")
    print(f"| after | {after[0]} | {after[1]} | {after[2] / 1024:.1f} |")
    print(f"\nserver exit status: {server.returncode}")
    for line in unexpected[:10]:
        print("unexpected:", line)
    return 0 if not unexpected and server.returncode == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
