"""Jekyll's Liquid in post bodies, turned into what the old site showed.

Liquid runs over the whole of a Jekyll page, but what authors use in posts
is a small set: ``raw``, ``highlight``, ``link``, ``post_url``, site and page
variables (``{{ site.baseurl }}``), ``assign``, ``comment``, ``include`` of a
static file, ``oembed``, and a site's own filters (``embed``, ``team_link``).
Those are converted; loops, conditions and anything else are not guessed at:
``leftovers`` removes what is left outside code and reports it by line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.importers.common import code_fence, embed
from generator.importers.markup import in_prose
from generator.importers.tree import OutsideSource, SourceTree
from generator.text.slugs import slugify

_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.DOTALL)
_HIGHLIGHT = re.compile(r"\{%-?\s*highlight\s+([\w+#.-]+)([^%]*?)-?%\}\n?(.*?)\n?\{%-?\s*endhighlight\s*-?%\}", re.DOTALL)
_TAG = re.compile(r"\{%-?\s*(\w+)\s*(.*?)\s*-?%\}", re.DOTALL)
_OUTPUT = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.DOTALL)
_STRING = re.compile(r"""^(?:"([^"]*)"|'([^']*)')$""")
_YOUTUBE = re.compile(r"(?:youtube(?:-nocookie)?\.com/(?:embed/|watch\?v=)|youtu\.be/)([\w-]{6,})")
_PLACEHOLDER = "DATELINERAW{}X"
_FOR = re.compile(r"\{%-?\s*for\s+(\w+)\s+in\s+([\w.]+)\s*-?%\}(.*?)\{%-?\s*endfor\s*-?%\}", re.DOTALL)
_COLLECTION = re.compile(r"^_(\w+)/(.+?)(?:\.(?:md|markdown|html))?$")


@dataclass(kw_only=True)
class LiquidContext:
    tree: SourceTree
    site: Mapping[str, Any]
    page: Mapping[str, Any]
    urls_by_file: Mapping[str, str]  # source file (relative to SOURCE) -> new URL
    urls_by_post: Mapping[str, str]  # post name (2014-05-06-title) -> new URL
    author_url: Callable[[str], tuple[str, str] | None]  # key -> (name, url)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, message, the syntax)
    variables: dict[str, Any] = field(default_factory=dict)
    old_site: str = ""  # the old site's address, for links to what was not imported


def convert(body: str, ctx: LiquidContext) -> str:
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(1))
        return _PLACEHOLDER.format(len(kept) - 1)

    body = _RAW.sub(keep, body)
    body = _COMMENT.sub(lambda m: _noted(ctx, "converted", m.group(), "comment removed", ""), body)
    body = _HIGHLIGHT.sub(lambda m: _noted(ctx, "converted", m.group().split("\n", 1)[0],
                                           "highlight block made a fenced code block",
                                           code_fence(m.group(1), m.group(3), m.group(2))), body)
    body = in_prose(body, lambda text: _expand(text, ctx))
    for index, text in enumerate(kept):
        body = body.replace(_PLACEHOLDER.format(index), text)
    return body


def _expand(text: str, ctx: LiquidContext) -> str:
    """Assignments and loops first, in the order written, then tags and outputs."""
    position, out = 0, []
    for match in _FOR.finditer(text):
        out.append(_simple(text[position:match.start()], ctx))
        out.append(_loop(match, ctx))
        position = match.end()
    out.append(_simple(text[position:], ctx))
    return "".join(out)


def _simple(text: str, ctx: LiquidContext) -> str:
    return _OUTPUT.sub(lambda m: _output(m, ctx), _TAG.sub(lambda m: _tag(m, ctx), text))


def _loop(match: re.Match[str], ctx: LiquidContext) -> str:
    """``{% for x in list %}`` over a list the post defines (an ``assign`` or a frontmatter field)."""
    name, source, inner = match.group(1), match.group(2), match.group(3)
    items = ctx.variables.get(source) if source in ctx.variables else _lookup(source, ctx)
    if not isinstance(items, list):
        return match.group()
    parts, noted = [], len(ctx.notes)
    for item in items:
        ctx.variables[name] = str(item)
        parts.append(_simple(inner, ctx))
    ctx.variables.pop(name, None)
    del ctx.notes[noted:]  # one note for the loop, not one per variable of each turn
    return _noted(ctx, "converted", match.group().split("\n", 1)[0], "for loop over a list unrolled", "".join(parts))


def _noted(ctx: LiquidContext, kind: str, syntax: str, message: str, result: str) -> str:
    ctx.notes.append((kind, message, syntax))
    return result


def _tag(match: re.Match[str], ctx: LiquidContext) -> str:
    name, args = match.group(1), match.group(2).strip()
    if name == "assign":
        variable, _, expression = args.partition("=")
        split = re.fullmatch(r"(.*?)\|\s*split:\s*(\"[^\"]*\"|'[^']*')\s*", expression.strip())
        value: Any = _value(split.group(1).strip(), ctx) if split else _value(expression.strip(), ctx)
        if split and value is not None:
            value = value.split(split.group(2)[1:-1])
        if value is not None:
            ctx.variables[variable.strip()] = value
            return _noted(ctx, "converted", match.group(), "assign resolved", "")
        return match.group()
    if name == "link":
        target = args.strip("'\" ").lstrip("/")
        url = ctx.urls_by_file.get(target)
        if url is None and ctx.tree.exists(target):
            url = "/" + target
        if url is None and (collection := _COLLECTION.match(target)) and ctx.old_site:
            url = f"{ctx.old_site.rstrip('/')}/{collection.group(1)}/{collection.group(2)}/"
            return _noted(ctx, "guessed", match.group(), "link to a page that was not imported, on the old site", url)
        return _noted(ctx, "converted", match.group(), "link resolved", url) if url else match.group()
    if name == "post_url":
        url = ctx.urls_by_post.get(args.strip("'\" ").rsplit("/", 1)[-1])
        return _noted(ctx, "converted", match.group(), "post_url resolved", url) if url else match.group()
    if name == "oembed":
        address = args.split()[0] if args else ""
        video = _YOUTUBE.search(address)
        html = embed("youtube", video.group(1)) if video else embed("link", address, address)
        return _noted(ctx, "converted", match.group(), "oembed made an embed", f"\n\n{html}\n\n")
    if name == "include":
        return _include(match, args, ctx)
    return match.group()


def _include(match: re.Match[str], args: str, ctx: LiquidContext) -> str:
    name = args.split()[0] if args else ""
    try:
        text = ctx.tree.read_text(f"_includes/{name}") if ctx.tree.exists(f"_includes/{name}") else None
    except (OSError, OutsideSource):
        text = None
    if text is None or "{{" in text or "{%" in text:
        return match.group()  # a template of the old theme: reported as not converted
    return _noted(ctx, "converted", match.group(), f"include of the static file _includes/{name} inlined", text)


def _value(expression: str, ctx: LiquidContext) -> str | None:
    """The text ``expression`` (``"x" | relative_url``, ``site.baseurl``, ``page.image``) shows, if known."""
    parts = [part.strip() for part in re.findall(r"""(?:"[^"]*"|'[^']*'|[^|"'])+""", expression)]
    if not parts:
        return None
    head, filters = parts[0], parts[1:]
    literal = _STRING.match(head)
    value: Any
    if literal:
        value = literal.group(1) if literal.group(1) is not None else literal.group(2)
    elif head in ("site.baseurl", "site.url", "site.github.url"):
        value = ""
    elif head in ctx.variables:
        value = ctx.variables[head]
    else:
        value = _lookup(head, ctx)
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value)
    for item in filters:
        name, _, argument = item.partition(":")
        name = name.strip()
        if name in ("relative_url", "absolute_url", "strip", "escape", "xml_escape", "uri_escape"):
            continue
        if name == "slugify":
            text = slugify(text)
            continue
        if name in ("prepend", "append"):
            extra = _value(argument.strip(), ctx)
            if extra is None:
                return None
            text = extra + text if name == "prepend" else text + extra
        elif name == "embed":
            video = _YOUTUBE.search(text)
            title = (_value(argument.strip(), ctx) or "") if argument else ""
            text = f"\n\n{embed('youtube', video.group(1), title) if video else embed('link', text, title)}\n\n"
        elif name == "team_link":
            author = ctx.author_url(text)
            text = f'<a href="{author[1]}">{author[0]}</a>' if author else text  # lax Liquid shows the key
        else:
            return None
    return text


def _lookup(path: str, ctx: LiquidContext) -> Any:
    scope, _, rest = path.partition(".")
    value: Any = {"site": ctx.site, "page": ctx.page}.get(scope)
    for key in rest.split(".") if rest else []:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return None if value is None or scope not in ("site", "page") or not rest else value


def _output(match: re.Match[str], ctx: LiquidContext) -> str:
    value = _value(match.group(1), ctx)
    if value is None:
        return match.group()
    return _noted(ctx, "converted", match.group(), "variable resolved", value)
