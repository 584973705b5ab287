"""The bytes of redirect pages and of ``_redirects``.

A redirect page works on every static host: a ``<meta http-equiv="refresh">``
sends browsers on at once, ``rel="canonical"`` tells search engines where
the page now is, and a visible link serves anyone whose browser does not
follow refreshes. Hosts that read ``_redirects`` answer with a real 301
before the page is ever served.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from markupsafe import escape

from generator import urls
from generator.config.model import Config
from generator.site.redirects import Redirect


def redirect_page(config: Config, redirect: Redirect) -> bytes:
    target = escape(redirect.target)
    canonical = escape(urls.absolute(config, redirect.target))
    title = escape(redirect.title)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(config.language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        f'<link rel="canonical" href="{canonical}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        "</head>\n"
        "<body>\n"
        f'<p>This page has moved to <a href="{target}">{title}</a>.</p>\n'
        "</body>\n"
        "</html>\n"
    ).encode()


def redirects_file(redirects: Iterable[Redirect], existing: bytes = b"", gone: Iterable[str] = ()) -> bytes:
    """``_redirects``: the site's own rules first (the host applies the first match), then one per alias,
    then ``gone`` (the ``410`` lines of taken-down articles)."""
    lines = [f"{rule_path(r.path)} {rule_path(r.target)} 301" for r in redirects] + list(gone)
    head = existing if not existing or existing.endswith(b"\n") else existing + b"\n"
    return head + "".join(line + "\n" for line in lines).encode()


def rule_path(path: str) -> str:
    """A path as one field of ``_redirects``: spaces and other unsafe characters percent-encoded."""
    return quote(path, safe="/%:@!$&'()*+,;=~-._")

