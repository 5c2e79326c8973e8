"""Turn what the OS reports (an executable name, its path, its parent) into the ledger's AppRef."""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence

from agent.ledger.sample import AppRef


def app_id_for(name: str) -> str:
    """The id of an app the catalog does not know: its lower-case executable name without extension."""
    base = os.path.basename(name.replace("\\", "/")).strip().lower()
    for ext in (".exe", ".app", ".appimage", ".x86_64", ".bin"):
        if base.endswith(ext):
            base = base[: -len(ext)]
            break
    return base or "unknown"


class AppClassifier:
    """Classifies processes with the game/app catalog; caches by (name, path, parent) since a PC runs the same
    few hundred executables all day."""

    def __init__(self, catalog: object | None = None) -> None:
        if catalog is None:
            from agent.catalog import Catalog

            catalog = Catalog.load()
        self._catalog = catalog
        self.catalog = catalog
        self.ref = functools.lru_cache(maxsize=4096)(self._ref)

    def _ref(self, name: str, path: str | None = None, parent_names: Sequence[str] = ()) -> AppRef:
        info = self._catalog.classify(name, path=path, parent_names=tuple(parent_names))  # type: ignore[attr-defined]
        if info is None:
            return AppRef(app_id_for(name), "app", app_id_for(name))
        return AppRef(info.id, info.kind, app_id_for(name))
