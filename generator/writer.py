"""Writing the output folder so that a failed or killed build loses nothing.

``write_output`` makes ``output/`` hold exactly the build's files, with one of
two strategies, chosen by the size of the change:

* **Swap**, for site-wide changes (and when there is no output yet): the whole
  site is staged in a sibling folder ``.output.staging-PID``, files whose
  bytes did not change hard-linked from the old output, and the folder is
  swapped in with one atomic ``renameat2(RENAME_EXCHANGE)``. Readers go from
  the old site to the new one in a single step.
* **Journal**, for small changes (at most ``max(50, 10%)`` of the files to
  write or remove, see ``_is_small``): only the new and changed files are
  staged and flushed to disk; then a journal naming the files to move in and
  to delete is flushed and renamed to ``journal`` in the staging folder. That
  rename is the commit point. The apply step renames each staged file over
  its target, deletes the removed files and their emptied folders, and drops
  the staging folder. Its cost follows the change, not the size of the site.

The guarantee is the same for both. A build that fails or is killed before
the commit point (nearly all of its run) leaves ``output/`` untouched; its
staging folder is discarded at once on an error, by the next build after a
kill. (For the swap, the commit point is the exchange itself, so there is
nothing after it to finish.) A build killed during the journal's apply step
(milliseconds long) leaves a committed journal, which the next build rolls
forward before anything else (``remove_leftovers``), so once the next build
has run the output is always exactly one build's output. Every file is
replaced by a rename, so a reader never sees a half-written file, though
during an apply step it may see some files new and others still old.

What is current is found by comparing sizes first and bytes only when the
sizes agree; files that did not change are never rewritten, so they keep
their inode and timestamps and deploy tools see only real changes. When
nothing changed, nothing is touched, not even a staging folder.

For callers that know exactly what changed, ``apply_changes`` (journalled)
and ``update_in_place`` (file by file, for the dev server) look only at the
listed files and removals and never walk the output folder. The dev
server's ``write_in_place`` replaces file by file too: every file atomic,
the whole not, which is fine while it holds requests during a build.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.outputs import check_relative, inside

# The journal takes at most this many files, or this share of the site, whichever is more.
SMALL_CHANGE_FILES = 50
SMALL_CHANGE_PERCENT = 10

_JOURNAL = "journal"  # in the staging folder; its presence is the commit point
_STAGED = "files"  # the staged files, by their path in the output folder
_MAGIC = "dateline-journal"  # tells a journal from a site file called "journal" in a swap's staging folder

_UNCHANGED = "the previous output is unchanged"
_COMMITTED = "the update is committed and the next build will complete it"
_PARTIAL = "files replaced before the error are already new"


@dataclass(frozen=True)
class OutputFile:
    """What belongs at ``path`` inside the output folder.

    Exactly one of: ``data`` (bytes to write), ``copy_from`` (a file to copy),
    ``keep`` (the file already there is known to be current), or ``staged``
    (new bytes already written into the build's ``Staging`` folder).
    """

    path: str
    data: bytes | None = None
    copy_from: Path | None = None
    keep: bool = False
    staged: bool = False


@dataclass(frozen=True)
class WriteResult:
    written: list[str]  # files whose bytes are new or changed
    removed: list[str]
    unchanged: int


class OutputError(Exception):
    """The output folder cannot be written; the message says why and where."""


@dataclass(frozen=True)
class _Plan:
    """What an update must do: files to write, files to remove, and how many were current."""

    write: list[OutputFile]
    remove: list[str]
    unchanged: int

    @property
    def empty(self) -> bool:
        return not self.write and not self.remove

    def result(self) -> WriteResult:
        return WriteResult([item.path for item in self.write], list(self.remove), self.unchanged)


def staging_folder(output: Path) -> Path:
    return output.parent / f".{output.name}.staging-{os.getpid()}"


# --- what is current ---------------------------------------------------------------------------


def _scan(root: Path) -> dict[str, int]:
    """Every file below ``root`` by relative path, with its size (-1: not a regular file).

    Like ``os.walk``, symbolic links to folders are neither followed nor listed.
    """
    if not root.is_dir():
        return {}
    found: dict[str, int] = {}
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir():
                    if not entry.is_symlink():
                        pending.append((entry.path, relative + "/"))
                    continue
                try:
                    found[relative] = entry.stat().st_size if entry.is_file() else -1
                except OSError:
                    found[relative] = -1
    return found


def _size(path: Path) -> int | None:
    """The size of the file at ``path``; -1 if something else is there, None if nothing or a folder."""
    try:
        status = path.stat()
    except OSError:
        return -1 if path.is_symlink() else None
    if stat.S_ISDIR(status.st_mode):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else -1


def _same_contents(a: Path, b: Path) -> bool:
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            chunk_a, chunk_b = fa.read(1 << 16), fb.read(1 << 16)
            if chunk_a != chunk_b:
                return False
            if not chunk_a:
                return True


def _is_current(path: Path, item: OutputFile, size: int) -> bool:
    """Whether ``path`` (a file of ``size`` bytes) holds what ``item`` wants; bytes are read only if sizes agree."""
    if size < 0 or item.staged:
        return False  # a staged file was compared with the output when it was staged
    if item.keep:
        return True
    try:
        if item.data is not None:
            return size == len(item.data) and path.read_bytes() == item.data
        assert item.copy_from is not None
        return size == item.copy_from.stat().st_size and _same_contents(path, item.copy_from)
    except OSError:
        return False


def _plan(output: Path, items: Iterable[OutputFile], size_of: Callable[[str], int | None],
          remove: list[str]) -> _Plan:
    write: list[OutputFile] = []
    unchanged = 0
    for item in items:
        size = size_of(item.path)
        if size is not None and _is_current(output / item.path, item, size):
            unchanged += 1
        else:
            check_relative(item.path)  # refuse a bad path before anything is staged
            write.append(item)
    return _Plan(write, remove, unchanged)


def _plan_all(output: Path, items: list[OutputFile]) -> _Plan:
    """The plan that makes ``output`` hold exactly ``items``: one walk of the output folder."""
    existing = _scan(output)
    return _plan(output, items, existing.get, sorted(existing.keys() - {item.path for item in items}))


def _plan_listed(output: Path, changes: Iterable[OutputFile], removals: Iterable[str]) -> _Plan:
    """The plan for the listed files only; files not listed are not looked at."""
    items = list(changes)
    wanted_gone = list(dict.fromkeys(removals))
    both = {item.path for item in items}.intersection(wanted_gone)
    if both:
        raise ValueError(f"{min(both)!r} is both written and removed")
    remove = [path for path in wanted_gone if _removable(inside(output, path))]
    return _plan(output, items, lambda path: _size(inside(output, path)), remove)


def _removable(target: Path) -> bool:
    return target.is_symlink() or (target.exists() and not target.is_dir())


# --- changing the output folder ----------------------------------------------------------------


def _put(target: Path, item: OutputFile, *, flush: bool = False) -> None:
    if item.staged:
        assert target.is_file(), f"{item.path}: staged file is missing from {target.parent}"
    elif item.data is not None:
        target.write_bytes(item.data)
    else:
        assert item.copy_from is not None, f"{item.path}: kept file is missing from the output"
        shutil.copyfile(item.copy_from, target)
    if flush:
        _fsync(target, strict=True)


def _removal_target(output: Path, path: str) -> Path:
    """``output/path`` for unlinking: its folder must not lead out (the file itself may be a link)."""
    folder = path.rpartition("/")[0]
    if folder:
        inside(output, folder, follow_links=True)
    return inside(output, path)


def _check_targets(output: Path, plan: _Plan) -> None:
    """Refuse, before anything changes, a file that a symbolic link would lead out of ``output``,
    or that would land on a folder or below a file that is not being removed."""
    removing = set(plan.remove)
    for path in plan.remove:
        _removal_target(output, path)
    for item in plan.write:
        target = inside(output, item.path, follow_links=True)
        if target.is_dir() and not target.is_symlink() and any(
                f"{item.path}/{below}" not in removing for below in _scan(target)):
            raise ValueError(f"{item.path!r} is a folder in the output folder")
        if target.parent.is_dir():
            continue
        for folder in PurePosixPath(item.path).parents[:-1]:
            place = output / folder
            if os.path.lexists(place) and not place.is_dir() and folder.as_posix() not in removing:
                raise ValueError(f"{item.path!r} needs the file '{folder}' to be a folder")


def _prepare(output: Path, path: str) -> Path:
    """The checked target for a new file, with its folder made."""
    target = inside(output, path, follow_links=True)  # no symlink in output/ may lead out
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _delete(output: Path, paths: Iterable[str]) -> set[Path]:
    """Unlink ``paths`` and the folders they leave empty; the folders touched, for flushing.

    Repeatable: a path that is gone, or that has since become a folder, is skipped.
    """
    paths = list(paths)
    for path in paths:
        target = _removal_target(output, path)
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


def _fsync(path: Path, *, strict: bool = False) -> None:
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


def _in_place(output: Path, plan: _Plan) -> None:
    """Carry out ``plan`` file by file: each file replaced atomically, the whole not."""
    with _reported(output, _UNCHANGED):
        _check_targets(output, plan)
    with _reported(output, _PARTIAL):
        _delete(output, plan.remove)
        for item in plan.write:
            target = _prepare(output, item.path)
            temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            try:
                _put(temporary, item)
                os.replace(temporary, target)
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise


# --- the journal -------------------------------------------------------------------------------


def _stage(output: Path, plan: _Plan, staging: Path) -> None:
    """Write the new and changed files into ``staging`` and flush them; ``output`` is not touched."""
    _check_targets(output, plan)
    staged = staging / _STAGED
    staged.mkdir(parents=True, exist_ok=True)  # files streamed by a ``Staging`` are already there
    if output.exists() and staging.stat().st_dev != output.stat().st_dev:
        raise OSError(errno.EXDEV, "the output folder is a different file system from its parent folder")
    folders = {staging, staged}
    for item in plan.write:
        source = inside(staged, item.path)
        source.parent.mkdir(parents=True, exist_ok=True)
        _put(source, item, flush=True)
        folder = source.parent
        while folder not in folders:
            folders.add(folder)
            folder = folder.parent
    for folder in folders:
        _fsync(folder)


def _commit(staging: Path, plan: _Plan) -> None:
    """Write the journal and rename it into place: from then on the update happens, if need be in the next build."""
    body = json.dumps({_MAGIC: 1, "move": [item.path for item in plan.write], "delete": plan.remove})
    pending = staging / f"{_JOURNAL}.tmp"
    _put(pending, OutputFile(pending.name, data=body.encode()), flush=True)
    os.rename(pending, staging / _JOURNAL)
    _fsync(staging)


def _journal(staging: Path) -> tuple[list[str], list[str]] | None:
    """The moves and deletions of a committed journal; None if ``staging`` holds none."""
    try:
        body = json.loads((staging / _JOURNAL).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(body, dict) or body.get(_MAGIC) != 1:
        return None
    moves, deletes = body.get("move"), body.get("delete")
    if not all(isinstance(paths, list) and all(isinstance(p, str) for p in paths) for paths in (moves, deletes)):
        return None
    return moves, deletes


def _apply(output: Path, staging: Path) -> None:
    """Carry out the committed journal in ``staging``, then drop it.

    Safe to repeat after a crash: deletions of what is gone are skipped, and a
    move whose staged file is gone was done.
    """
    journal = _journal(staging)
    assert journal is not None, f"{staging} holds no committed journal"
    moves, deletes = journal
    touched = _delete(output, deletes)  # first, so a file may take the place of a removed folder
    staged = staging / _STAGED
    for path in moves:
        source = inside(staged, path)
        if not os.path.lexists(source):
            continue
        target = _prepare(output, path)
        os.replace(source, target)
        touched.add(target.parent)
    for folder in touched:
        _fsync(folder)
    (staging / _JOURNAL).unlink()
    shutil.rmtree(staging, ignore_errors=True)


def _journalled(output: Path, plan: _Plan) -> None:
    staging = staging_folder(output)
    with _reported(output, _UNCHANGED, discard=staging):
        _stage(output, plan, staging)
        _commit(staging, plan)
    with _reported(output, _COMMITTED):
        _apply(output, staging)


def remove_leftovers(output: Path, spare: Path | None = None) -> None:
    """Clear what a killed build left next to ``output``; safe to run any number of times.

    A staging folder with a committed journal is rolled forward (its update
    finished); one without is deleted, as are old outputs of an interrupted
    swap, unless ``output`` itself went missing, when the old one is put back.
    """
    parent = output.parent
    if not parent.is_dir():
        return
    pattern = re.compile(re.escape(f".{output.name}.") + r"(staging|old)-\d+")
    stale = [path for path in parent.iterdir()
             if pattern.fullmatch(path.name) and path.is_dir() and not path.is_symlink() and path != spare]
    for old in stale:
        if ".old-" in old.name and not os.path.lexists(output):
            os.rename(old, output)  # killed between the two renames of a swap without renameat2
            stale.remove(old)
            break
    committed = sorted((path for path in stale if _journal(path) is not None),
                       key=lambda path: (path / _JOURNAL).stat().st_mtime_ns)
    for staging in committed:
        with _reported(output, _COMMITTED):
            _apply(output, staging)
    for path in stale:
        if path not in committed:
            shutil.rmtree(path, ignore_errors=True)


# --- the swap ----------------------------------------------------------------------------------


def _swapped(output: Path, items: list[OutputFile], plan: _Plan) -> None:
    """Stage the whole site, unchanged files hard-linked from the old output, and swap it in.

    Paths are handled as strings here: on a large site, making a ``Path``
    for each file cost more than the file system calls.
    """
    staging = staging_folder(output)
    site = staging / _STAGED
    fresh = {item.path for item in plan.write}
    with _reported(output, _UNCHANGED, discard=staging):
        site.mkdir(parents=True, exist_ok=True)
        root, old = os.fspath(site), os.fspath(output)
        made: set[str] = set()
        for item in items:
            relative = check_relative(item.path)
            target = f"{root}/{relative}"
            if item.staged and relative in fresh:  # in place already, with its folder
                assert os.path.isfile(target), f"{relative}: staged file is missing from {root}"
                continue
            folder = target.rpartition("/")[0]
            if folder not in made:
                _make_folder(folder, root, made)
            if relative in fresh:
                _put(Path(target), item)
            else:
                _link_or_copy(f"{old}/{relative}", target)
        _fsync(site)
        _swap(site, output)
    shutil.rmtree(staging, ignore_errors=True)


def _make_folder(folder: str, root: str, made: set[str]) -> None:
    """``os.makedirs(folder, exist_ok=True)`` for a folder below ``root``, with one call per new
    folder: ``made`` remembers the folders that exist (another process may make the same one)."""
    if len(folder) <= len(root):
        os.makedirs(folder, exist_ok=True)
    else:
        parent = folder.rpartition("/")[0]
        if parent not in made:
            _make_folder(parent, root, made)
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass  # made by another process; if it is a file, writing into it fails and says so
    made.add(folder)


def _link_or_copy(old: str, new: str) -> None:
    try:
        os.link(old, new)
    except OSError:
        shutil.copyfile(old, new)


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
        try:
            os.rename(staging, output)
        except BaseException:
            os.rename(old, output)
            raise
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink()
    else:
        os.rename(staging, output)


# --- streaming --------------------------------------------------------------------------------


class Staging:
    """Where a build puts each new file as soon as it is rendered, instead of holding it in memory.

    The folder is the one the journal or the swap stages into (next to
    ``output/``, which is not touched), so ``write_output`` finds the files
    already in place. A file whose bytes equal what ``output/`` holds is not
    staged at all. ``discard`` drops everything, as a failed build must;
    a killed build's folder is discarded by the next one.

    Worker processes forked during rendering stage the pages they render
    through the same object, into the same folder (named after this process).
    """

    def __init__(self, output: Path) -> None:
        self.output = output
        self.folder = staging_folder(output)
        remove_leftovers(output)
        self._root = os.fspath(self.folder / _STAGED)
        self._made: set[str] = set()
        # A first build has no previous files to compare with: no look for each.
        self._first = not os.path.lexists(output)

    def add(self, path: str, data: bytes) -> OutputFile:
        """Stage ``data`` for ``path``; what ``write_output`` should be told about it.

        A failure leaves the folder in place: render workers may be staging
        into it at the same moment, and would fail on its removal with an
        error that hides this one. The build discards it once they stopped.
        Paths are strings here, as in ``_swapped``: this runs once per page.
        """
        with _reported(self.output, _UNCHANGED):
            relative = check_relative(path)
            if not self._first:
                existing = self.output / relative
                size = _size(existing)
                if size is not None and _is_current(existing, OutputFile(path, data=data), size):
                    return OutputFile(path, keep=True)
            target = f"{self._root}/{relative}"
            folder = target.rpartition("/")[0]
            if folder not in self._made:
                _make_folder(folder, self._root, self._made)
            with open(target, "wb") as handle:
                handle.write(data)
        return OutputFile(path, staged=True)

    def discard(self) -> None:
        """Drop the staged files, unless their journal is committed: then the next build finishes it."""
        if _journal(self.folder) is None:
            shutil.rmtree(self.folder, ignore_errors=True)


# --- entry points ------------------------------------------------------------------------------


@contextmanager
def _reported(output: Path, outcome: str, discard: Path | None = None) -> Iterator[None]:
    """Turn a failure into an ``OutputError`` that says what state ``output`` is in; drop ``discard``."""
    try:
        yield
    except BaseException as exc:
        if discard is not None:
            shutil.rmtree(discard, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(_describe(exc, output, outcome)) from None
        if isinstance(exc, ValueError):
            raise OutputError(f"refusing to write into {output}: {exc}; {outcome}") from None
        raise


def _describe(exc: OSError, output: Path, outcome: str = _UNCHANGED) -> str:
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EACCES: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.EPERM: "operation not permitted",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return f"cannot write the output folder {output}: {reason}; {outcome}"


def _is_small(plan: _Plan, total: int) -> bool:
    """Whether the journal suits this change better than the swap.

    The journal costs what the change costs, the swap what the site costs
    (a link per unchanged file). But while the journal is applied, readers of
    ``output/`` see a mix of old and new files, and a crash in that window
    leaves the finishing to the next build. Capping it at 50 files or a tenth
    of the site keeps that window to milliseconds; a change beyond that (a
    template or the config edited) rewrites most pages anyway, so the links
    cost little extra and readers switch in one atomic step.
    """
    return len(plan.write) + len(plan.remove) <= max(SMALL_CHANGE_FILES, total * SMALL_CHANGE_PERCENT // 100)


def write_output(output: Path, files: Iterable[OutputFile], staging: Staging | None = None) -> WriteResult:
    """Make ``output`` hold exactly ``files``: journalled if the change is small, else swapped in whole.

    ``staging`` holds the files marked ``staged`` (see ``Staging``). A build
    that fails leaves the previous output; see the module docstring.
    """
    remove_leftovers(output, spare=staging.folder if staging else None)
    items = list(files)
    with _reported(output, _UNCHANGED, discard=staging.folder if staging else None):
        plan = _plan_all(output, items)
    if plan.empty and output.is_dir():
        if staging:
            staging.discard()
        return plan.result()
    if output.is_dir() and not output.is_symlink() and _is_small(plan, len(items)):
        _journalled(output, plan)
    else:
        _swapped(output, items, plan)
    return plan.result()


def apply_changes(output: Path, changes: Iterable[OutputFile], removals: Iterable[str] = ()) -> WriteResult:
    """Write ``changes`` and delete ``removals`` through a journal; no other file is looked at.

    For builds that know exactly what changed: the same guarantee as
    ``write_output``, with a cost that follows the change.
    """
    remove_leftovers(output)
    with _reported(output, _UNCHANGED):
        plan = _plan_listed(output, changes, removals)
    if not plan.empty:
        _journalled(output, plan)
    return plan.result()


def write_in_place(output: Path, files: Iterable[OutputFile]) -> WriteResult:
    """Make ``output`` hold exactly ``files``, file by file; each file is replaced atomically by rename.

    Cheaper than ``write_output``, but a crash can leave a mix of old and new
    files, so only the dev server (which makes requests wait while it
    writes) uses it.
    """
    remove_leftovers(output)
    with _reported(output, _UNCHANGED):
        output.mkdir(parents=True, exist_ok=True)
        plan = _plan_all(output, list(files))
    _in_place(output, plan)
    return plan.result()


def update_in_place(output: Path, changes: Iterable[OutputFile], removals: Iterable[str] = ()) -> WriteResult:
    """Like ``write_in_place`` for the listed files only: no walk of ``output``, no other file removed.

    For the dev server, which knows what it changed since its last build of
    ``output``; it trusts that knowledge, so it neither rolls forward nor
    discards what a killed CLI build left (the next full build does).
    """
    with _reported(output, _UNCHANGED):
        plan = _plan_listed(output, changes, removals)
    _in_place(output, plan)
    return plan.result()
