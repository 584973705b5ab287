"""``dateline serve`` running in a thread, and a client that follows redirect pages over HTTP."""

from __future__ import annotations

import http.client
import io
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from generator.options import BuildOptions
from generator.serve.app import serve
from generator.serve.desk import ServeOptions
from tests.helpers import NOW

_REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')


class _Output(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()

    def write(self, text: str) -> int:
        with self.lock:
            return super().write(text)

    def text(self) -> str:
        with self.lock:
            return self.getvalue()


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    redirected_to: str | None  # the target of a redirect page, when the first answer was one


@dataclass(frozen=True)
class Server:
    port: int

    def get(self, path: str) -> tuple[int, str]:
        status, body, _ = self._request(path)
        return status, body

    def _request(self, path: str) -> tuple[int, str, str | None]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", quote(path, safe="/%:@!$&'()*+,;=~-._?"))
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        location = response.getheader("Location")
        connection.close()
        return response.status, body, location

    def answer(self, path: str) -> Answer:
        """GET ``path``, following the server's redirect (a folder without its '/') and then a redirect page."""
        status, body, location = self._request(path)
        if status in (301, 302, 307, 308) and location:
            status, body, _ = self._request(location)
        refresh = _REFRESH.search(body) if status == 200 else None
        if refresh is None:
            return Answer(status, body, None)
        target = refresh.group(1)
        status, body = self.get(target)
        return Answer(status, body, target)


@contextmanager
def served(site: Path, output: Path | None = None) -> Iterator[Server]:
    """``dateline serve`` on a free port of 127.0.0.1 for the length of the block."""
    out, stop, ready = _Output(), threading.Event(), threading.Event()
    options = ServeOptions(build=BuildOptions(site_dir=site, output=output or site / "output", now=NOW),
                           port=0, debounce=0.05)
    thread = threading.Thread(target=serve, args=(options, out, out), kwargs={"ready": ready, "stop": stop})
    thread.start()
    try:
        assert ready.wait(60), out.text()
        deadline = time.monotonic() + 30
        while not (match := re.search(r"Serving on http://127\.0\.0\.1:(\d+)/", out.text())):
            assert time.monotonic() < deadline, out.text()
            time.sleep(0.02)
        yield Server(int(match.group(1)))
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
