"""``IdentityMemory``: what one build computed from immutable objects, offered to the next.

After a body edit most of the plan is the very same objects as before (see
``delta``), so a signature or a serialised feed entry computed from one of
them last build is still right: the objects never change. Entries are keyed
by ``(kind, id(obj))`` and hold ``obj`` itself, so its id cannot be reused
by another object while remembered. Only what a build touched (``used``) is
passed on, so the memory follows the site instead of growing with every
edit of a long dev-server session.

Ids mean nothing in another process, so memory read back from the build
cache is re-keyed by ``rekey`` (the objects come back with it, and the
pickle keeps their identity with the rest of the cached plan).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

Remembered = dict[tuple[Hashable, int], tuple[object, V]]  # (kind, id(obj)) -> (obj, value)


class IdentityMemory(Generic[V]):
    def __init__(self, previous: Remembered[V] | None = None) -> None:
        self._previous: Remembered[V] = previous or {}
        self.used: Remembered[V] = {}

    def recall(self, obj: object, kind: Hashable = "") -> V | None:
        """The value remembered for this very object, if any (and mark it used)."""
        key = (kind, id(obj))
        found = self.used.get(key) or self._previous.get(key)
        if found is None or found[0] is not obj:
            return None
        self.used[key] = found
        return found[1]

    def keep(self, obj: object, value: V, kind: Hashable = "") -> V:
        self.used[(kind, id(obj))] = (obj, value)
        return value


def rekey(remembered: Remembered[V]) -> Remembered[V]:
    """The same memory keyed by the ids its objects have in this process (after unpickling)."""
    return {(kind, id(obj)): (obj, value) for (kind, _), (obj, value) in remembered.items()}
