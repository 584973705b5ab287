"""The lead image's focal point (``image_focus``): what its crops keep in view.

Written as CSS's ``object-position`` is, ``70% 30%``: from the left, then
from the top. Crops of the lead image (the social card, and the 16:9, 4:3
and 1:1 images of the JSON-LD) centre on it as far as the image allows.
"""

from __future__ import annotations

import re

CENTRE = (0.5, 0.5)
_FOCUS = re.compile(r"(\d{1,3}(?:\.\d+)?)%\s+(\d{1,3}(?:\.\d+)?)%")


def read_focus(text: str) -> tuple[float, float] | str:
    """The point as fractions of the width and height, or what is wrong with ``text``."""
    match = _FOCUS.fullmatch(text.strip())
    if match is None or not all(0 <= float(part) <= 100 for part in match.groups()):
        return (f"'image_focus' takes the point to keep in view as 'X% Y%', from the left and from the top "
                f"(each 0% to 100%, as '70% 30%'), not '{text}'")
    return float(match[1]) / 100, float(match[2]) / 100
