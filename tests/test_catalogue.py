"""The catalogue of invalid and unusual sites, built the way an author builds them.

Each folder in ``tests/catalogue/`` is a tiny site; ``tests/catalogue/expected.toml``
says, per folder, what ``python -m generator build -s CASE -o OUTPUT`` must do:

- ``exit``: the exit status (0 built, 1 content or configuration errors);
- ``stderr``: every line of standard error, exactly (errors for failing builds,
  ``path:line: warning: …`` lines for builds that pass); the closing "Build failed with
  N errors…" line is checked too and is not repeated in the file;
- for builds that pass, ``files`` and ``absent`` (paths in the output), and
  ``pages.PATH`` with facts about one page: ``title`` (the headline),
  ``datetime`` (of the dateline's ``<time>``), ``tags``, ``tag_urls``,
  ``tag_count``, ``authors``, ``section``, ``h1``, or ``xpath`` (a table of
  XPath expression → list of strings);
- ``setup``: the name of a function below that adds what a repository should
  not hold (symbolic links, a 2 MB article, thousands of tags, a file nobody
  may read);
- ``max_seconds``: a hang guard for inputs built to explode (billion laughs,
  thousands of tags): the build is killed and the case fails after four
  times this many seconds. Not a speed check; benchmarks measure speed.

Every case also checks that nothing prints a Python traceback, that a failing
build leaves a previous good output byte for byte as it was, and that every
XML file of a passing build is well-formed.

The builds are independent subprocesses, so they run a few at a time before
the per-case tests look at the results.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from lxml import html as lxml_html

from tests.golden import REPO
from tests.helpers import article, write

CATALOGUE = Path(__file__).resolve().parent / "catalogue"
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads((CATALOGUE / "expected.toml").read_text(encoding="utf-8"))
CASES = sorted(path.name for path in CATALOGUE.iterdir() if path.is_dir())
ENV = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01 UTC
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
ROOT_SKIP = ("root reads files whatever their permissions, so chmod 000 cannot make one unreadable; "
             "test_unreadable_file_is_an_error_naming_it covers the message in-process")


# --- what the repository should not hold ----------------------------------------


def _link(link: Path, target: str | Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


def _symlink_file(site: Path) -> None:
    _link(site / "content/articles/linked.md", "../../shared/story.md")


def _symlink_loop(site: Path) -> None:
    _link(site / "content/articles/loop/again", "../loop")
    _link(site / "content/articles/here", ".")
    _link(site / "content/media/outside", site / "shared")  # folders outside content/ are not followed


def _symlink_broken(site: Path) -> None:
    _link(site / "content/articles/gone.md", "deleted.md")
    _link(site / "content/articles/self.md", "self.md")
    _link(site / "content/media/photo.jpg", "/nonexistent/photo.jpg")


def _huge_article(site: Path) -> None:
    paragraph = "The council met for nine hours and voted on the riverside housing plan. " * 10
    parts = [f"## Part {n}\n\n{paragraph}" if n % 100 == 0 else paragraph for n in range(2900)]
    text = "---\ntitle: The longest story\ndate: 2020-08-15\n---\n\n" + "\n\n".join(parts) + "\n"
    assert len(text.encode()) > 2_000_000
    write(site, "content/articles/huge.md", text)


def _thousands_of_tags(site: Path) -> None:
    tags = ", ".join(f"Tag {n}" for n in range(2000))
    write(site, "content/articles/tagged.md", article("Tagged to death", "2020-08-15", tags=f"[{tags}]"))


def _deeply_nested_body(site: Path) -> None:
    items = "".join("    " * level + "- item\n" for level in range(300))  # 180 kB: too big to keep in git
    write(site, "content/articles/a.md", f"---\ntitle: Deep\ndate: 2020-08-15\n---\n\nIntro.\n\n{items}")


def _unreadable_file(site: Path) -> None:
    (site / "content/articles/secret.md").chmod(0)


SETUP: dict[str, Callable[[Path], None]] = {
    "symlink_file": _symlink_file,
    "symlink_loop": _symlink_loop,
    "symlink_broken": _symlink_broken,
    "huge_article": _huge_article,
    "thousands_of_tags": _thousands_of_tags,
    "deeply_nested_body": _deeply_nested_body,
    "unreadable_file": _unreadable_file,
}


# --- running the builds ---------------------------------------------------------


@dataclass(frozen=True)
class Run:
    root: Path
    output: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    before: dict[str, tuple[bytes, int]] | None  # the previous output, for builds that must fail


def _state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time, to prove a folder untouched."""
    return {path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _dateline(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "build", *args],
                          env=ENV, capture_output=True, text=True, timeout=timeout)


def _run(name: str, root: Path, good_output: Path) -> Run:
    expected = EXPECTED[name]
    site = root / "site"
    shutil.copytree(CATALOGUE / name, site, symlinks=True)
    if "setup" in expected:
        SETUP[expected["setup"]](site)
    output = root / "output"
    before = None
    if expected["exit"] != 0:
        shutil.copytree(good_output, output)
        before = _state(output)
    started = time.perf_counter()
    done = _dateline("-s", str(site), "-o", str(output), timeout=expected.get("max_seconds", 75) * 4)
    return Run(root, output, done.returncode, done.stdout, done.stderr, time.perf_counter() - started, before)


def _skipped(name: str) -> str | None:
    return ROOT_SKIP if IS_ROOT and EXPECTED.get(name, {}).get("setup") == "unreadable_file" else None


@pytest.fixture(scope="session")
def good_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A previous good build, copied into the output folder of every failing case."""
    root = tmp_path_factory.mktemp("good")
    write(root, "config.toml", 'title = "Good"\nbase_url = "https://example.org/"\n')
    write(root, "content/articles/good.md", article("A good story", "2020-08-15", tags="[Good]"))
    done = _dateline("-s", str(root), "-o", str(root / "output"))
    assert done.returncode == 0, done.stderr
    return root / "output"


@pytest.fixture(scope="session")
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, good_output: Path) -> dict[str, Run]:
    """Every selected case, built a few at a time."""
    selected = sorted({item.callspec.params["case"] for item in request.session.items
                       if getattr(item, "module", None) is sys.modules[__name__] and hasattr(item, "callspec")})
    wanted = [name for name in selected if name in EXPECTED and not _skipped(name)]
    roots = {name: tmp_path_factory.mktemp(name) for name in wanted}
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = pool.map(lambda name: _run(name, roots[name], good_output), wanted)
        return dict(zip(wanted, results, strict=True))


# --- the checks -----------------------------------------------------------------


def test_every_case_has_an_expectation_and_every_expectation_a_case() -> None:
    assert sorted(EXPECTED) == CASES


@pytest.mark.slow  # 104 sites, each built by a `dateline build` subprocess: about 15 s on two cores
@pytest.mark.parametrize("case", CASES)
def test_case(case: str, runs: dict[str, Run]) -> None:
    if _skipped(case):
        pytest.skip(_skipped(case))
    expected = EXPECTED[case]
    run = runs[case]
    assert "Traceback" not in run.stdout + run.stderr
    assert run.returncode == expected["exit"], run.stderr
    lines = [line.replace(str(run.root / "site"), "{site}") for line in run.stderr.splitlines()]
    wanted = list(expected.get("stderr", []))
    if expected["exit"] != 0:
        count = len(wanted)
        wanted.append(f"Build failed with {count} error{'' if count == 1 else 's'}; "
                      "the output folder was left as it was.")
    assert lines == wanted
    assert sorted(path.name for path in run.root.iterdir()) == ["output", "site"]  # no staging left behind
    if expected["exit"] != 0:
        assert _state(run.output) == run.before
        return
    summary = [line for line in run.stdout.splitlines() if not line.startswith("next scheduled article: ")]
    assert summary[-1].startswith("Built ")
    _check_output(run.output, expected)


def _check_output(output: Path, expected: dict[str, Any]) -> None:
    for relative in expected.get("files", []):
        assert (output / relative).is_file(), relative
    for relative in expected.get("absent", []):
        assert not (output / relative).exists(), relative
    for path in output.rglob("*.xml"):
        etree.parse(str(path))  # raises on anything that is not well-formed
    for relative, facts in expected.get("pages", {}).items():
        _check_page(lxml_html.fromstring((output / relative).read_bytes()), facts)


_FACTS = {
    "title": "//h1[@id='headline']",
    "h1": "//h1",
    "datetime": "//p[@class='story-meta']//time/@datetime",
    "tags": "//ul[@class='tags']//a",
    "tag_urls": "//ul[@class='tags']//a/@href",
    "authors": "//span[@class='byline']//a",
    "section": "//header[@class='story-header']/p[@class='kicker']/a",
}


def _texts(tree: lxml_html.HtmlElement, xpath: str) -> list[str]:
    return [found if isinstance(found, str) else found.text_content() for found in tree.xpath(xpath)]


def _check_page(tree: lxml_html.HtmlElement, facts: dict[str, Any]) -> None:
    for fact, value in facts.items():
        if fact == "xpath":
            for xpath, strings in value.items():
                assert _texts(tree, xpath) == strings, xpath
        elif fact == "tag_count":
            assert len(tree.xpath(_FACTS["tags"])) == value
        elif fact in ("title", "datetime", "section"):
            assert _texts(tree, _FACTS[fact])[:1] == [value], fact
        else:
            assert _texts(tree, _FACTS[fact]) == value, fact


def test_unreadable_file_is_an_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The unreadable-file case in-process, where a refused read can be simulated even for root."""
    from generator.build import build
    from generator.errors import BuildFailed
    from generator.options import BuildOptions

    site = tmp_path / "site"
    shutil.copytree(CATALOGUE / "unreadable-file", site)
    secret = site / "content/articles/secret.md"
    original = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path == secret:
            raise PermissionError(13, "Permission denied", str(path))
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site_dir=site, output=tmp_path / "output", jobs=1))
    assert [str(error) for error in failure.value.errors] == EXPECTED["unreadable-file"]["stderr"]
