"""``import_site(kind, source, target)``: read the old site, write the new one and its report."""

from __future__ import annotations

import importlib
from pathlib import Path

from generator.importers.model import Imported
from generator.importers.report import summary
from generator.importers.tree import SourceTree
from generator.importers.urls import mount_under_prefix
from generator.importers.writer import ImportError_, check_target, write_site

# Each folder-based importer: its module and the function that reads SOURCE (imported only when used).
_READERS = {"jekyll": ("jekyll", "read_jekyll"), "zola": ("zola", "read_zola"), "hugo": ("hugo", "read_hugo"),
            "pelican": ("pelican", "read_pelican")}


def read_site(kind: str, source: Path, uploads: Path | None = None) -> Imported:
    """The old site read by the importer for ``kind``."""
    if kind == "wordpress":
        from generator.importers.wordpress import read_wordpress

        if not source.is_file():
            raise ImportError_(f"{source} is not a file; give the WXR export (.xml) WordPress wrote")
        return read_wordpress(source, SourceTree(uploads) if uploads else None)
    if not source.is_dir():
        raise ImportError_(f"{source} is not a folder; give the old site's top folder")
    if kind not in _READERS:
        raise ImportError_(f"importing from {kind} is not available")
    module, function = _READERS[kind]
    imported: Imported = getattr(importlib.import_module(f"generator.importers.{module}"), function)(SourceTree(source))
    mount_under_prefix(imported)
    return imported


def import_site(kind: str, source: Path, target: Path, uploads: Path | None = None) -> str:
    """Import and write; returns the one-paragraph summary. Raises ``ImportError_`` with the reason."""
    check_target(target)
    imported = read_site(kind, source, uploads)
    write_site(imported, target)
    return summary(imported)
