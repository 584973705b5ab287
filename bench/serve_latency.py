"""Edit-to-browser latency of ``dateline serve`` on generated corpora.

    python bench/serve_latency.py [--sizes 1000,10000] [--repeats 5] [--seed 1] [--keep] [--source DIR]
    python bench/serve_latency.py --sizes 100000 --kinds body --saves 200   # an archive's memory over many saves

For each size: generate a corpus with ``bench/corpus.py`` into a temporary
folder, start the dev server on a free port, connect a Server-Sent Events
client to ``/__dateline__/events``, then save edits to one article the way
editors do (write a temporary file, ``os.replace`` it over the original) and
measure, from the moment of the save:

(a) until the ``built`` event whose ``changed`` list holds the article's URL
    arrives (when a browser would start reloading), and
(b) until an HTTP GET of the article's URL (polled every 2 ms) returns the
    new text.

Two kinds of edit: appending a sentence to the body, and changing the title
(which also re-renders index, tag, section, author and archive pages and
feeds). ``--saves N`` then saves N more body edits, one after another,
each waited for until a GET shows it, and samples the server's memory
(PSS summed over it and its children) every tenth of the way: a server
that kept something of every build would grow. The edited article is the newest published one with an explicit
``slug``, so a new title does not move it. The server's own rebuild time is
read from its terminal output. ``--source`` runs the ``generator`` package
from another folder (e.g. a ``git archive`` of one commit) instead of this
checkout. This is a script, not a test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from provenance import generator_version  # noqa: E402
from run import _pss_kb, _tree  # noqa: E402

GOALS_MS = {1000: 100.0, 10000: 300.0, 100000: 300.0}  # body edit, save to browser
POLL_SECONDS = 0.002
READY_TIMEOUT = 1800.0  # the cold build of a big corpus
EDIT_TIMEOUT = 600.0
_READY = re.compile(r"^Serving on (http://\S+?)/? — watching")
_COLD = re.compile(r"^Built (\d+) pages? from (\d+) articles? in ([\d.]+) s")
_REBUILD = re.compile(r"^(?P<what>.+?) → (?:(?P<fate>[^;]+); )?(?P<pages>\d+) pages?(?:, (?P<files>\d+) files? changed)?"
                      r" in (?P<s>[\d.]+) s")
_FAILED = re.compile(r"^(?P<what>.+?) → build failed")


def now() -> float:
    return time.perf_counter()


# --- the server process -------------------------------------------------------------


@dataclass
class Line:
    at: float
    text: str


class Server:
    """``python -m generator serve`` as a subprocess, its output read by threads."""

    def __init__(self, site: Path, source: Path = REPO) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(source) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env["PYTHONUNBUFFERED"] = "1"
        self.started = now()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "-s", str(site), "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            env=env, cwd=str(site.parent), text=True, encoding="utf-8", bufsize=1,
        )
        self.lines: list[Line] = []
        self.errors: list[str] = []
        self._cond = threading.Condition()
        self._threads = [
            threading.Thread(target=self._read, args=(self.proc.stdout, self.lines), daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stderr, self.errors), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _read(self, stream, sink: list) -> None:  # type: ignore[no-untyped-def]
        for text in stream:
            at = now()
            with self._cond:
                sink.append(Line(at, text.rstrip("\n")) if sink is self.lines else text.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_line(self, pattern: re.Pattern[str], after: float, timeout: float) -> tuple[Line, re.Match[str]] | None:
        """The first stdout line after ``after`` matching ``pattern``."""
        deadline = now() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    if line.at >= after:
                        match = pattern.match(line.text)
                        if match:
                            return line, match
                if self.proc.poll() is not None or now() >= deadline:
                    return None
                self._cond.wait(min(0.5, max(0.0, deadline - now())))

    def settle(self, probe: Callable[[], object] | None = None, quiet: float = 0.5,
               timeout: float = EDIT_TIMEOUT) -> None:
        """Wait until the server has printed nothing for ``quiet`` seconds and ``probe``
        (a GET, which waits while a build runs) returns without new output meanwhile."""
        deadline = now() + timeout
        while now() < deadline:
            with self._cond:
                last = self.lines[-1].at if self.lines else self.started
            if now() - last < quiet:
                time.sleep(quiet / 5)
                continue
            if probe is None:
                return
            count = len(self.lines)
            probe()
            if len(self.lines) == count:
                return

    def log(self) -> str:
        with self._cond:
            return "\n".join(f"{(line.at - self.started):10.3f} {line.text}" for line in self.lines) + "\n"

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        for thread in self._threads:
            thread.join(timeout=5)
        return self.proc.returncode


# --- the browser's side: SSE and polling GETs -----------------------------------------


@dataclass
class Event:
    at: float
    name: str
    data: dict


class EventStream(threading.Thread):
    """A minimal Server-Sent Events client on ``http.client``."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(name="sse-client", daemon=True)
        self.conn = http.client.HTTPConnection(host, port, timeout=None)
        self.events: list[Event] = []
        self._cond = threading.Condition()

    def run(self) -> None:
        try:
            self.conn.request("GET", "/__dateline__/events", headers={"Accept": "text/event-stream"})
            response = self.conn.getresponse()
            name, data, first_at = "message", [], None
            while True:
                raw = response.fp.readline()
                if not raw:
                    break
                at = now()
                line = raw.decode("utf-8").rstrip("\r\n")
                if not line:
                    if data:
                        self._dispatch(Event(first_at or at, name, json.loads("\n".join(data))))
                    name, data, first_at = "message", [], None
                    continue
                first_at = first_at or at
                if line.startswith(":"):
                    continue
                key, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if key == "event":
                    name = value
                elif key == "data":
                    data.append(value)
        except (OSError, http.client.HTTPException, ValueError):
            pass
        finally:
            with self._cond:
                self._cond.notify_all()

    def _dispatch(self, event: Event) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def wait_for(self, accept: Callable[[Event], bool], after: float, timeout: float) -> Event | None:
        deadline = now() + timeout
        with self._cond:
            while True:
                for event in self.events:
                    if event.at >= after and accept(event):
                        return event
                if not self.is_alive() or now() >= deadline:
                    return None
                self._cond.wait(min(0.5, max(0.0, deadline - now())))

    def close(self) -> None:
        try:
            if self.conn.sock is not None:
                self.conn.sock.shutdown(2)
        except OSError:
            pass
        self.conn.close()


def fetch(host: str, port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(host, port, timeout=EDIT_TIMEOUT)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def poll_until(host: str, port: int, path: str, needle: bytes, timeout: float) -> float | None:
    """The moment a GET of ``path`` first returns a body containing ``needle``."""
    deadline = now() + timeout
    while now() < deadline:
        try:
            status, body = fetch(host, port, path)
        except (OSError, http.client.HTTPException):
            status, body = 0, b""
        if status == 200 and needle in body:
            return now()
        time.sleep(POLL_SECONDS)
    return None


# --- edits -----------------------------------------------------------------------------


def atomic_write(path: Path, text: str) -> None:
    """Save like an editor: a hidden temporary file renamed over the original."""
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.replace(temporary, path)


def edit_body(text: str, token: str) -> str:
    return text.rstrip("\n") + f"\n\nLatency probe {token} was appended to the body of this article.\n"


_TITLE_LINE = re.compile(r'^(title\s*[:=]\s*)"((?:[^"\\]|\\.)*)"\s*$', re.MULTILINE)


def edit_title(text: str, token: str) -> str:
    match = _TITLE_LINE.search(text)
    if match is None:
        raise RuntimeError("no quoted title line to edit")
    original = re.sub(r" \(rev \w+\)$", "", match.group(2))
    return text[: match.start()] + f'{match.group(1)}"{original} (rev {token})"' + text[match.end():]


EDITS: dict[str, Callable[[str, str], str]] = {"body": edit_body, "title": edit_title}


@dataclass
class Sample:
    event_ms: float | None
    get_ms: float | None
    server_ms: float | None
    pages: int | None
    files: int | None


@dataclass
class Result:
    size: int
    kind: str
    samples: list[Sample] = field(default_factory=list)


def measure_edit(server: Server, stream: EventStream, host: str, port: int, file: Path, relative: str,
                 url: str, kind: str, token: str) -> Sample:
    text = EDITS[kind](file.read_text(encoding="utf-8"), token)
    atomic_write(file, text)
    saved = now()
    seen = poll_until(host, port, url, token.encode(), EDIT_TIMEOUT)
    event = stream.wait_for(lambda e: e.name == "built" and url in e.data.get("changed", ()), saved,
                            EDIT_TIMEOUT if seen is not None else 5.0)
    names_file = re.compile(_REBUILD.pattern.replace("(?P<what>.+?)", f"(?P<what>.*{re.escape(relative)}.*?)"))
    found = server.wait_line(names_file, saved, 30.0 if event is not None else 5.0)
    if found is None and server.wait_line(_FAILED, saved, 0.1):
        print(f"  {kind} edit {token}: the build failed:", *(line.text for line in server.lines[-5:]),
              sep="\n    ", file=sys.stderr)
    for line in server.lines:
        if line.at >= saved and (found is None or line.at < found[0].at) and _REBUILD.match(line.text):
            print(f"  note: another rebuild finished before this edit's: {line.text}", file=sys.stderr)
    ms = lambda at: None if at is None else (at - saved) * 1000  # noqa: E731
    sample = Sample(
        event_ms=ms(event.at if event else None),
        get_ms=ms(seen),
        server_ms=float(found[1]["s"]) * 1000 if found else None,
        pages=int(found[1]["pages"]) if found else None,
        files=int(found[1]["files"] or 0) if found else None,
    )
    return sample


# --- one corpus size -------------------------------------------------------------------


@dataclass
class SizeReport:
    size: int
    generate_s: float
    cold_ms: float | None
    cold_pages: int | None
    cold_articles: int | None
    ready_s: float | None
    article: str
    url: str
    results: list[Result]
    exit_code: int | None
    load: tuple[float, float]  # 1-minute load average before and after the edits
    memory_mb: list[tuple[int, float]] = field(default_factory=list)  # (saves so far, server PSS) over --saves


def server_pss_mb(pid: int) -> float:
    """The dev server's memory: PSS summed over it and its children (build workers, if any), in MB."""
    return sum(_pss_kb(each) for each in _tree(pid)) / 1024


def many_saves(server: Server, host: str, port: int, file: Path, url: str, size: int,
               saves: int) -> list[tuple[int, float]]:
    """``saves`` body edits in a row, each waited for; the server's memory before, every tenth, and after."""
    samples = [(0, server_pss_mb(server.proc.pid))]
    every = max(1, saves // 10)
    for number in range(1, saves + 1):
        token = f"zq{size}save{number}x"
        atomic_write(file, edit_body(file.read_text(encoding="utf-8"), token))
        if poll_until(host, port, url, token.encode(), EDIT_TIMEOUT) is None:
            raise RuntimeError(f"save {number} never showed at {url}")
        if number % every == 0 or number == saves:
            server.settle(quiet=0.3)
            samples.append((number, server_pss_mb(server.proc.pid)))
            print(f"[{size}] {number} saves: server {samples[-1][1]:.0f} MB", file=sys.stderr, flush=True)
    return samples


def pick_article(specs: list[corpus.ArticleSpec]) -> corpus.ArticleSpec:
    """The newest published article whose URL does not depend on its title."""
    for spec in reversed(specs):
        if spec.explicit_slug and not spec.draft:
            return spec
    raise RuntimeError("the corpus has no published article with an explicit slug")


def run_size(size: int, repeats: int, seed: int, keep: bool, source: Path = REPO,
             kinds: tuple[str, ...] = tuple(EDITS), saves: int = 0) -> SizeReport:
    workdir = Path(tempfile.mkdtemp(prefix=f"dateline-latency-{size}-"))
    site = workdir / "site"
    server: Server | None = None
    stream: EventStream | None = None
    try:
        print(f"[{size}] generating the corpus in {site} ...", file=sys.stderr, flush=True)
        started = now()
        corpus.generate(size, site, seed)
        generate_s = now() - started
        specs, _ = corpus.plan(size, seed)
        spec = pick_article(specs)
        file = site / spec.path
        print(f"[{size}] {generate_s:.1f} s; starting the dev server (cold build) ...", file=sys.stderr, flush=True)
        server = Server(site, source)
        ready = server.wait_line(_READY, 0.0, READY_TIMEOUT)
        if ready is None:
            raise RuntimeError("the server did not start:\n" + "\n".join(server.errors[-20:]))
        ready_s = ready[0].at - server.started
        cold = server.wait_line(_COLD, 0.0, 1.0)
        address = ready[1].group(1)
        host, port = re.match(r"http://([^/:]+):(\d+)", address).groups()  # type: ignore[union-attr]
        stream = EventStream(host, int(port))
        stream.start()
        if stream.wait_for(lambda e: e.name == "hello", 0.0, 30.0) is None:
            raise RuntimeError("no 'hello' event from /__dateline__/events")
        status, _ = fetch(host, int(port), spec.url)
        if status != 200:
            raise RuntimeError(f"GET {spec.url} returned {status}")
        print(f"[{size}] ready in {ready_s:.1f} s; editing {spec.path} ({spec.url})", file=sys.stderr, flush=True)
        server.settle(lambda: fetch(host, int(port), spec.url), quiet=1.0)
        load_before = os.getloadavg()[0]
        results = []
        for kind in kinds:
            result = Result(size, kind)
            for repeat in range(1, repeats + 1):
                token = f"zq{size}{kind}{repeat}x"
                sample = measure_edit(server, stream, host, int(port), file, spec.path, spec.url, kind, token)
                result.samples.append(sample)
                print(f"[{size}] {kind} #{repeat}: built event {_fmt(sample.event_ms)} ms, "
                      f"GET {_fmt(sample.get_ms)} ms, server {_fmt(sample.server_ms)} ms "
                      f"({sample.pages} pages, {sample.files} files)", file=sys.stderr, flush=True)
                server.settle(lambda: fetch(host, int(port), spec.url), quiet=0.5)
                time.sleep(0.3)
            results.append(result)
        memory = many_saves(server, host, int(port), file, spec.url, size, saves) if saves else []
        load_after = os.getloadavg()[0]
        exit_code = server.stop()
        (workdir / "server.log").write_text(server.log(), encoding="utf-8")
        return SizeReport(size, generate_s, float(cold[1][3]) * 1000 if cold else None,
                          int(cold[1][1]) if cold else None, int(cold[1][2]) if cold else None,
                          ready_s, spec.path, spec.url, results, exit_code, (load_before, load_after),
                          memory)
    finally:
        if server is not None:
            server.stop()
        if stream is not None:
            stream.close()
        if keep:
            print(f"[{size}] kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


# --- the report --------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _stats(values: list[float | None]) -> tuple[str, str]:
    present = [v for v in values if v is not None]
    missing = len(values) - len(present)
    if not present:
        return "timeout", "timeout"
    tail = f" ({missing} timed out)" if missing else ""
    return _fmt(statistics.median(present)) + tail, _fmt(max(present))


def report(reports: list[SizeReport], repeats: int) -> str:
    out = [
        f"Dev server edit-to-browser latency (ms; {repeats} edits each; "
        f"(a) save → `built` SSE event naming the article, (b) save → GET of the article shows the edit)",
        "",
        "| Articles | Edit | (a) median | (a) max | (b) median | (b) max | Server rebuild median | Server rebuild max "
        "| Pages re-rendered | Goal (body edit) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size_report in reports:
        for result in size_report.results:
            samples = result.samples
            a_med, a_max = _stats([s.event_ms for s in samples])
            b_med, b_max = _stats([s.get_ms for s in samples])
            s_med, s_max = _stats([s.server_ms for s in samples])
            pages = sorted({s.pages for s in samples if s.pages is not None})
            pages_text = "–".join(str(p) for p in (pages[0], pages[-1])) if len(pages) > 1 else (
                str(pages[0]) if pages else "—")
            goal = "—"
            target = GOALS_MS.get(result.size)
            if result.kind == "body" and target is not None:
                medians = [statistics.median(v) for v in (
                    [s.event_ms for s in samples if s.event_ms is not None],
                    [s.get_ms for s in samples if s.get_ms is not None]) if v]
                met = len(medians) == 2 and max(medians) <= target
                goal = f"≤ {target:.0f} ms: {'met' if met else 'MISSED'}"
            out.append(f"| {result.size:,} | {result.kind} | {a_med} | {a_max} | {b_med} | {b_max} | {s_med} | "
                       f"{s_max} | {pages_text} | {goal} |")
    out.append("")
    out.append("Goals: a body edit visible in the browser within 100 ms at 1,000 articles and 300 ms at 10,000 "
               "and at 100,000.")
    out.append("")
    for r in reports:
        cold = (f"cold build (server's report) {r.cold_ms / 1000:.1f} s for {r.cold_pages:,} pages from "
                f"{r.cold_articles:,} articles" if r.cold_ms is not None else "cold build: not reported")
        out.append(f"- {r.size:,} articles: {cold}; server ready {r.ready_s:.1f} s after start; corpus generated in "
                   f"{r.generate_s:.1f} s; edited {r.article} ({r.url}); server exit status after SIGINT: "
                   f"{r.exit_code}; load average {r.load[0]:.1f} → {r.load[1]:.1f} on {os.cpu_count()} CPUs")
        if r.memory_mb:
            out.append(f"  - server memory (PSS, MB) over {r.memory_mb[-1][0]:,} body saves: "
                       + ", ".join(f"{mb:.0f} after {n:,}" for n, mb in r.memory_mb))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure dateline serve's edit-to-browser latency.")
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated (default: 1000,10000)")
    parser.add_argument("--repeats", type=int, default=5, help="edits of each kind per size (default: 5)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites and the server logs")
    parser.add_argument("--kinds", default=",".join(EDITS), help="edits to time, comma-separated (default: body,title)")
    parser.add_argument("--saves", type=int, default=0, help="then this many body saves, sampling the server's memory")
    parser.add_argument("--source", type=Path, default=REPO,
                        help="folder holding the generator package to run (default: this checkout)")
    args = parser.parse_args(argv)
    source = args.source.resolve()
    if not (source / "generator" / "__main__.py").is_file():
        parser.error(f"no generator package in {source}")
    try:
        sizes = [int(part.replace("_", "")) for part in args.sizes.split(",") if part.strip()]
    except ValueError:
        parser.error("--sizes takes numbers separated by commas, e.g. 1000,10000")
    if not sizes or any(size < 2 for size in sizes) or args.repeats < 1 or args.saves < 0:
        parser.error("sizes must be at least 2, --repeats at least 1 and --saves not negative")
    kinds = tuple(kind.strip() for kind in args.kinds.split(",") if kind.strip())
    if not kinds or any(kind not in EDITS for kind in kinds):
        parser.error(f"--kinds takes {', '.join(EDITS)}")
    print(f"generator package: {source / 'generator'}", file=sys.stderr)
    reports = [run_size(size, args.repeats, args.seed, args.keep, source, kinds, args.saves) for size in sizes]
    print(report(reports, args.repeats))
    print(f"\ngenerator package measured: generator/ at {generator_version(source)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
