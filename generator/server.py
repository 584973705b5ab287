"""The dev server's HTTP side: safe path resolution, live reload, error overlay.

Built on the standard library's ``ThreadingHTTPServer``. Every request path
is resolved strictly inside the output folder; HTML responses get the
live-reload script (and, after a failed build, the error overlay) injected
on the way out, so nothing of the dev server is ever written to ``output/``.
"""

from __future__ import annotations

import html
import json
import mimetypes
import queue
import select
import socket
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEV_PREFIX = "/__dateline__/"
MAX_PATH = 2048
_TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
    ".ico": "image/x-icon",
}


# --- path resolution -----------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    """What a request path maps to: a file, a redirect, or an error status."""

    status: int
    file: Path | None = None
    location: str | None = None


def resolve_request(output: Path, base_path: str, raw_target: str) -> Resolution:
    """Map the request target to a file strictly inside ``output``.

    Refuses (400) absolute-form and ``//host`` targets, NUL bytes, backslashes,
    encoded slashes, ``..`` segments in any encoding and over-long paths;
    follows symbolic links only when they stay inside ``output``; serves
    ``index.html`` for folder URLs and redirects folders without their slash.
    """
    if len(raw_target) > MAX_PATH or not raw_target.startswith("/") or raw_target.startswith("//"):
        return Resolution(HTTPStatus.BAD_REQUEST)
    parts = urlsplit(raw_target)
    raw_path = parts.path
    lowered = raw_path.lower()
    if "%2f" in lowered or "%5c" in lowered or "%00" in lowered or "\\" in raw_path:
        return Resolution(HTTPStatus.BAD_REQUEST)
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return Resolution(HTTPStatus.BAD_REQUEST)
    if "\x00" in path or "\\" in path or any(ord(ch) < 32 for ch in path):
        return Resolution(HTTPStatus.BAD_REQUEST)
    segments = path.split("/")
    if ".." in segments or "." in segments:
        return Resolution(HTTPStatus.BAD_REQUEST)
    if not path.startswith(base_path):
        if path + "/" == base_path or path == "/":
            return Resolution(HTTPStatus.MOVED_PERMANENTLY, location=base_path)
        return Resolution(HTTPStatus.NOT_FOUND)
    relative = [segment for segment in path[len(base_path):].split("/") if segment]
    if any(segment.startswith(".") for segment in relative):
        return Resolution(HTTPStatus.NOT_FOUND)  # staging and temp files are never public
    root = output.resolve()
    try:
        target = root.joinpath(*relative).resolve()
    except (OSError, RuntimeError):  # symlink loops
        return Resolution(HTTPStatus.NOT_FOUND)
    if not target.is_relative_to(root):
        return Resolution(HTTPStatus.NOT_FOUND)
    if target.is_dir():
        if not path.endswith("/"):
            query = f"?{parts.query}" if parts.query else ""
            return Resolution(HTTPStatus.MOVED_PERMANENTLY, location=raw_path + "/" + query)
        target = target / "index.html"
    if not target.is_file():
        return Resolution(HTTPStatus.NOT_FOUND)
    return Resolution(HTTPStatus.OK, file=target)


def content_type(path: Path, head: bytes = b"") -> str:
    """The Content-Type for a file; XML is sniffed for Atom and RSS feeds."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        if b"<feed" in head:
            return "application/atom+xml; charset=utf-8"
        if b"<rss" in head:
            return "application/rss+xml; charset=utf-8"
        return "application/xml; charset=utf-8"
    if suffix in _TEXT_TYPES:
        return _TEXT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


# --- shared state between the builder and the request threads ---------------------


class SiteStatus:
    """The build the server is showing: its number, its errors, and whether one runs.

    Requests wait while a build is writing so that no one sees a half-written
    site; the builder waits for nobody.
    """

    def __init__(self) -> None:
        self.server_id = uuid.uuid4().hex[:12]
        self._cond = threading.Condition()
        self._building = False
        self._finished = 0  # builds ended, good or failed
        self.build_number = 0
        self.errors: tuple[str, ...] = ()

    def begin(self) -> None:
        with self._cond:
            self._building = True

    def finish(self, errors: Sequence[str] = ()) -> None:
        with self._cond:
            self._building = False
            self._finished += 1
            self.errors = tuple(errors)
            if not errors:
                self.build_number += 1
            self._cond.notify_all()

    def wait_ready(self, timeout: float = 60.0) -> int:
        """Wait for the build under way, if any; returns the number of the last good build.

        A request waits for the build that was running when it arrived, never
        for the ones after it: while files keep changing, builds follow each
        other without a gap, and waiting for "no build" would starve readers.
        Files are replaced atomically, so whatever is read is whole.
        """
        with self._cond:
            if self._building:
                target = self._finished + 1
                self._cond.wait_for(lambda: not self._building or self._finished >= target, timeout)
            return self.build_number

    def hello(self) -> dict[str, object]:
        return {"server": self.server_id, "build": self.build_number, "errors": list(self.errors)}


class EventHub:
    """Server-Sent Events fan-out: one queue per connected browser."""

    CLOSE = object()

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: set[queue.Queue[object]] = set()

    def subscribe(self) -> queue.Queue[object]:
        client: queue.Queue[object] = queue.Queue(maxsize=100)
        with self._lock:
            self._clients.add(client)
        return client

    def unsubscribe(self, client: queue.Queue[object]) -> None:
        with self._lock:
            self._clients.discard(client)

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._clients)

    def publish(self, event: str, data: dict[str, object]) -> None:
        message = f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            try:
                client.put_nowait(message)
            except queue.Full:  # a stuck browser must not hold the server up
                self.unsubscribe(client)

    def close_all(self) -> None:
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            try:
                client.put_nowait(self.CLOSE)
            except queue.Full:
                pass


# --- the HTTP server ------------------------------------------------------------------------


def _livereload_source() -> bytes:
    return resources.files("generator").joinpath("livereload.js").read_bytes()


def overlay_html(errors: Sequence[str]) -> str:
    """The error overlay, rendered on the server so it shows even before the script runs."""
    items = html.escape("\n".join(errors))
    return (
        '<div id="dateline-overlay" role="alertdialog" aria-label="Build failed" style="position:fixed;inset:0;'
        "z-index:2147483647;background:rgba(20,0,0,.88);color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,"
        'monospace;padding:2rem;overflow:auto"><h2 style="font:bold 18px system-ui,sans-serif;margin:0 0 1rem;'
        'color:#ffb4b4">Build failed — the last good version of the site is still being served</h2>'
        f'<pre style="white-space:pre-wrap;margin:0 0 1.5rem">{items}</pre>'
        '<button type="button" style="font:inherit;padding:.4rem 1rem" '
        "onclick=\"this.parentNode.remove()\">Dismiss</button></div>"
    )


def inject(page: bytes, status: SiteStatus, build: int | None = None) -> bytes:
    """Add the live-reload script (and the overlay) before ``</body>``.

    ``build`` is the build the page was read from (default: the latest). It
    must not be newer than the page, or the script would not reload a page
    that missed a build while it loaded.
    """
    snippet = (
        f'<script src="{DEV_PREFIX}livereload.js" data-root="{DEV_PREFIX}" '
        f'data-build="{status.build_number if build is None else build}"></script>'
    )
    if status.errors:
        snippet = overlay_html(status.errors) + snippet
    data = snippet.encode()
    position = page.lower().rfind(b"</body>")
    if position == -1:
        return page + data
    return page[:position] + data + page[position:]


class DevServer(ThreadingHTTPServer):
    """Serves one output folder with live reload; see ``DevRequestHandler``."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # a browser opening many tabs at once

    def __init__(self, address: tuple[str, int], output: Path, base_path: str,
                 status: SiteStatus, hub: EventHub, log: bool = False) -> None:
        self.output = output
        self.base_path = base_path
        self.status = status
        self.hub = hub
        self.log_requests = log
        self.livereload = _livereload_source()
        self.stopping = threading.Event()
        super().__init__(address, DevRequestHandler)

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        """A browser that hangs up mid-response is not worth a traceback."""


class DevRequestHandler(BaseHTTPRequestHandler):
    server: DevServer
    server_version = "Dateline"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        if self.server.log_requests:
            super().log_message(format, *args)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib naming
        self._respond(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        if self.path == DEV_PREFIX + "events":
            return self._events(head)
        if self.path == DEV_PREFIX + "livereload.js":
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", self.server.livereload, head)
        if self.path == DEV_PREFIX + "status":
            body = json.dumps(self.server.status.hello()).encode()
            return self._send(HTTPStatus.OK, "application/json", body, head)
        build = self.server.status.wait_ready()  # before reading: a build may finish meanwhile
        found = resolve_request(self.server.output, self.server.base_path, self.path)
        if found.status == HTTPStatus.MOVED_PERMANENTLY:
            self.send_response(found.status)
            self.send_header("Location", found.location or "/")
            self.send_header("Content-Length", "0")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            return None
        if found.status == HTTPStatus.BAD_REQUEST:
            return self._send(found.status, "text/plain; charset=utf-8", b"Bad request\n", head)
        if found.file is None:
            return self._not_found(head, build)
        try:
            body = found.file.read_bytes()
        except OSError:
            return self._not_found(head, build)
        kind = content_type(found.file, body[:512])
        if kind.startswith("text/html"):
            body = inject(body, self.server.status, build)
        return self._send(HTTPStatus.OK, kind, body, head)

    def _not_found(self, head: bool, build: int) -> None:
        page = self.server.output / "404.html"
        try:
            body = inject(page.read_bytes(), self.server.status, build)
            kind = "text/html; charset=utf-8"
        except OSError:
            body, kind = b"Not found\n", "text/plain; charset=utf-8"
        self._send(HTTPStatus.NOT_FOUND, kind, body, head)

    def _send(self, status: int, kind: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, head: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if head:
            return
        hub = self.server.hub
        client = hub.subscribe()
        try:
            hello = json.dumps(self.server.status.hello())
            self.wfile.write(f"retry: 1000\nevent: hello\ndata: {hello}\n\n".encode())
            self.wfile.flush()
            idle = 0.0
            while not self.server.stopping.is_set():
                try:
                    message = client.get(timeout=0.5)
                except queue.Empty:
                    if self._client_gone():
                        return
                    idle += 0.5
                    if idle >= 15:
                        self.wfile.write(b": ping\n\n")
                        self.wfile.flush()
                        idle = 0.0
                    continue
                if message is EventHub.CLOSE:
                    return
                self.wfile.write(message)  # type: ignore[arg-type]
                self.wfile.flush()
                idle = 0.0
        except OSError:
            return
        finally:
            hub.unsubscribe(client)
            self.close_connection = True

    def _client_gone(self) -> bool:
        """True when the browser closed the connection (the socket reads EOF)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and not self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return True
