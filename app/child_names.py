"""The child's name of each paired PC, as the PC last gave it (its status) or as this console last sent it (the
rules' `child.name`): what the family's phones are told — at linking, and in the console's "offline" pushes — so they
name the child ("Minh Anh"), not the PC's host name. Kept in the family folder (`child-names.json`; not secret).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

NAMES_FILE = "child-names.json"


def child_names(family: Any) -> dict[str, str]:
    """{PC's device ID: the child's name}."""
    try:
        names = json.loads((Path(family.dir) / NAMES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in names.items() if isinstance(v, str) and v} if isinstance(names, dict) else {}


def remember_child_name(family: Any, device: str, name: Any) -> None:
    """Keep the child's name of a PC (at most 40 characters); an empty or missing name changes nothing."""
    if not isinstance(name, str) or not name.strip():
        return
    names = child_names(family)
    if names.get(device) == name.strip()[:40]:
        return
    names[device] = name.strip()[:40]
    path = Path(family.dir) / NAMES_FILE
    tmp = path.with_name(f"{path.name}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
