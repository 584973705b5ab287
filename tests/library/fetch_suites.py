"""Download the test suites of the libraries whose internals Dateline replaces.

Dateline's speed-ups reach into Jinja2 and Python-Markdown; the rule is that
those libraries' own test suites, at the installed versions, pass with the
speed-ups switched in (``tests/test_library_suites.py``). The suites ship in
the libraries' source distributions on PyPI. ``make library-suites`` (part of
``make test``) runs this script with the virtualenv's Python::

    .venv/bin/python tests/library/fetch_suites.py

For each library it reads the installed version and, unless
``.cache/library-suites/<name>-<version>/`` is there already, downloads that
version's sdist (``pip download --no-deps --no-binary :all:``), checks its
sha256 against ``tests/library/sdists.sha256`` and unpacks it there. So it
does the work once per version; folders of other versions are removed.

Exit status 1 when a download does not match its pinned hash (nothing is
unpacked). A suite that cannot be had (no network, or a version with no
pinned hash yet) is only reported here: the test then fails in CI, and is
skipped elsewhere if the cause is the network (see ``missing_reason``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "library-suites"
PINS = Path(__file__).with_name("sdists.sha256")


@dataclass(frozen=True)
class Library:
    distribution: str  # as pip and importlib.metadata name it
    sdist_name: str  # the sdist's file and folder name before "-<version>" (PEP 625: normalized)

    @property
    def version(self) -> str:
        return metadata.version(self.distribution)

    @property
    def folder(self) -> Path:
        """Where the installed version's unpacked sdist lives; there only once verified."""
        return CACHE / f"{self.sdist_name}-{self.version}"

    @property
    def archive(self) -> str:
        return f"{self.sdist_name}-{self.version}.tar.gz"


LIBRARIES = (Library("Jinja2", "jinja2"), Library("Markdown", "markdown"))


def pinned_hashes() -> dict[str, str]:
    """File name to sha256, from ``sdists.sha256``."""
    hashes = {}
    for line in PINS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split()
            hashes[name] = digest
    return hashes


def missing_reason(library: Library) -> tuple[str, bool]:
    """Why ``library``'s suite is not unpacked, and whether that may be only the network."""
    if library.archive not in pinned_hashes():
        return (f"{library.distribution} {library.version} is installed, but tests/library/sdists.sha256 pins no"
                f" sdist of it: add the sha256 of {library.archive} from PyPI to that file, then run"
                " `make library-suites`"), False
    return (f"the test suite of {library.distribution} {library.version} is not downloaded: run `make library-suites`"
            f" (it needs PyPI) to put it in {library.folder.relative_to(REPO)}"), True


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _unpack(archive: Path, into: Path, top: str) -> None:
    """Unpack ``archive``, whose members must all be plain files and folders under ``top/``."""
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            parts = PurePosixPath(member.name).parts
            if (not parts or parts[0] != top or ".." in parts or PurePosixPath(member.name).is_absolute()
                    or not (member.isfile() or member.isdir())):
                raise ValueError(f"{archive.name}: unexpected member {member.name!r}")
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
            tar.extractall(into, filter="data")
        else:
            tar.extractall(into)  # every member was checked above


def main() -> int:
    CACHE.mkdir(parents=True, exist_ok=True)
    wanted = {library.folder.name for library in LIBRARIES}
    for old in CACHE.iterdir():  # other versions' suites, and leftovers of an interrupted run
        if old.name not in wanted:
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    pins = pinned_hashes()
    needed = [library for library in LIBRARIES if not library.folder.is_dir()]
    unpinned = [library for library in needed if library.archive not in pins]
    for library in unpinned:
        print(f"note: {missing_reason(library)[0]}", file=sys.stderr)
    needed = [library for library in needed if library not in unpinned]
    if not needed:
        return 0
    with tempfile.TemporaryDirectory(prefix=".download-", dir=CACHE) as scratch:
        download = Path(scratch)
        requirements = [f"{library.distribution}=={library.version}" for library in needed]
        print(f"Downloading the test suites of {', '.join(requirements)} into {CACHE.relative_to(REPO)}/")
        result = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                                 "--no-binary", ":all:", "--dest", str(download), *requirements], check=False)
        if result.returncode != 0:
            print("note: could not download the libraries' sdists (no network?); the library suite tests will"
                  " fail in CI and be skipped here", file=sys.stderr)
            return 0
        for library in needed:
            archive = download / library.archive
            if not archive.is_file():
                print(f"error: pip did not save {library.archive}", file=sys.stderr)
                return 1
            found = _sha256(archive)
            if found != pins[library.archive]:
                print(f"error: {library.archive} has sha256 {found}, but tests/library/sdists.sha256 pins"
                      f" {pins[library.archive]}: not unpacked", file=sys.stderr)
                return 1
            _unpack(archive, download, library.folder.name)
            os.replace(download / library.folder.name, library.folder)  # in place only when whole
    return 0


if __name__ == "__main__":
    sys.exit(main())
