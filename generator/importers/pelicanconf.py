"""Pelican's settings and metadata, read without running anything.

``pelicanconf.py`` is Python: it is parsed, never executed (it is untrusted
input), and only assignments of literal values are read; anything else
(``ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"``, an ``import``) is noted.
Metadata comes in three forms: reST field lists under the title, Markdown
``Key: value`` lines (optionally between ``---``), and HTML ``<meta>`` tags;
keys are case-insensitive, and a value may continue on indented lines.
"""

from __future__ import annotations

import ast
import html
import re
from typing import Any

DEFAULTS: dict[str, Any] = {
    "SITENAME": "Imported site", "SITEURL": "", "TIMEZONE": "UTC", "DEFAULT_LANG": "en",
    "ARTICLE_URL": "{slug}.html", "PAGE_URL": "pages/{slug}.html", "PATH": "content", "PAGE_PATHS": ["pages"],
    "STATIC_PATHS": ["images"], "USE_FOLDER_AS_CATEGORY": True, "DEFAULT_CATEGORY": "misc",
    "FILENAME_METADATA": r"(?P<date>\d{4}-\d{2}-\d{2}).*", "DEFAULT_PAGINATION": False,
}


def read_settings(text: str) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """The literal settings of ``pelicanconf.py`` over Pelican's defaults, and (line, note) for the rest."""
    settings = dict(DEFAULTS)
    notes: list[tuple[int, str]] = []
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        return settings, [(exc.lineno or 1, f"not valid Python ({exc.msg}); Pelican's defaults used")]
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            try:
                settings[name] = ast.literal_eval(node.value)
            except ValueError:
                notes.append((node.lineno, f"{name} is computed, not written out; not read"))
        elif not isinstance(node, ast.Expr):
            notes.append((node.lineno, f"'{ast.unparse(node).splitlines()[0][:60]}' is code; not run"))
    return settings, notes


_RST_FIELD = re.compile(r"^:([\w-]+):[ \t]*(.*)$")
_MD_FIELD = re.compile(r"^([A-Za-z][\w-]*):[ \t]*(.*)$")
_UNDERLINE = re.compile(r"^([=\-`:'\"~^_*+#<>])\1+[ \t]*$")


def rst_meta(text: str) -> tuple[str, dict[str, str], str, int]:
    """(title, fields, the rest of the document, the line it starts on) of a Pelican reST file."""
    lines = text.splitlines()
    index, title = 0, ""
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index + 1 < len(lines) and _UNDERLINE.match(lines[index]) and index + 2 < len(lines) and _UNDERLINE.match(
            lines[index + 2]):
        title, index = lines[index + 1].strip(), index + 3  # overlined title
    elif index + 1 < len(lines) and _UNDERLINE.match(lines[index + 1]) and lines[index].strip():
        title, index = lines[index].strip(), index + 2
    fields: dict[str, str] = {}
    while index < len(lines) and not lines[index].strip():
        index += 1
    key = ""
    while index < len(lines):
        line = lines[index]
        match = _RST_FIELD.match(line)
        if match:
            key = match.group(1).lower()
            fields[key] = match.group(2).strip()
        elif key and line.startswith((" ", "\t")) and line.strip():
            fields[key] = (fields[key] + " " + line.strip()).strip()
        else:
            break
        index += 1
    return title, fields, "\n".join(lines[index:]), index + 1


def markdown_meta(text: str) -> tuple[dict[str, str], str, int]:
    """(fields, body, the line the body starts on) of a Pelican Markdown file (``Key: value`` lines)."""
    lines = text.splitlines()
    index = 1 if lines and lines[0].strip() == "---" else 0
    fields: dict[str, str] = {}
    key = ""
    while index < len(lines):
        line = lines[index]
        if index and line.strip() == "---" and lines[0].strip() == "---":
            index += 1
            break
        match = _MD_FIELD.match(line)
        if match and not line.startswith(" "):
            key = match.group(1).lower()
            fields[key] = match.group(2).strip()
        elif key and line.startswith("    ") and line.strip():
            fields[key] = (fields[key] + " " + line.strip()).strip()
        else:
            break
        index += 1
    if not fields:
        return {}, text, 1
    return fields, "\n".join(lines[index:]), index + 1


_META = re.compile(r"<meta\s+([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.IGNORECASE | re.DOTALL)


def html_meta(text: str) -> tuple[dict[str, str], str]:
    """(fields, body HTML) of a Pelican HTML file: ``<title>``, ``<meta name content>`` (or ``contents``)."""
    fields: dict[str, str] = {}
    title = _TITLE.search(text)
    if title:
        fields["title"] = html.unescape(" ".join(title.group(1).split()))
    for match in _META.finditer(text):
        attrs = {m[0].lower(): m[1] or m[2] for m in _ATTR.findall(match.group(1))}
        name = attrs.get("name", "").lower()
        value = attrs.get("content", attrs.get("contents"))
        if name and value is not None:
            fields[name] = html.unescape(value)
    body = _BODY.search(text)
    return fields, body.group(1).strip() if body else text
