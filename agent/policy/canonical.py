"""Canonical bytes of a policy: the exact bytes that are signed and verified.

Sorted keys, no insignificant whitespace, UTF-8, no floats (every policy number is an integer), so the console
and the agent produce identical bytes on every platform and Python version.
"""

from __future__ import annotations

import json
from typing import Any


def _reject_floats(value: Any, path: str = "") -> None:
    if isinstance(value, float):
        raise ValueError(f"{path or '<root>'}: floats are not allowed in canonical form")
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise ValueError(f"{path or '<root>'}: keys must be strings")
            _reject_floats(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _reject_floats(v, f"{path}[{i}]")


def canonical_json(value: Any) -> bytes:
    _reject_floats(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )
