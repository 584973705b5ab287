"""The HTTP headers every page of the site is served with, and the ``_headers`` file that carries them.

Netlify and Cloudflare Pages read ``_headers`` at the top of the output
folder; ``dateline serve`` sends the same headers, so what a browser allows
on the author's desk is what it allows in production. The Content Security
Policy is strict: scripts and styles only from the site itself (the theme
has no inline script or style; JSON-LD is data, not script, and CSP leaves
it alone), no plugins, no ``<base>``, and frames only from the embed hosts
an untrusted article may use (``[content.trust] embed_hosts``). A site
whose trusted authors embed more (a widget's script, a map from another
host) widens it with ``[headers]`` in ``config.toml``. With ``[search]``
on, scripts may also compile WebAssembly (``'wasm-unsafe-eval'``): Pagefind's
search runs as wasm, and that keyword allows nothing else (no ``eval``).
"""

from __future__ import annotations

from generator.config.model import Config

HEADERS_FILE = "_headers"


def content_security_policy(config: Config) -> str:
    frames = " ".join(f"https://{host}" for host in config.trust.embed_hosts) or "'none'"
    return "; ".join((
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'" if config.search.enabled else "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https: data:",
        "media-src 'self' https:",
        f"frame-src {frames}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ))


def site_headers(config: Config) -> dict[str, str]:
    """The headers for every response, ``[headers]`` in ``config.toml`` applied (an empty value drops one)."""
    headers = {
        "Content-Security-Policy": content_security_policy(config),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    }
    for name, value in config.headers.items():
        existing = next((key for key in headers if key.lower() == name.lower()), name)
        headers.pop(existing, None)
        if value:
            headers[name] = value
    return headers


def headers_file(config: Config, existing: bytes = b"") -> bytes:
    """``_headers`` in the Netlify and Cloudflare Pages format: the site's own rules, then one for every path.

    The hosts apply every rule whose path matches, so a site's own rules
    (a cache lifetime for ``/media/*``, say) add to Dateline's; a header of
    Dateline's rule is changed with ``[headers]``, not by a second rule.
    """
    lines = ["/*", *(f"  {name}: {value}" for name, value in site_headers(config).items())]
    head = existing if not existing or existing.endswith(b"\n") else existing + b"\n"
    return head + ("\n".join(lines) + "\n").encode()


def read_headers_file(data: bytes) -> dict[str, str]:
    """The headers of the ``/*`` rule of a ``_headers`` file, as ``headers_file`` writes it."""
    headers: dict[str, str] = {}
    in_rule = False
    for line in data.decode("utf-8", "replace").splitlines():
        if line and not line[0].isspace():
            in_rule = line.strip() == "/*"
        elif in_rule and ":" in line:
            name, value = line.strip().split(":", 1)
            headers[name.strip()] = value.strip()
    return headers
