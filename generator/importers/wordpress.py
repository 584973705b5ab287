"""WordPress: a WXR export (and optionally a copy of ``wp-content/uploads``).

Posts and pages are imported; attachments give galleries and images their
files; menus, revisions and other post types are listed as skipped. Drafts,
pending, private and password-protected posts become drafts. Each post's
permalink (``<link>``) and old slugs (``_wp_old_slug``) become aliases, and
``?p=ID`` links become ``_redirects`` rules (hosts that read that file match
query strings; a static file cannot). Approved comments, without e-mail
addresses or IP addresses, are kept as an archived discussion.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from generator.content.aliases import alias_problem
from generator.importers.common import date_text, plain
from generator.importers.markup import line_of
from generator.importers.model import Imported, Post
from generator.importers.pipeline import finish_body
from generator.importers.tree import OutsideSource, SourceTree
from generator.importers.urls import assign_new_urls, choose_pattern, distinct_aliases
from generator.importers.wphtml import convert_wordpress
from generator.importers.writer import ImportError_
from generator.importers.wxr import WxrError, comments, content, creator, excerpt, parse_wxr, postmeta, text, wp, wp_all
from generator.text.plain import plain_text
from generator.text.slugs import slugify

_UPLOADS = re.compile(r"^https?://[^/]+(?:/[^/]+)*?/wp-content/uploads/(.+)$")
_IMPORTED_TYPES = ("post", "page")
_SKIPPED_STATUSES = {"trash": "in the trash", "auto-draft": "an automatic draft", "inherit": "a revision"}


def read_wordpress(path: Path, uploads: SourceTree | None) -> Imported:
    try:
        channel = parse_wxr(path)
    except WxrError as exc:
        raise ImportError_(str(exc)) from None
    base = wp(channel, "base_blog_url") or text(channel, "link") or "https://example.org"
    host = urlsplit(base).netloc
    language = text(channel, "language")
    config: dict[str, Any] = {"title": text(channel, "title") or "Imported site", "base_url": base.rstrip("/") + "/"}
    if text(channel, "description"):
        config["description"] = text(channel, "description")
    if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", language):
        config["language"] = language
    imported = Imported(kind="wordpress", config=config)
    authors = {wp(a, "author_login"): wp(a, "author_display_name") or wp(a, "author_login")
               for a in wp_all(channel, "author")}
    items = channel.findall("item")
    attachments = {}
    for item in items:
        if wp(item, "post_type") == "attachment":
            url = wp(item, "attachment_url")
            _check_attachment(path, item, url, postmeta(item))
            attachments[wp(item, "post_id")] = url
    copied: dict[str, str] = {}

    def media(url: str) -> str:
        found = _UPLOADS.match(url)
        if not found or uploads is None:
            return url
        relative = unquote(found.group(1))
        try:
            if not uploads.exists(relative):
                return url
            copied[relative] = f"media/{relative}"
            imported.files.append((uploads.path(relative), f"media/{relative}"))
        except OutsideSource:
            raise ImportError_(f"{path.name}: the upload '{relative}' would be read from outside the uploads "
                               "folder; refused") from None
        return f"/media/{relative}"

    source_text = path.read_text(encoding="utf-8", errors="replace")
    entries = []
    query_rules: list[tuple[str, str]] = []
    for item in items:
        kind = wp(item, "post_type")
        if kind in ("attachment", "nav_menu_item", "revision", "custom_css", "customize_changeset", "wp_global_styles",
                    "oembed_cache", "user_request", "wp_navigation", "wp_template", "wp_template_part", "wp_block"):
            continue
        label = f"item {wp(item, 'post_id')} ({text(item, 'title') or 'untitled'})"
        imported.found += 1
        status = wp(item, "status")
        if kind not in _IMPORTED_TYPES:
            imported.skipped.append((f"{path.name}: {label}", f"post type '{kind}' has no Dateline equivalent"))
            continue
        if status in _SKIPPED_STATUSES:
            imported.skipped.append((f"{path.name}: {label}", _SKIPPED_STATUSES[status]))
            continue
        entry = _entry(imported, item, label, kind, status, authors, host, path.name)
        body, notes = convert_wordpress(content(item), attachments, media)
        entry["body"], entry["notes"] = body, notes
        entries.append(entry)
    articles = [e for e in entries if e["moment"] is not None]
    pattern = choose_pattern([(e["old_url"], e["moment"], e["slug"]) for e in articles if e["old_url"]])
    imported.config["urls"] = {"article": pattern}
    assign_new_urls(entries, pattern)
    for e in entries:
        fields = e["fields"]
        item_line = line_of(source_text, f"<wp:post_id>{e['id']}</wp:post_id>", 1)
        body = finish_body(imported, path.name, source_text, e["body"], item_line, e["notes"], f"{e['label']}: ")
        fields["aliases"] = [a for a in distinct_aliases(imported, e["label"], e["new_url"], e["aliases"])
                             if alias_problem(a) is None]
        if e["id"] and not fields.get("draft"):  # a draft's future address is not published
            query_rules.append((e["id"], e["new_url"]))
        fields = {k: v for k, v in fields.items() if v not in (None, [], "", {})}
        imported.posts.append(Post(origin=e["label"], target=e["target"], fields=fields, body=body,
                                   old_url=e["old_url"]))
    if query_rules:
        imported.files_text["_redirects"] = "".join(f"/ p={ident} {url} 301\n" for ident, url in query_rules)
    return imported


def _check_attachment(path: Path, item: Any, url: str, meta: dict[str, list[str]]) -> None:
    """An attachment's file name must stay inside the uploads folder: ``..`` or an absolute name is refused.

    Its URL's path may start with ``/`` (any host's path does) but not climb with ``..``.
    """
    attached = meta.get("_wp_attached_file", [])
    for name in (*attached, urlsplit(url).path):
        plain_name = unquote(name).replace("\\", "/")
        if ".." in plain_name.split("/") or (name in attached and plain_name.startswith("/")):
            raise ImportError_(f"{path.name}: attachment {wp(item, 'post_id')} is named '{name}', which would "
                               "leave the uploads folder; refused")


def _entry(imported: Imported, item: Any, label: str, kind: str, status: str, authors: dict[str, str],
           host: str, file: str) -> dict[str, Any]:
    title = text(item, "title")
    if not title:
        title = "Untitled"
        imported.note("guessed", file, None, f"{label}: no title: 'Untitled'")
    slug = unquote(wp(item, "post_name")) or slugify(title) or f"post-{wp(item, 'post_id')}"
    gmt = wp(item, "post_date_gmt")
    date = date_text(gmt + " +0000", "UTC") if gmt and not gmt.startswith("0000") else None
    date = date or date_text(wp(item, "post_date"), "UTC") if not (wp(item, "post_date") or "").startswith("0000") else date
    if date is None and kind == "post":
        date = "2000-01-01T00:00:00+00:00"
        imported.note("guessed", file, None, f"{label}: no date (WordPress's 0000-00-00): dated 2000-01-01, "
                      "set the date")
    fields: dict[str, Any] = {"title": title}
    if kind == "post" and date:
        fields["date"] = date
    fields["slug"] = slug
    sections = [c.text or "" for c in item.findall("category") if c.get("domain") == "category"]
    tags = [c.text or "" for c in item.findall("category") if c.get("domain") == "post_tag"]
    if sections and sections[0] != "Uncategorized":
        fields["section"] = sections[0].strip()
    fields["tags"] = [t.strip() for t in tags if t.strip()]
    login = creator(item)
    fields["authors"] = [authors.get(login, login)] if login else []
    summary = excerpt(item)
    if summary:
        fields["summary"] = " ".join(plain_text(summary).split())
    draft_reason = {"draft": "a draft", "pending": "pending review", "private": "private"}.get(status)
    if wp(item, "post_password"):
        draft_reason = "password-protected"
    if draft_reason:
        fields["draft"] = True
        if draft_reason in ("private", "password-protected"):
            imported.note("guessed", file, None, f"{label}: {draft_reason}: imported as a draft, not published")
    extra: dict[str, Any] = {}
    meta = postmeta(item)
    formats = [c.text for c in item.findall("category") if c.get("domain") == "post_format"]
    if formats:
        extra["post_format"] = formats[0]
    discussion = [_comment(c) for c in comments(item)]
    if discussion:
        extra["comments"] = discussion
    if wp(item, "is_sticky") == "1":
        extra["sticky"] = True
    fields["extra"] = plain(extra)
    link = text(item, "link")
    parts = urlsplit(link)
    old_url = parts.path if parts.path and not parts.query and (not parts.netloc or parts.netloc == host) else None
    old_slugs = meta.get("_wp_old_slug", [])
    aliases = [old_url] if old_url else []
    if old_url:
        aliases += [old_url.replace(f"/{wp(item, 'post_name')}/", f"/{old}/") for old in old_slugs if old]
    moment = datetime.fromisoformat(date).astimezone(ZoneInfo("UTC")) if date and kind == "post" else None
    folder = "pages" if kind == "page" else f"articles/{moment.year:04d}" if moment else "articles"
    target = f"{folder}/{slugify(slug) or 'post'}-{wp(item, 'post_id')}.md"
    return {"label": label, "fields": fields, "old_url": old_url, "moment": moment, "slug": slug,
            "target": target, "aliases": aliases, "id": wp(item, "post_id")}


def _comment(comment: Any) -> dict[str, str]:
    """A comment as shown under the article: the name, the date, the text as plain paragraphs (no HTML)."""
    return {"id": comment.ident, "parent": comment.parent if comment.parent != "0" else "",
            "author": comment.author or "Anonymous", "date": date_text(comment.date + " +0000", "UTC") or "",
            "text": "\n\n".join(filter(None, (plain_text(part) for part in re.split(r"\n\s*\n", comment.text))))}

