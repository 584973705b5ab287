"""What sorts the suite into an inner loop and the rest, and what keeps it from leaving processes behind.

``pytest -m "not slow"`` is the inner loop, under a minute on two cores;
plain ``pytest`` (``make test``) runs everything. A test that needs
Chromium, the validators, timed kills or load says so with its marker, and
each of those markers implies ``slow`` (below); any other slow test is
marked ``slow`` with its reason beside the mark. The markers are registered
in pyproject.toml, where ``--strict-markers`` makes a misspelt one an error.

The suite starts real ``dateline serve`` and ``dateline build`` processes.
A test that fails, hangs or is interrupted must not leave one running after
pytest exits, so the run fails when a process it started outlives the last
test; see ``no_process_outlives_the_tests``. This file needs nothing but
the standard library and pytest: ``test_harness`` runs it alone in an empty
folder, where the browser tests' shared fixtures (``browser_fixtures``) are
not there to offer.
"""

from __future__ import annotations

import ctypes
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

try:  # the fixtures the browser test files share, offered to every test file by name
    from tests.browser_fixtures import browser, context, page, server, site, start_server  # noqa: F401
except ModuleNotFoundError:  # alone in test_harness's empty folder
    pass

IMPLY_SLOW = ("browser", "validators", "faults", "load")  # markers registered in pyproject.toml


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("slow") is None and any(item.get_closest_marker(name) for name in IMPLY_SLOW):
            item.add_marker(pytest.mark.slow)


# --- no process outlives the tests ------------------------------------------------------------

PROC = Path("/proc")
PR_SET_CHILD_SUBREAPER = 36  # from <linux/prctl.h>


def _processes() -> dict[int, tuple[int, str]]:
    """Every process on the machine: its parent's pid and its state letter (``Z`` for a zombie)."""
    found = {}
    for entry in os.scandir(PROC):
        if not entry.name.isdigit():
            continue
        try:
            stat = (PROC / entry.name / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        state, parent = stat.rpartition(")")[2].split()[:2]  # the name before ")" may hold spaces
        found[int(entry.name)] = (int(parent), state)
    return found


def _descendants(root: int) -> dict[int, tuple[int, str]]:
    processes = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    found, todo = {}, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found[pid] = processes[pid]
        todo += children.get(pid, [])
    return found


def _command_line(pid: int) -> str:
    try:
        arguments = (PROC / str(pid) / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return "(ended)"
    return " ".join(argument.decode(errors="replace") for argument in arguments if argument) or "(no command line)"


def _adopt_orphans() -> None:
    """Become the parent of descendants whose own parent dies, instead of init.

    A build worker whose build was killed, or a helper a browser leaves behind,
    would otherwise be re-parented to init and escape the check below.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux after all: the check still sees the direct line
        pass


@pytest.fixture(scope="session", autouse=True)
def no_process_outlives_the_tests() -> Iterator[None]:
    """Fail the run, naming their command lines, if processes the tests started are still running at the end.

    A server that ignored its SIGINT, or a test that failed before stopping
    what it started, leaves processes behind that hold ports, CPU and
    temporary folders long after pytest has exited, and fail later runs in
    ways that point elsewhere. They are killed, and the run fails. Zombies
    (ended, not yet reaped) are reaped quietly. Needs Linux's /proc.
    """
    if not (PROC / "self" / "stat").is_file():
        yield
        return
    _adopt_orphans()
    me = os.getpid()
    before = set(_descendants(me))
    yield
    leftover = {pid: info for pid, info in _descendants(me).items() if pid not in before}
    running = {pid: _command_line(pid) for pid, (_, state) in leftover.items() if state not in ("Z", "X")}
    for pid in running:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for pid in leftover:
        try:
            os.waitpid(pid, 0)  # ours to reap (a child, or an orphan adopted above); killed, so promptly
        except ChildProcessError:  # another process's child: its parent reaps it
            pass
    if running:
        listed = "\n".join(f"  pid {pid}: {command}" for pid, command in sorted(running.items()))
        pytest.fail(f"{len(running)} process(es) started by the tests were still running after the last test "
                    f"(now killed):\n{listed}", pytrace=False)
