"""Zola: ``config.toml``, ``content/`` pages and bundles, ``static/``, shortcodes and ``@/`` links.

A page's old URL is its ``path``, else its section's folders and its slug
(``slug``, else the file name without a date prefix, or the bundle's folder).
Its date is ``date``, else the file name's ``YYYY-MM-DD_``, else the date in
``path`` (the Rust blog keeps it nowhere else). Section files (``_index.md``)
are lists, not articles: their aliases and redirects are reported.
"""

from __future__ import annotations

import posixpath
import re
import tomllib
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from generator.content.segments import segment_problem
from generator.importers.anchors import old_anchors
from generator.importers.common import MatterError, author_names, date_text, plain, split_matter
from generator.importers.model import Imported
from generator.importers.pipeline import add_post, plan_urls
from generator.importers.selection import ignored
from generator.importers.tera import convert_tera
from generator.importers.tree import SourceTree
from generator.importers.urls import assign_new_urls, copy_site_files
from generator.text.slugs import slugify

_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})[_-](.+)$")
_DATED_PATH = re.compile(r"(?:^|/)(\d{4})/(\d{2})/(\d{2})/([^/]+)/?$")
MAPPED = {"title", "date", "updated", "slug", "path", "aliases", "draft", "description", "taxonomies", "extra",
          "authors", "render", "template", "weight", "in_search_index", "insert_anchor_links"}


def read_zola(tree: SourceTree) -> Imported:
    config = _config(tree)
    imported = Imported(kind="zola", config={"title": str(config.get("title") or "Imported site"),
                                             "base_url": str(config.get("base_url") or "https://example.org/")})
    if not imported.config["base_url"].endswith("/"):
        imported.config["base_url"] += "/"
    if config.get("description"):
        imported.config["description"] = str(config["description"])
    if config.get("default_language"):
        imported.config["language"] = str(config["default_language"])
    slug_paths = str((config.get("slugify") or {}).get("paths", "on"))
    patterns = [str(p) for p in config.get("ignored_content") or []]

    languages = {str(code): table for code, table in (config.get("languages") or {}).items()
                 if isinstance(table, dict) and str(code) != imported.config.get("language", "en")}
    entries: list[dict[str, Any]] = []
    for relative in tree.files("content"):
        inside = relative[len("content/"):]
        if not inside.endswith(".md"):
            continue
        if ignored(inside, patterns):
            continue
        lang, plain_inside = _language_of(inside, languages)
        if posixpath.basename(plain_inside) == "_index.md":
            _section(tree, imported, relative)
            continue
        imported.found += 1
        entry = _read_page(tree, imported, relative, inside, slug_paths, plain_inside, lang)
        if entry is not None:
            entries.append(entry)

    by_file = _plan_languages(imported, entries, languages)
    for e in entries:
        body, notes = convert_tera(e["body"], by_file, tree)
        add_post(imported, e, old_anchors(body, "zola"), notes)
    imported.files.extend(copy_site_files(tree, folders=["static"]))
    return imported


def _language_of(inside: str, languages: dict[str, Any]) -> tuple[str, str]:
    """A file's language by Zola's suffix (``post.fr.md``), "" for the default, and its path without it."""
    folder, _, name = inside.rpartition("/")
    stem, _, code = name[:-3].rpartition(".")
    if stem and code in languages:
        return code, f"{folder}/{stem}.md" if folder else f"{stem}.md"
    return "", inside


def _plan_languages(imported: Imported, entries: list[dict[str, Any]], languages: dict[str, Any]) -> dict[str, str]:
    """New URLs: the default language's as a single-language site's, each other language's under ``/<code>/``.

    Zola serves a language's pages under ``/<code>/``, as Dateline does a
    ``[languages.<code>]`` edition; the pattern is chosen from the default
    language's URLs, and each language's slugs are made unique among its own.
    """
    own = [e for e in entries if not e["lang"]]
    unique_page_slugs(own)
    by_file = plan_urls(imported, own)
    used = sorted({e["lang"] for e in entries if e["lang"]})
    for code in used:
        group = [e for e in entries if e["lang"] == code]
        unique_page_slugs(group)
        assign_new_urls(group, imported.config["urls"]["article"])
        for e in group:
            e["old_url"], e["new_url"] = f"/{code}{e['old_url']}", f"/{code}{e['new_url']}"
            by_file[e["inside"]] = e["new_url"]
    if used:
        imported.config["languages"] = {code: {"title": str(languages[code].get("title") or imported.config["title"]),
                                               **({"description": str(languages[code]["description"])}
                                                  if languages[code].get("description") else {})}
                                        for code in used}
    return by_file


def _config(tree: SourceTree) -> dict[str, Any]:
    try:
        return tomllib.loads(tree.read_text("config.toml")) if tree.exists("config.toml") else {}
    except tomllib.TOMLDecodeError:
        return {}


def _section(tree: SourceTree, imported: Imported, relative: str) -> None:
    try:
        matter, _, _ = split_matter(tree.read_text(relative))
    except MatterError:
        return
    for key in ("aliases", "redirect_to"):
        if matter.get(key):
            imported.note("not converted", relative, None, f"a section's '{key}' ({matter[key]}) has no page "
                          "to lead to in Dateline; add a redirect on your host")


def _read_page(tree: SourceTree, imported: Imported, relative: str, inside: str, slug_paths: str,
               plain_inside: str, lang: str) -> dict[str, Any] | None:
    """One page; ``plain_inside`` is its path without a language suffix, ``lang`` that language ("": the default)."""
    text = tree.read_text(relative)
    try:
        matter, body, body_line = split_matter(text)
    except MatterError as exc:
        imported.skipped.append((relative, f"line {exc.line}: {exc}"))
        return None
    parts = plain_inside.split("/")
    bundle = parts[-1] == "index.md" and len(parts) > 1
    name = parts[-2] if bundle else parts[-1][:-3]
    folders = parts[:-2] if bundle else parts[:-1]
    dated = _DATED_NAME.match(name)
    if dated:
        name = dated.group(2)
    path = str(matter.get("path") or "").strip("/")
    path_date = _DATED_PATH.search(path) if path else None
    raw_slug = str(matter.get("slug") or (path.rsplit("/", 1)[-1] if path else name))
    slug = raw_slug if slug_paths in ("safe", "off") or path else slugify(raw_slug)  # Zola's [slugify] paths
    if segment_problem(slug):
        slug = slugify(slug) or "page"
    old_url = "/" + (path if path else "/".join([*folders, slug])) + "/"
    date = date_text(matter.get("date"), "UTC")
    if date is None and dated:
        date = date_text(dated.group(1), "UTC")
    if date is None and path_date:
        date = date_text("-".join(path_date.groups()[:3]), "UTC")
        imported.note("converted", relative, None, f"date taken from path '{path}'")
    title = str(matter.get("title") or "").strip()
    if not title:
        title = name.replace("-", " ").replace("_", " ").capitalize()
        imported.note("guessed", relative, None, f"no title: '{title}', from the file name")
    found = matter.get("taxonomies")
    taxonomies: dict[str, Any] = found if isinstance(found, dict) else {}
    fields: dict[str, Any] = {"title": " ".join(title.split())}
    if date:
        fields["date"] = date
    fields["slug"] = slug
    categories = [str(c) for c in taxonomies.get("categories", [])]
    if categories:
        fields["section"] = categories[0]
    fields["tags"] = [str(t) for t in taxonomies.get("tags", [])]
    fields["authors"] = author_names(matter.get("authors") or taxonomies.get("authors") or [])
    if isinstance(matter.get("description"), str) and matter["description"].strip():
        fields["description"] = " ".join(matter["description"].split())
    if matter.get("updated"):
        fields["updated"] = date_text(matter["updated"], "UTC")
    if matter.get("draft") is True or matter.get("render") is False:
        fields["draft"] = True
        if matter.get("render") is False:
            imported.note("guessed", relative, None, "render = false: imported as a draft")
    extra = {k: plain(v) for k, v in matter.items() if k not in MAPPED}
    extra.update(plain(matter.get("extra") or {}))
    extra.update({k: plain(v) for k, v in taxonomies.items() if k not in ("tags", "categories", "authors")})
    if len(categories) > 1:
        extra["categories"] = categories
    fields["extra"] = extra
    moment = datetime.fromisoformat(date).astimezone(ZoneInfo("UTC")) if date else None
    if moment is None:
        fields.pop("date", None)
        target_folder = "pages"
    else:
        target_folder = f"articles/{moment.year:04d}"
    files: list[tuple[Any, str]] = []
    if bundle:
        target = f"{target_folder}/{parts[-2]}/index.md"
        bundle_dir = relative.rsplit("/", 1)[0]
        for other in tree.files(bundle_dir):
            if not other.endswith(".md"):
                files.append((tree.path(other), f"{target_folder}/{parts[-2]}/{other[len(bundle_dir) + 1:]}"))
    else:
        target = f"{target_folder}/{'-'.join([*folders, parts[-1]]) if folders else parts[-1]}"
    if lang:  # the suffix tells Dateline the language, and pairs the file with its translations
        target = f"{target[:-3]}.{lang}.md"
    aliases = [a for a in matter.get("aliases") or [] if isinstance(a, str)]
    return {"lang": lang, "origin": relative, "inside": inside, "text": text, "body": body, "body_line": body_line,
            "fields": fields, "old_url": old_url, "moment": moment, "slug": slug, "target": target,
            "aliases": aliases, "files": files}


# First folders of Dateline's own lists: a page there would collide with them.
_TAKEN = frozenset({"page", "tags", "authors", "archive", "feed.xml", "rss.xml", "sitemap.xml", "404.html"})


def unique_page_slugs(entries: list[dict[str, Any]]) -> None:
    """Pages (undated) live at ``/{slug}/`` in Dateline, flat: nested old pages get their path as slug."""
    pages = [e for e in entries if e["moment"] is None]
    counts: dict[str, int] = {}
    for e in pages:
        counts[e["slug"].casefold()] = counts.get(e["slug"].casefold(), 0) + 1
    for e in pages:
        if counts[e["slug"].casefold()] > 1 or e["slug"].casefold() in _TAKEN:
            e["slug"] = slugify(e["old_url"].strip("/").replace("/", "-")) or e["slug"]
            e["fields"]["slug"] = e["slug"]
