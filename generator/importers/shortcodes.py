"""Hugo shortcodes (``{{< name args >}}``, ``{{% name %}}…{{% /name %}}``) made into what they showed.

Built-in and common shortcodes become their HTML or Markdown: ``figure``,
``youtube``, ``vimeo``, ``gist``, ``tweet``/``x``, ``highlight`` (a fenced
code block), ``ref``/``relref`` (the page's new URL), ``param`` (the site's
value), ``details``, Docsy's ``alert`` (a quotation). A site's own paired
shortcode keeps its text and loses the tags; a single one is removed; both
are reported. Escaped forms (``{{</* ref "x" */>}}``) become the text they
showed, and Hugo never runs templates in content, so any other ``{{ … }}``
is the author's literal text, kept as code.
"""

from __future__ import annotations

import html
import posixpath
import re
import shlex
from collections.abc import Mapping
from typing import Any

from generator.importers.common import code_fence, embed
from generator.importers.markup import in_prose

_OPEN = r"\{\{(?P<d>[<%])\s*"
_CLOSE = r"\s*[>%]\}\}"
_PAIRED = re.compile(_OPEN + r"(?P<name>[\w.-]+)(?P<args>(?:(?!\{\{|\}\}).)*?)" + _CLOSE + r"(?P<inner>.*?)"
                     r"\{\{[<%]\s*/(?P=name)\s*[>%]\}\}", re.DOTALL)
_SINGLE = re.compile(_OPEN + r"(?P<name>[\w.-]+)(?P<args>(?:(?!\{\{|\}\}).)*?)/?" + _CLOSE, re.DOTALL)
_ESCAPED = re.compile(r"\{\{([<%])/\*\s*(.*?)\s*\*/([>%])\}\}", re.DOTALL)
_LITERAL = re.compile(r"\{\{(?![<%]).*?\}\}", re.DOTALL)
Notes = list[tuple[str, str, str]]


def _args(text: str) -> tuple[list[str], dict[str, str]]:
    try:
        tokens = shlex.split(text.replace("\n", " "))
    except ValueError:
        tokens = text.split()
    positional = [t for t in tokens if "=" not in t]
    named = dict(t.split("=", 1) for t in tokens if "=" in t)
    return positional, named


def convert_shortcodes(body: str, urls: Mapping[str, str], page: str, params: Mapping[str, Any],
                       old_site: str = "") -> tuple[str, Notes]:
    notes: Notes = []
    escaped: list[str] = []

    def hide(match: re.Match[str]) -> str:
        escaped.append("{{" + match.group(1) + " " + match.group(2) + " " + match.group(3) + "}}")
        return f"DATELINEESCAPED{len(escaped) - 1}X"

    body = _ESCAPED.sub(hide, body)

    def paired(match: re.Match[str]) -> str:
        name, (positional, named), inner = match["name"], _args(match["args"]), match["inner"]
        result = _paired(name, positional, named, inner)
        first = match.group().split("\n", 1)[0]
        if result is None:
            notes.append(("not converted", f"shortcode '{name}' has no equivalent; its text is kept without it", first))
            return inner
        notes.append(("converted", f"shortcode '{name}' converted", first))
        return result

    def single(match: re.Match[str]) -> str:
        name, (positional, named) = match["name"], _args(match["args"])
        result = _single(name, positional, named, urls, page, params)
        if result is None and name in ("ref", "relref") and old_site:
            target = (named.get("path") or (positional[0] if positional else "")).strip("/")
            notes.append(("guessed", "reference to a page that was not imported now leads to the old site",
                          match.group()))
            return f"{old_site.rstrip('/')}/{target.removesuffix('.md')}/"
        if result is None:
            return match.group()  # reported, and removed, as a leftover
        notes.append(("converted", f"shortcode '{name}' converted", match.group()))
        return result

    def prose(text: str) -> str:
        return _LITERAL.sub(lambda m: _literal(m, notes), _SINGLE.sub(single, text))

    body = _PAIRED.sub(lambda m: _highlight(m, notes) if m["name"] == "highlight" else m.group(), body)
    body = in_prose(body, lambda text: _PAIRED.sub(paired, text), spans=False)  # their text may hold code spans
    body = in_prose(body, prose)
    for index, text in enumerate(escaped):
        body = body.replace(f"DATELINEESCAPED{index}X", text)
    return body, notes


def _literal(match: re.Match[str], notes: Notes) -> str:
    notes.append(("converted", "template text Hugo showed as written, kept as code", match.group()))
    return "`" + match.group().replace("`", "") + "`"


def _highlight(match: re.Match[str], notes: Notes) -> str:
    language, _, options = match["args"].strip().partition(" ")
    notes.append(("converted", "highlight made a fenced code block", match.group().split("\n", 1)[0]))
    return code_fence(language.strip("\"'"), match["inner"].strip(chr(10)), options)


def _paired(name: str, positional: list[str], named: dict[str, str], inner: str) -> str | None:
    if name == "alert":
        title = named.get("title", "")
        lines = ([f"> **{title}**", ">"] if title else []) + [f"> {line}".rstrip() for line in inner.strip().splitlines()]
        return "\n\n" + "\n".join(lines) + "\n\n"
    if name == "details":
        summary = html.escape(named.get("summary", "Details"))
        return f"\n\n<details><summary>{summary}</summary>\n\n{inner.strip()}\n\n</details>\n\n"
    if name in ("code-toggle", "code"):
        return f"\n\n{code_fence(named.get('lang', ''), inner.strip(chr(10)))}\n\n"
    return None


def _single(name: str, positional: list[str], named: dict[str, str], urls: Mapping[str, str], page: str,
            params: Mapping[str, Any]) -> str | None:
    first = positional[0] if positional else ""
    if name == "youtube":
        return "\n\n" + embed("youtube", named.get("id", first), named.get("title", "")) + "\n\n"
    if name == "vimeo":
        return "\n\n" + embed("vimeo", named.get("id", first), named.get("title", "")) + "\n\n"
    if name == "gist" and len(positional) >= 2:
        return "\n\n" + embed("gist", f"{positional[0]}/{positional[1]}") + "\n\n"
    if name in ("tweet", "x", "twitter"):
        user, ident = named.get("user", first), named.get("id", positional[-1] if positional else "")
        return "\n\n" + embed("tweet", f"https://x.com/{user}/status/{ident}") + "\n\n"
    if name == "figure":
        src = html.escape(named.get("src", ""))
        alt = html.escape(named.get("alt", named.get("caption", "")))
        caption = named.get("caption", "") or named.get("title", "")
        image = f'<img src="{src}" alt="{alt}">'
        if named.get("link"):
            image = f'<a href="{html.escape(named["link"])}">{image}</a>'
        return f"\n\n<figure>{image}" + (f"<figcaption>{caption}</figcaption>" if caption else "") + "</figure>\n\n"
    if name in ("ref", "relref"):
        return _ref(named.get("path", first), urls, page)
    if name == "param":
        value: Any = params
        for key in first.lower().split("."):
            value = value.get(key) if isinstance(value, Mapping) else None
        return str(value) if isinstance(value, (str, int, float)) else None
    return None


def _ref(target: str, urls: Mapping[str, str], page: str) -> str | None:
    path, _, fragment = target.partition("#")
    path = path.strip("/")
    here = posixpath.dirname(page)
    candidates = [path, posixpath.normpath(posixpath.join(here, path))]
    for candidate in list(candidates):
        candidates += [candidate + ".md", candidate + "/index.md", candidate + "/_index.md"]
    for candidate in candidates:
        if candidate in urls:
            return urls[candidate] + (f"#{fragment}" if fragment else "")
    matches = [url for key, url in urls.items() if key.endswith("/" + path + ".md") or key == path + ".md"]
    return matches[0] + (f"#{fragment}" if fragment else "") if len(matches) == 1 else None
