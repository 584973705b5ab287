"""The writers: what they change, how a killed update is finished, and that nothing escapes the output folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.output import files as writer_files
from generator.output import journal
from generator.output import staging as writer_staging
from generator.output.files import OutputError, OutputFile, WriteResult
from generator.output.journal import remove_leftovers
from generator.output.writer import apply_changes, update_in_place, write_in_place, write_output
from tests.helpers import snapshot


def site(count: int, edited: Callable[[int], bool] = lambda number: False, version: str = "v2") -> list[OutputFile]:
    """``count`` pages in nested folders, plus one page alone in its folder; ``edited`` pages carry ``version``."""
    files = [OutputFile(f"{number % 7}/{number}/index.html",
                        data=f"<p>page {number} {version if edited(number) else 'v1'}</p>".encode())
             for number in range(count)]
    return [*files, OutputFile("lonely/deep/index.html", data=b"<p>alone</p>")]


def expected(files: list[OutputFile]) -> dict[str, bytes]:
    return {item.path: item.data for item in files if item.data is not None}


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {path.relative_to(folder).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
            for path in folder.rglob("*") if path.is_file()}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".staging-" in p.name or ".old-" in p.name)


def committed_update(output: Path, files: list[OutputFile]) -> Path:
    """A journalled update taken up to its commit point, as a build killed right after it leaves it."""
    plan = writer_files.plan_all(output, files)
    staging = writer_files.staging_folder(output)
    journal.stage(output, plan, staging)
    journal.commit(staging, plan)
    return staging


@pytest.fixture()
def output(tmp_path: Path) -> Path:
    output = tmp_path / "output"
    write_output(output, site(200))
    return output


def test_a_small_change_writes_only_the_changed_files(output: Path) -> None:
    before, folder = stamps(output), output.stat().st_ino
    new = [item for item in site(200, edited=lambda n: n in (3, 150)) if item.path != "lonely/deep/index.html"]
    new.append(OutputFile("fresh/index.html", data=b"<p>new</p>"))
    result = write_output(output, new)
    assert result == WriteResult(["3/3/index.html", "3/150/index.html", "fresh/index.html"],
                                 ["lonely/deep/index.html"], 198)
    assert snapshot(output) == expected(new)
    assert output.stat().st_ino == folder  # the journal, not the swap
    assert not (output / "lonely").exists()  # emptied folders go too
    after = stamps(output)
    assert {path for path in before if after.get(path) != before[path]} == {
        "3/3/index.html", "3/150/index.html", "lonely/deep/index.html"}
    assert leftovers(output.parent) == []


def test_a_big_change_swaps_in_a_whole_new_folder(output: Path) -> None:
    before, folder = stamps(output), output.stat().st_ino
    new = site(200, edited=lambda n: n < 150)
    result = write_output(output, new)
    assert len(result.written) == 150 and result.unchanged == 51
    assert snapshot(output) == expected(new)
    assert output.stat().st_ino != folder  # swapped
    after = stamps(output)
    assert all(after[path] == before[path] for path in ("0/175/index.html", "lonely/deep/index.html"))  # hard-linked
    assert leftovers(output.parent) == []


@pytest.mark.parametrize(("edits", "journalled"), [(60, True), (61, False)])
def test_the_journal_takes_up_to_a_tenth_of_a_large_site(tmp_path: Path, edits: int, journalled: bool) -> None:
    output = tmp_path / "output"
    write_output(output, site(599))
    folder = output.stat().st_ino
    write_output(output, site(599, edited=lambda n: n < edits))
    assert (output.stat().st_ino == folder) is journalled


def test_the_first_build_and_a_file_becoming_a_folder(tmp_path: Path) -> None:
    output = tmp_path / "output"
    first = [OutputFile("news/index.html", data=b"a"), OutputFile("about", data=b"b")]
    write_output(output, first)
    assert snapshot(output) == expected(first)
    second = [OutputFile("news", data=b"now a file"), OutputFile("about/index.html", data=b"now a folder")]
    result = write_output(output, second)
    assert sorted(result.written) == ["about/index.html", "news"] and result.removed == ["about", "news/index.html"]
    assert snapshot(output) == expected(second)


def test_a_no_op_touches_nothing(output: Path) -> None:
    kept = [OutputFile(item.path, keep=True) if n % 2 else item for n, item in enumerate(site(200))]
    before, folder_times = stamps(output), (output.stat().st_mtime_ns, output.parent.stat().st_mtime_ns)
    assert write_output(output, kept) == WriteResult([], [], 201)
    assert stamps(output) == before
    assert (output.stat().st_mtime_ns, output.parent.stat().st_mtime_ns) == folder_times  # not even a staging folder


def test_bytes_are_compared_not_just_sizes(output: Path, tmp_path: Path) -> None:
    asset, same_size = tmp_path / "site.css", tmp_path / "other.css"
    asset.write_bytes(b"body{color:red}")
    same_size.write_bytes(b"body{color:tan}")
    files = [*site(200), OutputFile("site.css", copy_from=asset)]
    assert write_output(output, files).written == ["site.css"]
    assert write_output(output, files).written == []
    assert write_output(output, [*site(200), OutputFile("site.css", copy_from=same_size)]).written == ["site.css"]
    same_length = [OutputFile(item.path, data=item.data.replace(b"v1", b"v9")) if item.path == "0/7/index.html"
                   else item for item in site(200) if item.data is not None]
    result = write_output(output, same_length)
    assert (result.written, result.removed) == (["0/7/index.html"], ["site.css"])
    assert (output / "0/7/index.html").read_bytes() == b"<p>page 7 v9</p>"


def test_a_failure_before_the_commit_leaves_the_output_untouched(output: Path, tmp_path: Path) -> None:
    before, contents = stamps(output), snapshot(output)
    broken = [*site(200, edited=lambda n: n == 3), OutputFile("gone.css", copy_from=tmp_path / "missing.css")]
    with pytest.raises(OutputError, match="No such file or directory; the previous output is unchanged"):
        write_output(output, broken)
    assert stamps(output) == before and snapshot(output) == contents
    assert leftovers(output.parent) == []


def test_a_committed_journal_is_rolled_forward(output: Path) -> None:
    new = [item for item in site(200, edited=lambda n: n % 50 == 0) if not item.path.startswith("lonely/")]
    old = snapshot(output)
    staging = committed_update(output, new)
    assert snapshot(output) == old  # nothing is applied before the commit point
    os.replace(staging / "files/0/0/index.html", output / "0/0/index.html")  # killed after the first move
    remove_leftovers(output)
    assert snapshot(output) == expected(new)
    assert not (output / "lonely").exists()
    assert leftovers(output.parent) == []


def test_the_next_build_rolls_a_committed_journal_forward(output: Path) -> None:
    new = site(200, edited=lambda n: n == 9)
    committed_update(output, new)
    result = write_output(output, new)
    assert result == WriteResult([], [], 201)  # finished by the roll-forward, so nothing is left to do
    assert snapshot(output) == expected(new)
    assert leftovers(output.parent) == []


@pytest.mark.parametrize("staged_files_left", [True, False])
def test_rolling_forward_twice_is_harmless(output: Path, tmp_path: Path, staged_files_left: bool) -> None:
    new = [item for item in site(200, edited=lambda n: n < 20) if not item.path.startswith("lonely/")]
    staging = committed_update(output, new)
    copy = tmp_path / "copy"
    shutil.copytree(staging, copy)
    remove_leftovers(output)
    assert snapshot(output) == expected(new)
    if not staged_files_left:  # killed after every move, before the journal went
        shutil.rmtree(copy / "files")
    shutil.move(copy, staging)
    remove_leftovers(output)
    remove_leftovers(output)
    assert snapshot(output) == expected(new)
    assert leftovers(output.parent) == []


def test_a_staging_folder_without_a_journal_is_discarded(output: Path) -> None:
    before = stamps(output)
    plan = writer_files.plan_all(output, site(200, edited=lambda n: n < 10))
    staging = writer_files.staging_folder(output)
    journal.stage(output, plan, staging)
    (staging / "journal.tmp").write_text('{"dateline-journal": 1, "move": ["0/0/index.html"], "delete": []}')
    swap = output.parent / f".{output.name}.staging-99999999"  # a killed swap whose site has a file "journal"
    swap.mkdir()
    (swap / "journal").write_text('{"move": ["x"], "delete": ["0/0/index.html"]}')
    remove_leftovers(output)
    assert stamps(output) == before
    assert leftovers(output.parent) == []


def test_a_symlink_planted_after_the_commit_stops_the_roll_forward(output: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    staging = committed_update(output, site(200, edited=lambda n: n == 3))
    shutil.rmtree(output / "3")
    os.symlink(outside, output / "3")
    with pytest.raises(OutputError, match=r"resolves outside.*the next build will complete it"):
        remove_leftovers(output)
    assert list(outside.iterdir()) == []
    assert (staging / "journal").is_file()  # kept, so the update can still be finished


def test_in_place_writer_refuses_a_symlink_leading_out(tmp_path: Path) -> None:
    output, outside = tmp_path / "output", tmp_path / "outside"
    output.mkdir()
    outside.mkdir()
    os.symlink(outside, output / "2020")
    with pytest.raises(OutputError, match="resolves outside the output folder"):
        write_in_place(output, [OutputFile("2020/08/story/index.html", data=b"<p>x</p>")])
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("entry", ["write_output", "apply_changes", "update_in_place", "write_in_place"])
def test_no_entry_point_writes_through_a_symlink_leading_out(output: Path, tmp_path: Path, entry: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, output / "2020")
    before = snapshot(output)
    story = OutputFile("2020/08/story/index.html", data=b"<p>x</p>")
    calls = {"write_output": lambda: write_output(output, [*site(200), story]),
             "apply_changes": lambda: apply_changes(output, [story]),
             "update_in_place": lambda: update_in_place(output, [story]),
             "write_in_place": lambda: write_in_place(output, [*site(200), story])}
    with pytest.raises(OutputError, match=r"resolves outside the output folder.*previous output is unchanged"):
        calls[entry]()
    assert list(outside.iterdir()) == []
    assert snapshot(output) == before
    assert leftovers(output.parent) == []


def test_a_swap_replaces_a_symlink_leading_out_without_writing_through_it(output: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, output / "2020")
    new = [*site(200, edited=lambda n: True), OutputFile("2020/08/story/index.html", data=b"<p>x</p>")]
    write_output(output, new)
    assert list(outside.iterdir()) == []
    assert snapshot(output) == expected(new) and not (output / "2020").is_symlink()


@pytest.mark.parametrize("update", [apply_changes, update_in_place])
def test_removals_through_a_symlink_leading_out_are_refused(output: Path, tmp_path: Path,
                                                           update: Callable[..., WriteResult]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.html").write_bytes(b"keep me")
    os.symlink(outside, output / "2020")
    with pytest.raises(OutputError, match="resolves outside"):
        update(output, [], ["2020/precious.html"])
    assert (outside / "precious.html").read_bytes() == b"keep me"


@pytest.mark.parametrize("update", [apply_changes, update_in_place])
def test_listed_updates_leave_unlisted_files_alone(output: Path, update: Callable[..., WriteResult]) -> None:
    (output / "stray.txt").write_bytes(b"not the build's")
    before, contents, folder = stamps(output), snapshot(output), output.stat().st_ino
    changes = [OutputFile("0/0/index.html", data=b"<p>changed</p>"), OutputFile("new/index.html", data=b"<p>n</p>"),
               OutputFile("1/1/index.html", data=b"<p>page 1 v1</p>")]
    result = update(output, changes, ["2/2/index.html", "lonely/deep/index.html", "never/was.html"])
    assert result == WriteResult(["0/0/index.html", "new/index.html"], ["2/2/index.html", "lonely/deep/index.html"], 1)
    del contents["2/2/index.html"], contents["lonely/deep/index.html"]
    assert snapshot(output) == {**contents, **expected(changes)}
    assert not (output / "lonely").exists()
    after = stamps(output)
    assert {path for path in before if after.get(path) != before[path]} == {
        "0/0/index.html", "2/2/index.html", "lonely/deep/index.html"}
    assert output.stat().st_ino == folder
    assert leftovers(output.parent) == []


@pytest.mark.parametrize("update", [apply_changes, update_in_place])
def test_listed_updates_refuse_to_write_over_a_folder_that_stays(output: Path,
                                                                update: Callable[..., WriteResult]) -> None:
    before = snapshot(output)
    with pytest.raises(OutputError, match=r"is a folder in the output folder.*previous output is unchanged"):
        update(output, [OutputFile("lonely/deep/extra.html", data=b"x"), OutputFile("lonely", data=b"x")])
    assert snapshot(output) == before
    assert leftovers(output.parent) == []


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../b.html", "a\\b.html", "a/\x00.html", ""])
def test_paths_that_are_not_inside_are_refused(tmp_path: Path, path: str) -> None:
    output = tmp_path / "output"
    with pytest.raises(OutputError):
        write_output(output, [OutputFile(path, data=b"x")])
    with pytest.raises(OutputError):
        write_in_place(output, [OutputFile(path, data=b"x")])
    write_output(output, [OutputFile("index.html", data=b"x")])
    for update in (apply_changes, update_in_place):
        with pytest.raises(OutputError):
            update(output, [OutputFile(path, data=b"x")])
        with pytest.raises(OutputError):
            update(output, [], [path])
    assert not (tmp_path / "escape.html").exists() and not (tmp_path / "b.html").exists()


def test_staging_streams_new_files_and_skips_those_already_current(output: Path) -> None:
    files = site(30)
    write_output(output, files)
    before = stamps(output)
    staging = writer_staging.Staging(output)
    edited = site(30, edited=lambda number: number == 4)
    handed = [staging.add(item.path, item.data) for item in edited]  # type: ignore[arg-type]
    assert [item.path for item in handed if item.staged] == ["4/4/index.html"]
    assert all(item.keep for item in handed if not item.staged)
    staged_files = sorted(p.relative_to(staging.folder).as_posix() for p in staging.folder.rglob("*") if p.is_file())
    assert staged_files == ["files/4/4/index.html"]  # only the changed page reached the disk
    result = write_output(output, handed, staging)
    assert result.written == ["4/4/index.html"]
    assert snapshot(output) == expected(edited)
    assert {path: stamp for path, stamp in stamps(output).items() if path != "4/4/index.html"} == \
        {path: stamp for path, stamp in before.items() if path != "4/4/index.html"}
    assert leftovers(output.parent) == []


def test_a_streamed_whole_site_is_swapped_in(tmp_path: Path) -> None:
    output = tmp_path / "fresh"
    staging = writer_staging.Staging(output)
    files = site(40)
    handed = [staging.add(item.path, item.data) for item in files]  # type: ignore[arg-type]
    assert all(item.staged for item in handed)
    write_output(output, handed, staging)
    assert snapshot(output) == expected(files)
    assert leftovers(output.parent) == []


def test_discarding_a_staging_leaves_the_output_and_no_leftovers(output: Path) -> None:
    write_output(output, site(10))
    before = snapshot(output)
    staging = writer_staging.Staging(output)
    staging.add("0/0/index.html", b"<p>never published</p>")
    staging.discard()
    assert snapshot(output) == before
    assert leftovers(output.parent) == []


@pytest.mark.parametrize("flat", [True, False])
def test_in_place_moves_staged_files_in_and_leaves_the_rest_alone(output: Path, flat: bool) -> None:
    """The dev server's whole-site rebuild: pages streamed to disk as rendered, then renamed in one by one."""
    write_output(output, site(30))
    before = stamps(output)
    staging = writer_staging.Staging(output, flat=flat)
    edited = site(30, edited=lambda number: number % 10 == 3)
    handed = [staging.add(item.path, item.data) for item in edited]  # type: ignore[arg-type]
    handed = [item for item in handed if item.path != "5/5/index.html"]  # no longer in the site
    changed = {"3/3/index.html", "6/13/index.html", "2/23/index.html"}
    assert {item.path for item in handed if item.staged} == changed
    staged_names = [path.relative_to(staging.folder).as_posix() for path in staging.folder.rglob("*")]
    assert (len(staged_names) == 4) if flat else ("files/3/3/index.html" in staged_names)  # flat: no folder per page
    result = write_in_place(output, handed, staging)
    assert sorted(result.written) == sorted(changed) and result.removed == ["5/5/index.html"]
    assert snapshot(output) == {path: data for path, data in expected(edited).items() if path != "5/5/index.html"}
    after = stamps(output)
    assert {path: after[path] for path in after if path not in changed} == \
        {path: before[path] for path in before if path not in changed and path != "5/5/index.html"}
    assert leftovers(output.parent) == []


def test_in_place_from_a_staging_on_another_file_system_copies(output: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``os.replace`` across file systems fails with EXDEV: the staged file is then copied in, still atomically."""
    write_output(output, site(10))
    staging = writer_staging.Staging(output, flat=True)
    handed = [staging.add(item.path, item.data) for item in site(10, edited=lambda number: number == 2)]  # type: ignore[arg-type]
    real_replace = os.replace

    def replace_within_one_file_system(source: object, target: object) -> None:
        if ".staging-" in str(source):
            raise OSError(18, "Invalid cross-device link")  # EXDEV
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace_within_one_file_system)
    write_in_place(output, handed, staging)
    assert snapshot(output) == expected(site(10, edited=lambda number: number == 2))
    assert leftovers(output.parent) == []
