"""What the build knows about each published image once it is made: plain data for the templates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.frozen import FrozenDict

MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
SUFFIXES = {"avif": ".avif", "webp": ".webp", "jpeg": ".jpg", "png": ".png"}
# The formats made in several widths; GIFs (often animated) and SVGs are copied as they are.
RESIZED_SUFFIXES = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp"}


@dataclass(frozen=True, kw_only=True)
class Made:
    """One source image as made into the cache: its size upright, and the files made of it."""

    width: int  # after the EXIF orientation is applied
    height: int
    original: str  # the source's own format (``jpeg``, ``png``, ``webp``)
    widths: tuple[int, ...]  # the widths made, narrowest first
    # Those made in the original format too: a resized PNG larger than the full-size file
    # (a screenshot's palette lost to smoothing) is not kept; the full-size copy serves instead.
    own_widths: tuple[int, ...]
    formats: tuple[str, ...]  # modern formats made, in order of preference; the original's is made too


@dataclass(frozen=True, kw_only=True)
class ImageSet:
    """A published image in every width and format: what ``<picture>`` needs."""

    url: str  # the full-size copy, stripped of metadata (root-relative, under the base path)
    key: str  # the content and settings hash: changes whenever any file of the set does
    width: int
    height: int
    fallback: str  # the URL of the widest variant in the original format
    srcset: str  # in the original format
    sources: tuple[tuple[str, str], ...]  # (MIME type, srcset) per modern format, preferred first


@dataclass(frozen=True, kw_only=True)
class Card:
    """An article's social card for link previews: where it is published, and whether it is a photo.

    Both follow from the article alone (its URL, and whether its lead image
    was made in several widths), so pages that show a card are signed by
    the article; what is drawn on it decides only the card's own file.
    """

    output: str  # ``cards/2024/05/slug.jpg``
    url: str
    photo: bool  # the lead image cropped (JPEG); else drawn with the headline (PNG)
    # A photo card's crops for the JSON-LD ``image`` (16:9, 4:3, 1:1: ``images.cards.CROPS``), as URLs.
    crops: tuple[str, ...] = ()
    crop_outputs: tuple[str, ...] = ()  # the same, as output paths
    width: int = 1200
    height: int = 630


@dataclass(frozen=True, kw_only=True)
class ImageIndex:
    """Every image set by the output path of its full-size copy."""

    sets: Mapping[str, ImageSet] = field(default_factory=lambda: FrozenDict({}))
    made: int = 0  # images and cards made by this build (not found in the cache)
    read: int = 0  # image files this build read and hashed (the others' stat was the one recorded)
