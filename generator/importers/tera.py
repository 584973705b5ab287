"""Zola bodies: shortcodes (``{{ youtube(id="x") }}``, ``{% quote() %}…{% end %}``) and ``@/`` links.

Shortcodes Zola ships or every theme has (YouTube, Vimeo, gists, quotes)
become the HTML they produced; a site's own shortcode whose template is
plain HTML is inlined; others are reported (``leftovers``). Escaped forms
(``{{/* x() */}}``) are what the author meant to show: ``{{ x() }}``.
Internal links ``@/posts/x.md#part`` become the page's new URL.
"""

from __future__ import annotations

import html
import re

from generator.importers.common import embed
from generator.importers.markup import in_prose
from generator.importers.tree import OutsideSource, SourceTree

_INLINE = re.compile(r"\{\{\s*(\w+)\((.*?)\)\s*\}\}", re.DOTALL)
_BLOCK = re.compile(r"\{%\s*(\w+)\((.*?)\)\s*%\}(.*?)\{%\s*end\s*%\}", re.DOTALL)
_ESCAPED = re.compile(r"\{([{%])/\*\s*(.*?)\s*\*/([}%])\}", re.DOTALL)
_ARG = re.compile(r"""(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`|[^,]+)""")
_INTERNAL = re.compile(r"@/([^)\s#\"']+\.md)(#[^)\s\"']*)?")


def _arguments(text: str) -> dict[str, str]:
    values = {}
    for name, raw in _ARG.findall(text):
        raw = raw.strip()
        values[name] = raw[1:-1] if raw[:1] in "\"'`" else raw
    return values


def convert_tera(body: str, urls_by_file: dict[str, str], tree: SourceTree) -> tuple[str, list[tuple[str, str, str]]]:
    notes: list[tuple[str, str, str]] = []

    def inline(match: re.Match[str]) -> str:
        name, args = match.group(1), _arguments(match.group(2))
        result = _known(name, args, "")
        if result is None:
            result = _template(tree, name)
        if result is None:
            return match.group()
        notes.append(("converted", f"shortcode '{name}' made HTML", match.group()))
        return result

    def block(match: re.Match[str]) -> str:
        name, args, inner = match.group(1), _arguments(match.group(2)), match.group(3)
        result = _known(name, args, inner)
        if result is None:
            notes.append(("not converted", f"shortcode '{name}' has no equivalent; its text is kept without it",
                          match.group().split("\n", 1)[0]))
            return inner
        notes.append(("converted", f"shortcode '{name}' made HTML", match.group().split("\n", 1)[0]))
        return result

    def links(match: re.Match[str]) -> str:
        url = urls_by_file.get(match.group(1))
        if url is None:
            notes.append(("not converted", "internal link to a page that was not imported", match.group()))
            return match.group()
        notes.append(("converted", "internal link resolved", match.group()))
        return url + (match.group(2) or "")

    def prose(text: str) -> str:
        return _INTERNAL.sub(links, _INLINE.sub(inline, _BLOCK.sub(block, text)))

    body = in_prose(body, prose)
    body = _ESCAPED.sub(lambda m: "{" + m.group(1) + " " + m.group(2) + " " + m.group(3) + "}", body)
    return body, notes


def _known(name: str, args: dict[str, str], inner: str) -> str | None:
    if name == "youtube" and args.get("id"):
        return "\n\n" + embed("youtube", args["id"]) + "\n\n"
    if name == "vimeo" and args.get("id"):
        return "\n\n" + embed("vimeo", args["id"]) + "\n\n"
    if name == "gist" and args.get("url"):
        return "\n\n" + embed("gist", args["url"].split("gist.github.com/")[-1]) + "\n\n"
    if name == "quote":
        lines = [f"> {line}".rstrip() for line in inner.strip().splitlines()]
        if args.get("author"):
            lines += [">", f"> \u2014 {html.escape(args['author'])}"]
        return "\n\n" + "\n".join(lines) + "\n\n"
    return None


def _template(tree: SourceTree, name: str) -> str | None:
    """A site shortcode whose template is plain HTML, with nothing to fill in."""
    for folder in ("templates/shortcodes",):
        path = f"{folder}/{name}.html"
        try:
            if tree.exists(path):
                text = tree.read_text(path)
                return None if "{{" in text or "{%" in text else text.strip()
        except (OSError, OutsideSource):
            return None
    return None
