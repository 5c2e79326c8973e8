"""Locate the shared data folder (resources/) from a checkout, an install, or a PyInstaller bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_root() -> Path:
    override = os.environ.get("SPROUT_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)
