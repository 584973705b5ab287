"""Old URLs and files: the new URL Dateline will give, links to the old host, the site's files."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from generator.importers.common import expand_pattern
from generator.importers.model import Imported
from generator.importers.tree import SourceTree
from generator.text.slugs import slugify


def new_url(pattern: str, moment: datetime, slug: str, filename: str | None = None) -> str:
    """The URL the new site will give a post (without the base path), from the pattern the importer chose."""
    return expand_pattern(pattern, year=f"{moment.year:04d}", month=f"{moment.month:02d}", day=f"{moment.day:02d}",
                          slug=slug, filename=filename or slug)


def own_host_links(body: str, hosts: Iterable[str], base: str = "") -> str:
    """Links to the old site's own host (``http://blog.example.org/2014/x.html``) made root-relative.

    The old URLs then answer through the aliases, wherever the new site is
    served, and ``dateline check`` can check them.
    """
    for host in hosts:
        host = re.sub(r"^https?://", "", host.strip().rstrip("/"))
        if not host:
            continue
        prefix = "/" + base.strip("/") if base.strip("/") else ""
        body = re.sub(rf"(\]\(|href=[\"']|src=[\"']|\]:\s*)https?://{re.escape(host)}{re.escape(prefix)}(/[^\s)\"']*)",
                      r"\1\2", body)
    return body


# Folders of a site's sources that are not published files.
NOT_PUBLISHED = {"node_modules", "vendor", "layouts", "themes", "archetypes", "resources", "public", "output",
                  "_site", "bin", "script", "scripts", "test", "tests", "spec", "config"}
_TEMPLATE_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".scss", ".sass", ".liquid", ".rb", ".yml", ".yaml",
                      ".toml", ".lock", ".gemspec", ".py", ".txt")


def copy_site_files(tree: SourceTree, *, exclude: Iterable[str] = (), folders: Iterable[str] | None = None
                    ) -> list[tuple[Path, str]]:
    """Images, downloads and other files of the old site, at the same path under ``content/``.

    With ``folders`` only those are copied (Hugo's ``static/`` goes to the
    root); otherwise every top-level folder not starting with ``_`` and not
    known to hold sources. Templates and sources are never copied.
    """
    patterns = [str(p) for p in exclude]
    copies: list[tuple[Path, str]] = []
    if folders is not None:
        for folder in folders:
            for relative in tree.files(folder):
                inside = relative[len(folder):].lstrip("/")
                if inside and not inside.lower().endswith((".md", ".markdown")):
                    copies.append((tree.path(relative), inside))
        return copies
    for relative in tree.files():
        top = relative.split("/", 1)[0]
        if "/" not in relative or top.startswith("_") or top in NOT_PUBLISHED:
            continue
        if relative.lower().endswith(_TEMPLATE_SUFFIXES) or any(fnmatch.fnmatch(relative, p) or
                                                               fnmatch.fnmatch(top, p) for p in patterns):
            continue
        copies.append((tree.path(relative), relative))
    return copies


_ROOT_LINK = re.compile(r"""(\]\(|href=["']|src=["']|^\[[^\]]+\]:[ \t]*)(/(?!/)[^\s)"'#?]*)""", re.MULTILINE)


def link_elsewhere(body: str, known: set[str], old_site: str) -> tuple[str, list[str]]:
    """Root-relative links to pages of the old site that were not imported, made absolute on the old host.

    The old site's documentation, shop or forum stays where it was; a link
    to it from an imported post keeps reaching it instead of breaking on
    the new site. ``known`` holds every path the new site answers: posts'
    new URLs, their old URLs (redirected) and the files copied.
    """
    if not old_site:
        return body, []
    changed: list[str] = []

    def fix(match: re.Match[str]) -> str:
        path = match.group(2)
        if path in known or path.rstrip("/") + "/" in known or path == "/":
            return match.group()
        changed.append(path)
        return match.group(1) + old_site.rstrip("/") + path

    from generator.importers.markup import in_prose

    return in_prose(body, lambda text: _ROOT_LINK.sub(fix, text)), changed


# Dateline's own list pages (the default [urls]): an old post cannot take their place.
_LISTS = frozenset({"/", "/tags/", "/authors/", "/archive/", "/index.html", "/feed.xml", "/rss.xml", "/sitemap.xml"})


def distinct_aliases(imported: Imported, origin: str, new: str, old: Iterable[object]) -> list[str]:
    """The old paths that need a redirect to ``new``: each once, none that is ``new`` itself.

    Paths that differ only in case are one file on case-insensitive disks
    and hosts, so one redirect serves both (noted as a guess).
    """
    seen = {new.casefold()}
    aliases: list[str] = []
    for item in old:
        if not isinstance(item, str) or not item.strip():
            continue
        path = "/" + item.strip().lstrip("/")
        if path.casefold() in _LISTS or path.casefold().startswith("/page/"):
            imported.note("not converted", origin, None, f"old URL '{path}' is one of Dateline's own list pages; "
                          "no redirect written")
            continue
        if path.casefold() in seen:
            if path != new and path not in aliases:
                imported.note("guessed", origin, None, f"old URL '{path}' differs from another only in case; "
                              "one redirect (or the page) answers both where case does not matter")
            continue
        seen.add(path.casefold())
        aliases.append(path)
    return aliases


_FORMS = ("{year}/{month}/{day}/{slug}/", "{year}/{month}/{slug}/", "{year}/{slug}/", "{slug}/")


def choose_pattern(posts: Iterable[tuple[str, datetime, str]]) -> str:
    """The Dateline article pattern that gives the most posts (old URL, date, slug) their old URL.

    Candidates are dated and undated forms under ``/`` or under the first
    folder of an old URL (``/news/``, ``/blog/``); the rest get aliases.
    """
    posts = list(posts)
    prefixes = {"/"} | {"/" + old.strip("/").split("/", 1)[0] + "/" for old, _, _ in posts if "/" in old.strip("/")}
    best, best_count = "/{year}/{month}/{slug}/", -1
    for prefix in sorted(prefixes):
        for form in _FORMS:
            if prefix == "/" and form == "{slug}/":
                continue  # every page and section would collide with articles
            pattern = prefix + form
            count = sum(1 for old, moment, slug in posts if new_url(pattern, moment, slug) == old)
            if count > best_count:
                best, best_count = pattern, count
    return best if best_count > 0 else "/{year}/{month}/{slug}/"


def assign_new_urls(entries: list[dict[str, Any]], pattern: str) -> None:
    """Each entry's ``new_url``; two posts that would share one get slugs from their old paths instead."""
    taken: set[str] = set()
    for e in entries:
        url = new_url(pattern, e["moment"], e["slug"]) if e["moment"] else f"/{e['slug']}/"
        if url.casefold() in taken:
            e["slug"] = slugify(e["old_url"].strip("/").replace("/", "-")) or e["slug"]
            e["fields"]["slug"] = e["slug"]
            url = new_url(pattern, e["moment"], e["slug"]) if e["moment"] else f"/{e['slug']}/"
        taken.add(url.casefold())
        e["new_url"] = url


def mount_under_prefix(imported: Imported) -> None:
    """A blog that lived in one folder of its domain (``/news/``) becomes a site served there.

    When the chosen pattern starts with a fixed folder and every old URL and
    alias is inside it, the folder moves into ``base_url``: the rest of the
    domain (the old site's documentation, shop, forum) is then another site,
    which links reach as they did and ``dateline check`` treats as external.
    """
    pattern = imported.config.get("urls", {}).get("article", "")
    prefix = "/" + pattern.strip("/").split("/", 1)[0] + "/" if pattern.count("/") > 2 else ""
    if not prefix or "{" in prefix:
        return
    paths = [p for post in imported.posts for p in (post.fields.get("aliases") or [])]
    paths += [post.old_url for post in imported.posts if post.old_url]  # a language's pages, at /fr/blog/…, keep it at the root
    if any(not path.startswith(prefix) for path in paths) or any(
            post.target.startswith("pages/") for post in imported.posts):
        return
    imported.config["base_url"] = imported.config["base_url"].rstrip("/") + prefix
    imported.config["urls"]["article"] = "/" + pattern[len(prefix):]
    for post in imported.posts:
        if post.fields.get("aliases"):
            post.fields["aliases"] = ["/" + path[len(prefix):] for path in post.fields["aliases"]]
