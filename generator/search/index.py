"""The search index as part of a build: its files join the pages in the same write.

Pagefind reads HTML files from a folder and writes a bundle (``pagefind.js``,
the wasm, index chunks, one fragment per page). A build gives it a folder
of links to the final version of every article page (see ``mirror``): the
new file where the page was rendered, the file already in ``output/``
where it was kept. The bundle's files then go to the writer like any other
output, so the index is swapped in (or journalled) with the pages it
describes, and a failed index fails the build before ``output/`` is touched.

Pagefind cannot update an index, only make one; so a build makes it only
when an indexed page may have changed. The render records (see
``incremental.fingerprints``) already say that: the index's key is a hash
of the indexed pages' records and of the binary, kept in the bundle as
``KEY_FILE``. When the key is the one there, the old bundle is kept.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.config.model import CONFIG_NAME
from generator.errors import BuildError, BuildFailed
from generator.filetree import walk
from generator.incremental.fingerprints import RenderRecord
from generator.output.files import OutputFile, staging_folder
from generator.output.staging import Staging
from generator.search.mirror import mirror_folder, update_mirror
from generator.search.tool import SearchTool, SearchToolFailed

BUNDLE = "pagefind"  # the folder in output/ (pagefind.js is fetched from there)
KEY_FILE = f"{BUNDLE}/dateline-index.key"
INDEXED = frozenset({"article"})  # the namespaces of the pages given to Pagefind

Store = Callable[[str, bytes], OutputFile]


@dataclass(frozen=True, kw_only=True)
class SearchFiles:
    """What the index adds to a build: files to write or keep, files to remove, a warning."""

    files: tuple[OutputFile, ...] = ()
    removed: tuple[str, ...] = ()
    warnings: tuple[BuildError, ...] = ()
    indexed: bool = False  # Pagefind ran in this build


MISSING = ("search is on, but the Pagefind binary is not installed for this platform "
           "(pip install 'pagefind[bin]', or set PAGEFIND_BINARY_PATH); the site is built without search")


def index_key(tool: SearchTool, indexed: Sequence[str], records: Mapping[str, RenderRecord]) -> str | None:
    """A hash of what the index is made from, or None when a page has no record (it cannot be known)."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(tool.identity.encode("utf-8", "surrogatepass"))
    for output in sorted(indexed):
        record = records.get(output)
        if record is None:
            return None
        hasher.update(f"\x00{output}\x00{record.fingerprint}|{record.used_site}|{record.read_full}".encode(
            "utf-8", "surrogatepass"))
    return hasher.hexdigest()


def bundle_files(output: Path) -> list[str]:
    """The files of the bundle now in ``output/``, by their path there."""
    root = output / BUNDLE
    if not root.is_dir() or root.is_symlink():
        return []
    return sorted(f"{BUNDLE}/{relative}" for relative, entry in walk(os.fspath(root)) if entry.is_file())


def current_key(output: Path) -> str | None:
    try:
        return (output / KEY_FILE).read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def search_files(*, tool: SearchTool | None, indexed: Sequence[str], files: Sequence[OutputFile],
                 records: Mapping[str, RenderRecord], output: Path, store: Store, complete: bool,
                 staged: Staging | None = None) -> SearchFiles:
    """The bundle's part of this build; raises ``BuildFailed`` if Pagefind fails.

    ``indexed`` are the output paths of the pages to index, ``files`` what
    the build renders (a page not among them is current in ``output/``);
    ``complete`` builds list every file the output keeps, others only changes.
    ``staged``: the build's staging (see ``output.staging``), where the
    pages it rendered are; unless it is flat, Pagefind then writes its
    bundle directly into its folder, instead of the bundle being read and
    staged again file by file (at 10,000 articles, as many files).
    """
    existing = bundle_files(output)
    if tool is None:
        return SearchFiles(removed=() if complete else tuple(existing),
                           warnings=(BuildError(CONFIG_NAME, None, MISSING),))
    key = index_key(tool, indexed, records)
    if key is not None and existing and current_key(output) == key and (output / BUNDLE / "pagefind.js").is_file():
        return SearchFiles(files=tuple(OutputFile(path, keep=True) for path in existing) if complete else ())
    made = _make_bundle(tool, indexed, {item.path: item for item in files}, output, store, staged)
    if key is not None:
        made.append(store(KEY_FILE, f"{key}\n".encode()))
    paths = {item.path for item in made}
    return SearchFiles(files=tuple(made), removed=tuple(path for path in existing if path not in paths),
                       indexed=True)


def _make_bundle(tool: SearchTool, indexed: Sequence[str], rendered: Mapping[str, OutputFile], output: Path,
                 store: Store, staged: Staging | None) -> list[OutputFile]:
    """Run Pagefind on the final version of every indexed page (see ``mirror``); its bundle.

    With a staging folder, Pagefind writes the bundle straight into it;
    otherwise into a work folder inside this process's staging folder
    (cleared by the next build if this one is killed, see
    ``output.journal.remove_leftovers``), read and handed to ``store``.
    """
    work = staging_folder(output) / "search"
    direct = staged is not None and not staged.flat
    bundle = Path(staged.location(BUNDLE)) if staged is not None and direct else work
    try:
        update_mirror(mirror_folder(output), indexed, rendered, output, staged.location if staged else None)
        tool.index(mirror_folder(output), bundle)
        found = [relative for relative, entry in walk(os.fspath(bundle)) if entry.is_file()]
        if direct:
            return [OutputFile(f"{BUNDLE}/{relative}", staged=True) for relative in found]
        return [store(f"{BUNDLE}/{relative}", (bundle / relative).read_bytes()) for relative in found]
    except SearchToolFailed as exc:
        raise BuildFailed([BuildError(CONFIG_NAME, None, f"cannot build the search index: {exc}")]) from None
    except OSError as exc:
        raise BuildFailed([BuildError(CONFIG_NAME, None, f"cannot build the search index: {exc.strerror or exc} "
                                                         f"({exc.filename})")]) from None
    finally:
        if not direct:
            shutil.rmtree(work, ignore_errors=True)
            try:
                work.parent.rmdir()  # only if empty: the build's staging folder may hold files
            except OSError:
                pass
