"""Where a theme name leads: the site's ``themes/`` folder, then the built-in themes.

Kept apart from rendering because the configuration checks a ``theme``
name when it is read, and the up-to-date check watches the built-in themes.
"""

from __future__ import annotations

import re
from pathlib import Path

BUILTIN_THEMES = Path(__file__).resolve().parent.parent / "themes"


def is_theme_name(name: str) -> bool:
    """A plain folder name: it can never point outside ``themes/``."""
    return bool(re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name)) and ".." not in name


def find_theme(site_dir: Path, name: str) -> Path | None:
    """The site's ``themes/<name>`` if present, else the built-in theme."""
    for root in (site_dir / "themes", BUILTIN_THEMES):
        candidate = root / name
        if (candidate / "theme.toml").is_file() or (candidate / "templates").is_dir():
            return candidate
    return None
