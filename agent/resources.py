"""Locate the shared data folder (resources/) from a checkout, an installed wheel, or a PyInstaller bundle.

A wheel carries resources/ as the package `sprout_resources` (setup.py); a checkout and an editable install use the
folder itself; a bundle has it beside the program; SPROUT_RESOURCES overrides all three (a device maker's set)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent / "resources"


def _installed() -> Path | None:
    spec = importlib.util.find_spec("sprout_resources")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def resources_root() -> Path:
    override = os.environ.get("SPROUT_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    if _CHECKOUT.is_dir():
        return _CHECKOUT
    return _installed() or _CHECKOUT


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)
