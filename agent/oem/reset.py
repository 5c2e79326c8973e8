"""Factory reset: forget the family (pairings, policies, history, keys) so the next start is a first start again;
the device maker's oem.toml lives outside the state folder and is read anew."""

from __future__ import annotations

import shutil
from pathlib import Path


def factory_reset(state_dir: Path) -> list[str]:
    """Forget the family: remove everything in the state folder except the list updates (public data), so the
    next start is a first start again (oem.toml is read anew). Returns the names removed."""
    state_dir = Path(state_dir)
    if not state_dir.is_dir():
        return []
    keep = {"lists"}
    removed = []
    for entry in sorted(state_dir.iterdir()):
        if entry.name in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
        removed.append(entry.name)
    return removed
