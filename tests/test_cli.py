"""The ``dateline`` command run as a real subprocess: exit codes and messages."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from tests.helpers import article, cli_env, make_site, run_dateline, write


def dateline(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_dateline(*args, cwd=cwd, epoch=None)  # the real clock: ``new`` dates articles today


def test_build_prints_a_summary_and_exits_zero(tmp_path: Path) -> None:
    make_site(tmp_path, {"articles/a.md": article("Alpha", "2020-03-01")})
    result = dateline("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built 8 pages from 1 article in ")
    assert result.stderr == ""
    assert (tmp_path / "output/2020/03/alpha/index.html").is_file()


def test_build_with_site_and_output_options(tmp_path: Path) -> None:
    make_site(tmp_path / "site", {"articles/a.md": article("Alpha", "2020-03-01")})
    result = dateline("build", "-s", "site", "-o", "public", "-q", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (tmp_path / "public/index.html").is_file()


def test_content_errors_exit_one_without_traceback(tmp_path: Path) -> None:
    make_site(tmp_path, {"articles/a.md": "---\ntitle: A\ndate: Aug 35\n---\n"})
    result = dateline("build", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/articles/a.md:3: date 'Aug 35' is not a date",
        "Build failed with 1 error; the output folder was left as it was.",
    ]
    assert "Traceback" not in result.stderr


def test_config_warnings_suggest_the_nearest_key(tmp_path: Path) -> None:
    make_site(tmp_path, {"articles/a.md": article("Alpha", "2020-03-01")},
              config='title = "T"\nbase_url = "https://example.org/"\npagiante = 5\n')
    result = dateline("build", cwd=tmp_path)
    assert result.returncode == 0
    assert "config.toml:3: warning: unknown key 'pagiante'; did you mean 'paginate'?" in result.stderr


def test_missing_config_and_usage_errors(tmp_path: Path) -> None:
    result = dateline("build", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"config.toml: not found in {tmp_path}, so this is not a Dateline site yet; "
                                    "run 'dateline init' to start one")
    assert "Traceback" not in result.stderr
    assert dateline("build", "--no-such-flag", cwd=tmp_path).returncode == 2
    assert dateline(cwd=tmp_path).returncode == 2


def test_new_writes_a_dated_draft_and_refuses_to_overwrite(tmp_path: Path) -> None:
    make_site(tmp_path, {})
    result = dateline("new", "Council: a “new” budget?", "--section", "Politics", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / f"content/articles/{date.today().year}/council-a-new-budget.md"
    text = path.read_text()
    assert 'title: "Council: a “new” budget?"' in text
    assert 'section: "Politics"' in text and "draft: true" in text
    assert dateline("build", "--drafts", cwd=tmp_path).returncode == 0
    again = dateline("new", "Council: a “new” budget?", cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert path.read_text() == text


def test_clean_removes_output(tmp_path: Path) -> None:
    make_site(tmp_path, {"articles/a.md": article("Alpha", "2020-03-01")})
    dateline("build", cwd=tmp_path)
    result = dateline("clean", cwd=tmp_path)
    assert result.returncode == 0 and not (tmp_path / "output").exists()
    write(tmp_path, "content/keep.txt", "kept")
    assert dateline("clean", "-o", "content", cwd=tmp_path).returncode == 1
    assert (tmp_path / "content/keep.txt").is_file()


def test_a_bug_in_dateline_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    make_site(tmp_path, {"articles/a.md": article("Alpha", "2020-03-01")})
    # No input is known to crash Dateline, so the bug is simulated by breaking one stage.
    env = cli_env(epoch=None)
    code = ("import sys, generator.load as b\n"
            "def broken(*a, **k): raise RuntimeError('simulated bug')\n"
            "b.plan_feeds = broken\n"
            "from generator.cli import main\n"
            "sys.exit(main(['build']))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 70
    assert result.stderr.startswith("internal error in Dateline: RuntimeError('simulated bug')")
    assert "Traceback" not in result.stderr


def test_version_lists_the_speedups_and_whether_each_is_on(tmp_path: Path) -> None:
    on = run_dateline("--version", cwd=tmp_path)
    assert on.returncode == 0
    lines = on.stdout.splitlines()
    assert lines[0].startswith("dateline ")
    assert "speed-up markdown.quick-inline: on" in lines
    env = {**cli_env(), "DATELINE_NO_SPEEDUPS": "1"}
    off = subprocess.run([sys.executable, "-m", "generator", "--version"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=60)
    assert "speed-up render.quick-templates: off (DATELINE_NO_SPEEDUPS is set)" in off.stdout.splitlines()
