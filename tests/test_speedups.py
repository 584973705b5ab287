"""Speed-ups: on where they were tested, off everywhere else, and never a different byte.

Every reach into a library's internals (``generator/*/speedups.py``) passes
a gate that checks the library versions and the platform; these tests
build real sites with the gates open and shut and compare the output, check
that every gate is open in this (pinned) test environment, so a speed-up
cannot vanish unnoticed after an upgrade, and simulate the systems where
the C library tricks do not exist.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.speedups import SWITCH, all_gates
from tests.golden import REPO
from tests.helpers import NOW, snapshot

BENCH = REPO / "bench"


def _gates_in_subprocess(env: dict[str, str], prelude: str = "") -> list[dict[str, object]]:
    code = prelude + textwrap.dedent("""
        import json
        from generator.speedups import all_gates
        print(json.dumps([{"name": g.name, "active": g.active, "reason": g.reason} for g in all_gates()]))
    """)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60,
                            cwd=REPO)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]  # the list printed above


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != SWITCH}
    return {**env, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": str(int(NOW.timestamp())), **extra}


@pytest.mark.skipif(os.environ.get(SWITCH, "") not in ("", "0"), reason=f"{SWITCH} is set for this run")
def test_every_speedup_is_active_in_the_test_environment() -> None:
    """The test environment pins the versions each speed-up was tested with (constraints.txt):
    a gate shut here means an upgrade made a speed-up vanish, which must be noticed."""
    shut = [str(gate) for gate in all_gates() if not gate.active]
    assert not shut, "speed-ups switched off in the test environment: " + "; ".join(shut)
    assert {gate.name for gate in all_gates()} == {
        "markdown.quick-inline", "render.quick-templates", "output.renameat2-exchange", "parallel.malloc-trim"}


def test_the_switch_turns_every_speedup_off() -> None:
    gates = _gates_in_subprocess(_env(**{SWITCH: "1"}))
    assert gates and all(not gate["active"] and SWITCH in str(gate["reason"]) for gate in gates), gates


def test_another_library_version_shuts_its_gate() -> None:
    """A release the speed-up was not tested with gets the stock code, and says why."""
    prelude = textwrap.dedent("""
        from importlib import metadata
        real = metadata.version
        metadata.version = lambda name: "99.0" if name.lower() in ("jinja2", "markdown") else real(name)
    """)
    gates = {gate["name"]: gate for gate in _gates_in_subprocess(_env(), prelude)}
    assert not gates["render.quick-templates"]["active"]
    assert "not 99.0" in str(gates["render.quick-templates"]["reason"])
    assert not gates["markdown.quick-inline"]["active"]
    assert gates["output.renameat2-exchange"]["active"]  # the others are unaffected


def test_stock_classes_are_used_when_the_gates_are_shut() -> None:
    code = textwrap.dedent("""
        import jinja2, markdown
        from generator.config import parse_config
        from generator.markdown.python_markdown import MarkdownRenderer
        from generator.render.recording import RecordingEnvironment
        from pathlib import Path
        env = RecordingEnvironment()
        assert type(env.from_string("x")) is jinja2.Template, type(env.from_string("x"))
        assert env.context_class is jinja2.runtime.Context
        config, _ = parse_config(Path("."), "", {"title": "T", "base_url": "https://example.org/"})
        md = MarkdownRenderer(config)._md
        assert all(type(p).__name__ != "_QuickInlineProcessor" for p in md.treeprocessors)
        print("stock")
    """)
    result = subprocess.run([sys.executable, "-c", code], env=_env(**{SWITCH: "1"}), capture_output=True, text=True,
                            timeout=60, cwd=REPO)
    assert result.returncode == 0 and result.stdout.strip() == "stock", result.stderr


def _build(site: Path, output: Path, env: dict[str, str], *extra: str) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "build", "-s", str(site), "-o", str(output),
                             "--no-cache", *extra], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr


def _sample_site(root: Path) -> Path:
    site = root / "sample"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy2(REPO / "config.toml", site / "config.toml")
    return site


def _bench_site(root: Path, engine: str | None = None) -> Path:
    sys.path.insert(0, str(BENCH))
    try:
        import corpus  # bench/corpus.py: the benchmark's generated news site
    finally:
        sys.path.remove(str(BENCH))
    site = root / f"bench-{engine or 'default'}"
    corpus.generate(200, site, seed=1)
    if engine:
        with (site / "config.toml").open("a", encoding="utf-8") as config:
            config.write(f'\n[markdown]\nengine = "{engine}"\n')
    return site


@pytest.mark.slow
@pytest.mark.parametrize("which", ["sample", "bench", "bench-pulldown"])
def test_output_is_byte_identical_with_speedups_on_and_off(tmp_path: Path, which: str) -> None:
    if which == "sample":
        site = _sample_site(tmp_path)
    else:
        site = _bench_site(tmp_path, "pulldown-cmark" if which == "bench-pulldown" else None)
    _build(site, tmp_path / "on", _env(), "-j", "2")
    _build(site, tmp_path / "off", _env(**{SWITCH: "1"}), "-j", "2")
    on, off = snapshot(tmp_path / "on"), snapshot(tmp_path / "off")
    assert len(on) > 50
    assert on.keys() == off.keys()
    assert [name for name in on if on[name] != off[name]] == []


# Windows has no ``ctypes.CDLL(None)`` (it raises TypeError); macOS and musl have no
# renameat2 or malloc_trim. Dateline must build there, with the stock code.
# The platform is faked only while the gates are decided: the standard library
# itself (multiprocessing) would otherwise take this for a real Windows.
_NO_C_LIBRARY = textwrap.dedent("""
    import ctypes, sys
    import concurrent.futures.process, multiprocessing.connection  # imported for the real platform first
    def no_cdll(*args, **kwargs):
        raise TypeError("expected str, bytes or os.PathLike object, not NoneType")
    ctypes.CDLL = no_cdll
    real_platform, sys.platform = sys.platform, {platform!r}
    import generator.output.speedups, generator.parallel.speedups
    sys.platform = real_platform
""")


@pytest.mark.parametrize("platform", ["win32", "darwin", "linux"])
def test_a_system_without_the_c_functions_builds_with_the_stock_code(tmp_path: Path, platform: str) -> None:
    site = _sample_site(tmp_path)
    output = tmp_path / "output"
    code = _NO_C_LIBRARY.format(platform=platform) + textwrap.dedent(f"""
        import re
        from generator.speedups import all_gates
        gates = {{gate.name: gate for gate in all_gates()}}
        assert not gates["output.renameat2-exchange"].active, gates
        assert not gates["parallel.malloc-trim"].active, gates
        from generator.output.speedups import exchange
        from generator.parallel.speedups import give_back_free_memory
        from pathlib import Path
        assert exchange(Path("a"), Path("b")) is False
        give_back_free_memory()
        from generator.cli import main
        config = Path({str(site)!r}) / "config.toml"
        for title in ("First", "Second"):  # the second changes every page: a whole new folder is swapped in
            text = re.sub(r"^title = .*$", f'title = "{{title}}"', config.read_text(encoding="utf-8"), count=1,
                          flags=re.M)
            config.write_text(text, encoding="utf-8")
            assert main(["build", "-s", {str(site)!r}, "-o", {str(output)!r}, "-q", "--no-cache", "-j", "1"]) == 0
        print("built")
    """)
    result = subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True, text=True, timeout=300,
                            cwd=REPO)
    assert result.returncode == 0 and result.stdout.strip() == "built", result.stderr
    assert "<title>Second" in (output / "index.html").read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".output.*")), "no staging or old folder is left behind"
