"""Bring-up stand-ins used by `python -m agent.link` only while agent.store (the encrypted store and SecretVault,
written in parallel) is missing from the tree. Real SQLite and real files, but NOT encrypted: the runner logs a
warning whenever these are used. Delete this module once agent.store has landed.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


class DevStore:
    """The subset of agent.store.EncryptedStore that the link uses, on a plain SQLite file."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(
            "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT, payload TEXT,"
            " at REAL);"
            "CREATE TABLE IF NOT EXISTS policies (id INTEGER PRIMARY KEY AUTOINCREMENT, version INTEGER,"
            " blob BLOB, signer TEXT, at REAL);"
            "CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v BLOB);")
        self._lock = threading.Lock()

    def outbox_put(self, kind: str, payload: Any) -> int:
        with self._lock:
            cur = self._db.execute("INSERT INTO outbox (kind, payload, at) VALUES (?, ?, ?)",
                                   (kind, json.dumps(payload), time.time()))
            return int(cur.lastrowid or 0)

    def outbox_since(self, cursor: int, limit: int) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT seq, kind, payload, at FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                                    (cursor, limit)).fetchall()
        return [{"seq": r[0], "kind": r[1], "payload": json.loads(r[2]), "at": r[3]} for r in rows]

    def record_policy(self, version: int, blob: bytes, signer: str | None) -> None:
        with self._lock:
            self._db.execute("INSERT INTO policies (version, blob, signer, at) VALUES (?, ?, ?, ?)",
                             (version, blob, signer, time.time()))

    def latest_policy(self) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT version, blob, signer FROM policies ORDER BY id DESC LIMIT 1").fetchone()
        return {"version": row[0], "blob": row[1], "signer": row[2]} if row else None

    def kv_get(self, key: str) -> bytes | None:
        with self._lock:
            row = self._db.execute("SELECT v FROM kv WHERE k = ?", (key,)).fetchone()
        return row[0] if row else None

    def kv_put(self, key: str, value: bytes) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (key, value))

    def close(self) -> None:
        self._db.close()


class DevVault:
    """Secrets as 0600 files under STATE/keys (what SecretVault does with file_fallback=True)."""

    backend_name = "file (dev)"

    def __init__(self, state_dir: Path) -> None:
        self.dir = Path(state_dir) / "keys"

    def get_or_create(self, name: str, factory: Callable[[], bytes]) -> bytes:
        path = self.dir / name
        if path.exists():
            return path.read_bytes()
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        value = factory()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(value)
        return value
