"""The test suite's own machinery: markers, children that can be stopped, and the leftover-process check.

Each behaviour is shown on real processes: a pytest run in a subprocess on a
tiny suite that uses this ``conftest.py``, and children started by the
helpers with pytest's SIGINT ignored, as it is under ``pytest &`` in a script.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.helpers import start_child

CONFTEST = Path(__file__).resolve().parent / "conftest.py"
PYPROJECT = CONFTEST.parent.parent / "pyproject.toml"

LEAKY_SUITE = '''
import os, subprocess, sys
from pathlib import Path

SLEEP = [sys.executable, "-c", "import time; time.sleep(600)"]
START_AND_EXIT = ("import subprocess, sys; "
                  "print(subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid)")
children = []

def test_leaves_a_child_and_an_orphan():
    children.append(subprocess.Popen(SLEEP + ["leaked child"], start_new_session=True))
    orphan = subprocess.run([sys.executable, "-c", START_AND_EXIT, *SLEEP, "leaked orphan"],
                            capture_output=True, text=True, check=True).stdout.strip()
    Path(os.environ["PIDS"]).write_text(f"{children[0].pid} {orphan}")
'''

MARKED_SUITE = '''
import pytest

@pytest.mark.browser
def test_browser(): pass

@pytest.mark.validators
def test_validators(): pass

@pytest.mark.faults
def test_faults(): pass

@pytest.mark.load
def test_load(): pass

@pytest.mark.slow
def test_slow(): pass

def test_quick(): pass
'''


def run_pytest(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """pytest in a child process on ``folder``, with this suite's ``conftest.py``, markers and options."""
    shutil.copy(CONFTEST, folder / "conftest.py")
    options = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    markers = "".join(f"\n    {marker}" for marker in options["markers"])
    (folder / "pytest.ini").write_text(f"[pytest]\naddopts = {options['addopts']} -p no:cacheprovider\n"
                                       f"markers ={markers}\n")
    return subprocess.run([sys.executable, "-m", "pytest", *args], cwd=folder, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="the check reads Linux's /proc")
def test_a_run_that_leaves_processes_fails_naming_them_and_kills_them(tmp_path: Path) -> None:
    """Both a child left running and an orphan (its parent exited) are found, named and killed."""
    (tmp_path / "test_leaky.py").write_text(LEAKY_SUITE)
    pids = tmp_path / "pids"
    result = run_pytest(tmp_path, PIDS=str(pids))
    assert pids.is_file(), result.stdout + result.stderr
    child, orphan = map(int, pids.read_text().split())
    assert not alive(child) and not alive(orphan)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 passed, 1 error" in result.stdout
    assert "2 process(es) started by the tests were still running after the last test (now killed)" in result.stdout
    assert f"pid {child}: {sys.executable} -c import time; time.sleep(600) leaked child" in result.stdout
    assert f"pid {orphan}: {sys.executable} -c import time; time.sleep(600) leaked orphan" in result.stdout


def test_browser_validators_faults_and_load_tests_are_slow(tmp_path: Path) -> None:
    """`pytest -m "not slow"` leaves out tests marked for a browser, the validators, kills, load or slowness."""
    (tmp_path / "test_marked.py").write_text(MARKED_SUITE)
    inner_loop = run_pytest(tmp_path, "-m", "not slow", "-v")
    assert inner_loop.returncode == 0, inner_loop.stdout + inner_loop.stderr
    assert "test_marked.py::test_quick PASSED" in inner_loop.stdout
    assert "1 passed, 5 deselected" in inner_loop.stdout


def test_children_get_their_own_session_and_default_sigint_even_when_pytest_ignores_it() -> None:
    """Under ``pytest &`` in a script SIGINT is ignored, and children inherit that; ``start_child`` undoes it."""
    report = [sys.executable, "-c", "import os, signal; print(os.getsid(0), *(getattr(signal.getsignal(number), "
              "'name', 'a Python handler') for number in (signal.SIGINT, signal.SIGTERM)), sep=', ')"]
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        inherited = subprocess.run(report, capture_output=True, text=True, check=True).stdout.strip().split(", ")
        with start_child(report, stdout=subprocess.PIPE, text=True) as child:
            reset = child.communicate(timeout=60)[0].strip().split(", ")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert inherited[1:] == ["SIG_IGN", "SIG_DFL"]  # what a plain subprocess gets
    assert reset == [str(child.pid), "a Python handler", "SIG_DFL"]  # Python's own, for KeyboardInterrupt
