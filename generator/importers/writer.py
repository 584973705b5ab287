"""Writing the imported site: ``config.toml``, ``content/``, files, and ``import-report.txt``.

The new site goes into a folder that does not exist or is empty, never on
top of anything; every path written is checked to stay inside it.
"""

from __future__ import annotations

import json
import posixpath
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from generator.importers.model import Imported, Post
from generator.importers.report import report_text


class ImportError_(Exception):  # noqa: N801 - ImportError is a builtin with another meaning
    """The import cannot start or finish; the message says why, for the author."""


def check_target(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ImportError_(f"{target} already exists and is not empty; import into a new folder")


def _inside(root: Path, relative: str) -> Path:
    normal = posixpath.normpath(relative)
    if normal.startswith(("../", "/")) or normal in ("..", ".") or "\\" in normal or "\x00" in normal:
        raise ImportError_(f"'{relative}' would be written outside the new site")
    return root / normal


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def config_toml(config: Mapping[str, Any]) -> str:
    """A ``config.toml`` for ``config``: plain keys first, then one table per mapping."""
    lines = [f"{key} = {toml_value(value)}" for key, value in config.items() if not isinstance(value, Mapping)]
    for key, value in config.items():
        if isinstance(value, Mapping) and value:
            lines += ["", f"[{key}]"]
            for name, item in value.items():
                if isinstance(item, Mapping):
                    lines += ["", f"[{key}.{json.dumps(name)}]"]
                    lines += [f"{inner} = {toml_value(v)}" for inner, v in item.items()]
                else:
                    lines.append(f"{json.dumps(name)} = {toml_value(item)}")
    return "\n".join(lines) + "\n"


def post_text(post: Post) -> str:
    matter = yaml.safe_dump(post.fields, allow_unicode=True, sort_keys=False, width=1000)
    body = post.body if post.body.endswith("\n") else post.body + "\n"
    return f"---\n{matter}---\n\n{body}"


def write_site(imported: Imported, target: Path) -> str:
    """Write the new site into ``target`` and return the report's text."""
    check_target(target)
    target.mkdir(parents=True, exist_ok=True)
    (target / "config.toml").write_text(config_toml(imported.config), encoding="utf-8")
    content = target / "content"
    written: set[str] = set()
    for post in imported.posts:
        name = post.target
        while name.casefold() in written:  # two old files that map to one new name
            stem, dot, suffix = name.rpartition(".")
            name = f"{stem}-2{dot}{suffix}"
        written.add(name.casefold())
        path = _inside(content, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(post_text(post), encoding="utf-8")
        for source, relative in post.files:
            _copy(source, _inside(content, relative))
    for source, relative in imported.files:
        _copy(source, _inside(content, relative))
    for relative, text in imported.files_text.items():
        _inside(content, relative).write_text(text, encoding="utf-8")
    text = report_text(imported)
    (target / "import-report.txt").write_text(text, encoding="utf-8")
    return text


def _copy(source: Path, destination: Path) -> None:
    if destination.exists():
        return
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)
