"""What the build will write, and the check that no two things write one file.

Pelican refuses when two pages would write the same file; we go further and
also refuse a page whose URL is a folder that holds another family's pages
(a section called ``2020`` would sit on top of ``/2020/08/...``), and we name
both source files so the author knows which two to reconcile.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.errors import BuildError, location


@dataclass(frozen=True)
class Origin:
    """Who asked for an output file: a source file (and line) and a description."""

    path: str
    line: int | None
    what: str

    def __str__(self) -> str:
        return f"{self.what} ({location(self.path, self.line)})"


@dataclass(frozen=True)
class Planned:
    """One file of the output: its relative path, who made it, and its family.

    ``namespace`` groups pages that may nest inside each other's folders
    (``/tags/`` and ``/tags/belarus/``); ``None`` for files that own no folder.
    """

    output: str
    origin: Origin
    namespace: str | None = None


def check_collisions(planned: Iterable[Planned]) -> list[BuildError]:
    """Errors for files written twice and for folders claimed by two families."""
    errors: list[BuildError] = []
    owners: dict[str, Planned] = {}
    folders: dict[str, Planned] = {}
    for item in planned:
        key = item.output.casefold()  # case-insensitive file systems and hosts
        if key in owners:
            errors.append(_clash(item, owners[key], f"writes '{item.output}'", symmetric=True))
            continue
        owners[key] = item
        if item.namespace is not None and item.output.endswith("index.html"):
            folder = item.output[: -len("index.html")].casefold()
            if folder:
                folders.setdefault(folder, item)
    for item in owners.values():
        parts = item.output.casefold().split("/")[:-1]
        for depth in range(1, len(parts) + 1):  # a file where another output needs a folder (feed.xml/index.html)
            file = owners.get("/".join(parts[:depth]))
            if file is not None:
                errors.append(_clash(item, file, f"needs the folder '/{'/'.join(parts[:depth])}/'", symmetric=True))
                break
        if item.namespace is None:
            continue
        parts = item.output.casefold().split("/")[:-1]
        for depth in range(1, len(parts)):
            owner = folders.get("/".join(parts[:depth]) + "/")
            if owner is not None and owner.namespace != item.namespace:
                errors.append(_clash(owner, item, f"takes the folder '/{'/'.join(parts[:depth])}/'"))
                break
    return errors


def _clash(item: Planned, other: Planned, what: str, symmetric: bool = False) -> BuildError:
    if symmetric and not item.origin.path.startswith("content/") and other.origin.path.startswith("content/"):
        item, other = other, item  # point the author at the file they can rename
    return BuildError(
        item.origin.path,
        item.origin.line,
        f"{item.origin.what} {what}, which {other.origin} also uses; rename one of them",
    )
