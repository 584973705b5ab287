"""Small helpers for tests that build real sites into temporary folders."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timezone
from pathlib import Path

from lxml import html as lxml_html

from generator.options import BuildOptions
from generator.build import BuildResult, build

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
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
