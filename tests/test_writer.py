"""The writers never write outside the output folder, even through a symbolic link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.writer import OutputError, OutputFile, write_in_place, write_output


def test_in_place_writer_refuses_a_symlink_leading_out(tmp_path: Path) -> None:
    output, outside = tmp_path / "output", tmp_path / "outside"
    output.mkdir()
    outside.mkdir()
    os.symlink(outside, output / "2020")
    with pytest.raises(OutputError, match="resolves outside the output folder"):
        write_in_place(output, [OutputFile("2020/08/story/index.html", data=b"<p>x</p>")])
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../b.html", "a\\b.html", "a/\x00.html", ""])
def test_paths_that_are_not_inside_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(OutputError):
        write_output(tmp_path / "output", [OutputFile(path, data=b"x")])
    with pytest.raises(OutputError):
        write_in_place(tmp_path / "output", [OutputFile(path, data=b"x")])
    assert not (tmp_path / "escape.html").exists() and not (tmp_path / "b.html").exists()
