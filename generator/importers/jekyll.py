"""Jekyll: ``_config.yml``, ``_posts/``, ``_drafts/``, ``_authors/``, pages and the site's files.

A post's URL is Jekyll's ``permalink`` (a style or a pattern) filled with the
date in the site's ``timezone`` and ``:title``, the file name as written.
The new site keeps that scheme where Dateline's patterns can say it
(``/news/:year/:month/:day/:title/`` → ``/news/{year}/{month}/{day}/{slug}/``)
and every other post gets its old URL as an alias. Pages (files with
frontmatter outside the ``_`` folders) become standalone pages at
``/{slug}/``, their old URL an alias; the home page, the 404 page and pages
that list posts are left to Dateline, which makes its own, and reported.
"""

from __future__ import annotations

import posixpath
import re
from datetime import datetime
from typing import Any

import yaml

from generator.content.segments import segment_problem
from generator.importers.anchors import old_anchors
from generator.importers.common import MatterError, author_names, date_text, plain, split_matter
from generator.importers.jekyll_pages import read_pages
from generator.importers.liquid import LiquidContext, convert
from generator.importers.model import Imported, Post
from generator.importers.pipeline import finish_body
from generator.importers.tree import SourceTree
from generator.importers.urls import copy_site_files, distinct_aliases, link_elsewhere, new_url, own_host_links
from generator.text.slugs import slugify

_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)\.(md|markdown|mkd|mkdn|html|htm|textile)$")
_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
MAPPED = {"title", "date", "categories", "category", "tags", "author", "authors", "excerpt", "description",
          "image", "image_alt", "image_caption", "published", "redirect_from", "permalink", "layout", "slug",
          "updated", "last_modified_at"}


def read_jekyll(tree: SourceTree) -> Imported:
    site = _config(tree)
    zone = str(site.get("timezone") or "UTC")
    imported = Imported(kind="jekyll", config=_new_config(site, zone))
    permalink = str((site.get("collections") or {}).get("posts", {}).get("permalink") or site.get("permalink")
                    or "date") if isinstance(site.get("collections"), dict) else str(site.get("permalink") or "date")
    permalink = _STYLES.get(permalink, permalink)
    pattern = _pattern(permalink)
    imported.config["urls"] = {"article": pattern}
    authors = _authors(tree)

    entries: list[dict[str, Any]] = []
    for folder, draft in (("_posts", False), ("_drafts", True)):
        for relative in tree.files(folder):
            entry = _read_post(tree, imported, relative, draft, zone, permalink)
            if entry is not None:
                entries.append(entry)
    entries += read_pages(tree, imported, permalink=permalink, exclude=site.get("exclude") or [])
    by_file = {e["origin"]: e["new_url"] for e in entries}
    by_post = {posixpath.basename(e["origin"]).rsplit(".", 1)[0]: e["new_url"] for e in entries}

    def author_url(key: str) -> tuple[str, str] | None:
        name = authors.get(key)
        return (name, f"/authors/{slugify(name)}/") if name else None

    hosts = [str(site.get("url") or "")]
    imported.files.extend(copy_site_files(tree, exclude=site.get("exclude") or []))
    known = {url for e in entries for url in (e["new_url"], *e["fields"]["aliases"])}
    known |= {"/" + relative for _, relative in imported.files}
    old_site = hosts[0].rstrip("/") + ("/" + str(site["baseurl"]).strip("/") if site.get("baseurl") else "")
    for e in entries:
        ctx = LiquidContext(tree=tree, site=site, page=e["matter"], urls_by_file=by_file, urls_by_post=by_post,
                            author_url=author_url, old_site=hosts[0])
        body = convert(e["body"], ctx)
        body = old_anchors(own_host_links(body, hosts, str(site.get("baseurl") or "")), "jekyll")
        body, elsewhere = link_elsewhere(body, known, old_site)
        ctx.notes.extend(("guessed", "a link to a page that was not imported now leads to the old site", path)
                         for path in elsewhere)
        body = finish_body(imported, e["origin"], e["text"], body, e["body_line"], ctx.notes)
        fields = e["fields"]
        fields["authors"] = [authors.get(a, a) for a in fields.get("authors", [])] or None
        fields = {k: v for k, v in fields.items() if v not in (None, [], "")}
        imported.posts.append(Post(origin=e["origin"], target=e["target"], fields=fields, body=body,
                                   old_url=e["old_url"]))
    return imported


def _config(tree: SourceTree) -> dict[str, Any]:
    if not tree.exists("_config.yml"):
        return {}
    try:
        data = yaml.safe_load(tree.read_text("_config.yml")) or {}
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _new_config(site: dict[str, Any], zone: str) -> dict[str, Any]:
    url = str(site.get("url") or "https://example.org").rstrip("/")
    base = str(site.get("baseurl") or "").strip("/")
    config: dict[str, Any] = {"title": str(site.get("title") or site.get("name") or "Imported site"),
                              "base_url": f"{url}/{base}/" if base else f"{url}/",
                              "timezone": zone}
    if site.get("description"):
        config["description"] = " ".join(str(site["description"]).split())
    if site.get("lang"):
        config["language"] = str(site["lang"])
    if isinstance(site.get("paginate"), int) and site["paginate"] > 0:
        config["paginate"] = site["paginate"]
    return config


def _pattern(permalink: str) -> str:
    """A Dateline pattern that gives the same URLs, where one can; else Dateline's dated default."""
    text = permalink.replace("/:categories", "").replace(":output_ext", ".html")
    for old, new in ((":year", "{year}"), (":month", "{month}"), (":day", "{day}"), (":title", "{slug}"),
                     (":slug", "{slug}")):
        text = text.replace(old, new)
    valid = text.startswith("/") and ":" not in text and "{slug}" in text and (
        text.endswith("/") or re.search(r"}\.html$", text))
    return text if valid else "/{year}/{month}/{day}/{slug}/"


def _old_url(permalink: str, moment: datetime, title: str, categories: list[str]) -> str:
    values = {":year": f"{moment.year:04d}", ":month": f"{moment.month:02d}", ":day": f"{moment.day:02d}",
              ":i_month": str(moment.month), ":i_day": str(moment.day), ":short_year": f"{moment.year % 100:02d}",
              ":y_day": f"{moment.timetuple().tm_yday:03d}", ":title": title, ":slug": slugify(title),
              ":output_ext": ".html", ":categories": "/".join(slugify(c) for c in categories)}
    url = permalink
    for token in sorted(values, key=len, reverse=True):
        url = url.replace(token, values[token])
    return re.sub(r"/{2,}", "/", "/" + url.lstrip("/"))


def _read_post(tree: SourceTree, imported: Imported, relative: str, draft: bool, zone: str,
               permalink: str) -> dict[str, Any] | None:
    name = posixpath.basename(relative)
    suffix = name.rsplit(".", 1)[-1].lower()
    if suffix not in ("md", "markdown", "mkd", "mkdn", "html", "htm", "textile"):
        return None  # an image or data file beside the posts: copied with the site's files if public
    imported.found += 1
    if suffix == "textile":
        imported.skipped.append((relative, "Textile is not Markdown; convert it by hand"))
        return None
    text = tree.read_text(relative)
    try:
        matter, body, body_line = split_matter(text)
    except MatterError as exc:
        imported.skipped.append((relative, f"line {exc.line}: {exc}"))
        return None
    named = _NAME.match(name)
    file_title = named.group(4) if named else name.rsplit(".", 1)[0]
    file_date = f"{named.group(1)}-{int(named.group(2)):02d}-{int(named.group(3)):02d}" if named else None
    date = date_text(matter.get("date"), zone) or (date_text(file_date, zone) if file_date else None)
    if matter.get("date") and date_text(matter.get("date"), zone) is None:
        imported.note("guessed", relative, None, f"date '{matter.get('date')}' not understood; "
                      "the file name's date was used")
    if date is None:
        if not draft:
            imported.skipped.append((relative, "no date in the frontmatter or the file name"))
            return None
        date = "2000-01-01"
        imported.note("guessed", relative, None, "a draft without a date: dated 2000-01-01, set the date")
    moment = datetime.fromisoformat(date).astimezone(_zone(zone))
    categories = _list(matter.get("categories", matter.get("category")))
    title = str(matter.get("title") or "").strip()
    if not title:
        title = file_title.replace("-", " ").capitalize()
        imported.note("guessed", relative, None, f"no title: '{title}', from the file name")
    slug = str(matter.get("slug") or file_title)
    fields: dict[str, Any] = {"title": " ".join(title.split()), "date": date}
    if segment_problem(slug):
        slug = slugify(slug) or slugify(title)
        imported.note("guessed", relative, None, f"the file name cannot be one URL segment; slug '{slug}'")
    fields["slug"] = slug
    if categories:
        fields["section"] = categories[0]
    tags = [str(t) for t in _list(matter.get("tags"))]
    fields["tags"] = tags
    fields["authors"] = author_names(matter.get("authors", matter.get("author")))
    for key, target in (("excerpt", "summary"), ("description", "description"), ("image_alt", "image_alt"),
                        ("image_caption", "image_caption")):
        if isinstance(matter.get(key), str) and matter[key].strip():
            fields[target] = " ".join(matter[key].split())
    if isinstance(matter.get("image"), str) and matter["image"].strip():
        fields["image"] = re.sub(r"\{\{\s*site\.baseurl\s*\}\}", "", matter["image"].strip())
    if draft or matter.get("published") is False:
        fields["draft"] = True
    old = str(matter["permalink"]) if matter.get("permalink") else _old_url(permalink, moment, file_title, categories)
    new = new_url(imported.config["urls"]["article"], moment, slug)
    fields["aliases"] = distinct_aliases(imported, relative, new, [old, *_list(matter.get("redirect_from"))])
    extra = {k: plain(v) for k, v in matter.items() if k not in MAPPED and v is not None}
    if len(categories) > 1:
        extra["categories"] = categories
    if extra:
        fields["extra"] = extra
    target = f"articles/{moment.year:04d}/{posixpath.basename(relative).rsplit('.', 1)[0]}.md"
    return {"origin": relative, "text": text, "matter": matter, "body": body, "body_line": body_line,
            "fields": fields, "old_url": old, "new_url": new, "target": target}


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split() if " " in value and "," not in value else [v.strip() for v in value.split(",") if v.strip()]
    return list(value) if isinstance(value, list) else [value]


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _authors(tree: SourceTree) -> dict[str, str]:
    names: dict[str, str] = {}
    for relative in tree.files("_authors"):
        try:
            matter, _, _ = split_matter(tree.read_text(relative))
        except MatterError:
            continue
        key = posixpath.basename(relative).rsplit(".", 1)[0]
        name = matter.get("full_name") or matter.get("name")
        if isinstance(name, str) and name.strip():
            names[key] = " ".join(name.split())
    return names
