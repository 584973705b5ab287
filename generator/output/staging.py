"""``Staging``: where a build puts each file as soon as it is rendered, instead of holding it in memory."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from generator.output.files import STAGED, UNCHANGED, OutputFile, is_current, reported, size_of, staging_folder
from generator.output.journal import read_journal, remove_leftovers
from generator.output.paths import check_relative
from generator.output.swap import make_folder


class Staging:
    """Where a build puts each new file as soon as it is rendered, instead of holding it in memory.

    The folder is the one the journal or the swap stages into (next to
    ``output/``, which is not touched), so ``write_output`` finds the files
    already in place. A file whose bytes equal what ``output/`` holds is not
    staged at all. ``discard`` drops everything, as a failed build must;
    a killed build's folder is discarded by the next one.

    A ``flat`` staging (for ``write_in_place``, which moves each file into
    ``output/`` by itself) keeps every file in one folder, named by a hash
    of its path (``location``): on a slow disk, making a folder per article
    page cost a quarter of a whole-site render.

    Worker processes forked during rendering stage the pages they render
    through the same object, into the same folder (named after this process).
    """

    def __init__(self, output: Path, *, flat: bool = False) -> None:
        self.output = output
        self.folder = staging_folder(output)
        self.flat = flat
        remove_leftovers(output)
        self._root = os.fspath(self.folder / STAGED)
        self._made: set[str] = set()
        # A first build has no previous files to compare with: no look for each.
        self._first = not os.path.lexists(output)

    def location(self, path: str) -> str:
        """Where the file for ``path`` (already checked by ``check_relative``) is staged."""
        if self.flat:
            return f"{self._root}/{hashlib.blake2b(path.encode('utf-8', 'surrogateescape'), digest_size=16).hexdigest()}"
        return f"{self._root}/{path}"

    def add(self, path: str, data: bytes) -> OutputFile:
        """Stage ``data`` for ``path``; what ``write_output`` should be told about it.

        A failure leaves the folder in place: render workers may be staging
        into it at the same moment, and would fail on its removal with an
        error that hides this one. The build discards it once they stopped.
        Paths are strings here, as in ``swapped``: this runs once per page.
        """
        with reported(self.output, UNCHANGED):
            relative = check_relative(path)
            if not self._first:
                existing = self.output / relative
                size = size_of(existing)
                if size is not None and is_current(existing, OutputFile(path, data=data), size):
                    return OutputFile(path, keep=True)
            target = self.location(relative)
            folder = target.rpartition("/")[0]
            if folder not in self._made:
                make_folder(folder, self._root, self._made)
            with open(target, "wb") as handle:
                handle.write(data)
        return OutputFile(path, staged=True)

    def discard(self) -> None:
        """Drop the staged files, unless their journal is committed: then the next build finishes it."""
        if read_journal(self.folder) is None:
            shutil.rmtree(self.folder, ignore_errors=True)
