"""The test suite's own machinery, shown on a pytest run in a subprocess on a tiny suite that uses this ``conftest.py``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

CONFTEST = Path(__file__).resolve().parent / "conftest.py"
PYPROJECT = CONFTEST.parent.parent / "pyproject.toml"

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


def test_browser_validators_faults_and_load_tests_are_slow(tmp_path: Path) -> None:
    """`pytest -m "not slow"` leaves out tests marked for a browser, the validators, kills or load; `pytest` runs all."""
    (tmp_path / "test_marked.py").write_text(MARKED_SUITE)
    inner_loop = run_pytest(tmp_path, "-m", "not slow", "-v")
    assert inner_loop.returncode == 0, inner_loop.stdout + inner_loop.stderr
    assert "test_marked.py::test_quick PASSED" in inner_loop.stdout
    assert "1 passed, 5 deselected" in inner_loop.stdout
    everything = run_pytest(tmp_path)
    assert "6 passed" in everything.stdout, everything.stdout

