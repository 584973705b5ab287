"""The dev server's HTTP side: safe path resolution, live reload, error overlay.

Built on the standard library's ``ThreadingHTTPServer``. Only requests
whose ``Host`` names this server are answered (see ``hosts``); every request
path is resolved strictly inside the output folder; HTML responses get the
live-reload script (and, after a failed build, the error overlay) injected
on the way out, so nothing of the dev server is ever written to ``output/``.
"""

from __future__ import annotations

import json
import queue
import select
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from generator.render.headers import HEADERS_FILE, read_headers_file
from generator.serve.hosts import host_allowed
from generator.serve.overlay import inject
from generator.serve.paths import DEV_PREFIX, content_type, resolve_request
from generator.serve.status import EventHub, SiteStatus

HOST_REFUSED = (b"Forbidden: this dev server answers only requests addressed to this machine "
                b"(localhost, 127.0.0.1, [::1], the --bind address or a host given with --allow-host).\n")


def _dev_file(name: str) -> bytes:
    return resources.files("generator.serve").joinpath(name).read_bytes()


class DevServer(ThreadingHTTPServer):
    """Serves one output folder with live reload; see ``DevRequestHandler``."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # a browser opening many tabs at once

    def __init__(self, address: tuple[str, int], output: Path, base_path: str,
                 status: SiteStatus, hub: EventHub, log: bool = False,
                 allowed_hosts: frozenset[str] = frozenset()) -> None:
        self.output = output
        self.allowed_hosts = allowed_hosts  # besides loopback names and IP addresses (see ``hosts``)
        self.base_path = base_path
        self.status = status
        self.hub = hub
        self.log_requests = log
        self.livereload = _dev_file("livereload.js")
        self.overlay_css = _dev_file("overlay.css")
        self._headers: tuple[tuple[int, int], dict[str, str]] | None = None
        self._headers_lock = threading.Lock()
        self.stopping = threading.Event()
        super().__init__(address, DevRequestHandler)

    def site_headers(self) -> dict[str, str]:
        """The headers the build wrote to ``_headers`` (CSP and the rest), read again when it changes."""
        try:
            stat = (self.output / HEADERS_FILE).stat()
            key = (stat.st_mtime_ns, stat.st_size)
            with self._headers_lock:
                if self._headers is None or self._headers[0] != key:
                    self._headers = (key, read_headers_file((self.output / HEADERS_FILE).read_bytes()))
                return self._headers[1]
        except OSError:
            return {}

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        """A browser that hangs up mid-response is not worth a traceback."""


class DevRequestHandler(BaseHTTPRequestHandler):
    server: DevServer
    server_version = "Dateline"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        if self.server.log_requests:
            super().log_message(format, *args)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        if not host_allowed(self.headers.get("Host"), self.server.allowed_hosts):
            return self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", HOST_REFUSED, head)
        if self.path == DEV_PREFIX + "events":
            return self._events(head)
        if self.path == DEV_PREFIX + "livereload.js":
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", self.server.livereload, head)
        if self.path == DEV_PREFIX + "overlay.css":
            return self._send(HTTPStatus.OK, "text/css; charset=utf-8", self.server.overlay_css, head)
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
            banner = self.server.status.banners.get(found.file.relative_to(self.server.output).as_posix())
            body = inject(body, self.server.status, build, banner)
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
        for name, value in self.server.site_headers().items():  # the same headers as in production
            if name.lower() != "x-content-type-options":
                self.send_header(name, value)
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
