"""Root-relative links in bodies, put under the base path when they name this site.

A site served at ``https://example.org/blog/`` links to its own stories as
``/2020/08/x/`` and to the rest of its domain as ``/community/``. Only the
first kind may gain ``/blog``: a link is prefixed when, read under the base
path, it names a page, feed or file the build writes. Which files those are
is known only once the whole site is planned, so this runs after planning
(``load``) and again for a body edit (``incremental.plan``) with the plan's
outputs. A site at the root of its domain has nothing to prefix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from generator.config.model import Config
from generator.content.article import Article

_ROOT_LINK = re.compile(r'(\s(?:href|src)=")(/(?!/)[^"]*)"')


def names_output(path: str, outputs: frozenset[str]) -> bool:
    """Whether the root-relative ``path`` (without the base path) is a file the build writes."""
    relative = unquote(urlsplit(path).path).lstrip("/")
    if relative == "" or relative.endswith("/"):
        return relative + "index.html" in outputs
    return relative in outputs or relative + "/index.html" in outputs


def with_site_links(article: Article, outputs: frozenset[str], config: Config) -> Article:
    """``article`` with its links to this site's files under the base path."""
    prefix = config.base_path.rstrip("/")
    if not prefix:
        return article
    prefixed: set[str] = set()

    def rewrite(match: re.Match[str]) -> str:
        url = match[2]
        if url == prefix or url.startswith(prefix + "/") or not names_output(url, outputs):
            return match[0]
        prefixed.add(url)
        return f'{match[1]}{prefix}{url}"'

    body = article.body_html.decode("utf-8", "surrogatepass")
    if "=\"/" not in body and "=\"/" not in article.summary:
        return article
    new_body = _ROOT_LINK.sub(rewrite, body)
    new_summary = _ROOT_LINK.sub(rewrite, str(article.summary))
    if not prefixed:
        return article
    return replace(article, body_html=new_body.encode("utf-8", "surrogatepass"), summary=Markup(new_summary),
                   site_links=tuple(sorted(prefixed)))


def planned_outputs(outputs: Iterable[str]) -> frozenset[str]:
    """The set ``with_site_links`` looks links up in."""
    return frozenset(outputs)
