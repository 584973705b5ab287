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
        folder = posixpath.dirname(urls.output_file(config, page.url))
        result.append(replace(asset, output=posixpath.join(folder, asset.within)))
    return result
