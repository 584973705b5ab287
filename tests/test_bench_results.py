"""The committed benchmark results say nothing about the machine that made them."""

from __future__ import annotations

import importlib.util
import re
import sys
import types
from pathlib import Path

import pytest

from tests.golden import REPO

# An absolute path into the usual places a run keeps things (not a URL's path).
_MACHINE_PATH = re.compile(r"(?<![\w$.:/])/(?:tmp|home|root|work|Users|var|opt|srv|mnt)/")


def _bench_run(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """bench/run.py as a module (its dataclasses need it in ``sys.modules`` while it loads)."""
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_run", module)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the script puts bench/ on it
    spec.loader.exec_module(module)
    return module


def test_portable_names_folders_by_role_innermost_first(monkeypatch: pytest.MonkeyPatch) -> None:
    portable = _bench_run(monkeypatch).portable
    text = "$ /opt/x/.venv/bin/python -m generator build -s /tmp/b-1/10/sites/d -o /tmp/b-1/10/out/d\n"
    folders = {"/tmp/b-1": "$SCRATCH", "/opt/x": ".", "/opt/x/.venv/bin/python": "python"}
    assert portable(text, folders) == "$ python -m generator build -s $SCRATCH/10/sites/d -o $SCRATCH/10/out/d\n"
    assert portable(text, {Path("/tmp/b-1"): "$SCRATCH"}).count("$SCRATCH/10/") == 2


def test_committed_results_name_no_machine_path() -> None:
    results = sorted((REPO / "bench" / "results").glob("*.md")) + sorted((REPO / "bench" / "results").glob("*.json"))
    assert results, "bench/results holds the committed tables"
    for path in results:
        text = path.read_text(encoding="utf-8")
        found = _MACHINE_PATH.search(text)
        assert found is None, f"{path.name} names a machine path: {text[found.start():found.start() + 60]!r}"
