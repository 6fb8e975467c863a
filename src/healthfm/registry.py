"""One small registry per extension kind; registration happens where a thing is defined.

Plugins register through the `healthfm.plugins` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """A name → object map whose `register` decorator refuses duplicate names."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        def add(obj: T) -> T:
            if name in self._items:
                raise KeyError(f"{self.kind} {name!r} is already registered")
            self._items[name] = obj
            return obj

        return add

    def get(self, name: str) -> T:
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self._items)) or "none"
            raise KeyError(f"unknown {self.kind} {name!r}; registered: {known}") from None

    def names(self) -> list[str]:
        return sorted(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._items))

    def __len__(self) -> int:
        return len(self._items)


ENCODERS: Registry[object] = Registry("encoder")
FUSIONS: Registry[object] = Registry("fusion")
HEADS: Registry[object] = Registry("head")
OBJECTIVES: Registry[object] = Registry("objective")
TASKS: Registry[object] = Registry("task")
EXPLAINERS: Registry[object] = Registry("explainer")
READERS: Registry[object] = Registry("reader")


def load_plugins(group: str = "healthfm.plugins") -> list[str]:
    """Import every installed plugin module; each registers its components on import."""
    loaded = []
    for ep in entry_points(group=group):
        ep.load()
        loaded.append(ep.name)
    return loaded
