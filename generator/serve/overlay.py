"""What the dev server adds to each HTML page as it serves it: live reload, the error overlay, preview banners.

Nothing of it is ever written to ``output/``. None of it is inline script or
style: the script and the overlay's stylesheet are files under
``/__dateline__/``, so pages work under the site's strict Content Security
Policy on the author's desk as in production.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from generator.serve.paths import DEV_PREFIX
from generator.serve.status import SiteStatus


def overlay_html(errors: Sequence[str]) -> str:
    """The error overlay, rendered on the server so it shows even before the script runs."""
    items = html.escape("\n".join(errors))
    return (  # styled by overlay.css; livereload.js makes the button work
        f'<link rel="stylesheet" href="{DEV_PREFIX}overlay.css" data-dateline-overlay>'
        '<div id="dateline-overlay" role="alertdialog" aria-label="Build failed">'
        "<h2>Build failed — the last good version of the site is still being served</h2>"
        f'<pre>{items}</pre><button type="button">Dismiss</button></div>'
    )


def banner_html(text: str) -> str:
    """The banner on a page ``dateline build`` would not publish (a draft, a scheduled article)."""
    return (  # styled by overlay.css, like the overlay: no inline style under the site's CSP
        f'<link rel="stylesheet" href="{DEV_PREFIX}overlay.css" data-dateline-preview>'
        f'<div id="dateline-preview" role="note">{html.escape(text)}'
        "<span> · shown by dateline serve only; dateline build does not publish it</span></div>"
    )


def inject(page: bytes, status: SiteStatus, build: int | None = None, banner: str | None = None) -> bytes:
    """Add the live-reload script (and the overlay) before ``</body>``, and ``banner`` after ``<body>``.

    ``build`` is the build the page was read from (default: the latest). It
    must not be newer than the page, or the script would not reload a page
    that missed a build while it loaded.
    """
    snippet = (
        f'<script src="{DEV_PREFIX}livereload.js" data-root="{DEV_PREFIX}" '
        f'data-build="{status.build_number if build is None else build}"></script>'
    )
    if status.errors:
        snippet = overlay_html((*status.errors, *status.warnings)) + snippet
    data = snippet.encode()
    position = page.lower().rfind(b"</body>")
    page = page + data if position == -1 else page[:position] + data + page[position:]
    if banner:
        opening = re.search(rb"<body[^>]*>", page, re.IGNORECASE)
        at = opening.end() if opening else 0
        page = page[:at] + banner_html(banner).encode() + page[at:]
    return page
