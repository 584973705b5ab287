"""Walking ``content/`` into Markdown sources and files to copy as they are."""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.content.selection import BUNDLE_INDEXES, UNREADABLE_SUFFIXES, Exclusions, bundle_of
from generator.errors import BuildError
from generator.filetree import walk

MARKDOWN_SUFFIXES = (".md", ".markdown")
PAGES_FOLDER = "pages"


@dataclass(frozen=True, kw_only=True)
class Source:
    """One Markdown file: where it is, what it says, and its content hash."""

    path: str  # relative to the site folder, with '/' separators
    text: str
    digest: str

    @property
    def is_page(self) -> bool:
        """Standalone pages (About, Contact) live in ``content/pages/``."""
        return self.path.startswith(f"content/{PAGES_FOLDER}/")

    @property
    def stem(self) -> str:
        name = self.path.rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[0]


@dataclass(frozen=True, kw_only=True)
class Asset:
    """A file copied to the output unchanged (images, PDFs, theme CSS).

    ``source`` is a string, not a ``Path``: a big site has one for every
    article's social card, and the build cache rebuilds each when an edit
    build loads it (pathlib makes a path from its parts: 30,000 of them
    were 0.05 to 0.08 s of a one-article edit at 10,000 articles).
    """

    source: str  # the file's full path
    output: str  # relative to the output folder
    origin: str  # what to name in an error: the file relative to the site
    bundle: str = ""  # the page bundle's index it belongs to (``content/post/index.md``), if any
    within: str = ""  # its path inside that bundle (``photo.png``)


def site_relative(site_dir: Path, path: Path) -> str:
    """``path`` as authors see it: relative to the site folder, or in full when outside it."""
    path = path if path.is_absolute() else site_dir / path
    try:
        return path.absolute().relative_to(site_dir).as_posix()
    except ValueError:
        return str(path)


def is_ignored(name: str) -> bool:
    """Hidden files and editor droppings never become part of the site."""
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(("~", ".swp", ".swo", ".swx", ".tmp", ".bak"))
        or name == "4913"
    )


def walk_files(root: Path, *, broken_links: bool = False) -> list[Path]:
    """Every regular file below ``root`` in a stable order, skipping ignored names.

    Symbolic links to folders are not followed, so a link loop cannot hang
    the build; links to files are read like files. With ``broken_links``,
    links that lead nowhere (or round in a loop) are listed too.
    """
    found: list[Path] = []
    if not root.is_dir():
        return found
    for _, entry in walk(str(root), skip=lambda entry: is_ignored(entry.name), ordered=True):
        path = Path(entry.path)
        if path.is_file() or (broken_links and _is_broken_link(path)):
            found.append(path)
    return found


def _is_broken_link(path: Path) -> bool:
    return path.is_symlink() and not path.exists()


def _broken_link_error(site_dir: Path, path: Path) -> BuildError:
    try:
        os.stat(path)
        problem = "cannot be followed"
    except OSError as exc:
        problem = "goes round in a loop" if exc.errno == errno.ELOOP else "leads to a file that does not exist"
    return BuildError(path.relative_to(site_dir).as_posix(), None,
                      f"symbolic link to '{os.readlink(path)}' {problem}")


def read_source(site_dir: Path, path: Path) -> Source | BuildError:
    """Read one Markdown file as UTF-8, or say precisely why it cannot be."""
    relative = path.relative_to(site_dir).as_posix()
    try:
        data = path.read_bytes()
    except OSError as exc:
        return BuildError(relative, None, f"cannot read file: {exc.strerror or exc}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return BuildError(
            relative, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        )
    return Source(path=relative, text=text, digest=hashlib.blake2b(data, digest_size=16).hexdigest())


def list_content(site_dir: Path, exclude: Iterable[str] = ()
                 ) -> tuple[list[Path], list[Asset], list[BuildError], list[BuildError]]:
    """Markdown files to parse, other files to copy, broken links and warnings, under ``content/``.

    Files matching an ``exclude`` glob are left out; files in a format
    Dateline cannot read are left out with a warning (see ``selection``).
    """
    content = site_dir / "content"
    excluded = Exclusions(exclude)
    markdown: list[Path] = []
    others: list[tuple[Path, str]] = []
    broken: list[BuildError] = []
    warnings: list[BuildError] = []
    for path in walk_files(content, broken_links=True):
        relative = path.relative_to(content).as_posix()
        if excluded(relative):
            continue
        if _is_broken_link(path):
            broken.append(_broken_link_error(site_dir, path))
        elif path.suffix.lower() in MARKDOWN_SUFFIXES:
            markdown.append(path)
        elif path.suffix.lower() in UNREADABLE_SUFFIXES:
            warnings.append(BuildError(f"content/{relative}", None, f"Dateline cannot read {path.suffix} files; "
                                       "it is left out of the site (convert it to Markdown, or list it under "
                                       "'exclude' in config.toml)"))
        else:
            others.append((path, relative))
    indexes = frozenset(p.relative_to(content).as_posix() for p in markdown if p.name.lower() in BUNDLE_INDEXES)
    assets: list[Asset] = []
    for path, relative in others:
        bundle = bundle_of(relative, indexes) if indexes else None
        assets.append(Asset(source=os.fspath(path), output=relative, origin=f"content/{relative}",
                            bundle=f"content/{bundle[0]}" if bundle else "", within=bundle[1] if bundle else ""))
    return markdown, assets, broken, warnings
