"""Jekyll's pages: files with frontmatter outside the ``_`` folders, such as ``about.md``.

Jekyll renders every file that starts with frontmatter and copies the rest.
A page becomes a Dateline standalone page (``content/pages/<slug>.md``,
served at ``/{slug}/``) with its old URL as an alias. Three kinds are left
to Dateline, which makes its own, and reported rather than imported: the
home page, the 404 page, and pages that list posts (archives, tag and
category indexes: Liquid over ``site.posts``, ``site.tags``, ``paginator``).
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Iterable
from typing import Any

from generator.content.segments import segment_problem
from generator.importers.common import MatterError, plain, split_matter
from generator.importers.model import Imported
from generator.importers.tree import SourceTree
from generator.importers.urls import NOT_PUBLISHED, distinct_aliases
from generator.text.slugs import slugify

PAGE_SUFFIXES = (".md", ".markdown", ".mkd", ".mkdn", ".html", ".htm")
_LISTS_POSTS = re.compile(r"\b(?:site\.(?:posts|categories|tags)|paginator)\b")
_MAPPED = {"title", "permalink", "redirect_from", "layout", "description", "excerpt", "slug"}


def read_pages(tree: SourceTree, imported: Imported, *, permalink: str, exclude: Iterable[str]) -> list[dict[str, Any]]:
    """Every page of the old site as an entry for the post pipeline; the others are reported as skipped.

    ``permalink`` is the site's post permalink (a style already spelled out):
    pages take its ending, as Jekyll's ``add_permalink_suffix`` gives them.
    """
    suffix = "/" if permalink.endswith("/") else ".html" if permalink.endswith(":output_ext") else ""
    patterns = [str(pattern) for pattern in exclude]
    used: set[str] = set()
    entries = []
    for relative in tree.files():
        top = relative.split("/", 1)[0]
        if (top.startswith(("_", ".")) or top in NOT_PUBLISHED or not relative.lower().endswith(PAGE_SUFFIXES)
                or any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(top, p) for p in patterns)):
            continue
        text = tree.read_text(relative)
        if not text.startswith("---"):
            continue  # no frontmatter: Jekyll copies it as it is, and so does the import
        entry = _read_page(imported, relative, text, suffix, used)
        if entry is not None:
            entries.append(entry)
    return entries


def _read_page(imported: Imported, relative: str, text: str, suffix: str, used: set[str]) -> dict[str, Any] | None:
    imported.found += 1
    stem = posixpath.basename(relative).rsplit(".", 1)[0]
    try:
        matter, body, body_line = split_matter(text)
    except MatterError as exc:
        imported.skipped.append((relative, f"line {exc.line}: {exc}"))
        return None
    if "/" not in relative and stem == "index":
        imported.skipped.append((relative, "the home page: Dateline's front page takes its place"))
        return None
    if stem == "404":
        imported.skipped.append((relative, "the 404 page: Dateline writes its own 404.html"))
        return None
    if _LISTS_POSTS.search(body):
        imported.skipped.append((relative, "a page that lists posts: Dateline makes its own archives, tag and "
                                           "section pages"))
        return None
    old = str(matter["permalink"]) if matter.get("permalink") else _old_url(relative, suffix)
    slug = _unique(_slug(old, stem), used)
    title = " ".join(str(matter.get("title") or "").split())
    if not title:
        title = stem.replace("-", " ").replace("_", " ").capitalize()
        imported.note("guessed", relative, None, f"no title: '{title}', from the file name")
    new = f"/{slug}/"
    fields: dict[str, Any] = {"title": title, "slug": slug}
    for key, target in (("description", "description"), ("excerpt", "summary")):
        if isinstance(matter.get(key), str) and matter[key].strip():
            fields[target] = " ".join(matter[key].split())
    redirects = matter.get("redirect_from")
    fields["aliases"] = distinct_aliases(imported, relative, new, [old, *(redirects if isinstance(redirects, list)
                                                                        else [redirects])])
    extra = {key: plain(value) for key, value in matter.items() if key not in _MAPPED and value is not None}
    if extra:
        fields["extra"] = extra
    return {"origin": relative, "text": text, "matter": matter, "body": body, "body_line": body_line,
            "fields": fields, "old_url": old, "new_url": new, "target": f"pages/{slug}.md"}


def _old_url(relative: str, suffix: str) -> str:
    """Where Jekyll served a page without a permalink of its own: ``/:path/:basename`` and the suffix."""
    path, name = posixpath.split(relative)
    stem = name.rsplit(".", 1)[0]
    folder = f"/{path}/" if path else "/"
    return folder if stem == "index" else f"{folder}{stem}{suffix}"


def _slug(old_url: str, stem: str) -> str:
    last = old_url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html").removesuffix(".htm") or stem
    return last if not segment_problem(last) else (slugify(last) or slugify(stem) or "page")


def _unique(slug: str, used: set[str]) -> str:
    """``slug``, numbered if another page took it: two folders may each have an ``about.md``."""
    candidate, number = slug, 2
    while candidate.casefold() in used:
        candidate, number = f"{slug}-{number}", number + 1
    used.add(candidate.casefold())
    return candidate
