"""Paths inside the output folder: the last line of defence against writing anywhere else.

Slugs and URL patterns are checked long before; these checks run on every
path the writer touches all the same, so no content file, however written,
can make a build write outside ``output/``.
"""

from __future__ import annotations

from pathlib import Path


def inside(root: Path, relative: str, *, follow_links: bool = False) -> Path:
    """``root/relative``, refusing anything that would land outside ``root``.

    The check is on the path's text (see ``check_relative``); ``follow_links``
    also resolves symbolic links, for folders we did not create ourselves
    (the dev server writes into the existing output).
    """
    target = root / check_relative(relative)
    if follow_links and not target.resolve().is_relative_to(root.resolve()):
        raise ValueError(f"{relative!r} resolves outside the output folder")
    return target


def check_relative(relative: str) -> str:
    """``relative``, if it is a path below a folder: no absolute path, no ``..``, no NUL or backslash."""
    if (not relative or relative[0] == "/" or "\x00" in relative or "\\" in relative
            or any(part in ("", ".", "..") for part in relative.split("/"))):
        raise ValueError(f"{relative!r} is not a path inside the output folder")
    return relative
