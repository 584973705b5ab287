"""The newsroom theme's ``css/highlight.css``: two Pygments styles, made readable on the theme's code blocks.

The file is committed, not made at build time: a site without code never
imports Pygments, and a theme author can read and change a plain CSS file.
It is regenerated with ``make highlight-css`` (a test fails while the
committed file differs from what this module writes).

Pygments' styles are made for their own backgrounds, and many of their
colours fall short of WCAG AA (4.5:1) on the theme's, or on a marked line
(``hl_lines``). Each colour is kept in hue and saturation and darkened
(light scheme) or lightened (dark scheme) just enough to reach 4.5:1 on
both, so the palette stays recognisably Pygments' ``default`` and
``github-dark``. Only token colours and weights are taken: backgrounds and
borders come from the theme.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass
from typing import Any

AA = 4.5  # WCAG 2 AA for normal text


@dataclass(frozen=True, kw_only=True)
class Scheme:
    """A Pygments style on one of the theme's colour schemes."""

    style: str
    background: str  # the theme's code block background (--surface-2)
    text: str  # unstyled code: the theme's text colour
    marked: str  # a highlighted line (the theme's --highlight)
    numbers: str  # line numbers (the theme's --muted)
    rule: str  # the line between numbers and code (the theme's --rule)
    darken: bool  # which way a colour moves to gain contrast


LIGHT = Scheme(style="default", background="#f2efe8", text="#1a1a1a", marked="#fff1b8", numbers="#5b5b5b",
               rule="#dcd8cf", darken=True)
DARK = Scheme(style="github-dark", background="#23252a", text="#ececec", marked="#4a3f14", numbers="#a9a9a9",
              rule="#383a40", darken=False)


def _channels(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(char * 2 for char in value)
    return int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255


def _hex(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in (red, green, blue))


def luminance(colour: str) -> float:
    """WCAG 2's relative luminance."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _channels(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable(colour: str, scheme: Scheme) -> str:
    """``colour``, darkened or lightened in small steps until it reaches AA on the block and on a marked line."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*_channels(colour))
    candidate = _hex(*_channels(colour))
    step = -0.01 if scheme.darken else 0.01
    while min(contrast(candidate, scheme.background), contrast(candidate, scheme.marked)) < AA:
        lightness = max(0.0, min(1.0, lightness + step))
        candidate = _hex(*colorsys.hls_to_rgb(hue, lightness, saturation))
        if lightness in (0.0, 1.0):
            break
    return candidate


def _token_rules(scheme: Scheme, indent: str) -> list[str]:
    from pygments.styles import get_style_by_name

    style = get_style_by_name(scheme.style)
    rules = []
    for name, token_type in sorted({_css_class(token_type): token_type for token_type, _ in style}.items()):
        if not name:
            continue
        found = style.style_for_token(token_type)
        declarations = []
        if found["color"]:
            declarations.append(f"color: {readable('#' + found['color'], scheme)}")
        if found["bold"]:
            declarations.append("font-weight: bold")
        if found["italic"]:
            declarations.append("font-style: italic")
        if found["underline"] or found["border"]:  # errors are boxed in red in Pygments: underlined here
            declarations.append("text-decoration: underline")
        if declarations:
            rules.append(f"{indent}.highlight .{name} {{ {'; '.join(declarations)} }}")
    return rules


def _css_class(token_type: Any) -> str:
    """The class Pygments' HTML formatter gives a token type: its short name, or its
    nearest standard parent's followed by ``-Name`` for each type below it."""
    from pygments.token import STANDARD_TYPES

    suffix = ""
    while token_type not in STANDARD_TYPES:
        suffix = "-" + token_type[-1] + suffix
        token_type = token_type.parent
    return STANDARD_TYPES[token_type] + suffix


def _frame(scheme: Scheme, indent: str) -> list[str]:
    return [
        f"{indent}pre.highlight {{ background: {scheme.background}; color: {scheme.text} }}",
        f"{indent}.highlight .hll {{ background: {scheme.marked} }}",
        f"{indent}.highlight .ln::before {{ color: {readable(scheme.numbers, scheme)}; border-inline-end-color: {scheme.rule} }}",
    ]


def stylesheet() -> str:
    """The whole of ``highlight.css``."""
    from importlib import metadata

    version = metadata.version("Pygments")
    lines = [
        "/* Syntax highlighting for fenced code that names its language (see the README, Code).",
        f"   Made by generator/markdown/highlight_css.py from Pygments {version}'s \"{LIGHT.style}\" and",
        f"   \"{DARK.style}\" styles, each colour adjusted to WCAG AA (4.5:1) on the code background and",
        "   on a marked line. Do not edit by hand: run `make highlight-css`. */",
        "",
        "/* A marked line (hl_lines) is a band across the block, not a box around its text. */",
        ".highlight .hll { display: block; }",
        "",
        "/* Line numbers are generated content: never selected, never copied, not read out (aria-hidden). */",
        ".highlight .ln::before {",
        "  content: attr(data-line); display: inline-block; box-sizing: content-box; min-width: 2ch; margin-inline-end: 1ch;",
        "  padding-inline-end: 1ch; border-inline-end: 1px solid; text-align: end;",
        "  -webkit-user-select: none; user-select: none;",
        "}",
        "",
        f"/* Light: Pygments' \"{LIGHT.style}\". */",
        *_frame(LIGHT, ""),
        *_token_rules(LIGHT, ""),
        "",
        f"/* Dark: Pygments' \"{DARK.style}\". */",
        "@media (prefers-color-scheme: dark) {",
        *_frame(DARK, "  "),
        *_token_rules(DARK, "  "),
        "}",
        "",
        "@media (forced-colors: active) {",
        "  .highlight .hll { outline: 1px solid CanvasText; }",
        "}",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(stylesheet(), end="")
