"""The shape of the package, kept as the README's Development section draws it.

No import cycle between modules; no module past 400 lines; every reach into
a library's internals (private names, CPython's regex parser, ctypes) in a
``speedups`` module and nowhere else; and the up-to-date check's idea of
"Dateline's own code" covering every module of every subpackage.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from generator.incremental import uptodate
from tests.golden import REPO

PACKAGE = REPO / "generator"
MODULES = sorted(path for path in PACKAGE.rglob("*.py") if "themes" not in path.relative_to(PACKAGE).parts[:1])
MAX_LINES = 400
# What only a speed-up may touch (see generator/speedups.py).
INTERNALS = re.compile(r"_InlineProcessor__|root_render_func|re\._parser|re\._constants|sre_parse|sre_constants"
                       r"|\bctypes\b|getCompiledRegExp|jinja_pass_arg|jinja2\.utils\.internalcode|_PassArg")


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The ``generator`` modules ``path`` imports at import time (not inside functions or TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for child in ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) else ():
            if isinstance(child, ast.ImportFrom) and child.module and child.module.startswith("generator"):
                found.add(child.module)
                found.update(f"{child.module}.{alias.name}" for alias in child.names)
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names if alias.name.startswith("generator"))
    return found


def test_no_import_cycle() -> None:
    names = {_module_name(path): path for path in MODULES}
    graph = {name: {imported for imported in _imports(path) if imported in names and imported != name}
             for name, path in names.items()}
    # A module importing a package runs the package's __init__ first.
    for name in list(graph):
        for imported in list(graph[name]):
            parent = imported.rpartition(".")[0]
            while parent and parent != "generator":
                if parent in graph and parent != name and not name.startswith(parent + "."):
                    graph[name].add(parent)
                parent = parent.rpartition(".")[0]
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        if name in visiting:
            cycle = [*visiting[visiting.index(name):], name]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        visiting.append(name)
        for imported in sorted(graph[name]):
            visit(imported)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)


def test_no_module_is_over_400_lines() -> None:
    long = {path.relative_to(REPO).as_posix(): count for path in MODULES
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_library_internals_are_reached_only_in_speedups_modules() -> None:
    strays = {}
    for path in MODULES:
        if path.name == "speedups.py":
            continue
        found = INTERNALS.findall(path.read_text(encoding="utf-8"))
        if found:
            strays[path.relative_to(REPO).as_posix()] = sorted(set(found))
    assert strays == {}


def test_every_package_has_a_docstring_saying_what_it_owns() -> None:
    missing = [path.relative_to(REPO).as_posix() for path in MODULES
               if ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None
               and path.name != "__main__.py"]
    assert missing == []


def test_the_code_fingerprint_covers_every_subpackage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A change to any module, however deep, means output made by the old code is not reused."""
    copy = tmp_path / "generator"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(uptodate, "PACKAGE", copy)
    before = uptodate.code_fingerprint()
    deep = copy / "markdown" / "headings.py"
    deep.write_text(deep.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert uptodate.code_fingerprint() != before
