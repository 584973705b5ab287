"""Themes: the lookup chain for templates and static files.

A theme is a folder with ``theme.toml`` (``name``, optional ``extends``),
``templates/`` and ``static/``. Lookup order is the site's own ``templates/``
and ``static/``, then the theme, then its parents. Any template can also be
reached by a prefixed name (``newsroom/article.html``) so an override can
extend the original it replaces.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.config.themes import BUILTIN_THEMES, find_theme, is_theme_name
from generator.config.toml_lines import read_toml
from generator.content.sources import Asset, walk_files
from generator.errors import BuildError, BuildFailed


@dataclass(frozen=True, kw_only=True)
class Theme:
    """One theme of the chain: its name and folder."""

    name: str
    folder: Path
    # ``[social_card]`` of theme.toml: (name, "#rrggbb"); not part of which theme it is.
    card_colours: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def templates(self) -> Path:
        return self.folder / "templates"

    @property
    def static(self) -> Path:
        return self.folder / "static"


def theme_chain(site_dir: Path, name: str) -> tuple[Theme, ...]:
    """The theme and its parents, nearest first; raises ``BuildFailed``."""
    chain: list[Theme] = []
    requested_by = "config.toml"
    while name:
        if any(theme.name == name for theme in chain):
            cycle = " -> ".join([t.name for t in chain] + [name])
            raise BuildFailed([BuildError(requested_by, None, f"themes extend each other in a loop: {cycle}")])
        folder = find_theme(site_dir, name)
        if folder is None:
            raise BuildFailed(
                [BuildError(requested_by, None, f"theme '{name}' not found in themes/ or the built-in themes")]
            )
        shown, parent, colours = _manifest(site_dir, folder)
        chain.append(Theme(name=name, folder=folder, card_colours=colours))
        requested_by, name = shown, parent
    return tuple(chain)


CARD_COLOURS = ("background", "text", "muted", "accent")
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _manifest(site_dir: Path, folder: Path) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """A theme's theme.toml as shown in errors, its parent's name, and its social card colours."""
    manifest = folder / "theme.toml"
    shown = show(site_dir, manifest)
    if not manifest.is_file():
        return shown, "", ()
    _, data = read_toml(manifest, shown)
    parent = data.get("extends", "")
    if not isinstance(parent, str) or (parent and not is_theme_name(parent)):
        raise BuildFailed([BuildError(shown, None, "'extends' must be the name of a theme folder")])
    card = data.get("social_card", {})
    if not isinstance(card, dict) or any(key not in CARD_COLOURS or not isinstance(value, str)
                                         or not _HEX_COLOUR.fullmatch(value) for key, value in card.items()):
        raise BuildFailed([BuildError(shown, None, "[social_card] takes colours as \"#rrggbb\": "
                                                   + ", ".join(CARD_COLOURS))])
    return shown, parent, tuple(sorted(card.items()))


def show(site_dir: Path, path: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return f"<built-in>/{path.relative_to(BUILTIN_THEMES.parent).as_posix()}"


def static_assets(site_dir: Path, chain: tuple[Theme, ...]) -> dict[str, Asset]:
    """Static files by output path; the site's own override the theme's."""
    assets: dict[str, Asset] = {}
    for folder in [*(theme.static for theme in reversed(chain)), site_dir / "static"]:
        for path in walk_files(folder):
            relative = path.relative_to(folder).as_posix()
            assets[relative] = Asset(source=os.fspath(path), output=relative, origin=show(site_dir, path))
    return assets
