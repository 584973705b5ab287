"""Changing the output folder: putting, deleting and flushing files, every target checked.

No path may lead out of the output folder, through ``..`` or through a
symbolic link someone left in it (see ``paths``).
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from generator.output.files import PARTIAL, UNCHANGED, Changes, OutputFile, reported, scan_sizes
from generator.output.paths import inside


def put(target: Path, item: OutputFile, *, flush: bool = False) -> None:
    if item.staged:
        assert target.is_file(), f"{item.path}: staged file is missing from {target.parent}"
    elif item.data is not None:
        target.write_bytes(item.data)
    else:
        assert item.copy_from is not None, f"{item.path}: kept file is missing from the output"
        shutil.copyfile(item.copy_from, target)
    if flush:
        fsync(target, strict=True)


def removal_target(output: Path, path: str) -> Path:
    """``output/path`` for unlinking: its folder must not lead out (the file itself may be a link)."""
    folder = path.rpartition("/")[0]
    if folder:
        inside(output, folder, follow_links=True)
    return inside(output, path)


def check_targets(output: Path, plan: Changes) -> None:
    """Refuse, before anything changes, a file that a symbolic link would lead out of ``output``,
    or that would land on a folder or below a file that is not being removed."""
    removing = set(plan.remove)
    for path in plan.remove:
        removal_target(output, path)
    for item in plan.write:
        target = inside(output, item.path, follow_links=True)
        if target.is_dir() and not target.is_symlink() and any(
                f"{item.path}/{below}" not in removing for below in scan_sizes(target)):
            raise ValueError(f"{item.path!r} is a folder in the output folder")
        if target.parent.is_dir():
            continue
        for folder in PurePosixPath(item.path).parents[:-1]:
            place = output / folder
            if os.path.lexists(place) and not place.is_dir() and folder.as_posix() not in removing:
                raise ValueError(f"{item.path!r} needs the file '{folder}' to be a folder")


def prepare(output: Path, path: str) -> Path:
    """The checked target for a new file, with its folder made."""
    target = inside(output, path, follow_links=True)  # no symlink in output/ may lead out
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def delete(output: Path, paths: Iterable[str]) -> set[Path]:
    """Unlink ``paths`` and the folders they leave empty; the folders touched, for flushing.

    Repeatable: a path that is gone, or that has since become a folder, is skipped.
    """
    paths = list(paths)
    for path in paths:
        target = removal_target(output, path)
        if target.is_dir() and not target.is_symlink():
            continue
        try:
            target.unlink()
        except (FileNotFoundError, NotADirectoryError):
            pass
    return _remove_empty_folders(output, paths)


def _remove_empty_folders(root: Path, removed: Iterable[str]) -> set[Path]:
    folders = {Path(path).parent for path in removed}
    touched = {root}
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        current = root / folder
        while current != root:
            try:
                current.rmdir()
            except OSError:
                touched.add(current)
                break
            current = current.parent
        touched.add(current)
    return touched


def fsync(path: Path, *, strict: bool = False) -> None:
    """Flush a file's data or a folder's entries to disk; ``strict`` raises, else best effort
    (not every system can open or flush a folder)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError:
        if strict:
            raise


def in_place(output: Path, plan: Changes, staged: Callable[[str], str] | None = None) -> None:
    """Carry out ``plan`` file by file: each file replaced atomically, the whole not.

    Files marked ``staged`` are renamed into place from where ``staged``
    says (``Staging.location``), or copied if that is another file system.
    """
    with reported(output, UNCHANGED):
        check_targets(output, plan)
    with reported(output, PARTIAL):
        delete(output, plan.remove)
        for item in plan.write:
            target = prepare(output, item.path)
            if item.staged:
                assert staged is not None, f"{item.path}: staged, but no staging folder was given"
                source = Path(staged(item.path))
                if _moved(source, target):
                    continue
                item = OutputFile(item.path, copy_from=source)
            temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            try:
                put(temporary, item)
                os.replace(temporary, target)
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise


def _moved(source: Path, target: Path) -> bool:
    """Rename ``source`` over ``target``; False if they are on different file systems (then copy it)."""
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno == errno.EXDEV:
            return False
        raise
    return True
