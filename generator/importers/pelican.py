"""Pelican: ``pelicanconf.py`` (read, never run), articles and pages in reST, Markdown and HTML.

reST is rendered to HTML with docutils (what Pelican itself uses), with file
insertion switched off so that ``.. include::`` or ``.. raw:: :file:`` cannot
read outside SOURCE; the HTML becomes the article's body as raw HTML.
Pelican's link syntax (``{filename}``, ``{static}``, ``{attach}``, ``{tag}``,
``{category}``, ``{author}``, ``{index}`` and the old ``|filename|`` forms) is
resolved to the new site's URLs.
"""

from __future__ import annotations

import posixpath
import re
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from docutils.core import publish_parts
from docutils.utils import SystemMessage

from generator.importers.common import author_names, date_text
from generator.importers.markup import in_prose
from generator.importers.model import Imported
from generator.importers.pelicanconf import html_meta, markdown_meta, read_settings, rst_meta
from generator.importers.pipeline import add_post, plan_urls
from generator.importers.tree import SourceTree
from generator.importers.urls import copy_site_files
from generator.text.slugs import slugify

_MARKDOWN = (".md", ".markdown", ".mkd", ".mdown")
# Pelican's link syntax where a URL goes: an href or src, a Markdown link or reference definition.
_LINK = re.compile(r"((?:href|src)=\"|\]\(|^\[[^\]]+\]:[ \t]*)(?:\{|\|)(filename|static|attach|tag|category|author|index)"
                   r"(?:\}|\|)([^\s)\"'>`<]*)", re.MULTILINE)
_DOCUTILS = {"file_insertion_enabled": False, "raw_enabled": True, "report_level": 5, "halt_level": 5,
             "warning_stream": False, "doctitle_xform": False, "input_encoding": "unicode", "embed_stylesheet": False,
             "syntax_highlight": "none", "_disable_config": True}


def read_pelican(tree: SourceTree) -> Imported:
    settings, config_notes = read_settings(tree.read_text("pelicanconf.py")) if tree.exists("pelicanconf.py") else (
        read_settings("")[0], [])
    zone = str(settings["TIMEZONE"])
    site_url = str(settings["SITEURL"] or "https://example.org").rstrip("/") + "/"
    imported = Imported(kind="pelican", config={"title": str(settings["SITENAME"]), "base_url": site_url,
                                                "timezone": zone, "language": str(settings["DEFAULT_LANG"])})
    for line, message in config_notes:
        imported.note("not converted", "pelicanconf.py", line, message)
    if isinstance(settings.get("DEFAULT_PAGINATION"), int) and settings["DEFAULT_PAGINATION"] > 0:
        imported.config["paginate"] = settings["DEFAULT_PAGINATION"]
    content = str(settings["PATH"]).strip("/") or "content"
    pages = [str(p).strip("/") for p in settings["PAGE_PATHS"]]
    statics = [str(p).strip("/") for p in settings["STATIC_PATHS"]]
    entries = []
    for relative in tree.files(content):
        inside = relative[len(content) + 1:]
        suffix = posixpath.splitext(inside)[1].lower()
        if suffix not in (*_MARKDOWN, ".rst", ".html", ".htm") or any(inside.startswith(s + "/") for s in statics):
            continue
        imported.found += 1
        entry = _read(tree, imported, relative, inside, settings, zone, any(inside.startswith(p + "/") for p in pages))
        if entry is not None:
            entries.append(entry)
    by_file = plan_urls(imported, entries)
    for e in entries:
        notes: list[tuple[str, str, str]] = []
        body = _render_rst(e["body"], imported, e["origin"]) if e["format"] == "rst" else e["body"]
        add_post(imported, e, in_prose(body, partial(_links, inside=e["inside"], by_file=by_file, notes=notes)),
                 notes)
    imported.files.extend((path, inside) for path, inside in copy_site_files(tree, folders=[content])
                          if any(inside.startswith(s + "/") for s in statics))
    return imported


def _read(tree: SourceTree, imported: Imported, relative: str, inside: str, settings: dict[str, Any], zone: str,
          is_page: bool) -> dict[str, Any] | None:
    text = tree.read_text(relative)
    suffix = posixpath.splitext(inside)[1].lower()
    stem = posixpath.basename(inside).rsplit(".", 1)[0]
    if suffix == ".rst":
        title, fields, body, body_line = rst_meta(text)
        fields.setdefault("title", title)
        kind = "rst"
    elif suffix in _MARKDOWN:
        fields, body, body_line = markdown_meta(text)
        kind = "md"
    else:
        fields, body = html_meta(text)
        body_line, kind = 1, "html"
    if not text.strip():
        imported.skipped.append((relative, "the file is empty"))
        return None
    named = re.match(str(settings["FILENAME_METADATA"]), stem)
    date = date_text(fields.get("date"), zone) or (date_text(named.groupdict().get("date"), zone)
                                                   if named and "date" in named.groupdict() else None)
    title = " ".join(fields.get("title", "").split())
    if not title:
        title = stem.replace("-", " ").replace("_", " ").capitalize()
        imported.note("guessed", relative, None, f"no title: '{title}', from the file name")
    if not is_page and date is None:
        imported.skipped.append((relative, "an article without a date (Pelican's DEFAULT_DATE is not read)"))
        return None
    slug = fields.get("slug") or slugify(title) or slugify(stem)
    moment = datetime.fromisoformat(date).astimezone(ZoneInfo(zone)) if date and not is_page else None
    folder = posixpath.dirname(inside)
    category = fields.get("category") or (folder.split("/")[0] if folder and settings["USE_FOLDER_AS_CATEGORY"]
                                          and not is_page else str(settings["DEFAULT_CATEGORY"]))
    out: dict[str, Any] = {"title": title}
    if date and not is_page:
        out["date"] = date
    out["slug"] = slug
    if not is_page:
        out["section"] = category
        out["tags"] = [t.strip() for t in fields.get("tags", "").split(",") if t.strip()]
    names = fields.get("authors") or fields.get("author") or ""
    out["authors"] = author_names(names)
    if fields.get("summary"):
        out["summary"] = fields["summary"]
    if fields.get("modified") and date_text(fields["modified"], zone):
        out["updated"] = date_text(fields["modified"], zone)
    status = fields.get("status", "").lower()
    if status == "draft":
        out["draft"] = True
    extra = {k: v for k, v in fields.items() if k not in {"title", "date", "slug", "category", "tags", "author",
                                                          "authors", "summary", "modified", "status"}}
    out["extra"] = extra
    values = {"slug": slug, "lang": fields.get("lang", settings["DEFAULT_LANG"]), "category": slugify(category),
              "author": slugify(out["authors"][0]) if out["authors"] else "", "date": moment or datetime(2000, 1, 1)}
    try:
        old = "/" + str(settings["PAGE_URL" if is_page else "ARTICLE_URL"]).format(**values).lstrip("/")
    except (KeyError, ValueError, IndexError):
        old = None
    if fields.get("url") is not None:
        old = "/" + fields["url"].lstrip("/") if fields["url"] else None
    target = f"{'pages' if is_page else f'articles/{moment.year:04d}' if moment else 'articles'}/{slugify(stem) or 'post'}.md"
    return {"origin": relative, "inside": inside, "text": text, "body": body, "body_line": body_line,
            "fields": out, "old_url": old, "moment": moment, "slug": slug, "target": target, "format": kind}


def _links(body: str, inside: str, by_file: dict[str, str], notes: list[tuple[str, str, str]]) -> str:
    folder = posixpath.dirname(inside)

    def resolve(match: re.Match[str]) -> str:
        lead, kind, target = match.group(1), match.group(2), match.group(3)
        path, _, fragment = target.partition("#")
        if kind in ("filename", "static", "attach"):
            resolved = posixpath.normpath(path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path))
            if kind == "filename":
                url = by_file.get(resolved)
                if url is None:
                    notes.append(("not converted", "link to a file that was not imported", match.group()[len(lead):]))
                    return lead + "#"
            else:
                url = "/" + resolved
        elif kind == "index":
            url = "/"
        else:
            url = {"tag": "/tags/", "author": "/authors/", "category": "/"}[kind] + slugify(path) + "/"
        notes.append(("converted", f"{{{kind}}} link resolved", match.group()[len(lead):]))
        return lead + url + (f"#{fragment}" if fragment else "")

    return _LINK.sub(resolve, body)


def _render_rst(text: str, imported: Imported, origin: str) -> str:
    try:
        parts = publish_parts(source=text, writer="html5", settings_overrides=_DOCUTILS)
    except (SystemMessage, ValueError) as exc:
        imported.note("not converted", origin, None, f"reST could not be rendered ({exc}); the text is kept")
        return text
    body = re.sub(r'<span class="docutils literal">(.*?)</span>', r"<code>\1</code>", parts["body"].strip(),
                  flags=re.DOTALL)  # inline literals are code: template syntax there is the post's subject
    return f'<div class="rst">\n{body}\n</div>\n'
