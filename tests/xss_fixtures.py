"""The XSS payloads of ``tests/data/xss/`` (see its README for their sources and licences)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).parent / "data" / "xss"
_FENCE = re.compile(r"^```[a-z]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
_VECTOR = re.compile(r'<div id="(\d+)">(.*?)//\["\'`-->\]\]>\]</div>', re.DOTALL)
# Values of attributes that take URLs, quoted or not, in any payload.
_URL_VALUE = re.compile(
    r"""\b(?:href|src|action|formaction|data|poster|background|xlink:href|dynsrc|lowsrc|value|folder|to)\s*=\s*"""
    r"""(?:"([^"]*)"|'([^']*)'|`([^`]*)`|([^\s>]+))""", re.IGNORECASE)


@dataclass(frozen=True)
class Payload:
    name: str  # where it comes from: owasp-12, h5sc-40, markdown-3
    text: str


def owasp() -> list[Payload]:
    text = (FOLDER / "owasp-xss-filter-evasion-cheat-sheet.md").read_text(encoding="utf-8")
    return [Payload(f"owasp-{number}", block.strip()) for number, block in enumerate(_FENCE.findall(text), 1)
            if block.strip()]


def h5sc() -> list[Payload]:
    text = (FOLDER / "h5sc-vectors.txt").read_text(encoding="utf-8")
    return [Payload(f"h5sc-{number}", vector.strip()) for number, vector in _VECTOR.findall(text) if vector.strip()]


def markdown() -> list[Payload]:
    text = (FOLDER / "markdown-payloads.txt").read_text(encoding="utf-8")
    return [Payload(f"markdown-{number}", block.strip("\n"))
            for number, block in enumerate(re.split(r"^%%\n", text, flags=re.MULTILINE), 1)]


def urls() -> list[str]:
    """Every distinct URL-like attribute value in the HTML payloads, entities decoded."""
    found: dict[str, None] = {}
    for payload in owasp() + h5sc():
        for match in _URL_VALUE.finditer(payload.text):
            value = html.unescape(next(group for group in match.groups() if group is not None))
            if re.match(r"\s*[a-z]+\s*:", value, re.IGNORECASE) or "script" in value.lower():
                found[value] = None
    return list(found)
