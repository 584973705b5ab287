"""Feeds assembled from cached entries are byte for byte the documents ElementTree writes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.load import load_site
from generator.options import BuildOptions
from generator.render import feeds
from tests.helpers import NOW, article, make_site

TRICKY = "Body with <b>tags</b>, & ampersands, \"quotes\", a [link](/about/) and a closing line."


def whole_tree(config, kind: str, items) -> bytes:  # type: ignore[no-untyped-def]
    """The reference: one ElementTree document holding every entry, as feeds were first written."""
    if kind == "atom":
        root = feeds.atom_head(config, "T", "/feed.xml", "/", items)
        parent, make = root, feeds._atom_entry
    else:
        root = feeds.rss_head(config, "T", "/rss.xml", "/", items)
        parent, make = root[0], feeds._rss_item
    for item in items:
        parent.append(make(config, item))
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


@pytest.mark.parametrize("kind", ["atom", "rss"])
@pytest.mark.parametrize("count", [0, 1, 3])
def test_assembled_feed_equals_one_elementtree_document(tmp_path: Path, kind: str, count: int) -> None:
    site = make_site(tmp_path, {f"articles/a{n}.md": article(f"Story {n}", f"2020-0{n + 1}-01", TRICKY,
                                                             tags="[One, Two]", author="Ann Lee", section="World")
                                for n in range(3)})
    loaded = load_site(BuildOptions(site_dir=site, now=NOW))
    items = loaded.site.articles[:count]
    write = feeds.atom_feed if kind == "atom" else feeds.rss_feed
    assembled = write(loaded.config, "T", "/feed.xml" if kind == "atom" else "/rss.xml", "/", items)
    assert assembled == whole_tree(loaded.config, kind, items)
    assert assembled.count(b"<entry>" if kind == "atom" else b"<item>") == count


def test_entries_are_reused_by_identity_only(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("Story", "2020-01-01", "Text.")})
    loaded = load_site(BuildOptions(site_dir=site, now=NOW))
    story = loaded.site.articles[0]
    first = feeds.Entries(loaded.config)
    entry = first.atom(story)
    second = feeds.Entries(loaded.config, first.used)
    assert second.atom(story) is entry  # the same article object: the same bytes, not made again
    from dataclasses import replace

    edited = replace(story, body_html=b"<p>Edited</p>")
    assert b"Edited" in second.atom(edited) and b"Edited" not in entry
