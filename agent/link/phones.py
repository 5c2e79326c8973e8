"""The parent's linked phones as this agent knows them (docs/phone-linking.md): pinned only on a paired console's
signed `phone_add`, refused for good after its `phone_remove`. Kept in link.sqlite beside the consoles, in the same
transactions (the counters table already keys peers by device ID, so a phone's counters live there too).

A phone is a peer with limited rights (agent.protocol.phone_link.PHONE_KINDS); its relay account name (a random slot
on the family's broker, not its device ID) is its topic there, so the bridge maps that name back to the phone.
"""

from __future__ import annotations

from typing import Any

from agent.link.state import LinkState
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import PeerKeys, b64d, b64e

_SCHEMA = """
CREATE TABLE IF NOT EXISTS phones (device_id TEXT PRIMARY KEY, sign TEXT NOT NULL, kx TEXT NOT NULL,
    name TEXT NOT NULL, relay TEXT NOT NULL, added_by TEXT NOT NULL, added_at REAL NOT NULL,
    removed_at REAL, removed_by TEXT);
"""


class PhoneBook:
    def __init__(self, state: LinkState) -> None:
        self.state = state
        with state._lock:  # one file, one lock: the link state's own
            state._db.executescript(_SCHEMA)

    def add(self, phone: PeerKeys, relay: str, by: str) -> bool:
        """Pin a phone (True if new). A removed phone's key is refused for good: it links again with a new one."""
        with self.state._tx() as db:
            row = db.execute("SELECT removed_at FROM phones WHERE device_id = ?", (phone.device_id,)).fetchone()
            if row is not None and row[0] is not None:
                raise ProtocolError("revoked", "this phone was removed from the family; its key is refused")
            if row is not None:
                db.execute("UPDATE phones SET name = ?, relay = ? WHERE device_id = ?",
                           (phone.name, relay, phone.device_id))
                return False
            db.execute("INSERT INTO phones (device_id, sign, kx, name, relay, added_by, added_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", (phone.device_id, b64e(phone.sign_pub), b64e(phone.kx_pub),
                                                        phone.name, relay, by, self.state.clock()))
            return True

    def remove(self, device_id: str, by: str) -> bool:
        with self.state._tx() as db:
            cur = db.execute("UPDATE phones SET removed_at = ?, removed_by = ? WHERE device_id = ? AND "
                             "removed_at IS NULL", (self.state.clock(), by, device_id))
            if cur.rowcount == 0 and db.execute("SELECT 1 FROM phones WHERE device_id = ?",
                                                (device_id,)).fetchone() is None:
                # removed before this PC ever heard of it (its phone_add was lost): refuse it from now on anyway
                db.execute("INSERT INTO phones (device_id, sign, kx, name, relay, added_by, added_at, removed_at, "
                           "removed_by) VALUES (?, '', '', '', '', ?, ?, ?, ?)",
                           (device_id, by, self.state.clock(), self.state.clock(), by))
                return True
            return cur.rowcount == 1

    def peer(self, device_id: str) -> PeerKeys | None:
        """A linked, not removed phone, or None."""
        with self.state._lock:
            row = self.state._db.execute("SELECT sign, kx, name FROM phones WHERE device_id = ? AND removed_at IS "
                                         "NULL", (device_id,)).fetchone()
        return PeerKeys(b64d(row[0]), b64d(row[1]), row[2]) if row else None

    def removed(self, device_id: str) -> dict[str, Any] | None:
        with self.state._lock:
            row = self.state._db.execute("SELECT name, removed_at, removed_by FROM phones WHERE device_id = ? AND "
                                         "removed_at IS NOT NULL", (device_id,)).fetchone()
        return {"name": row[0], "removed_at": row[1], "removed_by": row[2]} if row else None

    def by_relay(self, account: str) -> str | None:
        """The device ID of the phone whose broker account (its topic name) this is — a removed one too, so that it
        is refused as removed (slots are never handed out twice)."""
        with self.state._lock:
            row = self.state._db.execute("SELECT device_id FROM phones WHERE relay = ? AND relay != '' ORDER BY "
                                         "removed_at IS NOT NULL LIMIT 1", (account,)).fetchone()
        return row[0] if row else None

    def relay_of(self, device_id: str) -> str | None:
        with self.state._lock:
            row = self.state._db.execute("SELECT relay FROM phones WHERE device_id = ? AND removed_at IS NULL",
                                         (device_id,)).fetchone()
        return (row[0] or device_id) if row else None

    def list(self, *, include_removed: bool = False) -> list[dict[str, Any]]:
        sql = "SELECT device_id, name, relay, added_by, added_at, removed_at FROM phones"
        if not include_removed:
            sql += " WHERE removed_at IS NULL"
        with self.state._lock:
            rows = self.state._db.execute(sql + " ORDER BY added_at").fetchall()
        return [{"device_id": r[0], "name": r[1], "relay": r[2], "added_by": r[3], "added_at": r[4],
                 "removed_at": r[5]} for r in rows]
