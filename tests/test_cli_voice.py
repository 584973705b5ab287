"""The command line as a newcomer meets it, run as a subprocess: init, one voice, help that matches the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import CHECKOUT, age, article, make_site, run_dateline, write

README = (CHECKOUT / "README.md").read_text(encoding="utf-8")


def test_init_makes_a_site_that_builds_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "harbour-news"
    created = run_dateline("init", str(folder), epoch=None)
    assert created.returncode == 0, created.stderr
    assert created.stderr == ""
    assert f"dateline serve -s {folder}" in created.stdout
    config = (folder / "config.toml").read_text(encoding="utf-8")
    assert 'title = "Harbour News"' in config
    for key in ("description", "language", "timezone", "theme", "paginate", "feed_limit", "words_per_minute",
                "related_count", "date_format", "time_format", "copyright", "sections", "[publisher]", "[social]",
                "[markdown]", "engine", "raw_html", "highlight", "paginate_stable", "[images]", "widths",
                "[search]", "enabled", "role", "links"):
        assert f"# {key}" in config, key  # every key, commented, with its default
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[1:] == ["/output/", "/.dateline/"]
    built = run_dateline("build", "-s", str(folder), epoch=None)
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""  # the example article has nothing to warn about
    assert built.stdout.startswith("Built ") and " from 1 article in " in built.stdout
    pages = list((folder / "output").glob("*/*/welcome-to-harbour-news/index.html"))
    assert len(pages) == 1
    assert run_dateline("check", "-s", str(folder), epoch=None).returncode == 0


def test_init_never_overwrites(tmp_path: Path) -> None:
    write(tmp_path, "config.toml", 'title = "Mine"\nbase_url = "https://example.org/"\n')
    result = run_dateline("init", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (f"{Path('config.toml')}: already exists; 'dateline init' never overwrites a file "
                             "(choose an empty folder, or remove it first)\n")
    assert (tmp_path / "config.toml").read_text() == 'title = "Mine"\nbase_url = "https://example.org/"\n'
    assert not (tmp_path / "content").exists()


@pytest.mark.parametrize("command", [["build"], ["check"], ["new", "A title"], ["clean"], ["serve", "--port", "0"]])
def test_every_command_says_the_same_when_there_is_no_site(tmp_path: Path, command: list[str]) -> None:
    result = run_dateline(*command, cwd=tmp_path)
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first == (f"config.toml: not found in {tmp_path}, so this is not a Dateline site yet; "
                     "run 'dateline init' to start one, or point at a site folder with -s SITE")
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_counts_and_durations_read_right(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("Alpha", "2020-03-01", summary="S")})
    result = run_dateline("build", "-s", str(site))
    assert re.fullmatch(r"Built 8 pages from 1 article in \d+\.\d{2,3} s\n", result.stdout), result.stdout


def test_a_no_op_build_says_up_to_date(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("Alpha", "2020-03-01", summary="S")})
    age(site)
    run_dateline("build", "-s", str(site))
    again = run_dateline("build", "-s", str(site))
    assert again.stdout.endswith(" s (up to date: no file changed since the last build)\n"), again.stdout


def test_check_reports_warnings_with_file_and_line_on_stderr(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "articles/a.md": article("Alpha", "2020-03-01", "Text.", sumary="A typo", tag="[x]"),
        "articles/b.md": article("Beta", "2020-03-02", "Text.", summary="S", image="/media/missing.png",
                                 image_alt="A harbour"),
    })
    result = run_dateline("check", "-s", str(site))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "content/articles/a.md:4: warning: unknown field 'sumary'; did you mean 'summary'?" in lines
    assert "content/articles/a.md:5: warning: unknown field 'tag'; did you mean 'tags'?" in lines
    # The lead image is on the article page and on every card that shows it: one report, at its line.
    assert [line for line in lines if "missing.png" in line] == [
        "content/articles/b.md:5: lead image /media/missing.png points nowhere"]
    assert not any("output/" in line for line in lines)  # the build went to a temporary folder
    assert result.stdout.startswith("Checked the site: 1 error, ")


def _usage_line(command: str) -> str:
    match = re.search(rf"^dateline {command} .*$", README, re.MULTILINE)
    assert match, command
    return match.group(0)


COMMANDS = ("init", "build", "serve", "check", "new", "clean", "import")


def _help(*args: str) -> str:
    result = run_dateline(*args, "--help")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_help_texts_match_the_readme() -> None:
    overview = _help()
    for name in COMMANDS:
        assert re.search(rf"^    {name} +\S", overview, re.MULTILINE), name  # listed with a summary
    helps = {name: _help(name) for name in COMMANDS}
    for name, text in helps.items():
        readme = _usage_line(name)
        usage, description = text.split("\n\n")[:2]
        assert not description.startswith(("positional", "options")), f"'dateline {name} --help' describes it"
        for option in set(re.findall(r"\[(-\w|--[\w-]+)", usage)) - {"-h"}:
            assert option in readme, (name, option)  # every option the command takes is in the README
        for option in re.findall(r"\[(-\w|--[\w-]+)", readme):
            assert option in usage, (name, option)  # and the README lists no option it does not take
    assert "already built output folder" in " ".join(helps["check"].split())
    assert ".dateline/" in helps["clean"]
    assert "--no-drafts" in helps["serve"] and "--allow-host" in helps["serve"]


def test_version_lists_the_speed_ups() -> None:
    result = run_dateline("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("dateline ")
    assert "speed-up " in result.stdout
