"""What the builder and the request threads share: the build being shown, and the browsers listening."""

from __future__ import annotations

import json
import queue
import threading
import uuid
from collections.abc import Mapping, Sequence


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
        self.warnings: tuple[str, ...] = ()  # of the files whose change failed, shown with the errors
        # Output file → preview banner of the build being shown (see ``preview``): set with the
        # build's number, so that no request sees a new page without its banner.
        self.banners: Mapping[str, str] = {}

    def begin(self) -> None:
        with self._cond:
            self._building = True

    def finish(self, errors: Sequence[str] = (), warnings: Sequence[str] = (),
               banners: Mapping[str, str] | None = None) -> None:
        with self._cond:
            self._building = False
            self._finished += 1
            self.errors = tuple(errors)
            self.warnings = tuple(warnings) if errors else ()
            if not errors:
                self.build_number += 1
                self.banners = banners if banners is not None else self.banners
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
        return {"server": self.server_id, "build": self.build_number, "errors": list(self.errors),
                "warnings": list(self.warnings)}


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
