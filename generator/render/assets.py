"""Static files as published: stylesheets minified, every other file copied byte for byte.

A theme's stylesheet is written to be read (comments, one rule a line);
readers' browsers need none of that, so the build writes it through
``rcssmin``, a well-kept minifier that only removes what CSS ignores
(comments, whitespace, the last semicolon of a block) and leaves values,
``calc()`` and custom properties as written. ``/*! … */`` comments, the
convention for licences, are kept.
"""

from __future__ import annotations

from pathlib import Path

import rcssmin

from generator.content.sources import Asset
from generator.errors import BuildError, BuildFailed
from generator.output.files import OutputFile


def published(asset: Asset) -> OutputFile:
    """The output file for ``asset``."""
    if not asset.output.endswith(".css"):
        return OutputFile(asset.output, copy_from=Path(asset.source))
    try:
        text = read_asset(asset).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BuildFailed([BuildError(asset.origin, None, f"a stylesheet must be UTF-8 ({exc.reason})")]) from None
    return OutputFile(asset.output, data=rcssmin.cssmin(text, keep_bang_comments=True).encode("utf-8"))


def read_asset(asset: Asset) -> bytes:
    """The bytes of a file the build publishes or merges; one it cannot read fails the build, naming it."""
    try:
        return Path(asset.source).read_bytes()
    except OSError as exc:
        raise BuildFailed([BuildError(asset.origin, None, f"cannot read file: {exc.strerror or exc}")]) from None
