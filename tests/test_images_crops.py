"""The lead image's crops for the JSON-LD ``image``: 16:9, 4:3 and 1:1, about its focal point, never enlarged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from generator.errors import BuildFailed
from generator.images.cards import CROP_WIDTH, CROPS, HEIGHT, WIDTH, crop_sizes
from tests.helpers import build_site, make_site, parse

PHOTOS = Path(__file__).parent / "data" / "images"
CONFIG = """\
title = "Test Times"
base_url = "https://example.org/"

[images]
widths = [160, 320]
formats = ["webp"]
"""
SHAPES = ("16x9", "4x3", "1x1")
BLUE, GREEN, RED = (20, 40, 200), (30, 180, 40), (210, 30, 30)


def striped(path: Path) -> None:
    """2400×1600: blue, green, then red, in bands of 800 px from the left."""
    image = Image.new("RGB", (2400, 1600), BLUE)
    image.paste(GREEN, (800, 0, 1600, 1600))
    image.paste(RED, (1600, 0, 2400, 1600))
    image.save(path, "JPEG", quality=95)


def photo_site(root: Path, focus: str = "") -> Path:
    focus_line = f"image_focus: {focus}\n" if focus else ""
    site = make_site(root, {
        "2025/bands.md": ("---\ntitle: Bands of colour\ndate: 2025-03-01\nimage: /media/bands.jpg\n"
                          f"image_alt: Three bands\n{focus_line}---\n\nText.\n"),
        "2025/cat.md": "---\ntitle: A small cat\ndate: 2025-03-02\nimage: /media/chelsea-gps.jpg\n---\n\nText.\n",
        "2025/plain.md": "---\ntitle: No picture\ndate: 2025-03-03\n---\n\nText.\n",
    }, CONFIG)
    media = site / "content" / "media"
    media.mkdir()
    striped(media / "bands.jpg")
    shutil.copy(PHOTOS / "chelsea-gps.jpg", media / "chelsea-gps.jpg")
    return site


def article_data(page: Path) -> dict[str, object]:
    scripts = [json.loads(s.text) for s in parse(page).xpath('//script[@type="application/ld+json"]')]
    return next(data for data in scripts if data["@type"] in ("NewsArticle", "LiveBlogPosting"))


def close(colour: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(colour, expected, strict=True))


def test_a_large_lead_image_is_cropped_to_the_three_shapes_1200_px_wide_and_listed(tmp_path: Path) -> None:
    site = photo_site(tmp_path)
    build_site(site)
    output = site / "output"
    data = article_data(output / "2025" / "03" / "bands-of-colour" / "index.html")
    assert data["image"] == [f"https://example.org/cards/2025/03/bands-of-colour-{shape}.jpg" for shape in SHAPES]
    sizes = {}
    for shape in SHAPES:
        with Image.open(output / "cards" / "2025" / "03" / f"bands-of-colour-{shape}.jpg") as crop:
            sizes[shape] = crop.size
            assert crop.format == "JPEG"
            if shape == "1x1":  # about the centre: from x=400 to 2000 of the photo
                assert close(crop.convert("RGB").getpixel((10, 600)), BLUE)
                assert close(crop.convert("RGB").getpixel((1190, 600)), RED)
    assert sizes == {"16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1200, 1200)}


def test_the_focal_point_moves_every_crop_and_the_card(tmp_path: Path) -> None:
    site = photo_site(tmp_path, focus="100% 50%")
    build_site(site)
    cards = site / "output" / "cards" / "2025" / "03"
    with Image.open(cards / "bands-of-colour-1x1.jpg") as crop:  # from x=800: as far right as it goes
        assert close(crop.convert("RGB").getpixel((10, 600)), GREEN)
    with Image.open(cards / "bands-of-colour.jpg") as card:  # the social card too: 2400×1260 from the middle
        assert (card.size, card.format) == ((1200, 630), "JPEG")


def test_a_lead_image_smaller_than_1200_px_gives_crops_as_large_as_it_allows_without_its_metadata(
        tmp_path: Path) -> None:
    site = photo_site(tmp_path)
    build_site(site)
    cards = site / "output" / "cards" / "2025" / "03"
    sizes = {}
    for shape in SHAPES:  # the photo is 451×300, with a GPS position in its EXIF
        with Image.open(cards / f"a-small-cat-{shape}.jpg") as crop:
            sizes[shape] = crop.size
            assert not crop.getexif() and "exif" not in crop.info and "xmp" not in crop.info
    assert sizes == {"16x9": (451, 254), "4x3": (400, 300), "1x1": (300, 300)}
    with Image.open(PHOTOS / "chelsea-gps.jpg") as source:  # what the test is about: the source has a position
        assert source.getexif().get_ifd(0x8825)


def test_an_article_without_a_lead_image_lists_its_drawn_card(tmp_path: Path) -> None:
    site = photo_site(tmp_path)
    build_site(site)
    data = article_data(site / "output" / "2025" / "03" / "no-picture" / "index.html")
    assert data["image"] == ["https://example.org/cards/2025/03/no-picture.png"]
    assert not list((site / "output" / "cards").rglob("no-picture-*"))


def test_a_lead_image_on_another_site_is_listed_before_the_card(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"2025/far.md": ("---\ntitle: Far away\ndate: 2025-03-01\n"
                                                "image: https://images.example.net/far.jpg\n---\n\nText.\n")}, CONFIG)
    build_site(site)
    data = article_data(site / "output" / "2025" / "03" / "far-away" / "index.html")
    assert data["image"] == ["https://images.example.net/far.jpg", "https://example.org/cards/2025/03/far-away.png"]


@pytest.mark.parametrize("focus", ["top", "50%", "120% 10%", "[0.5, 0.5]"])
def test_a_focal_point_that_is_not_one_is_an_error_on_its_line(tmp_path: Path, focus: str) -> None:
    site = photo_site(tmp_path, focus=focus)
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert [(e.path, e.line) for e in failure.value.errors] == [("content/2025/bands.md", 6)]
    expected = "must be text" if focus.startswith("[") else "takes the point to keep in view as 'X% Y%'"
    assert failure.value.errors[0].message.startswith("'image_focus' ") and expected in failure.value.errors[0].message


def test_a_photo_card_without_alt_text_is_described_by_the_headline(tmp_path: Path) -> None:
    site = photo_site(tmp_path)
    build_site(site)
    page = parse(site / "output" / "2025" / "03" / "a-small-cat" / "index.html")
    assert page.xpath('string(//meta[@property="og:image:alt"]/@content)') == "A small cat"
    assert page.xpath('string(//meta[@name="twitter:image:alt"]/@content)') == "A small cat"


def test_moving_the_focal_point_makes_the_crops_again_as_a_clean_build_would(tmp_path: Path) -> None:
    site = photo_site(tmp_path / "edited")
    build_site(site)
    source = site / "content" / "2025" / "bands.md"
    source.write_text(source.read_text().replace("image_alt: Three bands\n", "image_alt: Three bands\nimage_focus: 100% 50%\n"))
    build_site(site)
    clean = photo_site(tmp_path / "clean", focus="100% 50%")
    build_site(clean)
    for name in [f"bands-of-colour-{shape}.jpg" for shape in SHAPES] + ["bands-of-colour.jpg"]:
        edited = (site / "output" / "cards" / "2025" / "03" / name).read_bytes()
        assert edited == (clean / "output" / "cards" / "2025" / "03" / name).read_bytes(), name
    with Image.open(site / "output" / "cards" / "2025" / "03" / "bands-of-colour-1x1.jpg") as crop:
        assert close(crop.convert("RGB").getpixel((10, 600)), GREEN)


@pytest.mark.parametrize("size", [(2160, 1080), (2160, 2160), (598, 309), (852, 1377), (1752, 996), (2508, 2694),
                                  (1, 1), (4000, 3), (3, 4000)])
@pytest.mark.parametrize("focus", [(0.5, 0.5), (0.0, 0.0), (1.0, 1.0), (0.3, 0.9)])
def test_every_crop_box_lies_inside_the_image(size: tuple[int, int], focus: tuple[float, float]) -> None:
    # 2160×1080 at 1200:630 once gave a top of -2e-13, which Pillow refuses: floating point, found on real photos.
    for shape in [(across, down) for _, across, down in CROPS] + [(WIDTH, HEIGHT)]:
        (left, top, right, bottom), (width, height) = crop_sizes(size, shape, focus, CROP_WIDTH)
        assert 0 <= left < right <= size[0] and 0 <= top < bottom <= size[1], (shape, left, top, right, bottom)
        assert width <= min(CROP_WIDTH, right - left + 1) and height >= 1
