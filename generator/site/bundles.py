"""Page bundles: the files of ``post/index.md``'s folder, published beside the page.

Where the page's URL puts it (``/2021/03/post/``) is known only once it is
parsed, so the copies planned from ``content/`` are moved here. The files of
a bundle whose page is not published (a draft, a scheduled story) are not
published either: they may be as private as the text.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import replace

from generator import urls
from generator.config.model import Config
from generator.content.article import Article
from generator.content.sources import Asset


def place_bundles(assets: Iterable[Asset], placed: Mapping[str, Article], parsed: Iterable[str],
                  config: Config) -> list[Asset]:
    """``assets`` with each bundle's files beside its published page; unpublished bundles' files left out."""
    known = frozenset(parsed)
    translated = _translations_by_folder(placed, config)
    result: list[Asset] = []
    for asset in assets:
        if not asset.bundle:
            result.append(asset)
            continue
        page = placed.get(asset.bundle)
        if page is None:
            if asset.bundle not in known:
                result.append(asset)
            continue
        for version in (page, *translated.get(posixpath.dirname(asset.bundle), ())):
            folder = posixpath.dirname(urls.output_file(config, version.url))
            result.append(replace(asset, output=posixpath.join(folder, asset.within)))
    return result


def _translations_by_folder(placed: Mapping[str, Article], config: Config) -> dict[str, list[Article]]:
    """The other language versions of bundles (``post/index.ru.md``) by folder: they show the same files."""
    found: dict[str, list[Article]] = {}
    for source, article in placed.items():
        folder, name = posixpath.split(source)
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "index" and parts[2] == "md" and parts[1] in config.languages:
            found.setdefault(folder, []).append(article)
    return found
