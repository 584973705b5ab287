"""``BuildOptions``: what the person running Dateline asked for, and where the output may go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator.config.model import CONFIG_NAME
from generator.errors import BuildError, BuildFailed


@dataclass(frozen=True, kw_only=True)
class BuildOptions:
    site_dir: Path
    output: Path | None = None  # default: SITE/output
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # default: SOURCE_DATE_EPOCH, else the clock
    jobs: int | None = None  # worker processes for cold builds; default: the number of cores
    # Work out what the next build can reuse (``BuildResult.state``: every
    # output's fingerprint, the related stories...). A build whose state is
    # thrown away (``dateline build --no-cache``, ``dateline check``) skips that work.
    remember: bool = True

    @property
    def output_dir(self) -> Path:
        return (self.output or self.site_dir / "output").absolute()


def check_output_location(site_dir: Path, output: Path) -> None:
    """Refuse output folders whose replacement would destroy the site itself."""
    site = site_dir.resolve()
    out = output.resolve()
    protected = [site / name for name in ("content", "templates", "static", "themes", ".git", CONFIG_NAME)]
    if out == site or site.is_relative_to(out) or any(out.is_relative_to(p) for p in protected):
        raise BuildFailed([BuildError(CONFIG_NAME, None, f"refusing to use {output} as the output folder: "
                                      "it would replace the site's own files")])
