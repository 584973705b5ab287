"""Social cards (``og:image``), and image builds after edits equal clean builds."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from generator.build import build
from generator.errors import BuildFailed
from generator.incremental.state import BuildState
from generator.options import BuildOptions
from tests.helpers import NOW, age, build_site, make_site, parse, snapshot, write

PHOTOS = Path(__file__).parent / "data" / "images"
CONFIG = """\
title = "Test Times"
base_url = "https://example.org/"

[images]
widths = [160, 320]
formats = ["webp"]
"""


def card_site(root: Path) -> Path:
    site = make_site(root, {
        "2025/with-photo.md": ("---\ntitle: Coffee prices rise\ndate: 2025-03-01\nsection: Business\n"
                               "image: /media/coffee.jpg\nimage_alt: A cup of coffee\n---\n\nText.\n"),
        "2025/without.md": "---\ntitle: Council meets on Tuesday\ndate: 2025-03-02\nsection: Politics\n---\n\nText.\n",
        "2025/arabic.md": "---\ntitle: مرحبا بالعالم من المدينة\ndate: 2025-03-03\n---\n\nText.\n",
    }, CONFIG)
    (site / "content" / "media").mkdir()
    shutil.copy(PHOTOS / "coffee.jpg", site / "content" / "media" / "coffee.jpg")
    return site


def meta(page: Path) -> dict[str, str]:
    tree = parse(page)
    found = {m.get("property"): m.get("content") for m in tree.xpath("//meta[@property]")}
    found |= {m.get("name"): m.get("content") for m in tree.xpath("//meta[@name]")}
    return found


def test_an_article_with_a_lead_image_gets_it_cropped_to_1200_by_630(tmp_path: Path) -> None:
    site = card_site(tmp_path)
    build_site(site)
    tags = meta(site / "output" / "2025" / "03" / "coffee-prices-rise" / "index.html")
    assert tags["og:image"] == "https://example.org/cards/2025/03/coffee-prices-rise.jpg"
    assert tags["twitter:image"] == tags["og:image"]
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:image:alt"] == "A cup of coffee"
    assert tags["twitter:card"] == "summary_large_image"
    with Image.open(site / "output" / "cards" / "2025" / "03" / "coffee-prices-rise.jpg") as card:
        assert (card.size, card.format) == ((1200, 630), "JPEG")
        # The cup's photo, not a drawn card: far from the flat paper colour of one.
        assert ImageStat.Stat(card.convert("L")).stddev[0] > 20


def test_an_article_without_one_gets_a_drawn_card(tmp_path: Path) -> None:
    site = card_site(tmp_path)
    build_site(site)
    tags = meta(site / "output" / "2025" / "03" / "council-meets-on-tuesday" / "index.html")
    assert tags["og:image"] == "https://example.org/cards/2025/03/council-meets-on-tuesday.png"
    assert tags["og:image:alt"] == "Council meets on Tuesday"
    assert tags["twitter:card"] == "summary_large_image"
    for name in ("council-meets-on-tuesday.png", "مرحبا-بالعالم-من-المدينة.png"):
        matches = list((site / "output" / "cards").rglob(name)) or list((site / "output" / "cards").rglob("*.png"))
        with Image.open(matches[0]) as card:
            assert (card.size, card.format) == ((1200, 630), "PNG")
            # The paper colour of the newsroom theme, with text drawn on it.
            assert card.convert("RGB").getpixel((600, 600)) == (0xFB, 0xFA, 0xF7)
            assert len(card.convert("L").getcolors(65536) or []) > 10
            # Every pixel is the paper, one of the theme's three colours, or an anti-aliased
            # blend of the paper and one of them (a palette image: see ``cards._composed``).
            colours = [colour for _, colour in card.convert("RGB").getcolors(256) or []]
            assert colours and all(_on_a_blend(colour) for colour in colours)
            assert {(0x1A, 0x1A, 0x1A), (0xA4, 0x16, 0x1A), (0x5B, 0x5B, 0x5B)} <= set(colours)


def _on_a_blend(colour: tuple[int, int, int], paper: tuple[int, int, int] = (0xFB, 0xFA, 0xF7)) -> bool:
    """Whether ``colour`` lies, within 2/255 a channel, between the paper and the text, muted or accent colour."""
    for ink in ((0x1A, 0x1A, 0x1A), (0x5B, 0x5B, 0x5B), (0xA4, 0x16, 0x1A)):
        for step in range(256):
            blend = [p + (i - p) * step / 255 for p, i in zip(paper, ink, strict=True)]
            if all(abs(b - c) <= 2 for b, c in zip(blend, colour, strict=True)):
                return True
    return False


def test_cards_are_made_again_only_when_what_they_show_changes(tmp_path: Path) -> None:
    site = card_site(tmp_path)
    assert build_site(site).images_made == 1 + 3
    write(site, "content/2025/without.md", "---\ntitle: Council meets on Tuesday\ndate: 2025-03-02\nsection: Politics\n"
          "---\n\nOther text.\n")
    assert build_site(site).images_made == 0  # the body is not on the card
    write(site, "content/2025/without.md", "---\ntitle: Council meets on Wednesday\ndate: 2025-03-02\n"
          "section: Politics\n---\n\nOther text.\n")
    assert build_site(site).images_made == 1


def _incremental(site: Path, state: BuildState | None, changed: list[Path]) -> BuildState | None:
    result = build(BuildOptions(site_dir=site, output=site / "output", now=NOW), state=state, changed=changed)
    return result.state


def test_builds_after_edits_equal_clean_builds(tmp_path: Path) -> None:
    site = card_site(tmp_path / "site")
    shutil.copy(PHOTOS / "chelsea-gps.jpg", site / "content" / "media" / "cat.jpg")
    state = _incremental(site, None, [])
    edits = [
        # a body edit that shows a new image
        ("content/2025/without.md", "---\ntitle: Council meets on Tuesday\ndate: 2025-03-02\nsection: Politics\n"
                                    "---\n\n![The cat](/media/cat.jpg)\n"),
        # a body edit that shows it no more
        ("content/2025/without.md", "---\ntitle: Council meets on Tuesday\ndate: 2025-03-02\nsection: Politics\n"
                                    "---\n\nNo cat.\n"),
        # a lead image replaced by another photo under the same name
        ("content/media/coffee.jpg", None),
    ]
    for number, (relative, text) in enumerate(edits):
        path = site / relative
        if text is None:
            shutil.copy(PHOTOS / "rocket.jpg", path)
        else:
            path.write_text(text, encoding="utf-8")
        state = _incremental(site, state, [path])
        clean = tmp_path / f"clean-{number}"
        shutil.copytree(site, clean, ignore=shutil.ignore_patterns("output", ".dateline"))
        build_site(clean)
        assert snapshot(site / "output") == snapshot(clean / "output"), relative


def test_images_whose_stat_is_unchanged_are_not_read_again(tmp_path: Path) -> None:
    site = card_site(tmp_path)
    age(site)
    first = build_site(site)
    assert first.state is not None and first.state.loaded is not None and first.state.loaded.images.read == 1
    write(site, "content/2025/without.md", "---\ntitle: Council meets on Monday\ndate: 2025-03-02\n---\n\nText.\n")
    again = build_site(site)  # a new title: the site is planned again, the photo's stat stands
    assert again.state is not None and again.state.loaded is not None and again.state.loaded.images.read == 0
    photo = site / "content" / "media" / "coffee.jpg"
    shutil.copy(PHOTOS / "rocket.jpg", photo)
    age(site)
    replaced = build_site(site)
    assert replaced.state is not None and replaced.state.loaded is not None
    assert replaced.state.loaded.images.read == 1 and replaced.images_made == 2  # the photo and its card


def test_made_files_no_build_used_for_a_month_are_removed(tmp_path: Path) -> None:
    site = card_site(tmp_path)
    build_site(site)
    images, cards = site / ".dateline" / "images", site / ".dateline" / "cards"
    used = sorted(p.name for p in images.iterdir()), sorted(p.name for p in cards.iterdir())
    month_ago = time.time() - 31 * 86_400
    stale_image, stale_card = images / ("0" * 32), cards / ("0" * 32 + ".png")
    stale_image.mkdir()
    stale_card.write_bytes(b"old card")
    for path in [stale_image, stale_card, *images.iterdir(), *cards.iterdir()]:
        os.utime(path, (month_ago, month_ago))  # the ones in use too: a build touches what it uses
    write(site, "content/2025/without.md", "---\ntitle: Council meets on Monday\ndate: 2025-03-02\n---\n\nText.\n")
    build_site(site)
    assert not stale_image.exists() and not stale_card.exists()
    assert set(used[0]) <= {p.name for p in images.iterdir()}
    made = sorted(p.name for p in cards.iterdir())
    cards_made = [name for name in made if "-" not in name]
    assert len(cards_made) == 3  # the two unchanged cards, touched, and the retitled one, new
    photo = next(name for name in cards_made if name.endswith(".jpg"))  # its JSON-LD crops are kept with it
    assert sorted(set(made) - set(cards_made)) == sorted(f"{photo[:-4]}-{shape}.jpg" for shape in ("16x9", "4x3", "1x1"))


def test_a_theme_gives_the_drawn_cards_their_colours(tmp_path: Path) -> None:
    site = card_site(tmp_path)
    write(site, "themes/night/theme.toml", 'name = "night"\nextends = "newsroom"\n\n[social_card]\nbackground = "#101820"\n')
    write(site, "config.toml", CONFIG.replace('base_url = "https://example.org/"',
                                              'base_url = "https://example.org/"\ntheme = "night"'))
    build_site(site)
    with Image.open(site / "output" / "cards" / "2025" / "03" / "council-meets-on-tuesday.png") as card:
        assert card.convert("RGB").getpixel((600, 600)) == (0x10, 0x18, 0x20)
        assert card.convert("RGB").getpixel((600, 5)) == (0xA4, 0x16, 0x1A)  # the accent the parent theme names
    write(site, "themes/night/theme.toml", 'name = "night"\nextends = "newsroom"\n\n[social_card]\nbackground = "navy"\n')
    with pytest.raises(BuildFailed) as failed:
        build_site(site)
    assert [str(e) for e in failed.value.errors] == [
        'themes/night/theme.toml: [social_card] takes colours as "#rrggbb": background, text, muted, accent']


def _ink_in(card: Image.Image, box: tuple[int, int, int, int]) -> bool:
    return any(pixel == (0x1A, 0x1A, 0x1A) for pixel in card.convert("RGB").crop(box).get_flattened_data())


def test_a_right_to_left_site_has_its_card_footer_mirrored(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"2025/a.md": "---\ntitle: مرحبا بالعالم\ndate: 2025-03-03\n---\n\nنص.\n"},
                     'title = "Test Times"\nbase_url = "https://example.org/"\nlanguage = "ar"\n')
    build_site(site)
    [path] = (site / "output" / "cards").rglob("*.png")
    with Image.open(path) as card:
        # The publication's name (in the text colour) sits at the right end of the footer, the date at the left.
        assert _ink_in(card, (900, 540, 1130, 585)) and not _ink_in(card, (70, 540, 300, 585))
