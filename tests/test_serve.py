"""The dev server over real HTTP on 127.0.0.1: serving, live-reload events, errors."""

from __future__ import annotations

import http.client
import io
import json
import os
import queue
import re
import signal
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.options import BuildOptions
from generator.serve.app import _is_loopback, serve
from generator.serve.desk import ServeOptions
from tests.helpers import NOW, ServeProcess, article, make_site, write


class Output(io.StringIO):
    """A thread-safe stdout stand-in that the test can wait on."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()

    def write(self, text: str) -> int:
        with self.lock:
            return super().write(text)

    def text(self) -> str:
        with self.lock:
            return self.getvalue()

    def wait_for(self, pattern: str, timeout: float = 15) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(pattern, self.text())
            if match:
                return match
            time.sleep(0.02)
        raise AssertionError(f"{pattern!r} never appeared in:\n{self.text()}")


@dataclass
class Running:
    site: Path
    port: int
    out: Output

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request(method, path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body


class Events:
    """A Server-Sent Events client on a plain socket, reading into a queue of (event, data)."""

    def __init__(self, port: int) -> None:
        self.queue: queue.Queue[tuple[str, dict]] = queue.Queue()
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.sendall(b"GET /__dateline__/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        self.stream = self.sock.makefile("rb")
        status = self.stream.readline()
        assert status.startswith(b"HTTP/1.0 200"), status
        headers = []
        while (line := self.stream.readline()) not in (b"\r\n", b""):
            headers.append(line.decode().lower())
        assert "content-type: text/event-stream; charset=utf-8\r\n" in headers
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        event = ""
        try:
            for raw in self.stream:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    self.queue.put((event, json.loads(line[6:])))
        except (OSError, ValueError):
            pass

    def next(self, kind: str, timeout: float = 15) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            event, data = self.queue.get(timeout=max(0.01, deadline - time.monotonic()))
            if event == kind:
                return data

    def close(self) -> None:
        """Hang up the way a closing browser tab does."""
        self.sock.shutdown(socket.SHUT_RDWR)
        self.thread.join(timeout=5)
        self.stream.close()
        self.sock.close()


@pytest.fixture()
def running(tmp_path: Path) -> Iterator[Running]:
    site = make_site(tmp_path / "site", {
        "articles/one.md": article("First story", "2020-08-15", "The original text.", tags="[Belarus]"),
        "articles/two.md": article("Second story", "2020-08-18", "More text.", tags="[Belarus]"),
    })
    out, stop, ready = Output(), threading.Event(), threading.Event()
    options = ServeOptions(build=BuildOptions(site_dir=site, now=NOW), port=0, debounce=0.05)
    thread = threading.Thread(target=serve, args=(options, out, out), kwargs={"ready": ready, "stop": stop})
    thread.start()
    assert ready.wait(30), out.text()
    port = int(out.wait_for(r"Serving on http://127\.0\.0\.1:(\d+)/").group(1))
    yield Running(site, port, out)
    stop.set()
    thread.join(timeout=15)
    assert not thread.is_alive()
    assert out.text().endswith("Stopped.\n")


def test_pages_headers_head_and_404(running: Running) -> None:
    status, headers, body = running.get("/2020/08/first-story/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-store"
    assert b"The original text." in body and b"/__dateline__/livereload.js" in body
    on_disk = (running.site / "output/2020/08/first-story/index.html").read_bytes()
    assert b"livereload" not in on_disk

    head_status, head_headers, head_body = running.get("/2020/08/first-story/", "HEAD")
    assert (head_status, head_body) == (200, b"")
    assert head_headers["content-length"] == headers["content-length"]

    status, headers, body = running.get("/no/such/page/")
    assert status == 404 and b"Page not found" in body
    assert running.get("/feed.xml")[1]["content-type"] == "application/atom+xml; charset=utf-8"
    assert running.get("/rss.xml")[1]["content-type"] == "application/rss+xml; charset=utf-8"
    assert running.get("/css/site.css")[1]["content-type"] == "text/css; charset=utf-8"
    assert running.get("/%2e%2e/config.toml")[0] == 400
    assert running.get("/__dateline__/livereload.js")[0] == 200


def test_edit_is_rebuilt_and_announced(running: Running) -> None:
    events = Events(running.port)
    hello = events.next("hello")
    assert hello["errors"] == [] and hello["build"] == 1
    write(running.site, "content/articles/one.md", article("First story", "2020-08-15", "Freshly edited text."))
    built = events.next("built")
    assert "/2020/08/first-story/" in built["changed"]
    assert "/" in built["changed"]  # the front page shows the article's summary
    assert b"Freshly edited text." in running.get("/2020/08/first-story/")[2]
    line = running.out.wait_for(r"content/articles/one\.md changed → published at /2020/08/first-story/; "
                                r"(\d+) pages?.* in \d+\.\d{3} s\n")
    assert int(line.group(1)) >= 1
    events.close()


def test_broken_build_keeps_last_good_site_and_reports_errors(running: Running) -> None:
    events = Events(running.port)
    events.next("hello")
    write(running.site, "content/articles/one.md", "---\ntitle: First story\ndate: <b>soon</b>\n---\nBroken.\n")
    failed = events.next("failed")
    assert failed["errors"] == ["content/articles/one.md:3: date '<b>soon</b>' is not a date"]
    running.out.wait_for(r"  content/articles/one\.md:3: date '<b>soon</b>' is not a date")
    status, _, body = running.get("/2020/08/first-story/")
    assert status == 200 and b"The original text." in body  # the last good page
    assert b"dateline-overlay" in body and b"&lt;b&gt;soon&lt;/b&gt;" in body
    write(running.site, "content/articles/one.md", article("First story", "2020-08-15", "Fixed now."))
    built = events.next("built")
    assert "/2020/08/first-story/" in built["changed"]
    body = running.get("/2020/08/first-story/")[2]
    assert b"Fixed now." in body and b"dateline-overlay" not in body
    events.close()


def test_deleted_article_404s_and_leaves_indexes(running: Running) -> None:
    events = Events(running.port)
    events.next("hello")
    (running.site / "content/articles/two.md").unlink()
    built = events.next("built")
    assert "/2020/08/second-story/" in built["changed"]
    assert running.get("/2020/08/second-story/")[0] == 404
    assert b"Second story" not in running.get("/")[2]
    assert b"Second story" not in running.get("/tags/belarus/")[2]
    events.close()


def request_threads() -> int:
    return sum(1 for thread in threading.enumerate() if "process_request" in thread.name)


def test_many_browsers_connect_and_leave_without_leaking(running: Running) -> None:
    assert request_threads() == 0
    clients = [Events(running.port) for _ in range(20)]
    for client in clients:
        client.next("hello")
    assert request_threads() == 20
    for client in clients:
        client.close()
    deadline = time.monotonic() + 10
    while request_threads() and time.monotonic() < deadline:
        time.sleep(0.05)  # handler threads notice a closed socket within half a second
    assert request_threads() == 0


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("A", "2020-01-01")})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = Output()
        status = serve(ServeOptions(build=BuildOptions(site_dir=site, now=NOW), port=port), out, out)
    assert status == 1
    assert f"port {port} on 127.0.0.1 is already in use" in out.text()
    assert "--port 0" in out.text()


def test_loopback_detection() -> None:
    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("localhost")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.0.2.1")


def test_ctrl_c_stops_cleanly_without_traceback(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("A", "2020-01-01")})
    with ServeProcess(site) as server:
        server.stop()  # SIGINT, as Ctrl-C sends: exit status 0, "Stopped." and no traceback
    assert server.stderr == []


def test_ctrl_c_stops_a_server_started_with_sigint_ignored(tmp_path: Path) -> None:
    """``dateline serve &`` in a script, or under a parent that ignores SIGINT, starts with SIGINT ignored.

    Python then installs no KeyboardInterrupt handler; the server must install
    it itself, or Ctrl-C (and the SIGINT a test sends) would not stop it.
    """
    site = make_site(tmp_path, {"articles/a.md": article("A", "2020-01-01")})
    with ServeProcess(site, sigint=signal.SIG_IGN) as server:
        server.stop()
    assert server.stderr == []


def blocked_signals(pid: int, thread: int) -> int:
    """The mask of signals the thread blocks, from /proc."""
    status = Path(f"/proc/{pid}/task/{thread}/status").read_text()
    return int(re.search(r"^SigBlk:\s+([0-9a-f]+)$", status, re.MULTILINE).group(1), 16)  # type: ignore[union-attr]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the threads' signal masks from Linux's /proc")
def test_only_the_main_thread_takes_ctrl_c(tmp_path: Path) -> None:
    """The kernel hands a process's SIGINT to any thread that does not block it.

    Taken by one of the server's other threads, the signal sets Python's flag
    but does not wake the main thread from its sleep, and the server ignored
    Ctrl-C (a third of the stops while requests came in, on a busy machine).
    So every thread but the main one, request threads included, blocks
    SIGINT and SIGTERM.
    """
    site = make_site(tmp_path, {"articles/a.md": article("A", "2020-01-01")})
    stop_signals = 1 << (signal.SIGINT - 1) | 1 << (signal.SIGTERM - 1)
    with ServeProcess(site) as server:
        events = Events(server.port)  # a request thread that stays while the masks are read
        events.next("hello")
        threads = [int(name) for name in os.listdir(f"/proc/{server.pid}/task")]
        masks = {thread: blocked_signals(server.pid, thread) & stop_signals for thread in threads}
        events.close()
        server.stop()
    assert masks.pop(server.pid) == 0  # the main thread's id is the process's
    assert len(masks) >= 4  # HTTP, request, watcher and debounce threads
    assert set(masks.values()) == {stop_signals}, f"threads that take SIGINT or SIGTERM: {masks}"
