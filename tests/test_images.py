"""Article images in several widths and formats, stripped of metadata, and made once.

Real photographs (tests/data/images/README.md) go through real builds; what
comes out is opened with Pillow and the pages are read with lxml.
"""

from __future__ import annotations

import random
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from generator.errors import BuildFailed
from generator.serve.paths import content_type
from tests.helpers import age, build_site, make_site, parse, run_dateline, snapshot, write

PHOTOS = Path(__file__).parent / "data" / "images"
SMALL_WIDTHS = """\
title = "Test Times"
base_url = "https://example.org/"

[images]
widths = [160, 320, 480]
"""
EXIF_MARKER = b"Exif\x00\x00"


def photo_site(root: Path, config: str = SMALL_WIDTHS, engine: str = "") -> Path:
    if engine:
        config += f'\n[markdown]\nengine = "{engine}"\n'
    site = make_site(root, {
        "2025/cafe.md": (
            "---\ntitle: The café\ndate: 2025-03-01\nimage: /media/coffee.jpg\nimage_alt: A cup of coffee\n---\n\n"
            "First paragraph.\n\n![Chelsea the cat](/media/chelsea-gps.jpg)\n"),
        "2025/launch/index.md": "---\ntitle: Launch day\ndate: 2025-03-02\n---\n\nLift-off.\n\n![A rocket](rocket.jpg)\n",
    }, config)
    (site / "content" / "media").mkdir()
    shutil.copy(PHOTOS / "coffee.jpg", site / "content" / "media" / "coffee.jpg")
    shutil.copy(PHOTOS / "chelsea-gps.jpg", site / "content" / "media" / "chelsea-gps.jpg")
    shutil.copy(PHOTOS / "rocket.jpg", site / "content" / "2025" / "launch" / "rocket.jpg")
    return site


def size_and_format(path: Path) -> tuple[int, int, str]:
    with Image.open(path) as image:
        return image.width, image.height, image.format or ""


@pytest.mark.parametrize("engine", ["python-markdown", "pulldown-cmark"])
def test_images_are_published_in_each_width_and_format(tmp_path: Path, engine: str) -> None:
    site = photo_site(tmp_path, engine=engine)
    build_site(site)
    media = site / "output" / "media"
    # coffee.jpg is 600×400: three widths, none wider than the photo.
    for width, height in ((160, 107), (320, 213), (480, 320)):
        assert size_and_format(media / f"coffee-{width}w.avif") == (width, height, "AVIF")
        assert size_and_format(media / f"coffee-{width}w.webp") == (width, height, "WEBP")
        assert size_and_format(media / f"coffee-{width}w.jpg") == (width, height, "JPEG")
    assert size_and_format(media / "coffee.jpg") == (600, 400, "JPEG")
    # The cat is stored 300×451 with orientation 6: upright it is 451×300, and 451 is its widest.
    assert size_and_format(media / "chelsea-gps.jpg") == (451, 300, "JPEG")
    assert size_and_format(media / "chelsea-gps-451w.webp") == (451, 300, "WEBP")
    assert size_and_format(media / "chelsea-gps-320w.jpg") == (320, 213, "JPEG")
    assert not (media / "chelsea-gps-480w.webp").exists()

    page = parse(site / "output" / "2025" / "03" / "the-cafe" / "index.html")
    [lead] = page.xpath("//figure[@class='lead-image']//img")
    assert lead.get("src") == "/media/coffee-480w.jpg"
    assert lead.get("srcset") == "/media/coffee-160w.jpg 160w, /media/coffee-320w.jpg 320w, /media/coffee-480w.jpg 480w"
    assert (lead.get("width"), lead.get("height")) == ("480", "320")
    assert lead.get("fetchpriority") == "high" and lead.get("loading") is None
    assert [s.get("type") for s in page.xpath("//figure[@class='lead-image']//source")] == ["image/avif", "image/webp"]
    [body] = page.xpath("//img[@alt='Chelsea the cat']")
    assert body.get("alt") == "Chelsea the cat"
    assert (body.get("width"), body.get("height")) == ("451", "300")
    assert (body.get("loading"), body.get("decoding")) == ("lazy", "async")
    assert body.get("src") == "/media/chelsea-gps.jpg"
    assert body.get("sizes")
    [webp] = page.xpath("//source[@type='image/webp'][contains(@srcset, 'chelsea')]")
    assert webp.get("srcset") == ("/media/chelsea-gps-160w.webp 160w, /media/chelsea-gps-320w.webp 320w, "
                                  "/media/chelsea-gps-451w.webp 451w")
    # A bundle's image, written relative to its page.
    launch = parse(site / "output" / "2025" / "03" / "launch-day" / "index.html")
    [rocket] = launch.xpath("//img[@alt='A rocket']")
    assert rocket.get("srcset").startswith("/2025/03/launch-day/rocket-160w.jpg 160w")
    assert size_and_format(site / "output" / "2025" / "03" / "launch-day" / "rocket-480w.avif") == (480, 320, "AVIF")


def test_the_default_widths_never_make_an_image_wider(tmp_path: Path) -> None:
    site = photo_site(tmp_path, config='title = "T"\nbase_url = "https://example.org/"\n')
    build_site(site)
    names = sorted(p.name for p in (site / "output" / "media").iterdir() if p.name.startswith("coffee"))
    assert names == ["coffee-480w.avif", "coffee-480w.jpg", "coffee-480w.webp", "coffee-600w.avif",
                     "coffee-600w.webp", "coffee.jpg"]


def test_no_published_file_carries_exif_or_gps(tmp_path: Path) -> None:
    site = photo_site(tmp_path)
    with Image.open(site / "content" / "media" / "chelsea-gps.jpg") as original:
        assert original.getexif().get_ifd(0x8825)  # the fixture does carry a position
    build_site(site)
    images = [p for p in (site / "output").rglob("*") if p.suffix in (".jpg", ".webp", ".avif", ".png")]
    assert len(images) > 20
    for path in images:
        assert EXIF_MARKER not in path.read_bytes(), path
        with Image.open(path) as image:
            assert not image.getexif().get_ifd(0x8825), path
            assert 0x0112 not in image.getexif(), path
    # The colour profile stays.
    for name in ("coffee.jpg", "coffee-320w.jpg", "coffee-320w.webp"):
        with Image.open(site / "output" / "media" / name) as image:
            assert image.info.get("icc_profile"), name


def test_a_second_build_makes_nothing_again(tmp_path: Path) -> None:
    site = photo_site(tmp_path)
    first = build_site(site)
    assert first.images_made == 3 + 2  # three photos, two social cards
    # A file made again would be a new file (made aside, then renamed into place): a new inode.
    cached = {p: p.stat().st_ino for p in (site / ".dateline").rglob("*") if p.is_file() and p.suffix != ".pickle"}
    before = snapshot(site / "output")
    second = build_site(site, site / "output2")
    assert second.images_made == 0
    assert {p: p.stat().st_ino for p in cached} == cached
    assert snapshot(site / "output2") == before


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width``×``height`` pixels in 60 bytes: a decompression bomb's header."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_broken_and_huge_images_are_errors_naming_file_and_article(tmp_path: Path) -> None:
    site = photo_site(tmp_path)
    build_site(site)
    output_before = snapshot(site / "output")
    write(site, "content/2025/bad.md", "---\ntitle: Bad\ndate: 2025-04-01\nimage: /media/huge.png\n---\n\nText.\n\n"
          "![cut short](/media/cut.jpg)\n\n![not one](/media/notes.jpg)\n")
    (site / "content" / "media" / "huge.png").write_bytes(_png_header(20_000, 20_000))
    (site / "content" / "media" / "cut.jpg").write_bytes((PHOTOS / "coffee.jpg").read_bytes()[:20_000])
    (site / "content" / "media" / "notes.jpg").write_text("these are notes, not a photo\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_site(site)
    messages = sorted(str(error) for error in failed.value.errors)
    assert len(messages) == 3, messages
    cut, huge, notes = messages
    assert cut.startswith("content/media/cut.jpg: the image is damaged or cut short")
    assert cut.endswith("(used at content/2025/bad.md:9)")
    assert huge.startswith("content/media/huge.png: more than 50 megapixels") or "20000×20000" in huge
    assert huge.endswith("(used at content/2025/bad.md:4)")
    assert notes.startswith("content/media/notes.jpg: not an image Dateline can read")
    assert notes.endswith("(used at content/2025/bad.md:11)")
    assert snapshot(site / "output") == output_before


def test_an_unused_broken_image_is_published_as_it_is_with_a_warning(tmp_path: Path) -> None:
    site = photo_site(tmp_path)
    (site / "content" / "media" / "notes.jpg").write_text("not a photo\n", encoding="utf-8")
    result = build_site(site)
    assert [str(w) for w in result.warnings if "notes.jpg" in str(w)] == [
        "content/media/notes.jpg: not an image Dateline can read (the file's contents are not JPEG, PNG or "
        "WebP); published as it is"]
    assert (site / "output" / "media" / "notes.jpg").read_text(encoding="utf-8") == "not a photo\n"


@pytest.mark.parametrize("key, value, message", [
    ("widths", "[0, 480]", "'images.widths' must be a list of widths in pixels"),
    ("formats", '["gif"]', "'images.formats' must be a list of formats among 'avif', 'webp'"),
    ("quality", "101", "'images.quality' must be between 1 and 100"),
])
def test_image_settings_are_checked(tmp_path: Path, key: str, value: str, message: str) -> None:
    site = photo_site(tmp_path, config=f'title = "T"\nbase_url = "https://example.org/"\n[images]\n{key} = {value}\n')
    with pytest.raises(BuildFailed) as failed:
        build_site(site)
    assert any(message in str(error) for error in failed.value.errors), failed.value.errors


def test_raw_html_that_sets_a_width_keeps_it_and_says_so_in_sizes(tmp_path: Path) -> None:
    site = photo_site(tmp_path)
    write(site, "content/2025/raw.md", '---\ntitle: Raw\ndate: 2025-03-05\n---\n\n'
          '<img alt="The cup" src="/media/coffee.jpg" width="200" class="portrait">\n')
    build_site(site)
    [img] = parse(site / "output" / "2025" / "03" / "raw" / "index.html").xpath("//img[@alt='The cup']")
    assert (img.get("width"), img.get("height"), img.get("sizes")) == ("200", "133", "200px")
    assert img.get("class") == "portrait"
    assert img.get("srcset").endswith("/media/coffee-480w.jpg 480w")


def test_feeds_carry_the_image_alone_with_an_absolute_address(tmp_path: Path) -> None:
    site = photo_site(tmp_path)
    build_site(site)
    feed = (site / "output" / "feed.xml").read_text(encoding="utf-8")
    assert "&lt;picture&gt;" not in feed and "srcset" not in feed
    assert ('&lt;img src="https://example.org/media/chelsea-gps.jpg" width="451" height="300" alt="Chelsea the cat"&gt;'
            in feed)


def test_a_cmyk_photo_is_made_into_rgb_variants(tmp_path: Path) -> None:
    site = photo_site(tmp_path)
    with Image.open(PHOTOS / "coffee.jpg") as photo:
        photo.convert("CMYK").save(site / "content" / "media" / "coffee.jpg", "JPEG", quality=90)
    build_site(site)
    for name in ("coffee-320w.jpg", "coffee-320w.webp", "coffee-320w.avif"):
        with Image.open(site / "output" / "media" / name) as image:
            assert image.mode in ("RGB", "RGBA"), name
            assert image.size == (320, 213)


def test_images_made_in_worker_processes_equal_those_made_here(tmp_path: Path) -> None:
    serial = photo_site(tmp_path / "serial")
    parallel = photo_site(tmp_path / "parallel")
    assert build_site(serial, jobs=1).images_made == build_site(parallel, jobs=2).images_made == 5
    assert snapshot(serial / "output") == snapshot(parallel / "output")


def test_the_command_line_says_what_it_made_and_a_second_build_makes_nothing(tmp_path: Path) -> None:
    site = photo_site(tmp_path)
    first = run_dateline("build", "-v", cwd=site)
    assert first.returncode == 0, first.stderr
    assert "; 5 images and social cards made" in first.stdout
    age(site)
    second = run_dateline("build", "-v", cwd=site)
    assert second.returncode == 0 and "made" not in second.stdout, second.stdout


def test_a_resized_png_larger_than_the_original_is_not_published(tmp_path: Path) -> None:
    site = make_site(tmp_path, {}, SMALL_WIDTHS + 'formats = ["webp"]\n')
    (site / "content" / "media").mkdir(parents=True)
    # Four colours at random, as in dithered art: smoothing them adds thousands of colours.
    dots = random.Random(7)
    chart = Image.frombytes("P", (640, 400), dots.randbytes(256_000).translate(bytes(range(4)) * 64))
    chart.putpalette([255, 255, 255, 20, 60, 160, 200, 30, 30, 0, 0, 0] + [0] * 756)
    chart.save(site / "content" / "media" / "chart.png", optimize=True)
    write(site, "content/2025/chart.md", "---\ntitle: Chart\ndate: 2025-03-06\n---\n\n![A chart](/media/chart.png)\n")
    build_site(site)
    media = site / "output" / "media"
    original = (media / "chart.png").stat().st_size
    kept = list(media.glob("chart-*w.png"))
    assert all(p.stat().st_size < original for p in kept)
    assert not (media / "chart-480w.png").exists()
    [img] = parse(site / "output" / "2025" / "03" / "chart" / "index.html").xpath("//img[@alt='A chart']")
    assert img.get("srcset").endswith("/media/chart.png 640w")
    assert (media / "chart-480w.webp").is_file()


def test_front_page_cards_show_the_lead_image_in_every_width(tmp_path: Path) -> None:
    site = photo_site(tmp_path)
    build_site(site)
    front = parse(site / "output" / "index.html")
    [card] = front.xpath("//img[contains(@class, 'card-image')]")
    assert card.get("srcset") == "/media/coffee-160w.jpg 160w, /media/coffee-320w.jpg 320w, /media/coffee-480w.jpg 480w"
    assert (card.get("width"), card.get("height")) == ("480", "320")


def test_the_dev_server_names_every_made_format() -> None:
    assert [content_type(Path(f"a{suffix}")) for suffix in (".avif", ".webp", ".jpg", ".png")] == [
        "image/avif", "image/webp", "image/jpeg", "image/png"]
