"""Writing the output folder so that a failed or killed build loses nothing.

Everything goes into a staging folder next to ``output/``; only when every
file is written is the staging folder swapped in (atomically where the OS
allows). Files whose bytes did not change are hard-linked from the old
output, so they keep their timestamps and deploy tools see only real
changes; when nothing changed at all, ``output/`` is not touched.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.outputs import inside


@dataclass(frozen=True)
class OutputFile:
    """What belongs at ``path`` inside the output folder.

    Exactly one of: ``data`` (bytes to write), ``copy_from`` (a file to copy),
    or ``keep`` (the file already there is known to be current).
    """

    path: str
    data: bytes | None = None
    copy_from: Path | None = None
    keep: bool = False


@dataclass(frozen=True)
class WriteResult:
    written: list[str]  # files whose bytes are new or changed
    removed: list[str]
    unchanged: int


class OutputError(Exception):
    """The output folder cannot be written; the message says why and where."""


def _same_file_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _same_files(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as fa, b.open("rb") as fb:
            while True:
                chunk_a, chunk_b = fa.read(1 << 16), fb.read(1 << 16)
                if chunk_a != chunk_b:
                    return False
                if not chunk_a:
                    return True
    except OSError:
        return False


def _link_or_copy(old: Path, new: Path) -> None:
    try:
        os.link(old, new)
    except OSError:
        shutil.copyfile(old, new)


def _existing_files(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    return {
        Path(folder, name).relative_to(root).as_posix()
        for folder, _dirs, files in os.walk(root)
        for name in files
    }


def staging_folder(output: Path) -> Path:
    return output.parent / f".{output.name}.staging-{os.getpid()}"


def remove_leftovers(output: Path) -> None:
    """Staging or old folders left by a build that was killed."""
    if not output.parent.is_dir():
        return
    for stale in output.parent.glob(f".{output.name}.*"):
        if stale.is_dir() and (".staging-" in stale.name or ".old-" in stale.name):
            shutil.rmtree(stale, ignore_errors=True)


def _is_current(old: Path, item: OutputFile) -> bool:
    """Whether the file at ``old`` already holds what ``item`` wants there."""
    if item.keep:
        return old.is_file()
    if item.data is not None:
        return _same_file_bytes(old, item.data)
    assert item.copy_from is not None
    return _same_files(old, item.copy_from)


def _put(target: Path, item: OutputFile) -> None:
    if item.data is not None:
        target.write_bytes(item.data)
    else:
        assert item.copy_from is not None, f"{item.path}: kept file is missing from the output"
        shutil.copyfile(item.copy_from, target)


def write_output(output: Path, files: Iterable[OutputFile]) -> WriteResult:
    """Make ``output`` hold exactly ``files``; the old output survives any failure.

    What is already current is found first, so a build that changes nothing
    touches nothing, not even a staging folder.
    """
    remove_leftovers(output)
    old_files = _existing_files(output)
    items = list(files)
    current = [item.path in old_files and _is_current(output / item.path, item) for item in items]
    removed = sorted(old_files - {item.path for item in items})
    if all(current) and not removed and output.is_dir():
        return WriteResult([], [], len(items))
    staging = staging_folder(output)
    written: list[str] = []
    try:
        staging.mkdir(parents=True)
        made: set[Path] = set()
        for item, is_current in zip(items, current):
            target = inside(staging, item.path)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if is_current:
                _link_or_copy(output / item.path, target)
            else:
                _put(target, item)
                written.append(item.path)
        _fsync_tree(staging)
        _swap(staging, output)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(_describe(exc, output)) from None
    except ValueError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"refusing to write into {output}: {exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteResult(written, removed, current.count(True))


def write_in_place(output: Path, files: Iterable[OutputFile]) -> WriteResult:
    """Update ``output`` file by file: each file is replaced atomically by rename.

    Cheaper than ``write_output`` when few files change, but a crash can
    leave a mix of old and new files, so only the dev server (which makes
    requests wait while it writes) uses it.
    """
    output.mkdir(parents=True, exist_ok=True)
    old_files = _existing_files(output)
    written: list[str] = []
    unchanged = 0
    new_paths: set[str] = set()
    try:
        for item in files:
            new_paths.add(item.path)
            target = inside(output, item.path)
            if item.path in old_files and _is_current(target, item):
                unchanged += 1
                continue
            inside(output, item.path, follow_links=True)  # no symlink in output/ may lead out
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            _put(temporary, item)
            os.replace(temporary, target)
            written.append(item.path)
        removed = sorted(old_files - new_paths)
        for path in removed:
            (output / path).unlink(missing_ok=True)
        _remove_empty_folders(output, removed)
    except OSError as exc:
        raise OutputError(_describe(exc, output)) from None
    except ValueError as exc:
        raise OutputError(f"refusing to write into {output}: {exc}") from None
    return WriteResult(written, removed, unchanged)


def _remove_empty_folders(root: Path, removed: Iterable[str]) -> None:
    folders = {Path(path).parent for path in removed}
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        current = root / folder
        while current != root:
            try:
                current.rmdir()
            except OSError:
                break
            current = current.parent


def _describe(exc: OSError, output: Path) -> str:
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EACCES: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.EPERM: "operation not permitted",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return f"cannot write the output folder {output}: {reason}; the previous output is unchanged"


def _fsync_tree(root: Path) -> None:
    """Flush the folder entries so a power cut cannot swap in empty files."""
    try:
        fd = os.open(root, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _swap(staging: Path, output: Path) -> None:
    if output.is_dir() and not output.is_symlink() and _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old output
        return
    if output.exists() or output.is_symlink():
        old = output.parent / f".{output.name}.old-{os.getpid()}"
        os.rename(output, old)
        os.rename(staging, output)
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink()
    else:
        os.rename(staging, output)
