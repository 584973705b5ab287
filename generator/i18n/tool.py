"""Keeping a theme's catalogues in step with its templates: extract, update, check.

``python -m generator.i18n update [THEME_FOLDER]`` extracts every marked
string (``_()``, ``ngettext``, ``{% trans %}`` in the templates; the titles
the build gives pages, from ``generator/site/pages.py``) with Babel's
extractors, and merges them into each ``locale/<lang>/LC_MESSAGES/messages.po``
of the theme: new strings arrive untranslated, gone ones are kept as
obsolete. ``check`` lists every string a catalogue lacks, and exits 1 if
any does; ``make translations`` runs both. Catalogues are compiled when a
site is built, never here.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from generator.config.themes import BUILTIN_THEMES
from generator.i18n.catalogue import CATALOGUE_FOLDER, DOMAIN

PACKAGE = Path(__file__).resolve().parent.parent
# Python modules whose strings reach pages: the titles planning gives them.
PYTHON_SOURCES = ("site/pages.py", "serve/preview.py")
_JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}


def _extracted(folder: Path, method_map: list[tuple[str, str]],
               options: dict[str, dict[str, str]]) -> Iterator[tuple[str, int, str | tuple[str, ...], list[str], str | None]]:
    for filename, lineno, message, comments, context in extract_from_dir(
            folder, method_map, options, comment_tags=("Translators:",)):
        # Babel's extractors leave a plural's unused slots None; marked strings are literals.
        yield filename, lineno, message if isinstance(message, str) else tuple(m or "" for m in message), comments, context


def template_messages(theme: Path) -> Catalog:
    """Every string marked in ``theme``'s templates, plus the titles the build gives pages."""
    template = Catalog(domain=DOMAIN, project="Dateline", fuzzy=False)
    templates = theme / "templates"
    for filename, lineno, message, comments, context in _extracted(
            templates, [("**.html", "jinja2")], {"**.html": _JINJA_OPTIONS}):
        template.add(message, None, [(f"templates/{filename}", lineno)], auto_comments=comments, context=context)
    if theme.resolve() == (BUILTIN_THEMES / "newsroom").resolve():
        for source in PYTHON_SOURCES:
            path = PACKAGE / source
            folder, name = path.parent, path.name
            for filename, lineno, message, comments, context in _extracted(folder, [(name, "python")], {}):
                if filename == name:
                    template.add(message, None, [(f"generator/{source}", lineno)], auto_comments=comments,
                                 context=context)
    return template


def catalogues(theme: Path) -> list[Path]:
    return sorted((theme / CATALOGUE_FOLDER).glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def update(theme: Path) -> None:
    """Merge the theme's current strings into each of its catalogues."""
    template = template_messages(theme)
    for path in catalogues(theme):
        with path.open("rb") as file:
            catalog = read_po(file)
        created = catalog.creation_date  # only a changed catalogue is rewritten, so no date churns
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.creation_date = created
        buffer = io.BytesIO()
        # No "#: file:line" comments: they would change with every template edit, and merge badly.
        write_po(buffer, catalog, width=100, omit_header=False, sort_output=False, include_previous=False,
                 no_location=True)
        if buffer.getvalue() != path.read_bytes():
            path.write_bytes(buffer.getvalue())
            print(f"updated {path.relative_to(theme).as_posix()}")


def missing(theme: Path) -> dict[str, list[str]]:
    """Each catalogue's untranslated or absent strings (msgids), by catalogue."""
    template = template_messages(theme)
    found: dict[str, list[str]] = {}
    for path in catalogues(theme):
        with path.open("rb") as file:
            catalog = read_po(file)
        lacking = [_label(m) for m in template if m.id and not _complete(catalog.get(m.id, m.context))]
        found[path.relative_to(theme).as_posix()] = lacking
    return found


def _complete(message: Message | None) -> bool:
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return all(strings)


def _label(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("update", "check"):
        print("usage: python -m generator.i18n update|check [THEME_FOLDER]", file=sys.stderr)
        return 2
    theme = Path(argv[1]) if len(argv) > 1 else BUILTIN_THEMES / "newsroom"
    if argv[0] == "update":
        update(theme)
    problems = {name: lacking for name, lacking in missing(theme).items() if lacking}
    for name, lacking in problems.items():
        for msgid in lacking:
            print(f"{name}: not translated: {msgid!r}", file=sys.stderr)
    return 1 if problems else 0
