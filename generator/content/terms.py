"""``Term``: a tag, section or author, as a name shown and a slug that identifies it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Term:
    """A tag, section or author: the name shown and the slug that identifies it."""

    slug: str
    name: str = field(compare=False)
