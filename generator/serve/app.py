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
from pathlib import Path
from typing import Any, TextIO

from generator import messages
from generator.config import CONFIG_NAME
from generator.config.themes import BUILTIN_THEMES
from generator.serve.desk import Desk, ServeOptions
from generator.serve.hosts import allowed_names
from generator.serve.http import DevServer
from generator.serve.status import EventHub, SiteStatus
from generator.serve.watch import Watcher


def watched_folders(site_dir: Path) -> list[Path]:
    """Everything a build reads: content, templates, static, locale, themes, built-in themes."""
    folders = [site_dir / name for name in ("content", "templates", "static", "locale", "themes")]
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
        print(messages.no_config(options.build.site_dir), file=err)
        return 1
    status, hub = SiteStatus(), EventHub()
    output = options.build.output_dir
    try:  # before the first build: a port in use is said at once, not after a whole build
        server = DevServer((options.bind, options.port), output, "/", status, hub,
                           allowed_hosts=allowed_names(options.bind, options.allow_hosts))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(messages.port_in_use(options.port, options.bind), file=err)
        else:
            print(messages.cannot_listen(options.bind, options.port, exc.strerror or str(exc)), file=err)
        return 1
    desk = Desk(options, status, hub, out, err)
    desk.rebuild(first=True)
    server.base_path = desk.base_path
    output.mkdir(parents=True, exist_ok=True)
    if not _is_loopback(options.bind):
        print(messages.open_bind(options.bind), file=err)
    address, port = server.server_address[:2]
    host = address.decode() if isinstance(address, bytes) else str(address)
    shown_host = f"[{host}]" if ":" in host else host
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
    # A process started with SIGINT ignored (`dateline serve &` in a script, or under a parent that
    # ignores it) gets no KeyboardInterrupt handler from Python, so Ctrl-C and SIGINT would not stop it.
    in_main = threading.current_thread() is threading.main_thread()
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler) if in_main else None
    try:
        # Threads inherit this thread's signal mask. Started with SIGINT and SIGTERM blocked, the server's
        # threads (and the request threads they start) leave both to this thread: taken by another one, a
        # signal sets Python's flag but does not wake this thread's sleep, and Ctrl-C went unnoticed.
        previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) if in_main else None
        try:
            http_thread.start()
            watcher.start()
        finally:
            if previous_mask is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)
        print(messages.serving(url), file=out, flush=True)
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
        if previous_int is not None:
            signal.signal(signal.SIGINT, previous_int)
        print("Stopped.", file=out, flush=True)
    return 0


def _wait_forever() -> None:
    while True:
        time.sleep(3600)


def _stop_on_sigterm() -> Any:  # the previous handler, whatever kind signal.signal returned
    """Treat SIGTERM like Ctrl-C, so service managers stop the server cleanly."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)
