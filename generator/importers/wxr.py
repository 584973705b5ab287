"""Reading a WXR export safely: untrusted XML, any WXR version, only WordPress's own elements.

``defusedxml`` refuses entity declarations (the "billion laughs"), external
entities and DTD fetches; WordPress never writes any of them, so an export
that has one is damaged or hostile, and the import stops with a message
saying which. Elements are matched by local name in the real WordPress
namespaces only (``http(s)://wordpress.org/export/1.x/``), so a foreign
namespace cannot pass itself off as ``wp:``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

_WP = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$")
_EXCERPT = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"


class WxrError(ValueError):
    """The export cannot be read; the message names the file and line where it can."""


def parse_wxr(path: Path) -> ET.Element:
    """The ``<channel>`` of the export at ``path``."""
    try:
        root = SafeET.parse(path, forbid_dtd=False, forbid_entities=True, forbid_external=True).getroot()
    except EntitiesForbidden as exc:
        raise WxrError(f"{path.name}:{_line(path, b'<!ENTITY')}: the file declares XML entities ('{exc.name}'), which "
                       "WordPress exports never do; an entity bomb (billion laughs) or a damaged file, refused") from None
    except ExternalReferenceForbidden as exc:
        raise WxrError(f"{path.name}: the file refers to an external resource ({exc.sysid or exc.pubid}), "
                       "which WordPress exports never do; refused") from None
    except (DTDForbidden, DefusedXmlException) as exc:
        raise WxrError(f"{path.name}: unsafe XML refused ({exc})") from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise WxrError(f"{path.name}:{line}: not well-formed XML at column {column + 1} ({_reason(exc)}); "
                       "export the site again from WordPress") from None
    except OSError as exc:
        raise WxrError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    channel = root.find("channel") if root is not None else None
    if root is None or root.tag != "rss" or channel is None:
        raise WxrError(f"{path.name}: not a WordPress export (no <rss><channel>)")
    if not any(_WP.match(_namespace(el.tag)) for el in channel.iter()):
        raise WxrError(f"{path.name}: an RSS feed, not a WordPress export (no wp: elements)")
    return channel


def _line(path: Path, marker: bytes) -> int:
    """The line of the first ``marker`` in the file, for the message (defusedxml does not say)."""
    try:
        data = path.read_bytes()
    except OSError:
        return 1
    index = data.find(marker)
    return data.count(b"\n", 0, index) + 1 if index >= 0 else 1


def _reason(exc: ET.ParseError) -> str:
    return str(exc).split(":", 1)[0]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def wp(element: ET.Element, name: str) -> str:
    """The text of ``wp:name`` under ``element``, stripped (authors' fields end in newlines)."""
    found = wp_all(element, name)
    return (found[0].text or "").strip() if found else ""


def wp_all(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name and _WP.match(_namespace(child.tag))]


def content(item: ET.Element) -> str:
    found = item.find(f"{{{CONTENT}}}encoded")
    return found.text or "" if found is not None else ""


def excerpt(item: ET.Element) -> str:
    for child in item:
        if _local(child.tag) == "encoded" and _EXCERPT.match(_namespace(child.tag)):
            return (child.text or "").strip()
    return ""


def text(item: ET.Element, name: str) -> str:
    found = item.find(name)
    return " ".join((found.text or "").split()) if found is not None else ""


def creator(item: ET.Element) -> str:
    found = item.find(f"{{{DC}}}creator")
    return (found.text or "").strip() if found is not None else ""


@dataclass(frozen=True, kw_only=True)
class Comment:
    ident: str
    parent: str
    author: str
    url: str
    date: str
    text: str


def comments(item: ET.Element) -> list[Comment]:
    """Approved comments (not pingbacks or trackbacks), without e-mail addresses or IPs."""
    found = []
    for element in wp_all(item, "comment"):
        if wp(element, "comment_approved") != "1" or wp(element, "comment_type") not in ("", "comment"):
            continue
        found.append(Comment(ident=wp(element, "comment_id"), parent=wp(element, "comment_parent"),
                             author=wp(element, "comment_author"), url=wp(element, "comment_author_url"),
                             date=wp(element, "comment_date_gmt") or wp(element, "comment_date"),
                             text=wp(element, "comment_content")))
    return found


def postmeta(item: ET.Element) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for element in wp_all(item, "postmeta"):
        meta.setdefault(wp(element, "meta_key"), []).append(wp(element, "meta_value"))
    return meta
