"""Small helpers for tests that build real sites into temporary folders."""

from __future__ import annotations

import io
import os
import queue
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from lxml import html as lxml_html
from PIL import Image

from generator.build import BuildResult, build
from generator.options import BuildOptions

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CHECKOUT = Path(__file__).resolve().parent.parent


def cli_env(epoch: int | None = int(NOW.timestamp())) -> dict[str, str]:
    """The environment for running this checkout's ``generator`` as a command, its clock at ``epoch``."""
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    return env


def run_dateline(*args: str, cwd: Path | None = None, epoch: int | None = int(NOW.timestamp()),
                 timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """``python -m generator ARGS`` in a real process, as an author runs it."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=cli_env(epoch),
                          capture_output=True, text=True, timeout=timeout)

MINIMAL_CONFIG = """\
title = "Test Times"
base_url = "https://example.org/"
"""


def age(site: Path, seconds: float = 60) -> None:
    """Make every input look saved a while ago, as it is when an author runs a build."""
    past = time.time() - seconds
    for path in site.rglob("*"):
        if path.is_file() and "output" not in path.parts and ".dateline" not in path.parts:
            os.utime(path, (past, past))


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def article(title: str, date: str, body: str = "Body text.", **fields: str) -> str:
    lines = ["---", f"title: {title}", f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines += ["---", "", body, ""]
    return "\n".join(lines)


def tiny_png(colour: tuple[int, int, int] = (40, 90, 160)) -> bytes:
    """A real 4×3 PNG: an image the build publishes in several widths (see tests/test_images.py)."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), colour).save(buffer, "PNG")
    return buffer.getvalue()


def make_site(root: Path, articles: dict[str, str], config: str = MINIMAL_CONFIG) -> Path:
    write(root, "config.toml", config)
    for relative, text in articles.items():
        write(root, f"content/{relative}", text)
    return root


def build_site(site: Path, output: Path | None = None, **options: object) -> BuildResult:
    return build(BuildOptions(site_dir=site, output=output or site / "output", now=NOW, **options))  # type: ignore[arg-type]


def parse(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(path.read_bytes())


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative path, for before/after comparisons."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# --- processes the tests start ----------------------------------------------------------------


class Child(subprocess.Popen):  # type: ignore[type-arg]
    """A child process that leaving its ``with`` block always ends and reaps.

    ``subprocess.Popen``'s own ``__exit__`` waits for the process however long
    it runs, so a test that fails while its server is up would hang there;
    this one first kills the child's process group if the child still runs.
    """

    def __exit__(self, *exc_info: object) -> None:
        if self.poll() is None:  # not yet reaped, so its pid (and process group) is still its own
            os.killpg(self.pid, signal.SIGKILL)
        super().__exit__(*exc_info)  # closes the pipes and waits


def start_child(argv: Sequence[str], sigint: signal.Handlers = signal.SIG_DFL, **popen: Any) -> Child:
    """Start ``argv`` in its own session, with SIGINT and SIGTERM at their default actions.

    Its own session: Ctrl-C in pytest's terminal reaches pytest alone (the test
    then stops its children itself), and ``killpg`` reaches whatever the child
    started. Default signal actions: a child inherits ignored signals, and
    pytest started by ``pytest &`` from a script runs with SIGINT ignored, so a
    server started from it would ignore the SIGINT a test sends to stop it.
    ``sigint`` lets a test start a child with SIGINT ignored on purpose.
    """

    def reset_signals() -> None:  # runs in the child, between fork and exec
        signal.signal(signal.SIGINT, sigint)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

    return Child(list(argv), start_new_session=True, preexec_fn=reset_signals, **popen)


def start_dateline(*args: str, env: dict[str, str] | None = None, **popen: Any) -> Child:
    """``python -m generator ARGS`` as a child process (see ``start_child``); use it in a ``with`` block."""
    return start_child([sys.executable, "-m", "generator", *args], env=cli_env() if env is None else env, **popen)


class ServeProcess:
    """``python -m generator serve`` on a site; its output is collected as it comes.

    Ready once it says where it listens. ``stop()`` is Ctrl-C and requires a
    clean stop; ``kill()`` ends and reaps it whatever state it is in, and is
    what leaving a ``with ServeProcess(...)`` block does, so that no test
    leaves a server running, however it fails.
    """

    def __init__(self, site: Path, port: int = 0, *, env: dict[str, str] | None = None, timeout: float = 15.0,
                 sigint: signal.Handlers = signal.SIG_DFL) -> None:
        self.timeout = timeout
        # faulthandler: a server that will not stop is made to print every thread's stack (see stop()).
        env = {**(cli_env(epoch=None) if env is None else env), "PYTHONIOENCODING": "utf-8", "PYTHONFAULTHANDLER": "1"}
        self.proc = start_dateline("serve", "-s", str(site), "--port", str(port), env=env, sigint=sigint,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, encoding="utf-8", bufsize=1, cwd=site)  # any core dump lands there
        self.stopped = False
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._readers = [
            threading.Thread(target=self._read, args=(self.proc.stdout, self.stdout, self._lines), daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stderr, self.stderr, None), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        try:
            ready = self.wait_for(r"^Serving on (http://\S+) ")
        except BaseException:
            self.kill()
            raise
        self.url = ready.group(1)
        self.port = int(re.search(r":(\d+)/", self.url).group(1))  # type: ignore[union-attr]

    @property
    def pid(self) -> int:
        return self.proc.pid

    def __enter__(self) -> ServeProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.kill()

    @staticmethod
    def _read(stream, sink: list[str], lines: queue.Queue[str | None] | None) -> None:  # type: ignore[no-untyped-def]
        with stream:
            for line in stream:
                sink.append(line)
                if lines is not None:
                    lines.put(line)
        if lines is not None:
            lines.put(None)

    def wait_for(self, pattern: str) -> re.Match[str]:
        """The next line of standard output matching ``pattern``."""
        while True:
            try:
                line = self._lines.get(timeout=self.timeout)
            except queue.Empty:
                pytest.fail(f"no line matching {pattern!r} within {self.timeout} s:\n{self.transcript()}")
            if line is None:
                pytest.fail(f"the server exited before printing {pattern!r}:\n{self.transcript()}")
            match = re.search(pattern, line)
            if match:
                return match

    def transcript(self) -> str:
        return "".join(self.stdout) + "--- stderr ---\n" + "".join(self.stderr)

    def stop(self) -> None:
        """Ctrl-C, as a person would; the server must stop cleanly."""
        self.stopped = True
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGINT)
        try:
            code = self.proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGABRT)  # faulthandler prints where each thread is stuck
            try:
                self.proc.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                pass
            self.kill()
            pytest.fail(f"the server did not stop on SIGINT (its threads' stacks follow its output):\n"
                        f"{self.transcript()}")
        for reader in self._readers:
            reader.join(timeout=self.timeout)
        assert code == 0, self.transcript()
        assert self.stdout and self.stdout[-1] == "Stopped.\n", self.transcript()
        assert "Traceback" not in self.transcript(), self.transcript()

    def kill(self) -> None:
        """End the server and everything it started, and reap it; harmless when it has stopped already."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        for reader in self._readers:  # they read to the end and close the pipes
            reader.join(timeout=self.timeout)


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SCHEMAS = Path(__file__).resolve().parent / "data"


def sitemap_schema(folder: Path, extensions: dict[str, str]) -> etree.XMLSchema:
    """sitemaps.org's schema with extension schemas (namespace: file in tests/data) imported, as a crawler reads both."""
    imports = "".join(f'  <xsd:import namespace="{namespace}" schemaLocation="{(SCHEMAS / name).as_uri()}"/>\n'
                      for namespace, name in {SITEMAP_NS: "sitemap.xsd", **extensions}.items())
    wrapper = folder / "sitemap-with-extensions.xsd"
    wrapper.write_text(f'<?xml version="1.0"?>\n<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
                       f"{imports}</xsd:schema>\n", encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(wrapper)))
