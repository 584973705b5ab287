"""What in a body's HTML runs or loads code: for ``dateline check``'s warnings on trusted articles.

Trusted authors may embed anything, and the sanitiser leaves their bodies
alone; an editor still wants to see, before publishing, each script,
iframe, event handler and ``javascript:`` link an article carries. Read
with the standard library's HTML parser, so entity-encoded schemes are
seen decoded, as browsers see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from generator.text.links import hidden_scheme, scheme_of

_RUNNABLE_SCHEMES = frozenset({"javascript", "vbscript", "livescript"})
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "xlink:href"})


@dataclass(frozen=True, kw_only=True)
class ActiveContent:
    """One thing that runs code: what it is, and text to look for in the source to find its line."""

    what: str
    needle: str


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[ActiveContent] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            source = dict(attrs).get("src") or dict(attrs).get("data")
            what = f"<{tag}>" + (f" from {source}" if source else "")
            self.found.append(ActiveContent(what=what, needle=f"<{tag}"))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(ActiveContent(what=f"event handler {name} on <{tag}>", needle=f"{name}="))
            elif name in _URL_ATTRIBUTES and value and {scheme_of(value), hidden_scheme(value)} & _RUNNABLE_SCHEMES:
                self.found.append(ActiveContent(what=f"{name}={value!r} on <{tag}>", needle=value))


def active_content(body_html: str) -> list[ActiveContent]:
    """Every script, iframe, object, event handler and script URL in ``body_html``, in order."""
    finder = _Finder()
    finder.feed(body_html)
    finder.close()
    return finder.found
