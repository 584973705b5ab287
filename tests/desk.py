"""``dateline serve`` as a subprocess, both output streams read line by line, for the author's-desk tests."""

from __future__ import annotations

import http.client
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

from tests.helpers import CHECKOUT, NOW, write

TIMEOUT = 20.0


class Desk:
    """``python -m generator serve -s SITE --port 0 ARGS``; ``lines`` holds ``(stream, line)`` as printed."""

    def __init__(self, site: Path, *args: str, epoch: int = int(NOW.timestamp())) -> None:
        env = {**os.environ, "PYTHONPATH": str(CHECKOUT), "PYTHONIOENCODING": "utf-8", "SOURCE_DATE_EPOCH": str(epoch)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "-s", str(site), "--port", "0", *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
            bufsize=1, env=env, start_new_session=True)
        self.seen: list[tuple[str, str]] = []
        self.since = 0  # ``wait_for`` looks at lines from here on (see ``mark``)
        self.lines: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self.readers = [threading.Thread(target=self._read, args=(stream, name), daemon=True)
                        for stream, name in ((self.proc.stdout, "out"), (self.proc.stderr, "err"))]
        for reader in self.readers:
            reader.start()
        self.port = int(self.wait_for(r"^Serving on http://127\.0\.0\.1:(\d+)/").group(1))

    def _read(self, stream, name: str) -> None:  # type: ignore[no-untyped-def]
        with stream:
            for line in stream:
                self.lines.put((name, line.rstrip("\n")))
        self.lines.put(None)

    def mark(self) -> None:
        """From now on ``wait_for`` looks only at lines printed after this point.

        The two streams are read by two threads: a warning on stderr and
        the rebuild line on stdout may arrive in either order.
        """
        self.since = len(self.seen)

    def save(self, site: Path, relative: str, text: str) -> None:
        """Mark, then save ``text`` as the site's file ``relative``, as an editor does."""
        self.mark()
        write(site, relative, text)

    def wait_for(self, pattern: str, stream: str | None = None) -> re.Match[str]:
        """A line since the ``mark`` matching ``pattern`` (on ``stream``: ``out`` or ``err``, if given)."""
        for name, line in self.seen[self.since:]:
            match = re.search(pattern, line)
            if match and (stream is None or name == stream):
                return match
        while True:
            try:
                item = self.lines.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r}:\n{self.transcript()}") from None
            if item is None:
                if all(not reader.is_alive() for reader in self.readers) or self.proc.poll() is not None:
                    raise AssertionError(f"the server ended before {pattern!r}:\n{self.transcript()}")
                continue
            self.seen.append(item)
            match = re.search(pattern, item[1])
            if match and (stream is None or item[0] == stream):
                return match

    def transcript(self) -> str:
        return "\n".join(f"{name}: {line}" for name, line in self.seen)

    def get(self, path: str, host: str | None = "127.0.0.1") -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        for reader in self.readers:
            reader.join(timeout=TIMEOUT)
