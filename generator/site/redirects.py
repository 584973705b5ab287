"""Redirects from old paths (``aliases``) to where articles live now.

Each alias becomes a small page at the old path and a line of ``_redirects``
(the file Netlify and Cloudflare Pages read, answering with a real 301).
They are files of the output like any other, so an alias that lands on a
page, or two articles claiming one alias, is a collision naming both files.
Redirects are never pages of the site: not in the sitemap, feeds or lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from generator import urls
from generator.config.model import Config
from generator.content.article import Article
from generator.site.collisions import Origin, Planned

REDIRECTS_FILE = "_redirects"


@dataclass(frozen=True, kw_only=True)
class Redirect:
    """One old path and the page it now leads to."""

    path: str  # the old path under the base path, as written: ``/blog/2015/06/25/Rust-1.1.html``
    output: str  # the file that answers it, relative to the output folder
    target: str  # the article's URL
    title: str
    source: str
    line: int

    @property
    def planned(self) -> Planned:
        return Planned(self.output, Origin(self.source, self.line, f"the redirect from '{self.path}'"))


def alias_output(config: Config, alias: str) -> str:
    """The file that answers ``alias``: itself when it names a file (``x.html``), else its ``index.html``."""
    path = unquote(alias)
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return urls.output_file(config, urls.site_path(config, path))


def plan_redirects(articles: Iterable[Article], config: Config) -> list[Redirect]:
    """A redirect for each alias of each published article, except one naming the article itself."""
    redirects: list[Redirect] = []
    for article in articles:
        own = urls.output_file(config, article.url)
        for alias in article.aliases:
            output = alias_output(config, alias)
            if output == own:
                continue
            redirects.append(Redirect(path=urls.site_path(config, alias), output=output, target=article.url,
                                      title=article.title, source=article.source,
                                      line=article.line_of("aliases", "redirect_from")))
    return redirects
