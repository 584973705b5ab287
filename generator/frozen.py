"""``FrozenDict``: the read-only mapping used throughout the pipeline's data.

``types.MappingProxyType`` would do, except that it cannot be pickled, and
pipeline data must travel to worker processes and into the build cache.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any, Generic, NoReturn, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(Mapping[K, V], Generic[K, V]):
    """An immutable mapping that pickles and compares like the dict it wraps."""

    __slots__ = ("_items",)
    _items: dict[K, V]

    def __init__(self, items: Mapping[K, V] | None = None) -> None:
        object.__setattr__(self, "_items", dict(items or {}))

    @classmethod
    def merged(cls, mapping: Mapping[K, V], changes: Mapping[K, V]) -> FrozenDict[K, V]:
        """``mapping`` with ``changes`` over it, in one copy of its items.

        ``FrozenDict({**frozen, **changes})`` copies three times, and
        spelling out a ``FrozenDict`` asks it for each key in Python: a
        body edit does this to maps of every article on each save.
        """
        items = mapping._items.copy() if isinstance(mapping, FrozenDict) else dict(mapping)
        items.update(changes)
        merged: FrozenDict[K, V] = cls.__new__(cls)
        object.__setattr__(merged, "_items", items)
        return merged

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    # Mapping's generic versions go through __getitem__ and a raised KeyError.
    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: K, default: V | None = None) -> V | None:  # type: ignore[override]  # Mapping's overloads, as one
        return self._items.get(key, default)

    def items(self) -> ItemsView[K, V]:
        return self._items.items()

    def keys(self) -> KeysView[K]:
        return self._items.keys()

    def values(self) -> ValuesView[V]:
        return self._items.values()

    def __repr__(self) -> str:
        return f"FrozenDict({self._items!r})"

    def __eq__(self, other: object) -> bool:
        return dict(self._items) == other if isinstance(other, Mapping) else NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError("FrozenDict is read-only")

    def __reduce__(self) -> tuple[type, tuple[dict[K, V]]]:
        return FrozenDict, (self._items,)
