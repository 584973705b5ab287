"""WordPress post content to the body of a Dateline article.

The HTML is kept as raw HTML rather than turned into Markdown: it is what
readers saw, and a converter (markdownify and the like) loses what Markdown
cannot say (figures with captions, table and embed markup, classes) while
its Markdown would read stray ``*`` and ``_`` in the text as emphasis.
WordPress itself stores classic posts with blank lines for paragraphs
(``wpautop`` adds the ``<p>`` when showing them), so paragraphs are wrapped
here, and each block becomes an HTML block that Markdown leaves alone.

Converted: Gutenberg block comments (removed; dynamic blocks, which store no
HTML, dropped with a note), ``[caption]``, ``[embed]``, ``[gallery]``,
``[audio]``, ``[video]``, bare video URLs on their own line, ``<!--more-->``
kept, ``<!--nextpage-->`` removed. Other shortcodes are removed and reported.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping

from generator.importers.common import embed

_BLOCK_COMMENT = re.compile(r"<!--\s*(/?)wp:([\w/-]+)(\s+\{.*?\})?\s*(/?)-->", re.DOTALL)
_NEXTPAGE = re.compile(r"<!--\s*nextpage\s*-->")
_CAPTION = re.compile(r"\[(?:caption|wp_caption)([^\]]*)\](.*?)\[/(?:caption|wp_caption)\]", re.DOTALL)
_EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.DOTALL)
_SELF = re.compile(r"\[(gallery|audio|video|playlist)\b([^\]]*)\](?:(.*?)\[/\1\])?", re.DOTALL)
_PAIRED = re.compile(r"\[([a-z][\w-]*)\b([^\]]*)\](.*?)\[/\1\]", re.DOTALL)
_SINGLE = re.compile(r"\[([a-z][\w-]*)\s+[^\]]*=[^\]]*\]")
_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_VIDEO_LINE = re.compile(r"^[ \t]*(https?://(?:www\.)?(?:youtube\.com/watch\?v=|youtu\.be/|vimeo\.com/)([\w-]+)\S*)[ \t]*$",
                         re.MULTILINE)
_BLOCK_TAG = re.compile(r"^\s*<(?:p|div|h[1-6]|ul|ol|li|table|thead|tbody|tr|td|th|blockquote|pre|figure|figcaption|"
                        r"iframe|hr|address|dl|dt|dd|section|article|aside|header|footer|nav|form|audio|video|"
                        r"script|style|!--)\b", re.IGNORECASE)

Notes = list[tuple[str, str, str]]


def attributes(text: str) -> dict[str, str]:
    return {m[0]: next(v for v in m[1:] if v is not None) if any(v is not None for v in m[1:]) else ""
            for m in _ATTR.findall(text)}


def convert_wordpress(content: str, attachments: Mapping[str, str], media: Callable[[str], str]
                      ) -> tuple[str, Notes]:
    """``content`` as a Dateline body; ``attachments`` maps IDs to file URLs, ``media`` rewrites upload URLs."""
    notes: Notes = []
    content = content.replace("\r\n", "\n")
    content = _blocks(content, notes)
    if _NEXTPAGE.search(content):
        notes.append(("converted", "<!--nextpage--> removed: the article is one page", "<!--nextpage-->"))
        content = _NEXTPAGE.sub("", content)
    content = _CAPTION.sub(lambda m: _caption(m, notes), content)
    content = _EMBED.sub(lambda m: _note(notes, m, "[embed] made an embed", _video(m.group(1).strip())), content)
    content = _SELF.sub(lambda m: _media(m, attachments, notes), content)
    content = _VIDEO_LINE.sub(lambda m: _note(notes, m, "a bare video address made an embed", _video(m.group(1))),
                              content)
    content = _PAIRED.sub(lambda m: _unknown(m, notes, m.group(3)), content)
    content = _SINGLE.sub(lambda m: _unknown(m, notes, ""), content)
    content = re.sub(r"""((?:src|href)=["'])([^"']+)""", lambda m: m.group(1) + media(m.group(2)), content)
    return autop(content), notes


def _note(notes: Notes, match: re.Match[str], message: str, result: str) -> str:
    notes.append(("converted", message, match.group().split("\n", 1)[0]))
    return result


def _unknown(match: re.Match[str], notes: Notes, kept: str) -> str:
    notes.append(("not converted", f"shortcode [{match.group(1)}] removed" + (", its text kept" if kept else ""),
                  match.group().split("\n", 1)[0]))
    return kept


def _blocks(content: str, notes: Notes) -> str:
    """Gutenberg's block comments removed; embeds made iframes; dynamic blocks (no stored HTML) dropped."""
    def replace(match: re.Match[str]) -> str:
        closing, name, data, self_closing = match.group(1), match.group(2), match.group(3), match.group(4)
        name = name.removeprefix("core/")
        if self_closing:  # a self-closing block stores no HTML: WordPress built it when showing the page
            notes.append(("not converted", f"dynamic block '{name}' dropped: WordPress built it when showing the "
                          "page, and the export holds no HTML for it", match.group()))
            return ""
        if not closing and (name in ("embed",) or name.startswith(("core-embed/", "embed/"))):
            url = _json(data).get("url", "")
            if url:
                notes.append(("converted", "embed block made an embed", match.group()))
                return f"\n\n{_video(str(url))}\n\n<!--dateline-drop-embed-->"
        return ""

    content = _BLOCK_COMMENT.sub(replace, content)
    # an embed block's own <figure> holds only the bare address, already embedded above
    return re.sub(r"<!--dateline-drop-embed-->\s*<figure[^>]*>.*?</figure>", "", content, flags=re.DOTALL)


def _json(data: str | None) -> dict[str, object]:
    try:
        value = json.loads(data) if data else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _video(url: str) -> str:
    match = re.search(r"(?:youtube\.com/watch\?v=|youtu\.be/)([\w-]+)", url)
    if match:
        return embed("youtube", match.group(1))
    match = re.search(r"vimeo\.com/(\d+)", url)
    if match:
        return embed("vimeo", match.group(1))
    return f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>'


def _caption(match: re.Match[str], notes: Notes) -> str:
    attrs = attributes(match.group(1))
    inner = match.group(2).strip()
    image = re.match(r"(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", inner)
    media = image.group() if image else ""
    caption = attrs.get("caption") or inner[len(media):].strip()
    notes.append(("converted", "[caption] made a figure", match.group().split("\n", 1)[0]))
    return f"<figure>{media}<figcaption>{caption}</figcaption></figure>"


def _media(match: re.Match[str], attachments: Mapping[str, str], notes: Notes) -> str:
    name, attrs = match.group(1), attributes(match.group(2))
    if name == "gallery":
        ids = [i.strip() for i in attrs.get("ids", "").split(",") if i.strip()]
        images = [f'<img src="{html.escape(attachments[i])}" alt="">' for i in ids if i in attachments]
        if not images:
            notes.append(("not converted", "[gallery] without attachments in the export removed", match.group()))
            return ""
        notes.append(("converted", "[gallery] made a figure of images", match.group()))
        return '<figure class="gallery">' + "".join(images) + "</figure>"
    url = attrs.get("src") or attrs.get("mp3") or attrs.get("mp4") or next(
        (v for v in attrs.values() if v.startswith("http")), "")
    if name in ("audio", "video") and url:
        notes.append(("converted", f"[{name}] made an <{name}> element", match.group()))
        return f'<{name} controls src="{html.escape(url)}"></{name}>'
    notes.append(("not converted", f"[{name}] removed", match.group()))
    return ""


def autop(content: str) -> str:
    """WordPress's paragraphs: text separated by blank lines, each wrapped in ``<p>`` unless it is a block."""
    parts = [part.strip("\n") for part in re.split(r"\n\s*\n", content.strip())]
    out = []
    for part in parts:
        if not part.strip():
            continue
        if _BLOCK_TAG.match(part) or part.strip() == "<!--more-->":
            out.append(part.strip())
        else:
            out.append("<p>" + part.strip().replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(out) + "\n"
