"""Reading frontmatter fields: aliases, types and every problem with the line of its key.

``FieldReader`` collects errors and warnings as it goes, so a file with
three mistakes reports three errors at once.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from generator.content.dates import DateError, parse_date
from generator.content.sources import Source
from generator.content.terms import Term
from generator.errors import BuildError, bad_character
from generator.text.slugs import slugify

ALIASES = {"category": "section", "author": "authors", "modified": "updated", "lastmod": "updated",
           "excerpt": "summary", "redirect_from": "aliases"}


class FieldReader:
    """Reads one file's frontmatter fields, collecting errors with their lines."""

    def __init__(self, source: Source, fields: dict[str, Any], lines: dict[str, int], start: int) -> None:
        self.source = source
        self.fields = fields
        self.lines = lines
        self.start = start
        self.errors: list[BuildError] = []
        self.warnings: list[BuildError] = []

    def line(self, key: str) -> int:
        return self.lines.get(key, self.start - 1)

    def error(self, key: str, message: str) -> None:
        self.errors.append(BuildError(self.source.path, self.line(key), message))

    def get(self, name: str) -> tuple[str, Any]:
        """The key used (canonical or alias) and its value; both set is an error."""
        present = [key for key in _keys_for(name) if key in self.fields]
        if not present:
            return name, None
        return present[0], self.fields[present[0]]

    def check_aliases(self) -> None:
        """An alias and its canonical field both set is ambiguous: say so once,
        on the line of the one set second in the file."""
        for name in set(ALIASES.values()):
            present = sorted((key for key in _keys_for(name) if key in self.fields), key=self.line)
            if len(present) > 1:
                self.error(present[1], f"both '{present[0]}' and '{present[1]}' are set; keep one")

    def text(self, name: str, *, required: bool = False) -> str:
        key, value = self.get(name)
        if value is None:
            if required:
                self.error(key, f"missing required field '{name}'")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(key, f"'{key}' must be text, not {kind_of(value)}")
            return ""
        if bad_character(str(value)):
            self.error(key, f"'{key}' contains control characters")
            return ""
        text = " ".join(str(value).split())
        if required and not text:
            self.error(key, f"'{key}' is empty")
        return text

    def when(self, name: str, fallback: str | None = None, zone: Any = None) -> datetime | None:
        key, value = self.get(name)
        if value is None:
            value = fallback
            if value is None:
                return None
        try:
            return parse_date(value, zone)
        except DateError as exc:
            self.error(key, str(exc))
            return None

    def names(self, name: str, *, split_commas: bool) -> list[str]:
        """A list of names given as a list, a single name or a comma-separated string."""
        key, value = self.get(name)
        if value is None:
            return []
        if isinstance(value, str):
            items: list[Any] = value.split(",") if (split_commas or key == "tags") else [value]
        elif isinstance(value, (list, tuple)):
            items = list(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            items = [value]
        else:
            self.error(key, f"'{key}' must be a list or a comma-separated string, not {kind_of(value)}")
            return []
        names: list[str] = []
        for item in items:
            if item is None:
                continue
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                self.error(key, f"each entry of '{key}' must be a name, not {kind_of(item)}")
                continue
            text = " ".join(str(item).split())
            if bad_character(str(item)):
                self.error(key, f"'{key}' entry {str(item)!r} contains control characters")
            elif text:
                names.append(text)
        return names

    def flag(self, name: str) -> bool | None:
        if name not in self.fields:
            return None
        value = self.fields[name]
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "yes", "false", "no"):
            return value.strip().lower() in ("true", "yes")
        self.error(name, f"'{name}' must be true or false, not {kind_of(value)}")
        return None


def _keys_for(name: str) -> list[str]:
    return [name] + [alias for alias, target in ALIASES.items() if target == name]


def kind_of(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (set, frozenset)):
        return "a set"
    if isinstance(value, (bytes, bytearray)):
        return "binary data"
    return f"'{value}'"


@functools.lru_cache(maxsize=4096)
def _term(name: str) -> Term:
    """The term spelled ``name``: one object per spelling, its slug worked out once.

    A site has a few hundred terms and every article names several, so
    sharing them makes parse results and the build cache smaller and
    spares a slugify per mention. Terms are immutable.
    """
    return Term(slugify(name), name)


def make_terms(reader: FieldReader, key: str, names: list[str]) -> tuple[Term, ...]:
    """The terms named, one per slug; a name with nothing to make a slug from is an error."""
    terms: dict[str, Term] = {}
    for name in names:
        term = _term(name)
        if not term.slug:
            reader.error(key, f"'{name}' in '{key}' has no letters or digits to make a URL from")
        elif term.slug not in terms:
            terms[term.slug] = term
    return tuple(terms.values())


def is_draft(reader: FieldReader) -> bool:
    draft = reader.flag("draft")
    published = reader.flag("published")
    status = reader.fields.get("status")
    if status is not None and (not isinstance(status, str) or status.lower() not in ("draft", "published")):
        reader.error("status", f"'status' must be 'draft' or 'published', not {kind_of(status)}")
        status = None
    return bool(draft) or published is False or (isinstance(status, str) and status.lower() == "draft")


MAX_EXTRA_DEPTH = 20


class _Cycle(Exception):
    pass


def nesting_problem(value: Any) -> str | None:
    """Why ``value`` (the ``extra`` table) is unfit for templates, the cache and worker processes.

    YAML aliases can make a table contain itself, and both YAML and TOML can
    nest deeper than pickling (or any recursive template) can follow.
    """
    try:
        depth = _depth(value, set(), {})
    except _Cycle:
        return "contains itself (a YAML alias inside its own anchor)"
    return f"is nested more than {MAX_EXTRA_DEPTH} levels deep" if depth > MAX_EXTRA_DEPTH else None


def _depth(value: Any, path: set[int], known: dict[int, int]) -> int:
    """Nesting depth of lists and tables, stopping past the limit; shared parts are counted once."""
    if not isinstance(value, (dict, list)):
        return 0
    key = id(value)
    if key in known:
        return known[key]
    if key in path:
        raise _Cycle
    if len(path) > MAX_EXTRA_DEPTH:
        return 1
    path.add(key)
    children = value.values() if isinstance(value, dict) else value
    depth = 1 + max((_depth(child, path, known) for child in children), default=0)
    path.discard(key)
    known[key] = depth
    return depth


