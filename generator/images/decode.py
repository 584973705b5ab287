"""Opening an author's image file safely: a clear message for anything that is not a sound image.

Pillow reads only the header on ``open``; the size is checked there, before
a single pixel is decoded, so a small file that claims 20,000×20,000 pixels
(a decompression bomb) costs nothing. Pillow's own limit
(``Image.MAX_IMAGE_PIXELS``) stays on, and its warning below that limit is
treated as the error it usually is.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 50_000_000  # 50 megapixels: larger than any camera's photo, 200 MB decoded as RGBA


class ImageProblem(Exception):
    """An image that cannot be published; the message is for the author."""


def open_image(path: Path) -> Image.Image:
    """The decoded image at ``path``; raises ``ImageProblem`` saying what is wrong with it."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except UnidentifiedImageError:
            raise ImageProblem("not an image Dateline can read (the file's contents are not JPEG, PNG or WebP)") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageProblem(_too_large_message()) from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageProblem(f"cannot read the image: {exc}") from None
        width, height = image.size
        if width * height > MAX_PIXELS:
            image.close()
            raise ImageProblem(f"{width}×{height} pixels is too large to publish ({_too_large_message()})")
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            image.close()
            raise ImageProblem(_too_large_message()) from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            image.close()
            raise ImageProblem(f"the image is damaged or cut short: {exc}") from None
    return image


def _too_large_message() -> str:
    return f"more than {MAX_PIXELS // 1_000_000} megapixels; scale it down before publishing"
