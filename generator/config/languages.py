"""``[languages.<code>]``: the languages a site is published in beside its own ``language``.

Each table gives the edition's ``title`` (required), ``description``, ``path``
(default ``/<code>/``) and its own ``date_format`` and ``time_format``; the
site's own ``language`` keeps the root, so a site without the table keeps
its URLs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from generator.config.model import LanguageSettings
from generator.config.schema import LANGUAGE_KEYS, Validator, language_problem


def read_languages(v: Validator, top: Mapping[str, Any]) -> dict[str, LanguageSettings]:
    """Every valid ``[languages.<code>]`` of ``top``; each problem an error naming its key and line."""
    found: dict[str, LanguageSettings] = {}
    own = top.get("language", "en")
    paths: dict[str, str] = {}
    for code, table in top.get("languages", {}).items():
        where = ("languages", code)
        if not isinstance(table, dict):
            v.error(where, f"'languages.{code}' must be a table with at least 'title'")
            continue
        if (problem := language_problem(code)) is not None:
            v.error(where, f"'languages.{code}': {problem}")
            continue
        if code.lower() == str(own).lower():
            v.error(where, f"'languages.{code}' is the site's own 'language', whose edition is the site itself")
            continue
        values = v.table(table, LANGUAGE_KEYS, where)
        path = values.get("path", f"/{code.lower()}/")
        if not re.fullmatch(r"/([A-Za-z0-9._~-]+/)+", path) or ".." in path.split("/"):
            v.error((*where, "path"), f"'languages.{code}.path' must be a path such as '/{code.lower()}/', "
                                      "starting and ending with '/'")
            continue
        if path in paths:
            v.error((*where, "path"), f"'languages.{code}.path' is also the path of '{paths[path]}'")
            continue
        paths[path] = code
        if "title" in values:
            found[code] = LanguageSettings(code=code, title=values["title"], description=values.get("description", ""),
                                           path=path.lstrip("/"), date_format=values.get("date_format", ""),
                                           time_format=values.get("time_format", ""))
    return found
