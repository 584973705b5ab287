"""``dateline serve``: build, serve, watch, rebuild what changed, reload the browser.

The builder thread owns the ``BuildState``; request threads only read the
output folder, and wait while a build writes it. A failed build leaves the
last good site in place and shows its errors in the terminal and, through
the overlay, in every page the browser shows.
"""

from __future__ import annotations

import errno
import ipaddress
import signal
import sys
import threading
import time
import webbrowser
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from generator.build import BuildOptions, BuildState, build
from generator.config import CONFIG_NAME, load_config
from generator.errors import BuildFailed
from generator.server import DevServer, EventHub, SiteStatus
from generator.sources import site_relative
from generator.themes import BUILTIN_THEMES
from generator.watch import Watcher


@dataclass(frozen=True)
class ServeOptions:
    build: BuildOptions
    bind: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False
    debounce: float = 0.02  # an editor's atomic save is over in one rename


def _url_of(base_path: str, output_file: str) -> str:
    if output_file.endswith("index.html"):
        output_file = output_file[: -len("index.html")]
    return base_path + output_file


def _describe(site_dir: Path, batch: Iterable[Path]) -> str:
    names = sorted({site_relative(site_dir, path) for path in batch})
    if len(names) == 1:
        return f"{names[0]} changed"
    if len(names) <= 3:
        return ", ".join(names) + " changed"
    return f"{len(names)} files changed"


class Desk:
    """The builder: turns batches of changed files into builds and notifications."""

    def __init__(self, options: ServeOptions, status: SiteStatus, hub: EventHub, out: TextIO) -> None:
        self.options = options
        self.site_dir = options.build.site_dir.absolute()
        self.status = status
        self.hub = hub
        self.out = out
        self.state: BuildState | None = None
        self.base_path = "/"
        self.pending: set[Path] = set()  # changes not yet in a successful build
        self._lock = threading.Lock()

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def rebuild(self, batch: frozenset[Path] = frozenset(), first: bool = False) -> bool:
        with self._lock:
            self.pending |= batch
            started = time.perf_counter()
            self.status.begin()
            try:
                result = build(self.options.build, state=self.state, changed=self.pending, in_place=not first,
                               waiting=lambda: self.say("waiting for another Dateline build writing there to finish…"))
            except BuildFailed as failure:
                errors = [str(error) for error in failure.errors]
                self.status.finish(errors)
                if batch:
                    self.say(f"{_describe(self.site_dir, batch)} → build failed:")
                for line in errors:
                    self.say(f"  {line}")
                self.hub.publish("failed", {"errors": errors})
                return False
            except Exception as exc:  # noqa: BLE001 - a bug must not stop the server rebuilding
                message = f"internal error in Dateline while building: {exc!r}; please report it"
                self.status.finish([message])
                self.say(f"{_describe(self.site_dir, batch)} → {message}")
                self.hub.publish("failed", {"errors": [message]})
                return False
            self.state = result.state
            self.pending = set()
            self.base_path = self._base_path()
            self.status.finish()
            elapsed = (time.perf_counter() - started) * 1000
            changed = [_url_of(self.base_path, name) for name in result.changed_files]
            for warning in result.warnings if first else ():
                self.say(f"warning: {warning}")
            if first:
                self.say(f"Built {result.pages} pages from {result.articles} articles in {elapsed:.0f} ms")
            else:
                what = f"{result.rendered} pages" if result.rendered != 1 else "1 page"
                files = f", {result.written + result.removed} files changed" if result.written + result.removed else ""
                self.say(f"{_describe(self.site_dir, batch)} → {what}{files} in {elapsed:.0f} ms")
            self.hub.publish("built", {"build": self.status.build_number, "changed": changed})
            return True

    def _base_path(self) -> str:
        try:
            config, _ = load_config(self.site_dir)
        except BuildFailed:
            return self.base_path
        return config.base_path


def watched_folders(site_dir: Path) -> list[Path]:
    """Everything a build reads: content, templates, static, themes, built-in themes."""
    folders = [site_dir / name for name in ("content", "templates", "static", "themes")]
    themes = site_dir / "themes"
    if themes.is_dir():
        folders += [link.resolve() for link in themes.iterdir() if link.is_symlink() and link.resolve().is_dir()]
    if not BUILTIN_THEMES.resolve().is_relative_to(site_dir.resolve()):
        folders.append(BUILTIN_THEMES)
    unique: list[Path] = []
    for folder in folders:
        if not any(folder.resolve().is_relative_to(u.resolve()) for u in unique):
            unique.append(folder)
    return unique


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(options: ServeOptions, out: TextIO = sys.stdout, err: TextIO = sys.stderr,
          ready: threading.Event | None = None, stop: threading.Event | None = None) -> int:
    """Run the dev server until Ctrl-C (or ``stop`` is set); returns an exit status."""
    site_dir = options.build.site_dir.absolute()
    if not (site_dir / CONFIG_NAME).is_file():
        print(f"error: no {CONFIG_NAME} in {site_dir}; is this a Dateline site?", file=err)
        return 1
    status, hub = SiteStatus(), EventHub()
    desk = Desk(options, status, hub, out)
    desk.rebuild(first=True)
    output = options.build.output_dir
    output.mkdir(parents=True, exist_ok=True)
    if not _is_loopback(options.bind):
        print(f"warning: serving on {options.bind}: anyone who can reach this machine can read the site "
              "(including drafts)", file=err)
    try:
        server = DevServer((options.bind, options.port), output, desk.base_path, status, hub)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"error: port {options.port} on {options.bind} is already in use; choose another with "
                  "--port, or --port 0 for any free port", file=err)
        else:
            print(f"error: cannot listen on {options.bind}:{options.port}: {exc.strerror or exc}", file=err)
        return 1
    host, port = server.server_address[:2]
    shown_host = f"[{host}]" if ":" in str(host) else host
    url = f"http://{shown_host}:{port}{desk.base_path}"

    def on_batch(batch: frozenset[Path]) -> None:
        desk.rebuild(batch)
        server.base_path = desk.base_path

    watcher = Watcher(
        folders=watched_folders(site_dir),
        files=[site_dir / CONFIG_NAME],
        ignore=[output, site_dir / ".dateline"],
        on_batch=on_batch,
    )
    watcher.debouncer.quiet = options.debounce
    http_thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                   name="dateline-http", daemon=True)
    previous_term = _stop_on_sigterm()
    try:
        http_thread.start()
        watcher.start()
        print(f"Serving on {url} — watching for changes (Ctrl-C to stop)", file=out, flush=True)
        if options.open_browser:
            webbrowser.open(url)
        if ready is not None:
            ready.set()
        if stop is not None:
            stop.wait()
        else:
            _wait_forever()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        server.stopping.set()
        hub.close_all()
        if http_thread.is_alive():
            server.shutdown()
        server.server_close()
        if http_thread.is_alive():
            http_thread.join(timeout=5)
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)
        print("Stopped.", file=out, flush=True)
    return 0


def _wait_forever() -> None:
    while True:
        time.sleep(3600)


def _stop_on_sigterm():  # type: ignore[no-untyped-def]
    """Treat SIGTERM like Ctrl-C, so service managers stop the server cleanly."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)
