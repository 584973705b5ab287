"""Hugo: the site config, ``content/`` (the default language's folder when there are several), ``static/``.

A page's old URL is its ``url``, else the section's ``permalinks`` pattern,
else its folders and its slug or file name (or bundle folder), lower-cased
as Hugo writes paths. ``aliases`` may be relative to the page's folder.
Shortcodes are converted by ``shortcodes``; keys are read case-insensitively.
"""

from __future__ import annotations

import json
import posixpath
import tomllib
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from generator.content.segments import segment_problem
from generator.importers.anchors import old_anchors
from generator.importers.common import MatterError, author_names, date_text, lower_keys, plain, split_matter
from generator.importers.model import Imported
from generator.importers.pipeline import add_post, plan_urls
from generator.importers.shortcodes import convert_shortcodes
from generator.importers.tree import SourceTree
from generator.importers.urls import copy_site_files

_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml",
            "config.json", "config/_default/hugo.toml", "config/_default/config.toml", "config/_default/hugo.yaml",
            "config/_default/config.yaml")
_SUFFIXES = (".md", ".markdown", ".html", ".htm")
MAPPED = {"title", "date", "publishdate", "pubdate", "published", "lastmod", "modified", "slug", "url", "aliases",
          "draft", "description", "summary", "tags", "categories", "author", "authors", "images", "layout", "type",
          "weight", "linktitle", "menu", "toc", "expirydate"}


def read_hugo(tree: SourceTree) -> Imported:
    config = lower_keys(_config(tree))
    zone = str(config.get("timezone") or "UTC")
    base = str(config.get("baseurl") or "https://example.org/")
    imported = Imported(kind="hugo", config={"title": str(config.get("title") or "Imported site"),
                                             "base_url": base if base.endswith("/") else base + "/",
                                             "timezone": zone})
    language = str(config.get("languagecode") or config.get("defaultcontentlanguage") or "")
    if language:
        imported.config["language"] = language.split("-")[0] if len(language) > 2 else language
    permalinks = {str(k): str(v) for k, v in (config.get("permalinks") or {}).items() if isinstance(v, str)}
    params = lower_keys(config.get("params") or {}) if isinstance(config.get("params"), dict) else {}
    content = _content_folder(tree, str(config.get("defaultcontentlanguage") or "en"))

    entries: list[dict[str, Any]] = []
    for relative in tree.files(content):
        inside = relative[len(content) + 1:]
        name = posixpath.basename(inside)
        if not name.lower().endswith(_SUFFIXES) or (name.startswith("index.") and inside == name):
            continue
        if name.startswith("_index."):
            _section(tree, imported, relative)
            continue
        imported.found += 1
        entry = _read_page(tree, imported, relative, inside, zone, permalinks)
        if entry is not None:
            entries.append(entry)

    by_path = plan_urls(imported, entries)
    for e in entries:
        body, notes = convert_shortcodes(e["body"], by_path, e["inside"], params, base)
        add_post(imported, e, old_anchors(body, "hugo"), notes)
    imported.files.extend(copy_site_files(tree, folders=["static"]))
    imported.files.extend(_content_files(tree, content))
    return imported


def _content_files(tree: SourceTree, content: str) -> list[tuple[Any, str]]:
    """Images beside leaf pages in plain folders, which posts address by content path (``/blog/2021/x/a.svg``)."""
    files = []
    for relative in tree.files(content):
        folder = posixpath.dirname(relative)
        if relative.lower().endswith(_SUFFIXES) or any(tree.exists(f"{folder}/index{s}") for s in _SUFFIXES):
            continue  # pages, and bundles' files (published beside their page)
        files.append((tree.path(relative), relative[len(content) + 1:]))
    return files


def _config(tree: SourceTree) -> dict[str, Any]:
    for name in _CONFIGS:
        if not tree.exists(name):
            continue
        text = tree.read_text(name)
        try:
            if name.endswith(".toml"):
                return tomllib.loads(text)
            if name.endswith(".json"):
                data = json.loads(text)
            else:
                data = yaml.safe_load(text)
        except (tomllib.TOMLDecodeError, ValueError, yaml.YAMLError):
            return {}
        return data if isinstance(data, dict) else {}
    return {}


def _content_folder(tree: SourceTree, language: str) -> str:
    """``content``, or ``content/en`` when the site keeps one folder per language."""
    if any(tree.files(f"content/{language}")):
        return f"content/{language}"
    return "content"


def _section(tree: SourceTree, imported: Imported, relative: str) -> None:
    try:
        matter, _, _ = split_matter(tree.read_text(relative))
    except MatterError:
        return
    if matter.get("aliases"):
        imported.note("not converted", relative, None, f"a section's aliases ({matter['aliases']}) have no page "
                      "to lead to in Dateline; add redirects on your host")


def _urlize(text: str) -> str:
    """Hugo's ``urlize``: lower case, spaces as hyphens, only letters, digits and ``._-+~#`` kept (dots too)."""
    kept = "".join(ch for ch in text.strip().replace(" ", "-") if ch.isalnum() or ch in "._-+~#")
    return kept.lower() or "page"


def _read_page(tree: SourceTree, imported: Imported, relative: str, inside: str, zone: str,
               permalinks: dict[str, str]) -> dict[str, Any] | None:
    text = tree.read_text(relative)
    try:
        raw, body, body_line = split_matter(text)
    except MatterError as exc:
        imported.skipped.append((relative, f"line {exc.line}: {exc}"))
        return None
    matter = lower_keys(raw)
    parts = inside.split("/")
    bundle = parts[-1].rsplit(".", 1)[0] == "index" and len(parts) > 1
    name = parts[-2] if bundle else parts[-1].rsplit(".", 1)[0]
    folders = parts[:-2] if bundle else parts[:-1]
    section = folders[0] if folders else ""
    title = " ".join(str(matter.get("title") or "").split())
    if not title:
        title = name.replace("-", " ").capitalize()
        imported.note("guessed", relative, None, f"no title: '{title}', from the file name")
    date = None
    for key in ("date", "publishdate", "pubdate", "published"):
        date = date_text(matter.get(key), zone)
        if date:
            break
    moment = datetime.fromisoformat(date).astimezone(ZoneInfo(zone)) if date else None
    slug = str(matter.get("slug") or name).lower()  # Hugo writes every path in lower case
    if segment_problem(slug):
        slug = _urlize(slug)
    old_url = _old_url(matter, permalinks, section, folders, name, slug, title, moment)
    last = old_url.rstrip("/").rsplit("/", 1)[-1]
    if old_url.endswith("/") and last and not segment_problem(last):
        slug = last  # what the old URL ends with (a permalink's :slug is the title's when no slug is set)
    fields: dict[str, Any] = {"title": title}
    if date:
        fields["date"] = date
    fields["slug"] = slug
    categories = [str(c) for c in _list(matter.get("categories"))]
    if categories:
        fields["section"] = categories[0]
    fields["tags"] = [str(t) for t in _list(matter.get("tags"))]
    fields["authors"] = author_names(matter.get("authors") or matter.get("author") or [])
    for key in ("description", "summary"):
        if isinstance(matter.get(key), str) and matter[key].strip():
            fields[key] = " ".join(matter[key].split())
    updated = date_text(matter.get("lastmod") or matter.get("modified"), zone)
    if updated and date and updated >= date:
        fields["updated"] = updated
    expires = date_text(matter.get("expirydate"), zone)  # Hugo leaves such a page out from then on, as Dateline does
    if expires and date and expires > date:
        fields["expires"] = expires
    images = _list(matter.get("images"))
    if images and isinstance(images[0], str):
        fields["image"] = images[0] if images[0].startswith(("http", "/")) else "/" + images[0]
    if matter.get("draft") is True or str(matter.get("draft")).lower() == "true":
        fields["draft"] = True
    extra = {k: plain(v) for k, v in matter.items() if k not in MAPPED}
    if len(categories) > 1:
        extra["categories"] = categories
    fields["extra"] = extra
    folder = f"articles/{moment.year:04d}" if moment else "pages"
    files: list[tuple[Any, str]] = []
    if bundle:
        target = f"{folder}/{name}/index.md"
        bundle_dir = relative.rsplit("/", 1)[0]
        for other in tree.files(bundle_dir):
            if not other.lower().endswith(_SUFFIXES):
                files.append((tree.path(other), f"{folder}/{name}/{other[len(bundle_dir) + 1:]}"))
    else:
        target = f"{folder}/{'-'.join([*folders, parts[-1].rsplit('.', 1)[0]])}.md"
    parent = old_url.rsplit("/", 2)[0] + "/" if old_url.endswith("/") else old_url.rsplit("/", 1)[0] + "/"
    aliases = [a if a.startswith("/") else parent + a for a in _list(matter.get("aliases")) if isinstance(a, str)]
    return {"origin": relative, "inside": inside, "text": text, "body": body, "body_line": body_line,
            "fields": fields, "old_url": old_url, "moment": moment, "slug": slug, "target": target,
            "aliases": aliases, "files": files}


def _old_url(matter: dict[str, Any], permalinks: dict[str, str], section: str, folders: list[str], name: str,
             slug: str, title: str, moment: datetime | None) -> str:
    override = matter.get("url")
    if isinstance(override, str) and override.strip():
        url = "/" + override.strip().lstrip("/")
        return url if url.endswith(("/", ".html")) else url + "/"
    pattern = permalinks.get(section)
    if pattern and moment is not None:
        values = {":year": f"{moment.year:04d}", ":month": f"{moment.month:02d}", ":day": f"{moment.day:02d}",
                  ":slug": str(matter.get("slug") or _urlize(title)), ":title": _urlize(title),
                  ":filename": name, ":section": section, ":contentbasename": name}
        for token in sorted(values, key=len, reverse=True):
            pattern = pattern.replace(token, values[token])
        return str("/" + pattern.strip("/") + "/").lower()
    return ("/" + "/".join([*folders, slug]) + "/").lower()


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return list(value) if isinstance(value, list) else [value]
