"""Finding and running Pagefind, the program that builds the search index.

The binary comes from the ``pagefind[bin]`` package (its ``pagefind_bin``
wheel holds one per platform), so a build downloads nothing. Where no wheel
exists for the platform, or ``PAGEFIND_BINARY_PATH`` (Pagefind's own
setting, honoured by its Python package) names a file that is not there,
there is no tool: the build warns and makes the site without search.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# Pagefind's own variable for a binary installed elsewhere.
BINARY_VARIABLE = "PAGEFIND_BINARY_PATH"


class SearchToolFailed(Exception):
    """Pagefind ran and failed; the message says how."""


@dataclass(frozen=True, kw_only=True)
class SearchTool:
    """One Pagefind binary, and what identifies it (a new binary may index differently)."""

    binary: Path
    identity: str

    def index(self, site: Path, bundle: Path) -> None:
        """Index the HTML files below ``site`` into ``bundle``; raises ``SearchToolFailed``."""
        try:
            done = subprocess.run(
                [os.fspath(self.binary), "--site", os.fspath(site), "--output-path", os.fspath(bundle), "--silent"],
                capture_output=True, check=False, timeout=3600,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise SearchToolFailed(f"cannot run {self.binary.name}: {exc}") from None
        if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            reason = said[-1] if said else f"exit status {done.returncode}"
            raise SearchToolFailed(f"{self.binary.name} failed: {reason}")


def _candidate() -> Path | None:
    """Where the binary should be: the environment's choice, else the wheel's, else one on ``PATH``."""
    chosen = os.environ.get(BINARY_VARIABLE)
    if chosen is not None:
        return Path(chosen)
    try:
        from pagefind_bin import get_executable
    except ImportError:
        found = shutil.which("pagefind")
        return Path(found) if found else None
    try:
        found_there: Path = get_executable()
        return found_there
    except OSError:  # the package is there but not its binary (FileNotFoundError)
        return None


def find_tool() -> SearchTool | None:
    """The Pagefind binary this build would run, or None when there is none to run."""
    candidate = _candidate()
    if candidate is None:
        return None
    try:
        status = candidate.stat()
    except OSError:
        return None
    if not candidate.is_file() or not os.access(candidate, os.X_OK):
        return None
    return SearchTool(binary=candidate, identity=f"{candidate.resolve()}|{status.st_size}|{status.st_mtime_ns}")


def tool_identity() -> str:
    """What the up-to-date record knows of the tool: a new or removed binary is a reason to build."""
    tool = find_tool()
    return tool.identity if tool else "none"
