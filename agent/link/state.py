"""What the link remembers between restarts, in its own SQLite file (link.sqlite, mode 0600, beside the store):
pinned consoles, revoked keys, per-direction counters, the pairing code and its burn count, refused-message events.

Nothing here is secret except the open pairing code (short-lived, single use); keys stay in the vault. Several
processes use the file at once (`sprout-agent pair` beside the running link), so every change is one transaction.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent.protocol.errors import ProtocolError
from agent.protocol.identity import PeerKeys, b64d, b64e
from agent.protocol.pairing import new_code
from agent.store import sqlite

CODE_TTL_S = 600.0
MAX_BURNS = 5  # then pairing closes until someone at the child's PC opens it again
MAX_EVENTS = 1000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS peers (device_id TEXT PRIMARY KEY, sign TEXT NOT NULL, kx TEXT NOT NULL,
    name TEXT NOT NULL, paired_at REAL NOT NULL, revoked_at REAL);
CREATE TABLE IF NOT EXISTS counters (device_id TEXT NOT NULL, lane INTEGER NOT NULL, send_ctr INTEGER NOT NULL,
    recv_ctr INTEGER NOT NULL, PRIMARY KEY (device_id, lane));
CREATE TABLE IF NOT EXISTS pairing (id INTEGER PRIMARY KEY CHECK (id = 1), code TEXT, expires REAL,
    burns INTEGER NOT NULL DEFAULT 0, closed_reason TEXT);
CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, code TEXT NOT NULL,
    peer TEXT, detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pairing_approval (id INTEGER PRIMARY KEY CHECK (id = 1), until REAL NOT NULL,
    by TEXT NOT NULL);
"""
BURNED_OUT = "closed after"  # closed_reason prefix when MAX_BURNS failures closed pairing


class LinkState:
    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite.connect(self.path, timeout=10, synchronous="NORMAL")
        self._db.executescript(_SCHEMA)
        self._db.execute("INSERT OR IGNORE INTO pairing (id, burns) VALUES (1, 0)")
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _tx(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return sqlite.transaction(self._db, self._lock)

    # ---- pairing code ----------------------------------------------------------------------------------
    def open_pairing(self, *, force_new: bool = False, by: str = "admin at this PC") -> tuple[str, float]:
        """The parent opens pairing (`sprout-agent pair` by the PC's administrator, or a paired console's approval):
        the open code and its expiry (epoch seconds), a fresh one if none is valid or force_new. Only this
        parent's act resets the burn count."""
        now = self.clock()
        with self._tx() as db:
            db.execute("INSERT INTO pairing_approval (id, until, by) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE "
                       "SET until = excluded.until, by = excluded.by", (now + CODE_TTL_S, by))
            code, expires = db.execute("SELECT code, expires FROM pairing WHERE id = 1").fetchone()
            if code and expires > now and not force_new:
                db.execute("UPDATE pairing SET burns = 0, closed_reason = NULL WHERE id = 1")
                return code, expires
            code, expires = new_code(), now + CODE_TTL_S
            db.execute("UPDATE pairing SET code = ?, expires = ?, burns = 0, closed_reason = NULL WHERE id = 1",
                       (code, expires))
        self.record_event("pair_opened", None, f"pairing opened by {by}")
        return code, expires

    def family_paired(self) -> bool:
        """A console was ever paired (revoked ones count: removing every console does not make a PC new again)."""
        with self._lock:
            return self._db.execute("SELECT 1 FROM peers LIMIT 1").fetchone() is not None

    def approved(self) -> bool:
        with self._lock:
            row = self._db.execute("SELECT until FROM pairing_approval WHERE id = 1").fetchone()
        return row is not None and row[0] > self.clock()

    def offer_code(self) -> tuple[str, float] | None:
        """The code the companion may show, or None. Before the family's first pairing (a new PC) a code is kept
        open; afterwards only while a parent's approval (`open_pairing`) lasts. A code that expired is replaced
        without resetting the burn count, and a pairing closed by failed tries stays closed."""
        now = self.clock()
        if self.family_paired() and not self.approved():
            return None
        with self._tx() as db:
            code, expires, reason = db.execute(
                "SELECT code, expires, closed_reason FROM pairing WHERE id = 1").fetchone()
            if reason and reason.startswith(BURNED_OUT):
                return None
            if code and expires > now:
                return code, expires
            code, expires = new_code(), now + CODE_TTL_S
            db.execute("UPDATE pairing SET code = ?, expires = ?, closed_reason = NULL WHERE id = 1", (code, expires))
            return code, expires

    def current_code(self) -> tuple[str | None, float | None, str | None]:
        with self._lock:
            code, expires, reason = self._db.execute(
                "SELECT code, expires, closed_reason FROM pairing WHERE id = 1").fetchone()
        if code and expires <= self.clock():
            return None, None, "expired"
        return code, expires, reason

    def spend_code(self) -> str:
        """Take the code for one SPAKE2 run: whatever happens next, it cannot be tried again."""
        now = self.clock()
        with self._tx() as db:
            code, expires, reason = db.execute(
                "SELECT code, expires, closed_reason FROM pairing WHERE id = 1").fetchone()
            if not code:
                why = f" ({reason})" if reason else ""
                raise ProtocolError("pairing_closed", f"no pairing code is open{why}: run `sprout-agent pair` on "
                                                      "the child's PC")
            db.execute("UPDATE pairing SET code = NULL WHERE id = 1")
            if expires <= now:
                db.execute("UPDATE pairing SET closed_reason = 'expired' WHERE id = 1")
                raise ProtocolError("code_expired", "the pairing code has expired: run `sprout-agent pair` again")
            return code

    def burn(self, why: str) -> str | None:
        """A failed try: show a new code, or close pairing after MAX_BURNS failures in a row."""
        now = self.clock()
        with self._tx() as db:
            burns, reason = db.execute("SELECT burns, closed_reason FROM pairing WHERE id = 1").fetchone()
            burns += 1
            if burns >= MAX_BURNS:
                db.execute("UPDATE pairing SET code = NULL, burns = ?, closed_reason = ? WHERE id = 1",
                           (burns, f"{BURNED_OUT} {burns} failed tries"))
                code = None
            elif reason is not None:
                # Pairing is closed (done, or burnt out): a late failure, such as an abandoned session swept after
                # the family paired, counts but never opens a new code.
                db.execute("UPDATE pairing SET burns = ? WHERE id = 1", (burns,))
                code = None
            else:
                code = new_code()
                db.execute("UPDATE pairing SET code = ?, expires = ?, burns = ? WHERE id = 1",
                           (code, now + CODE_TTL_S, burns))
        self.record_event("pair_failed", None, why)
        return code

    def pairing_done(self) -> None:
        with self._tx() as db:
            db.execute("UPDATE pairing SET code = NULL, burns = 0, closed_reason = 'paired' WHERE id = 1")
            db.execute("DELETE FROM pairing_approval")  # one approval, one pairing

    # ---- peers -----------------------------------------------------------------------------------------
    def pin(self, peer: PeerKeys) -> None:
        with self._tx() as db:
            row = db.execute("SELECT revoked_at FROM peers WHERE device_id = ?", (peer.device_id,)).fetchone()
            if row is not None and row[0] is not None:
                raise ProtocolError("revoked", "this console's key was unpaired and is refused from now on")
            if row is None:
                db.execute("INSERT INTO peers (device_id, sign, kx, name, paired_at) VALUES (?, ?, ?, ?, ?)",
                           (peer.device_id, b64e(peer.sign_pub), b64e(peer.kx_pub), peer.name, self.clock()))
            else:
                db.execute("UPDATE peers SET name = ? WHERE device_id = ?", (peer.name, peer.device_id))

    def is_revoked(self, device_id: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT revoked_at FROM peers WHERE device_id = ?", (device_id,)).fetchone()
        return row is not None and row[0] is not None

    def peer(self, device_id: str) -> PeerKeys | None:
        """A pinned, unrevoked console, or None."""
        with self._lock:
            row = self._db.execute("SELECT sign, kx, name FROM peers WHERE device_id = ? AND revoked_at IS NULL",
                                   (device_id,)).fetchone()
        if row is None:
            return None
        return PeerKeys(b64d(row[0]), b64d(row[1]), row[2])

    def peers(self, *, include_revoked: bool = False) -> list[dict[str, Any]]:
        sql = "SELECT device_id, name, paired_at, revoked_at FROM peers"
        if not include_revoked:
            sql += " WHERE revoked_at IS NULL"
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY paired_at").fetchall()
        return [{"device_id": r[0], "name": r[1], "paired_at": r[2], "revoked_at": r[3]} for r in rows]

    def revoke(self, device_id: str) -> bool:
        with self._tx() as db:
            cur = db.execute("UPDATE peers SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL",
                             (self.clock(), device_id))
            return cur.rowcount == 1

    # ---- counters --------------------------------------------------------------------------------------
    def counters(self, device_id: str, lane: int = 0) -> tuple[int, int]:
        """(last sent, last received) for one console on one lane."""
        with self._lock:
            row = self._db.execute("SELECT send_ctr, recv_ctr FROM counters WHERE device_id = ? AND lane = ?",
                                   (device_id, lane)).fetchone()
        return (row[0], row[1]) if row else (0, 0)

    def all_counters(self) -> list[tuple[str, int, int, int]]:
        with self._lock:
            return self._db.execute("SELECT device_id, lane, send_ctr, recv_ctr FROM counters ORDER BY 1, 2").fetchall()

    def accept_recv(self, device_id: str, lane: int, counter: int) -> None:
        with self._tx() as db:
            row = db.execute("SELECT recv_ctr FROM counters WHERE device_id = ? AND lane = ?",
                             (device_id, lane)).fetchone()
            last = row[0] if row else 0
            if counter <= last:
                raise ProtocolError("replay", f"counter {counter} is not above {last}: replayed or reordered")
            db.execute("INSERT INTO counters (device_id, lane, send_ctr, recv_ctr) VALUES (?, ?, 0, ?) "
                       "ON CONFLICT (device_id, lane) DO UPDATE SET recv_ctr = excluded.recv_ctr",
                       (device_id, lane, counter))

    def next_send(self, device_id: str, lane: int = 0) -> int:
        """Reserve the next outgoing counter; stored before use so a crash can never reuse a nonce."""
        with self._tx() as db:
            db.execute("INSERT INTO counters (device_id, lane, send_ctr, recv_ctr) VALUES (?, ?, 1, 0) "
                       "ON CONFLICT (device_id, lane) DO UPDATE SET send_ctr = send_ctr + 1", (device_id, lane))
            (ctr,) = db.execute("SELECT send_ctr FROM counters WHERE device_id = ? AND lane = ?",
                                (device_id, lane)).fetchone()
            return ctr

    # ---- events ----------------------------------------------------------------------------------------
    def record_event(self, code: str, peer: str | None, detail: str) -> None:
        with self._tx() as db:
            cur = db.execute("INSERT INTO events (at, code, peer, detail) VALUES (?, ?, ?, ?)",
                             (self.clock(), code, peer, detail[:300]))
            if cur.lastrowid and cur.lastrowid % 100 == 0:
                db.execute("DELETE FROM events WHERE id <= ?", (cur.lastrowid - MAX_EVENTS,))

    def events(self, limit: int = 100) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT at, code, peer, detail FROM events ORDER BY id DESC LIMIT ?",
                                    (limit,)).fetchall()
        return [{"at": r[0], "code": r[1], "peer": r[2], "detail": r[3]} for r in rows]
