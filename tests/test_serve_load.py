"""The dev server under load: concurrent requests while files change in bursts.

A shorter version of bench/serve_load.py that runs in the test suite: no
failed request but the expected 404s and 400s, no half-written page served,
no threads or file descriptors left behind, memory stable, and the final
output equal to a clean build.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import shutil
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator.build import build
from generator.options import BuildOptions
from tests.golden import REPO
from tests.helpers import NOW, ServeProcess, snapshot
from tests.test_incremental import assert_same_output

ENV = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
PAGES = ["/", "/page/2/", "/world/", "/tags/belarus/", "/archive/2020/08/", "/about/", "/feed.xml",
         "/css/site.css", "/media/harbour-cranes.png", "/sitemap.xml",
         "/2020/08/lukashenko-putin-discuss-belarus-protests-state-news-agency/"]
MISSING = ["/no/such/page/", "/2020/08/nothing/", "/css/missing.css"]
HOSTILE = ["/%2e%2e/config.toml", "/..%2f..%2fconfig.toml", "/%252e%252e/config.toml", "/..\\config.toml",
           "/%00", "/" + "x/" * 1500, "/%c0%ae%c0%ae/config.toml", "//example.org/"]


def process_counts(pid: int) -> tuple[int, int, int]:
    """Threads, open file descriptors and resident memory (kB) of a process."""
    threads = len(os.listdir(f"/proc/{pid}/task"))
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    rss = int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1))  # type: ignore[union-attr]
    return threads, fds, rss


def request(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.load
def test_load_while_files_change(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "config.toml", site / "config.toml")
    server = ServeProcess(site, env=ENV, timeout=30)  # its output is read as it comes, which keeps the pipes drained
    port = server.port
    try:
        request(port, "/")
        baseline = process_counts(server.pid)

        articles = sorted((site / "content/articles").rglob("*.md"))
        originals = {path: path.read_text() for path in articles}
        stop_editing = threading.Event()

        def edit_in_bursts() -> int:
            rng, changes = random.Random(7), 0
            while changes < 1000 and not stop_editing.is_set():
                for _ in range(50):
                    path = rng.choice(articles)
                    path.write_text(originals[path] + f"\nEdit number {changes}.\n")
                    changes += 1
                time.sleep(0.05)
            return changes

        failures: list[str] = []

        def one(path: str) -> None:
            status, body = request(port, path)
            expected = (404,) if path in MISSING else (400, 404) if path in HOSTILE else (200,)
            if status not in expected:
                failures.append(f"{path}: {status}")
            if path in HOSTILE and b"base_url" in body:
                failures.append(f"{path}: served config.toml")
            if status == 200 and path.endswith("/") and not body.rstrip().endswith(b"</html>"):
                failures.append(f"{path}: a half-written page")

        editor = ThreadPoolExecutor(1).submit(edit_in_bursts)
        rng = random.Random(11)
        paths = [rng.choice(PAGES + MISSING + HOSTILE) for _ in range(1000)]
        with ThreadPoolExecutor(200) as pool:
            list(pool.map(one, paths))
        changes = editor.result(timeout=120)
        assert changes == 1000
        assert failures == []

        # Live-reload clients come and go.
        for _ in range(100):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(b"GET /__dateline__/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                assert b"event: hello" in sock.recv(4096) or b"event: hello" in sock.recv(4096)

        clean = tmp_path / "clean"
        # What the server shows: drafts and scheduled articles too (see ``serve --no-drafts``).
        build(BuildOptions(site_dir=site, output=clean, now=NOW, drafts=True, future=True))
        expected = snapshot(clean)
        deadline = time.monotonic() + 30
        while snapshot(site / "output") != expected and time.monotonic() < deadline:
            time.sleep(0.2)  # the last burst is still being rebuilt
        assert_same_output(snapshot(site / "output"), expected, "the served site after the last burst")

        deadline = time.monotonic() + 15
        while process_counts(server.pid)[:2] > baseline[:2] and time.monotonic() < deadline:
            time.sleep(0.2)  # handler threads notice closed sockets within half a second
        threads, fds, rss = process_counts(server.pid)
        assert threads <= baseline[0], f"threads {baseline[0]} -> {threads}"
        assert fds <= baseline[1], f"file descriptors {baseline[1]} -> {fds}"
        assert rss - baseline[2] < 60_000, f"memory grew from {baseline[2]} kB to {rss} kB"
        server.stop()  # Ctrl-C: exit status 0, "Stopped." and no traceback
    finally:
        server.kill()
