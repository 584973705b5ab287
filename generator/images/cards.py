"""Social cards: the image a link preview shows (``og:image``), 1200×630 pixels.

An article with a lead image gets that image, cropped about its focal point
(``image_focus``, else the centre), and beside it the three crops Google asks
for in an article's JSON-LD ``image``: 16:9, 4:3 and 1:1, each 1,200 px wide
where the lead image allows and never enlarged (see ``crop_sizes``); one
without gets a card drawn here: the headline on the theme's paper colour
with its section, the publication's name and the date. Right-to-left
headlines (Arabic, Hebrew) are set right-aligned; Pillow shapes Arabic
through libraqm when its build has it (``PIL.features.check("raqm")``), and
without it letters come out unjoined, which is the best it can do.
Cards are cached by a hash of everything drawn on them.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFont, features

from generator.images.decode import ImageProblem, open_image

WIDTH, HEIGHT = 1200, 630
FONT = Path(__file__).parent / "fonts" / "DejaVuSans-Bold.ttf"
RECIPE = "5"
# The shapes of the JSON-LD crops, by the suffix of their file name, and their width.
CROPS = (("16x9", 16, 9), ("4x3", 4, 3), ("1x1", 1, 1))
CROP_WIDTH = 1200
# The newsroom theme's light palette (site.css: --bg, --text, --muted, --accent), for a theme
# chain whose theme.toml files give no ``[social_card]`` colours.
DEFAULT_COLOURS = {"background": "#fbfaf7", "text": "#1a1a1a", "muted": "#5b5b5b", "accent": "#a4161a"}
_MARGIN = 72
_MAX_LINES = 4
_GREEK_ACCENTS = frozenset("\u0300\u0301\u0313\u0314\u0342\u0345")


@dataclass(frozen=True, kw_only=True)
class CardJob:
    """What one card shows, and the file to draw it into."""

    target: str
    title: str
    section: str
    publication: str
    date: str
    photo: str = ""  # the lead image's upright, metadata-free copy, to crop; else the card is drawn
    colours: tuple[tuple[str, str], ...] = tuple(sorted(DEFAULT_COLOURS.items()))  # see ``palette``
    rtl: bool = False  # the site's language is written right to left: the footer is mirrored
    focus: tuple[float, float] = (0.5, 0.5)  # the point of the photo crops keep in view


def crop_target(card_target: str, suffix: str) -> str:
    """Where one JSON-LD crop of a card's photo is made: ``<key>-16x9.jpg`` beside ``<key>.jpg``."""
    stem, dot, extension = card_target.rpartition(".")
    return f"{stem}-{suffix}.{extension}" if dot else f"{card_target}-{suffix}"


def palette(themes: Iterable[tuple[tuple[str, str], ...]]) -> tuple[tuple[str, str], ...]:
    """The card colours: each from the nearest theme of the chain that names it, else the default."""
    colours = dict(DEFAULT_COLOURS)
    for theme in reversed(list(themes)):  # parents first, so the nearest theme wins
        colours.update(theme)
    return tuple(sorted(colours.items()))


def card_key(job: CardJob, photo_key: str) -> str:
    """The hash that names a card: everything it shows, and how it is made."""
    parts = (RECIPE, job.title, job.section, job.publication, job.date, photo_key, job.colours, job.rtl,
             features.check("raqm"), job.focus)
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def make_card(job: CardJob) -> str | None:
    """Draw or crop the card into ``job.target``; the problem as text if it cannot be made."""
    try:
        Path(job.target).parent.mkdir(parents=True, exist_ok=True)
        if not job.photo:
            _written(_drawn(job), job.target, "PNG")
            return None
        with open_image(Path(job.photo)) as image:
            icc = image.info.get("icc_profile")
            photo = image.convert("RGB")
        for suffix, across, down in CROPS:  # the crops first: the card's file says the set is complete
            box, size = crop_sizes(photo.size, (across, down), job.focus, CROP_WIDTH)
            _written(photo.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0), crop_target(job.target, suffix),
                     "JPEG", icc)
        box, _ = crop_sizes(photo.size, (WIDTH, HEIGHT), job.focus, WIDTH)
        # The card is 1200×630 whatever the photo's size, as og:image:width and height say.
        _written(photo.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0), job.target,
                 "JPEG", icc)
    except ImageProblem as exc:
        return str(exc)
    except (OSError, ValueError) as exc:  # a file system error, or the encoder refusing the image
        return f"cannot make the social card: {exc}"
    return None


def crop_sizes(size: tuple[int, int], shape: tuple[int, int], focus: tuple[float, float],
               width: int) -> tuple[tuple[float, float, float, float], tuple[int, int]]:
    """The largest box of ``shape`` in an image of ``size``, centred on ``focus`` as far as the edges allow,
    and the size to scale it to: ``width`` wide, or the box's own size if that is smaller.

    A crop is never enlarged: a lead image too small for a 1,200 px crop gives
    a smaller one, with the pixels it has (Google's minimum is 50,000 pixels,
    and it prefers 1,200 px for large previews: README, Images).
    """
    image_width, image_height = size
    across, down = shape
    box_width = min(float(image_width), image_height * across / down)
    box_height = min(float(image_height), box_width * down / across)  # h·(a/d)·(d/a) can come out above h
    left = max(min(focus[0] * image_width - box_width / 2, image_width - box_width), 0.0)
    top = max(min(focus[1] * image_height - box_height / 2, image_height - box_height), 0.0)
    out_width = min(width, int(box_width))
    return (left, top, left + box_width, top + box_height), (out_width, max(1, round(out_width * down / across)))


def _written(image: Image.Image, target: str, image_format: str, icc: bytes | None = None) -> None:
    """Save ``image`` with nothing but its colour profile, and put it in place whole."""
    work = Path(f"{target}.{os.getpid()}.tmp")
    options: dict[str, object] = {"icc_profile": icc} if icc else {}
    if image_format == "JPEG":
        image.save(work, "JPEG", quality=85, optimize=True, progressive=True, **options)
    else:
        # zlib's default level: a drawn card is large flat areas, which level 9 (``optimize``)
        # compresses 10% smaller at ten times the time, most of a cold build's.
        image.save(work, "PNG", compress_level=6)
    work.replace(target)


def _is_rtl(text: str) -> bool:
    """Whether the first strongly directional letter of ``text`` is right-to-left."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _capitals(text: str) -> str:
    """``text`` in capitals; Greek capitals drop their accents, as Greek typesetting does."""
    upper = text.upper()
    if not any("\u0370" <= char <= "\u03ff" or "\u1f00" <= char <= "\u1fff" for char in upper):
        return upper
    bare = "".join(char for char in unicodedata.normalize("NFD", upper) if char not in _GREEK_ACCENTS)
    return unicodedata.normalize("NFC", bare)


def _wrapped(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        attempt = f"{current} {word}" if current else word
        if current and font.getlength(attempt) > width:
            lines.append(current)
            current = word
        else:
            current = attempt
    if current:
        lines.append(current)
    return lines


def _headline(text: str, width: float) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size (64 px down to 40) at which the headline fits in four lines, else cut with '…'."""
    for size in (64, 56, 48, 40):
        font = ImageFont.truetype(str(FONT), size)
        lines = _wrapped(text, font, width)
        if len(lines) <= _MAX_LINES:
            return font, lines
    lines = lines[:_MAX_LINES]
    lines[-1] = lines[-1].rstrip(" .,;:") + "…"
    return font, lines


# A drawn card is the paper and three colours with their anti-aliased edges: as a
# palette image (index 0 the paper, then each colour in ``_STEPS`` blends over it)
# its PNG is half the size of the RGB one and is encoded three times as fast.
_LAYERS = ("text", "muted", "accent")
_STEPS = 85  # 1 + 3 x 85 = 256 palette entries: a blend is off by at most 1.5/255


def _drawn(job: CardJob) -> Image.Image:
    """The card, drawn one colour at a time into coverage masks, then put together as a palette image."""
    masks = {name: Image.new("L", (WIDTH, HEIGHT), 0) for name in _LAYERS}
    ink, muted, accent = (ImageDraw.Draw(masks[name]) for name in _LAYERS)
    accent.rectangle((0, 0, WIDTH, 14), fill=255)
    text_width = WIDTH - 2 * _MARGIN
    small = ImageFont.truetype(str(FONT), 28)
    rtl = _is_rtl(job.title)
    anchor_x, anchor = (WIDTH - _MARGIN, "r") if rtl else (_MARGIN, "l")
    if job.section:
        accent.text((anchor_x, 84), _capitals(job.section), font=small, fill=255, anchor=anchor + "a")
    font, lines = _headline(job.title, text_width)
    line_height = round(font.size * 1.25)
    top = 150
    for number, line in enumerate(lines):
        ink.text((anchor_x, top + number * line_height), line, font=font, fill=255, anchor=anchor + "a")
    ink.line((_MARGIN, HEIGHT - 110, WIDTH - _MARGIN, HEIGHT - 110), fill=255, width=2)
    publication_rtl = job.rtl or _is_rtl(job.publication)
    ink.text((WIDTH - _MARGIN if publication_rtl else _MARGIN, HEIGHT - 70), job.publication, font=small, fill=255,
             anchor=("r" if publication_rtl else "l") + "m")
    muted.text((_MARGIN if publication_rtl else WIDTH - _MARGIN, HEIGHT - 70), job.date, font=small, fill=255,
               anchor=("l" if publication_rtl else "r") + "m")
    return _composed(masks, dict(job.colours))


def _composed(masks: dict[str, Image.Image], colours: dict[str, str]) -> Image.Image:
    """One palette image from each colour's coverage mask (the masks do not overlap)."""
    indexes = Image.new("L", (WIDTH, HEIGHT), 0)
    for number, name in enumerate(_LAYERS):
        first = 1 + number * _STEPS
        table = [0] + [first + max(0, (coverage * _STEPS + 127) // 255 - 1) for coverage in range(1, 256)]
        indexes = ImageChops.lighter(indexes, masks[name].point(table))
    paper = ImageColor.getrgb(colours["background"])
    palette = list(paper)
    for name in _LAYERS:
        colour = ImageColor.getrgb(colours[name])
        for step in range(1, _STEPS + 1):
            palette += [round(p + (c - p) * step / _STEPS) for p, c in zip(paper, colour, strict=True)]
    card = Image.frombytes("P", (WIDTH, HEIGHT), indexes.tobytes())
    card.putpalette(palette)
    return card
