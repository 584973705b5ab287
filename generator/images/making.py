"""Making one source image into its published files, in a cache folder named by its key.

Every file made is stripped of EXIF, XMP and comments (a phone photo's GPS
position must never be published) and turned upright first
(``ImageOps.exif_transpose``: the orientation tag goes with the EXIF). The
ICC colour profile is kept, or colours shift. The full-size copy of an image
that carries no metadata and needs no turning is the file's own bytes.

This runs in worker processes: it takes and returns small picklable values.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from generator.images.decode import ImageProblem, open_image
from generator.images.model import SUFFIXES, Made

# Keys of ``Image.info`` that hold metadata about the photo rather than its pixels.
_METADATA = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc", "Raw profile type exif")
_ORIENTATION = 0x0112
MADE_FILE = "made.json"
AVIF_OFFSET = 25


@dataclass(frozen=True, kw_only=True)
class ImageJob:
    """What to make of one source: ``widths`` empty for the full-size copy alone."""

    source: str
    folder: str  # the cache folder to fill; it appears only once complete
    original: str  # ``jpeg``, ``png`` or ``webp``
    widths: tuple[int, ...]
    formats: tuple[str, ...]
    quality: int


def file_name(width: int | None, image_format: str) -> str:
    """A made file's name in its cache folder: ``full.jpg``, ``960.webp``."""
    return f"{'full' if width is None else width}{SUFFIXES[image_format]}"


def read_made(folder: Path) -> Made | None:
    """What an earlier build made into ``folder``, if it finished."""
    try:
        data = json.loads((folder / MADE_FILE).read_text(encoding="utf-8"))
        return Made(width=data["width"], height=data["height"], original=data["original"],
                    widths=tuple(data["widths"]), own_widths=tuple(data["own_widths"]), formats=tuple(data["formats"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def make_image(job: ImageJob) -> Made | str:
    """Make ``job``'s files; the author's problem with the image as text if it cannot be."""
    try:
        with open_image(Path(job.source)) as image:
            return _make(image, job)
    except ImageProblem as exc:
        return str(exc)
    except (OSError, ValueError) as exc:  # the encoder refusing a mode or a file system error
        return f"cannot convert the image: {exc}"


def _make(image: Image.Image, job: ImageJob) -> Made:
    orientation = image.getexif().get(_ORIENTATION, 1)
    icc = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image) if orientation != 1 else image
    width, height = upright.size
    widths = tuple(sorted({w for w in job.widths if w < width} | ({width} if job.widths and width <= max(job.widths)
                                                                     else set())))
    formats = tuple(f for f in job.formats if f != job.original)
    work = Path(f"{job.folder}.{os.getpid()}.tmp")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        full = work / file_name(None, job.original)
        if orientation == 1 and not _has_metadata(image):
            shutil.copyfile(job.source, full)
        else:
            _save(upright, full, job.original, max(job.quality, 90), icc, keep=orientation == 1)
        pixels, icc = _for_encoding(upright, job.original, icc)
        own_widths: list[int] = []
        full_size = full.stat().st_size
        for target in widths:
            resized = pixels if target == width else pixels.resize(
                (target, max(1, round(height * target / width))), Image.Resampling.LANCZOS, reducing_gap=3.0)
            for image_format in (*formats, job.original):
                if target == width and image_format == job.original:
                    continue  # the full-size copy is this one
                made_file = work / file_name(target, image_format)
                _save(resized, made_file, image_format, job.quality, icc)
                if image_format == job.original:
                    if made_file.stat().st_size < full_size:
                        own_widths.append(target)
                    else:
                        made_file.unlink()
        made = Made(width=width, height=height, original=job.original, widths=widths, own_widths=tuple(own_widths),
                    formats=formats)
        (work / MADE_FILE).write_text(json.dumps(asdict(made)), encoding="utf-8")
        try:
            work.rename(job.folder)
        except OSError:  # another build made it first: the same files
            shutil.rmtree(work, ignore_errors=True)
        return made
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def _has_metadata(image: Image.Image) -> bool:
    text = getattr(image, "text", None)  # PNG text chunks
    return any(key in image.info for key in _METADATA) or bool(text)


def _for_encoding(image: Image.Image, original: str, icc: bytes | None) -> tuple[Image.Image, bytes | None]:
    """Pixels every encoder takes (RGB, or RGBA where there is transparency), and their colour profile.

    A CMYK photo (print workflows export them) is converted through its own
    profile to sRGB, which the variants then carry: a CMYK profile on RGB
    pixels would be wrong.
    """
    if image.mode in ("RGB", "RGBA") or (image.mode == "L" and original == "jpeg"):
        return image, icc
    if image.mode == "CMYK":
        srgb = ImageCms.createProfile("sRGB")
        if icc:
            try:
                converted = ImageCms.profileToProfile(image, io.BytesIO(icc), srgb, outputMode="RGB")
            except ImageCms.PyCMSError:
                converted = None
            if converted is not None:
                return converted, ImageCms.ImageCmsProfile(srgb).tobytes()
        return image.convert("RGB"), None
    transparent = image.mode in ("LA", "PA", "RGBa", "La") or "transparency" in image.info
    return image.convert("RGBA" if transparent and original != "jpeg" else "RGB"), icc


def _save(image: Image.Image, path: Path, image_format: str, quality: int, icc: bytes | None, keep: bool = False) -> None:
    """Encode ``image`` with no metadata but its colour profile (Pillow writes EXIF only when asked)."""
    options: dict[str, object] = {"icc_profile": icc} if icc else {}
    if image_format == "jpeg":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        keep = keep and image.format == "JPEG"  # the source's own quantisation tables: no second loss
        image.save(path, "JPEG", quality="keep" if keep else quality, optimize=True, progressive=True, **options)
    elif image_format == "png":
        image.save(path, "PNG", **options)
    elif image_format == "webp":
        image.save(path, "WEBP", quality=quality, method=4, **options)
    else:
        # AVIF's scale is stricter: 25 below gives files smaller than WebP at ``quality`` (on photos,
        # about a fifth), and speed 9 takes a quarter of the time speed 7 does for a few per cent more.
        image.save(path, "AVIF", quality=max(1, quality - AVIF_OFFSET), speed=9, **options)
