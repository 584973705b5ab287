"""``import-report.txt``: what was found, imported and skipped, and every note by file and line.

Its counts add up: every post found is either imported or listed as
skipped with the reason, so a lost post cannot go unnoticed.
"""

from __future__ import annotations

from collections import Counter

from generator.importers.model import Imported

KINDS_ORDER = ("not converted", "guessed", "converted")


def counts(imported: Imported) -> dict[str, int]:
    drafts = sum(1 for post in imported.posts if post.fields.get("draft"))
    pages = sum(1 for post in imported.posts if post.target.startswith("pages/"))
    return {"found": imported.found, "imported": len(imported.posts), "articles": len(imported.posts) - pages,
            "pages": pages, "drafts": drafts, "skipped": len(imported.skipped),
            "redirects": sum(len(post.fields.get("aliases", ())) for post in imported.posts)}


def summary(imported: Imported) -> str:
    c = counts(imported)
    by_kind = Counter(note.kind for note in imported.notes)
    return (f"Found {c['found']} posts and pages; imported {c['imported']} ({c['articles']} articles, "
            f"{c['pages']} pages, {c['drafts']} drafts), skipped {c['skipped']}; {c['redirects']} old URLs "
            f"redirected; {by_kind['converted']} conversions, {by_kind['guessed']} guesses, "
            f"{by_kind['not converted']} things not converted (see import-report.txt)")


def report_text(imported: Imported) -> str:
    lines = [f"Import from {imported.kind}", "", summary(imported), ""]
    if imported.skipped:
        lines += ["Skipped:"] + [f"  {path}: {why}" for path, why in imported.skipped] + [""]
    for kind in KINDS_ORDER:
        notes = sorted((n for n in imported.notes if n.kind == kind), key=lambda n: (n.path, n.line or 0))
        if notes:
            lines += [f"{kind.capitalize()} ({len(notes)}):"] + [f"  {note}" for note in notes] + [""]
    return "\n".join(lines)
