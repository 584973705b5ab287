"""The sample site builds exactly as recorded in tests/golden/sample.

After an intended change to templates, content or output, regenerate with
``make golden`` and review the diff before committing it.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from tests.golden import GOLDEN, build_sample
from tests.helpers import snapshot


def test_sample_site_matches_golden_output(tmp_path: Path) -> None:
    output = tmp_path / "output"
    build_sample(output)
    built = snapshot(output)
    expected = snapshot(GOLDEN)
    assert sorted(built) == sorted(expected), "files differ from the golden output; run `make golden` if intended"
    for name, data in expected.items():
        if built[name] != data:
            diff = "\n".join(
                difflib.unified_diff(
                    data.decode("utf-8", "replace").splitlines(),
                    built[name].decode("utf-8", "replace").splitlines(),
                    f"golden/{name}", f"built/{name}", lineterm="", n=2,
                )
            )
            raise AssertionError(f"{name} differs from the golden output (run `make golden` if intended):\n{diff[:4000]}")


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build_sample(tmp_path / "a")
    build_sample(tmp_path / "b")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
