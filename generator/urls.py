"""URL planning: one place that maps a page's identity to its URL and file.

Patterns come from ``[urls]`` in the config and are validated there. Every
URL the site emits is root-relative and includes the base path of
``base_url`` (``/news/2020/08/slug/``), so links work from any page,
including ``404.html`` served at an arbitrary address.
"""

from __future__ import annotations

from collections.abc import Mapping
from posixpath import normpath

from generator.config.model import Config


def site_path(config: Config, path: str) -> str:
    """``path`` (``/2020/08/x/``) under the site's base path (``/news/2020/08/x/``)."""
    return config.base_path.rstrip("/") + "/" + path.lstrip("/")


def home_path(config: Config, path: str) -> str:
    """``path`` under the home of ``config``'s language (``/ru/tags/``); ``site_path`` for the site's own."""
    return config.home_path.rstrip("/") + "/" + path.lstrip("/")


def file_url(config: Config, value: str) -> str:
    """A file named in frontmatter or config (a lead image, a photo): a web address as written,
    a site path under the base path (unless it already is)."""
    if not value or value.startswith(("http://", "https://", "//")):
        return value
    prefix = config.base_path.rstrip("/")
    if prefix and (value == prefix or value.startswith(prefix + "/")):
        return value  # already under the base path, as links in the body may be
    return site_path(config, value)


def absolute(config: Config, url: str) -> str:
    """An absolute URL for a root-relative one; other URLs pass through."""
    if url.startswith("/") and not url.startswith("//"):
        return config.origin + url
    return url


def expand(config: Config, kind: str, **fields: object) -> str:
    """The root-relative URL of a page of ``kind`` (``article``, ``tag``...)."""
    values: Mapping[str, str] = {name: str(value) for name, value in fields.items()}
    path = config.urls[kind].format_map(_Strict(values))
    return home_path(config, path)


def paginated(config: Config, first_page_url: str, number: int) -> str:
    """The URL of page ``number`` of a list whose first page is ``first_page_url``."""
    if number == 1:
        return first_page_url
    return numbered_page(config, first_page_url, number)


def numbered_page(config: Config, first_page_url: str, number: int) -> str:
    """``first_page_url`` + ``page/N/`` (the ``pagination`` pattern), for any ``number``, 1 included."""
    return first_page_url + config.urls["pagination"].format(number=number)


def output_file(config: Config, url: str) -> str:
    """The file (relative to the output folder) that serves ``url``.

    Raises ``ValueError`` if the URL is not under the base path or would
    leave the output folder; slugs are sanitised long before this, so this
    is the last line of defence, not the first.
    """
    base = config.base_path
    if not url.startswith(base):
        raise ValueError(f"URL {url!r} is outside the site's base path {base!r}")
    relative = url[len(base):]
    if relative.endswith("/") or relative == "":
        relative += "index.html"
    normal = normpath(relative)
    if normal.startswith(("../", "/")) or normal in ("..", ".") or "\x00" in normal or "\\" in normal:
        raise ValueError(f"URL {url!r} would be written outside the output folder")
    return normal


class _Strict(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise KeyError(key)
