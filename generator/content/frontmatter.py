"""Split a Markdown file into frontmatter and body, keeping line numbers.

python-frontmatter's handlers detect the format (``---`` YAML or ``+++``
TOML) and supply the delimiter patterns; we do the loading ourselves because
every error must name the line *in the file*, and every key remembers its
line so later checks can point at it too.

YAML is loaded with a safe loader that follows YAML 1.2 where 1.1 surprises
authors: ``NO``/``yes``/``on`` stay strings, ``12:30`` is not the base-60
number 750, ``0755`` is not the octal number 493, and dates stay strings so
that one date parser handles every form.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from itertools import islice
from typing import Any

import yaml
from frontmatter.default_handlers import BaseHandler, YAMLHandler

from generator.config.toml_lines import TOO_DEEP, key_lines, toml_error

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader where PyYAML has it
_REPLACED_TAGS = (
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
)


class _StrictYamlLoader(_BaseLoader):  # type: ignore[misc]  # a base chosen at import
    """SafeLoader with YAML 1.2 booleans and numbers and no implicit timestamps."""


_StrictYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _REPLACED_TAGS]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_StrictYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
# Decimal, hexadecimal and 0o-octal integers; no base 60, no leading-zero octal.
_StrictYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|0o[0-7_]+)$"),
    list("-+0123456789"),
)
_StrictYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_YAML_ONLY_BREAKS = {0x85: " ", 0x2028: " ", 0x2029: " "}


def _as_written(node: yaml.Node, value: Any) -> Any:
    """A number in a text field, or in a list there, as the author wrote it.

    YAML's reading of a number loses what was written: the tag ``3.10``
    would become ``3.1``, ``0x1F`` would become ``31`` and ``1_000`` ``1000``.
    Only one level of list is looked into, so aliases cannot make this walk
    explode.
    """
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag in _NUMBER_TAGS else value
    if isinstance(node, yaml.SequenceNode) and isinstance(value, list) and len(value) == len(node.value):
        return [
            item.value if isinstance(item, yaml.ScalarNode) and item.tag in _NUMBER_TAGS else entry
            for item, entry in zip(node.value, value, strict=True)
        ]
    return value


class TomlHandler(BaseHandler):
    """``+++`` TOML frontmatter, read with the standard library's ``tomllib``."""

    FM_BOUNDARY = re.compile(r"^\+{3,}[ \t]*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"


class YamlHandler(YAMLHandler):
    """``---`` YAML frontmatter; the boundary must be a line of its own."""

    FM_BOUNDARY = re.compile(r"^-{3,}[ \t]*$", re.MULTILINE)


HANDLERS: tuple[BaseHandler, ...] = (YamlHandler(), TomlHandler())


class FrontmatterError(ValueError):
    """A problem with the frontmatter block, with its line in the file."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True, kw_only=True)
class Frontmatter:
    """Fields of one file's frontmatter, the line of each key, and the body."""

    fields: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int
    start_line: int
    format: str


def normalise_text(text: str) -> str:
    """Drop a UTF-8 byte-order mark and turn CRLF/CR line ends into LF."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_frontmatter(text: str, text_fields: Collection[str] = ()) -> Frontmatter:
    """Parse the frontmatter at the top of ``text`` (already normalised).

    YAML numbers in ``text_fields`` (or in lists there) keep the text the
    author wrote, since those fields are read as text.
    """
    for handler in HANDLERS:
        if handler.detect(text):
            return _split(text, handler, text_fields)
    first = text.lstrip("\n").split("\n", 1)[0]
    if not text.strip():
        raise FrontmatterError(1, "file is empty; an article starts with '---', then 'title: ...'")
    hint = " (did you forget the closing '---'?)" if first.strip().startswith("title") else ""
    raise FrontmatterError(
        1, f"no frontmatter: the file must start with a '---' (YAML) or '+++' (TOML) line{hint}"
    )


def _split(text: str, handler: BaseHandler, text_fields: Collection[str]) -> Frontmatter:
    assert handler.FM_BOUNDARY is not None
    boundaries = list(islice(handler.FM_BOUNDARY.finditer(text), 2))  # not the body's rules
    delimiter = handler.START_DELIMITER or ""
    if len(boundaries) < 2 or boundaries[0].start() != 0:
        raise FrontmatterError(1, f"frontmatter opened with '{delimiter}' on line 1 is never closed")
    opening, closing = boundaries[0], boundaries[1]
    block = text[opening.end():closing.start()]
    block = block[1:] if block.startswith("\n") else block
    start_line = 2
    body_start = closing.end() + 1 if text[closing.end():closing.end() + 1] == "\n" else closing.end()
    body_line = text.count("\n", 0, body_start) + 1
    if isinstance(handler, TomlHandler):
        fields, lines = _load_toml(block, start_line)
        fmt = "toml"
    else:
        fields, lines = _load_yaml(block, start_line, text_fields)
        fmt = "yaml"
    return Frontmatter(fields=fields, lines=lines, body=text[body_start:], body_line=body_line,
                       start_line=start_line, format=fmt)


def _load_toml(block: str, start_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        fields = tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        line, message = toml_error(exc, block, start_line)
        line, message = _toml_opening(block, start_line, line, message)
        raise FrontmatterError(line, f"TOML syntax error in frontmatter: {message}") from None
    except RecursionError:
        raise FrontmatterError(start_line, f"TOML syntax error in frontmatter: {TOO_DEEP}") from None
    lines = {path[0]: line for path, line in key_lines(block, start_line).items() if len(path) == 1}
    return fields, lines


_TOML_UNCLOSED = {"Unclosed array": ("[", "]", "list"), "Unclosed inline table": ("{", "}", "table")}


def _toml_opening(block: str, start_line: int, line: int, message: str) -> tuple[int, str]:
    """For an unclosed array or table, the line that opened it: tomllib reports where it gave up."""
    if message not in _TOML_UNCLOSED:
        return line, message
    opening, closing, kind = _TOML_UNCLOSED[message]
    rows = block.split("\n")[: max(0, line - start_line + 1)]
    for index in range(len(rows) - 1, -1, -1):
        if rows[index].count(opening) > rows[index].count(closing):
            return start_line + index, (f"the {kind} opened with '{opening}' on this line is not closed properly: "
                                        f"a '{closing}' or a ',' is missing (the TOML parser says: {message})")
    return line, message


def _load_yaml(block: str, start_line: int, text_fields: Collection[str]) -> tuple[dict[str, Any], dict[str, int]]:
    if not block.strip():
        return {}, {}
    # YAML 1.1 also breaks lines at NEL, LS and PS; as spaces they keep YAML's
    # line numbers those of the file (and text fields collapse them anyway).
    block = block.translate(_YAML_ONLY_BREAKS)
    loader = _StrictYamlLoader(block)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            raise FrontmatterError(
                start_line + node.start_mark.line,
                "frontmatter must be a list of 'key: value' lines",
            )
        lines: dict[str, int] = {}
        for key_node, _ in node.value:
            line = start_line + key_node.start_mark.line
            # Only string keys: '1:', 'true:' or 'null:' would reach the fields as int, bool or None.
            plain = isinstance(key_node, yaml.ScalarNode) and key_node.tag == "tag:yaml.org,2002:str"
            key = key_node.value if plain else None
            if not isinstance(key, str):
                raise FrontmatterError(line, "frontmatter keys must be plain names")
            if key in lines:
                raise FrontmatterError(line, f"duplicate key '{key}' (first set on line {lines[key]})")
            lines[key] = line
        fields = loader.construct_document(node)
        for key_node, value_node in node.value:
            if key_node.value in text_fields:
                fields[key_node.value] = _as_written(value_node, fields[key_node.value])
    except yaml.MarkedYAMLError as exc:
        line, message = explain_yaml_error(exc, block)
        raise FrontmatterError(start_line + line, f"YAML syntax error in frontmatter: {message}") from None
    except yaml.YAMLError as exc:
        raise FrontmatterError(start_line, f"YAML error in frontmatter: {exc}") from None
    finally:
        loader.dispose()
    return fields, lines


# What PyYAML was doing when it failed, in an author's words, for problems
# found where something *started*: point at that line, not where the parser gave up.
_OPENED = {
    "while parsing a flow sequence": "the list opened with '[' on this line is not closed properly: "
                                     "a ']' or a ',' between items is missing",
    "while parsing a flow mapping": "the table opened with '{' on this line is not closed properly: "
                                    "a '}' or a ',' between entries is missing",
    "while scanning a quoted scalar": "the quoted text that starts on this line has no closing quote",
    "while scanning a double-quoted scalar": "the quoted text that starts on this line has no closing quote",
    "while parsing a flow node": "a value is missing in the list or table on this line",
    "while scanning a simple key": "this line is not 'key: value': the key needs a ':' after it",
}
# Problems found on their own line.
_FOUND = {
    "while parsing a block mapping": "this line does not line up with the keys above it; check its indentation",
    "mapping values are not allowed": "a ':' inside a value; put the value in quotes "
                                      "(title: \"Budget: what changes\"), or check the indentation",
    "cannot start any token": "a value cannot start with this character; put the value in quotes",
    "found undefined alias": "'*' refers to an '&anchor' that is not defined; put the value in quotes",
}


def explain_yaml_error(exc: yaml.MarkedYAMLError, block: str) -> tuple[int, str]:
    """The 0-based line where the problem starts, and what went wrong, from PyYAML's context and problem.

    PyYAML (C and pure Python loaders alike) reports where it gave up: for
    an unclosed bracket or quote that is the end of the frontmatter, or the
    next key. Its context names the construct and the line it started on.
    """
    problem = exc.problem or exc.context or "invalid YAML"
    said = f" (the YAML parser says: {problem})"
    context, context_mark, problem_mark = exc.context or "", exc.context_mark, exc.problem_mark
    if problem_mark is not None and "\t" in block.split("\n")[problem_mark.line][:problem_mark.column + 1]:
        return problem_mark.line, "a tab in the indentation; YAML indents with spaces only" + said
    if context in _OPENED and context_mark is not None:
        return context_mark.line, _OPENED[context] + said
    for clue, plain in _FOUND.items():
        if (clue in context or clue in problem) and problem_mark is not None:
            return problem_mark.line, plain + said
    mark = problem_mark or context_mark
    return (mark.line if mark is not None else 0), problem
