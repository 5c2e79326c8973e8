"""The console's record of its family: paired devices (pinned keys, counters, report cursors), the reports and
requests fetched from them, and the parent's decisions — in one SQLite file whose payloads are sealed with the
project's one row scheme (agent.store.cipher: AES-256-GCM, a per-file salt, a subkey per table, the row's plaintext
columns as associated data, so rows cannot be swapped) under a key from the console's vault.

Consoles before this one sealed rows with ChaCha20-Poly1305 (AAD "items/DEVICE/SEQ"); such a file is re-sealed once,
in one transaction, the first time it is opened (see _adopt_rows).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from agent.protocol.devid import format_device_id, parse_device_id
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity, PeerKeys, b64d, b64e
from agent.store import sqlite
from agent.store.cipher import SALT_BYTES, AeadRowCipher, RowAuthError, row_identity
from app.keys import ConsoleVault

_SCHEMA = """
CREATE TABLE IF NOT EXISTS devices (device_id TEXT PRIMARY KEY, sign TEXT NOT NULL, kx TEXT NOT NULL,
    name TEXT NOT NULL, host TEXT NOT NULL, paired_at REAL NOT NULL, cursor INTEGER NOT NULL DEFAULT 0,
    revoked_at REAL);
CREATE TABLE IF NOT EXISTS counters (device_id TEXT NOT NULL, lane INTEGER NOT NULL, send_ctr INTEGER NOT NULL,
    recv_ctr INTEGER NOT NULL, PRIMARY KEY (device_id, lane));
CREATE TABLE IF NOT EXISTS items (device_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
    day TEXT, fetched_at REAL NOT NULL, sealed BLOB NOT NULL, PRIMARY KEY (device_id, seq));
CREATE TABLE IF NOT EXISTS decisions (request_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, state TEXT NOT NULL,
    minutes INTEGER NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
"""


class FamilyError(Exception):
    """A parent's mistake about a device or request: one clear sentence."""


class Family:
    def __init__(self, state_dir: Path, *, name: str = "", use_keyring: bool = True) -> None:
        self.dir = Path(state_dir)
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.vault = ConsoleVault(self.dir, use_keyring=use_keyring)
        self.identity = Identity.from_vault(self.vault, name or os.uname().nodename)
        key = self.vault.get_or_create("family-key", lambda: os.urandom(32))
        self._db = sqlite.connect(self.dir / "family.sqlite", timeout=30)
        self._db.executescript(_SCHEMA)
        self._lock = threading.RLock()
        self._cipher = self._adopt_rows(key)

    def close(self) -> None:
        with self._lock:  # a relay callback may be inside a query on its own thread (app.relay_client)
            self._db.close()

    def _tx(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return sqlite.transaction(self._db, self._lock)

    def _adopt_rows(self, key: bytes) -> AeadRowCipher:
        """The file's row cipher; a file without a salt yet is new, or was sealed by an older console: its rows are
        re-sealed here in one transaction (a row that did not open before stays as it is, and still reads as
        unreadable)."""
        with self._tx() as db:
            row = db.execute("SELECT value FROM meta WHERE name = 'salt'").fetchone()
            if row is not None:
                return AeadRowCipher(key, bytes(row[0]))
            salt = os.urandom(SALT_BYTES)
            cipher = AeadRowCipher(key, salt)
            for dev, seq, kind, day, blob in db.execute(
                    "SELECT device_id, seq, kind, day, sealed FROM items").fetchall():
                plain = _open_chacha_row(key, f"items/{dev}/{seq}", bytes(blob))
                if plain is not None:
                    db.execute("UPDATE items SET sealed = ? WHERE device_id = ? AND seq = ?",
                               (cipher.seal("items", row_identity(dev, seq, kind, day), plain), dev, seq))
            db.execute("INSERT INTO meta (name, value) VALUES ('salt', ?)", (salt,))
        return cipher

    def _seal(self, row: bytes, value: Any) -> bytes:
        return self._cipher.seal("items", row, json.dumps(value, ensure_ascii=False).encode())

    def _unseal(self, row: bytes, blob: bytes, where: str) -> Any:
        try:
            return json.loads(self._cipher.open("items", row, bytes(blob)))
        except (RowAuthError, ValueError):
            return {"unreadable": f"stored row {where} failed authentication"}

    # ---- devices ---------------------------------------------------------------------------------------
    def add_device(self, keys: PeerKeys, host: str) -> None:
        with self._tx() as db:
            db.execute("INSERT INTO devices (device_id, sign, kx, name, host, paired_at) VALUES (?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (device_id) DO UPDATE SET name = excluded.name, host = excluded.host, "
                       "revoked_at = NULL",
                       (keys.device_id, b64e(keys.sign_pub), b64e(keys.kx_pub), keys.name, host, time.time()))

    def devices(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT device_id, name, host, paired_at, cursor FROM devices "
                                    "WHERE revoked_at IS NULL ORDER BY paired_at").fetchall()
        return [{"device_id": r[0], "display_id": format_device_id(r[0]), "name": r[1], "host": r[2],
                 "paired_at": r[3], "cursor": r[4]} for r in rows]

    def find_device(self, text: str) -> dict[str, Any]:
        """A device by name, full ID, or the first characters of its displayed ID."""
        devices = self.devices()
        t = text.strip()
        hits = [d for d in devices if d["name"] == t] or \
               [d for d in devices if d["display_id"].replace("-", "").startswith(t.replace("-", "").upper())
                and len(t.replace("-", "")) >= 4]
        if not hits:
            with contextlib.suppress(ProtocolError):
                raw = parse_device_id(t)
                hits = [d for d in devices if d["device_id"] == raw]
        if not hits:
            raise FamilyError(f"no paired device matches {text!r} (see `sprout-console devices`)")
        if len(hits) > 1:
            raise FamilyError(f"{text!r} matches {len(hits)} devices; give more of the ID")
        return hits[0]

    def peer_keys(self, device_id: str) -> PeerKeys:
        with self._lock:
            row = self._db.execute("SELECT sign, kx, name FROM devices WHERE device_id = ? AND revoked_at IS NULL",
                                   (device_id,)).fetchone()
        if row is None:
            raise FamilyError(f"device {device_id[:7]} is not paired with this console")
        return PeerKeys(b64d(row[0]), b64d(row[1]), row[2])

    def remove_device(self, device_id: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE devices SET revoked_at = ? WHERE device_id = ?", (time.time(), device_id))

    def forget_items(self, device_id: str, up_to_seq: int) -> int:
        """Delete a device's fetched reports up to a sequence number (the parent's "delete this history").
        secure_delete overwrites the freed pages, so the sealed rows do not linger in the file either."""
        with self._tx() as db:
            db.execute("PRAGMA secure_delete = ON")
            return db.execute("DELETE FROM items WHERE device_id = ? AND seq <= ?", (device_id, up_to_seq)).rowcount

    # ---- counters --------------------------------------------------------------------------------------
    def next_send(self, device_id: str, lane: int) -> int:
        with self._tx() as db:
            db.execute("INSERT INTO counters VALUES (?, ?, 1, 0) ON CONFLICT (device_id, lane) DO UPDATE SET "
                       "send_ctr = send_ctr + 1", (device_id, lane))
            return db.execute("SELECT send_ctr FROM counters WHERE device_id = ? AND lane = ?",
                              (device_id, lane)).fetchone()[0]

    def last_recv(self, device_id: str, lane: int) -> int:
        with self._lock:
            row = self._db.execute("SELECT recv_ctr FROM counters WHERE device_id = ? AND lane = ?",
                                   (device_id, lane)).fetchone()
        return row[0] if row else 0

    def accept_recv(self, device_id: str, lane: int, counter: int) -> None:
        with self._tx() as db:
            row = db.execute("SELECT recv_ctr FROM counters WHERE device_id = ? AND lane = ?",
                             (device_id, lane)).fetchone()
            if row is not None and counter <= row[0]:
                raise ProtocolError("replay", f"reply counter {counter} is not above {row[0]}")
            db.execute("INSERT INTO counters VALUES (?, ?, 0, ?) ON CONFLICT (device_id, lane) DO UPDATE SET "
                       "recv_ctr = excluded.recv_ctr", (device_id, lane, counter))

    # ---- reports and requests --------------------------------------------------------------------------
    def store_items(self, device_id: str, items: list[dict[str, Any]]) -> int:
        """Keep fetched outbox items and move the cursor in one transaction; a re-fetched item is ignored."""
        added = 0
        with self._tx() as db:
            (cursor,) = db.execute("SELECT cursor FROM devices WHERE device_id = ?", (device_id,)).fetchone()
            for item in items:
                seq = item["seq"]
                payload = item.get("payload")
                day, kind = _item_day(item), str(item.get("kind"))
                sealed = self._seal(row_identity(device_id, seq, kind, day), {"payload": payload, "at": item.get("at")})
                cur = db.execute("INSERT OR IGNORE INTO items VALUES (?, ?, ?, ?, ?, ?)",
                                 (device_id, seq, kind, day, time.time(), sealed))
                added += cur.rowcount
                cursor = max(cursor, seq)
            db.execute("UPDATE devices SET cursor = ? WHERE device_id = ?", (cursor, device_id))
        return added

    def cursor(self, device_id: str) -> int:
        with self._lock:
            row = self._db.execute("SELECT cursor FROM devices WHERE device_id = ?", (device_id,)).fetchone()
        return row[0] if row else 0

    def items(self, device_id: str | None = None, *, kind: str | None = None,
              day: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT device_id, seq, kind, day FROM items WHERE 1=1", []
        for col, val in (("device_id", device_id), ("kind", kind), ("day", day)):
            if val is not None:
                sql += f" AND {col} = ?"
                args.append(val)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY device_id, seq", args).fetchall()
            blobs = [self._db.execute("SELECT sealed FROM items WHERE device_id = ? AND seq = ?",
                                      (r[0], r[1])).fetchone()[0] for r in rows]
        out = []
        for (dev, seq, k, d), blob in zip(rows, blobs, strict=True):
            body = self._unseal(row_identity(dev, seq, k, d), blob, f"items/{dev}/{seq}")
            out.append({"device_id": dev, "seq": seq, "kind": k, "day": d, "payload": body.get("payload"),
                        "at": body.get("at")})
        return out

    def record_decision(self, request_id: str, device_id: str, state: str, minutes: int) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?)",
                       (request_id, device_id, state, minutes, time.time()))

    def open_requests(self) -> list[dict[str, Any]]:
        """Time requests not yet answered here or (as the agent reported) by another parent."""
        with self._lock:
            decided = {r[0] for r in self._db.execute("SELECT request_id FROM decisions")}
        answered = {(i["payload"] or {}).get("request_id") for i in self.items(kind="decision")}
        return [i for i in self.items(kind="time_request")
                if (i["payload"] or {}).get("id") not in decided | answered]

    def find_request(self, request_id: str) -> dict[str, Any]:
        for item in self.items(kind="time_request"):
            if (item["payload"] or {}).get("id") == request_id:
                return item
        raise FamilyError(f"no time request {request_id!r} is known (run `sprout-console requests` first)")


def _item_day(item: dict[str, Any]) -> str | None:
    payload = item.get("payload")
    if isinstance(payload, dict) and isinstance(payload.get("day"), str):
        return payload["day"][:10]
    at = item.get("at")
    if isinstance(at, int | float):
        return dt.datetime.fromtimestamp(at).date().isoformat()
    if isinstance(at, str):
        return at[:10]
    return None


def _open_chacha_row(key: bytes, where: str, blob: bytes) -> bytes | None:
    """A row as consoles before the shared row scheme sealed it (ChaCha20-Poly1305, AAD = where); only read, once,
    by _adopt_rows. None if it does not open."""
    try:
        return ChaCha20Poly1305(key).decrypt(blob[:12], blob[12:], where.encode())
    except (InvalidTag, ValueError):
        return None
