"""Jinja2's and Python-Markdown's own test suites pass with Dateline's speed-ups switched in.

The speed-ups replace internals of both libraries (Jinja's context, template
and globals classes and ``getattr``; Python-Markdown's inline processor), so
the rule is that the libraries' own suites, at the installed versions, pass
with them. ``make library-suites`` (part of ``make test``) puts the suites in
``.cache/library-suites/``; each runs here in its own pytest process, with a
plugin from ``tests/library/`` that switches the speed-ups in for the whole
run and fails it if they did not run. Each takes a few seconds.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass

import pytest

from tests.library.fetch_suites import LIBRARIES, REPO, Library, missing_reason

IN_CI = bool(os.environ.get("CI"))  # CI downloads the suites: there a missing suite is a failure

pytestmark = [pytest.mark.library, pytest.mark.slow]


@dataclass(frozen=True)
class Suite:
    library: Library
    plugin: str  # the module in tests/library/ that switches the speed-ups in
    minimum: int  # tests that must pass: fewer means the suite or its collection broke
    # Tests left out, each with why: only tests that fail the same way without the speed-ups.
    deselect: tuple[tuple[str, str], ...] = ()


SUITES = (
    Suite(LIBRARIES[0], "jinja_speedups", minimum=900),  # 909 in Jinja2 3.1.6
    # 1,210 pass in Markdown 3.11.3 and 65 are skipped by the suite itself: 60 need the
    # exact Pygments version its tox sets, 5 are marked as known to differ from other parsers.
    Suite(LIBRARIES[1], "markdown_speedups", minimum=1200),
)
_COUNTS = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)\b")


@pytest.mark.parametrize("suite", SUITES, ids=[suite.library.distribution for suite in SUITES])
def test_library_suite_passes_with_speedups(suite: Suite) -> None:
    folder = suite.library.folder
    if not (folder / "tests").is_dir():
        reason, only_network = missing_reason(suite.library)
        if IN_CI or not only_network:
            pytest.fail(reason)
        pytest.skip(reason)
    # -P: not the suite's folder first on sys.path, where Markdown's sdist has its source; the
    # plugins check that the installed library is the one tested.
    command = [sys.executable, "-P", "-m", "pytest", "tests", "-p", suite.plugin, "-q",
               "-c", "pyproject.toml",  # the suite's own settings (Markdown's has none), never Dateline's
               "-p", "no:cacheprovider"]
    for node, _why in suite.deselect:
        command += ["--deselect", node]
    # Never with the speed-ups switched off: the point is to run the suite with them.
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("PYTEST_") and name != "DATELINE_NO_SPEEDUPS"}
    # The plugins, and this checkout's Dateline (after the plugins, after the suite's own folder).
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "tests" / "library"), str(REPO)])
    result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=900, check=False)
    output = result.stdout + result.stderr
    tail = "\n".join(output.splitlines()[-60:])
    last = output.strip().splitlines()[-1] if output.strip() else ""
    counts = {kind.rstrip("s") if kind.startswith("error") else kind: int(number)
              for number, kind in _COUNTS.findall(last)}
    exit_status = result.returncode
    assert exit_status == 0, (
        f"{suite.library.distribution} {suite.library.version}'s own tests fail with Dateline's speed-ups"
        f" (exit {exit_status}); run them yourself with\n  cd {folder} && PYTHONPATH={env['PYTHONPATH']}"
        f" {' '.join(command)}\n\n{tail}")
    assert f"{suite.plugin}: " in output, f"the plugin {suite.plugin} reported nothing:\n{tail}"
    assert counts.get("passed", 0) >= suite.minimum, (
        f"only {counts.get('passed', 0)} of {suite.library.distribution}'s tests passed, expected at least"
        f" {suite.minimum}: is the suite complete?\n{tail}")
