"""What the dev server adds to each HTML page as it serves it: live reload, and the error overlay.

Nothing of it is ever written to ``output/``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from generator.serve.paths import DEV_PREFIX
from generator.serve.status import SiteStatus


def overlay_html(errors: Sequence[str]) -> str:
    """The error overlay, rendered on the server so it shows even before the script runs."""
    items = html.escape("\n".join(errors))
    return (
        '<div id="dateline-overlay" role="alertdialog" aria-label="Build failed" style="position:fixed;inset:0;'
        "z-index:2147483647;background:rgba(20,0,0,.88);color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,"
        'monospace;padding:2rem;overflow:auto"><h2 style="font:bold 18px system-ui,sans-serif;margin:0 0 1rem;'
        'color:#ffb4b4">Build failed — the last good version of the site is still being served</h2>'
        f'<pre style="white-space:pre-wrap;margin:0 0 1.5rem">{items}</pre>'
        '<button type="button" style="font:inherit;padding:.4rem 1rem" '
        "onclick=\"this.parentNode.remove()\">Dismiss</button></div>"
    )


def inject(page: bytes, status: SiteStatus, build: int | None = None) -> bytes:
    """Add the live-reload script (and the overlay) before ``</body>``.

    ``build`` is the build the page was read from (default: the latest). It
    must not be newer than the page, or the script would not reload a page
    that missed a build while it loaded.
    """
    snippet = (
        f'<script src="{DEV_PREFIX}livereload.js" data-root="{DEV_PREFIX}" '
        f'data-build="{status.build_number if build is None else build}"></script>'
    )
    if status.errors:
        snippet = overlay_html(status.errors) + snippet
    data = snippet.encode()
    position = page.lower().rfind(b"</body>")
    if position == -1:
        return page + data
    return page[:position] + data + page[position:]
