"""`publish`: a signed category-list update written to a folder, as a list publisher makes one."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def publish(folder: Path, key: Ed25519PrivateKey, version: int, lists: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for category, text in lists.items():
        (folder / f"{category}.txt").write_text(text)
        files[category] = {"sha256": hashlib.sha256(text.encode()).hexdigest(), "size": len(text.encode())}
    manifest = json.dumps({"format": 1, "version": version, "files": files}).encode()
    (folder / "manifest.json").write_bytes(manifest)
    (folder / "manifest.json.sig").write_text(base64.b64encode(key.sign(manifest)).decode())
    return folder
