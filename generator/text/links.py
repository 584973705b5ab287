"""Is a URL safe to put in a page? The one check for every URL that comes from frontmatter or config.

A browser reads a URL after stripping leading and trailing spaces and
control characters and removing every tab and newline inside it, so
``" java\\tscript:alert(1)"`` is a ``javascript:`` URL. The scheme is taken
from the URL as the browser will see it, and only ``http``, ``https``,
``mailto``, ``tel`` and relative URLs pass: the same rule the sanitiser
applies to article bodies (``markdown/sanitise``). Spaces inside a scheme
(``java script:``) make a harmless relative URL for today's browsers, but
older ones and other readers of the page (feed readers, mail clients) have
been laxer, so a URL that spells a forbidden scheme once every space and
control character is taken out is refused as well. Nothing here decodes
HTML entities: values from frontmatter and config are text, and templates
escape them, so ``&#106;avascript:`` reaches the browser as those characters.
"""

from __future__ import annotations

import re

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
WEB_SCHEMES = frozenset({"http", "https"})

_EDGES = "".join(chr(code) for code in range(0x21))  # C0 controls and the space, as the URL standard strips
_INSIDE = re.compile(r"[\t\n\r]")
_BLANKS = re.compile(r"[\s\x00-\x1f\x7f]+")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_SLASHES = re.compile(r"[/\\]{2}")


def browser_view(url: str) -> str:
    """``url`` as a browser's URL parser sees it before reading the scheme."""
    return _INSIDE.sub("", url.strip(_EDGES))


def scheme_of(url: str) -> str | None:
    """The lower-case scheme a browser would read in ``url``, or None for a relative URL."""
    found = _SCHEME.match(browser_view(url))
    return found.group(1).lower() if found else None


def hidden_scheme(url: str) -> str | None:
    """The scheme ``url`` spells once every space and control character is removed, if any."""
    found = _SCHEME.match(_BLANKS.sub("", url))
    return found.group(1).lower() if found else None


def has_safe_scheme(url: str, schemes: frozenset[str] = SAFE_SCHEMES) -> bool:
    """Whether ``url`` is relative or uses one of ``schemes``, however it is spaced."""
    return all(scheme is None or scheme in schemes for scheme in (scheme_of(url), hidden_scheme(url)))


def url_problem(url: str, schemes: frozenset[str] = SAFE_SCHEMES) -> str | None:
    """Why ``url`` must not be published, or None when it may be.

    A relative URL (``/media/a.jpg``, ``../x/``, ``#notes``) is fine; one with
    a scheme must use one of ``schemes``; a scheme-relative URL
    (``//host/x``) must name a host.
    """
    view = browser_view(url)
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in view):
        return f"'{url}' contains control characters"
    scheme = scheme_of(view)
    if scheme is None and (hidden := hidden_scheme(view)) not in (None, *schemes):
        scheme = hidden
    if scheme is None:
        if _SLASHES.match(view) and not view[2:].strip("/\\"):
            return f"'{url}' names no host"
        return None
    if scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        return f"'{url}' uses the scheme '{scheme}:'; only {allowed} or a path on this site are allowed"
    return None
