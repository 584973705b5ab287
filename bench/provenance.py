"""Which Dateline code a benchmark measured, for reports that are committed."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path


def generator_version(source: Path) -> str:
    """The commit of ``source`` plus a digest of everything under its generator/ as it is now.

    The digest tells runs apart when the tree is edited mid-run or is not a
    git checkout at all (a ``git archive`` of one commit); no machine path
    goes into the committed reports.
    """
    hasher = hashlib.blake2b(digest_size=6)
    for path in sorted((source / "generator").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            hasher.update(path.relative_to(source).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    try:
        head = subprocess.run(["git", "-C", str(source), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        head = "no-git"
    return f"{head}+tree-{hasher.hexdigest()}"
