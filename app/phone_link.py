"""The console's side of linking the parent's phone (docs/phone-linking.md): show a QR code and a short code, answer
the phone's hello on the family's broker, sign the phone into the family (`phone_add`), tell every child's PC, and
remove a phone again (`phone_remove`), after which it is refused everywhere — by each PC, and here (a removed phone's
key can never link again).

What the console keeps (phones.sqlite in its folder; slot passwords in its vault): the phone accounts `sprout-relay
setup --phones N` made for it, which phone holds which, the linked phones, and which PC has not yet heard of a change
(told again on the next `phone` command or window refresh).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agent.protocol import phone_link, relay
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import PeerKeys, b64e
from agent.store import sqlite
from app.family import Family
from app.link_errors import LinkError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS slots (username TEXT PRIMARY KEY, phone_id TEXT, retired_at REAL);
CREATE TABLE IF NOT EXISTS phones (device_id TEXT PRIMARY KEY, sign TEXT NOT NULL, kx TEXT NOT NULL,
    name TEXT NOT NULL, relay TEXT NOT NULL, added_at REAL NOT NULL, removed_at REAL);
CREATE TABLE IF NOT EXISTS untold (device_id TEXT NOT NULL, phone_id TEXT NOT NULL, kind TEXT NOT NULL,
    payload TEXT NOT NULL, PRIMARY KEY (device_id, phone_id, kind));
"""


def _slot_secret(username: str) -> str:
    return f"phone-slot-{username}"


class PhoneBook:
    """The console's record of its phones and phone accounts."""

    def __init__(self, family: Family, clock: Callable[[], float] = time.time) -> None:
        self.family = family
        self.clock = clock
        self._file = sqlite.Locked(sqlite.connect(family.dir / "phones.sqlite", timeout=30))
        self._db, self._lock = self._file.conn, self._file.lock
        self._db.executescript(_SCHEMA)
        self._tx = self._file.tx
        self.close = self._file.close

    # ---- phone accounts on the broker ----------------------------------------------------------------------
    def import_slots(self, data: Any, where: str) -> int:
        """The bundle `sprout-relay setup --phones N` wrote for this console; returns how many accounts are new."""
        slots = data.get("phone_slots") if isinstance(data, dict) else None
        if not isinstance(slots, list) or not all(isinstance(s, dict) and relay.is_device_id(s.get("username"))
                                                  and isinstance(s.get("password"), str) for s in slots):
            raise LinkError("bad_bundle", f"{where}: phone_slots must be a list of {{username, password}}")
        if data.get("console") not in (None, self.family.identity.device_id):
            raise LinkError("wrong_bundle", f"{where}: these phone accounts are another console's")
        new = 0
        with self._tx() as db:
            for s in slots:
                self.family.vault.put(_slot_secret(s["username"]), s["password"].encode())
                new += db.execute("INSERT OR IGNORE INTO slots (username) VALUES (?)", (s["username"],)).rowcount
        return new

    def free_slots(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM slots WHERE phone_id IS NULL AND retired_at IS NULL"
                                    ).fetchone()[0]

    def _take_slot(self, db: sqlite3.Connection, phone_id: str) -> tuple[str, str] | None:
        row = db.execute("SELECT username FROM slots WHERE phone_id IS NULL AND retired_at IS NULL ORDER BY username "
                         "LIMIT 1").fetchone()
        if row is None:
            return None
        password = self.family.vault.get(_slot_secret(row[0]))
        if password is None:
            return None
        db.execute("UPDATE slots SET phone_id = ? WHERE username = ?", (phone_id, row[0]))
        return row[0], password.decode()

    # ---- phones ------------------------------------------------------------------------------------------
    def removed(self, device_id: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT removed_at FROM phones WHERE device_id = ?", (device_id,)).fetchone()
        return row is not None and row[0] is not None

    def phones(self, *, include_removed: bool = False) -> list[dict[str, Any]]:
        sql = "SELECT device_id, name, relay, added_at, removed_at FROM phones"
        if not include_removed:
            sql += " WHERE removed_at IS NULL"
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY added_at").fetchall()
            untold = self._db.execute("SELECT phone_id, COUNT(*) FROM untold GROUP BY phone_id").fetchall()
        waiting = dict(untold)
        return [{"device_id": r[0], "name": r[1], "relay": r[2], "added_at": r[3], "removed_at": r[4],
                 "untold": waiting.get(r[0], 0)} for r in rows]

    def by_account(self, username: str) -> dict[str, Any] | None:
        """The linked (not removed) phone that holds this broker account, with its public keys; None otherwise."""
        with self._lock:
            row = self._db.execute("SELECT device_id, sign, kx, name FROM phones WHERE relay = ? AND relay != '' "
                                   "AND removed_at IS NULL", (username,)).fetchone()
        return None if row is None else {"device_id": row[0], "sign": row[1], "kx": row[2], "name": row[3]}

    def find(self, text: str) -> dict[str, Any]:
        t = text.strip()
        phones = self.phones()
        hits = [p for p in phones if p["name"] == t] or [p for p in phones if len(t) >= 4 and
                                                         p["device_id"].startswith(t.replace("-", "").upper())]
        if len(hits) != 1:
            from app.family import FamilyError

            raise FamilyError(f"no linked phone is called {text!r} (see `sprout-console phone list`)" if not hits
                              else f"{text!r} matches {len(hits)} phones; give more of the ID")
        return hits[0]

    def add(self, phone: PeerKeys, *, need_slot: bool = True) -> tuple[str, str] | None:
        """Record a phone that proved the code, give it a broker account; None if no account is free."""
        with self._tx() as db:
            slot = self._take_slot(db, phone.device_id)
            if slot is None and need_slot:
                return None
            db.execute("INSERT INTO phones (device_id, sign, kx, name, relay, added_at) VALUES (?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (device_id) DO UPDATE SET name = excluded.name",
                       (phone.device_id, b64e(phone.sign_pub), b64e(phone.kx_pub), phone.name,
                        slot[0] if slot else "", self.clock()))
            return slot or ("", "")

    def mark_removed(self, device_id: str) -> str:
        """The phone is gone for good here; its broker account is retired (never handed out again). Its slot name."""
        with self._tx() as db:
            db.execute("UPDATE phones SET removed_at = ? WHERE device_id = ? AND removed_at IS NULL",
                       (self.clock(), device_id))
            db.execute("UPDATE slots SET retired_at = ? WHERE phone_id = ?", (self.clock(), device_id))
            row = db.execute("SELECT relay FROM phones WHERE device_id = ?", (device_id,)).fetchone()
        return row[0] if row else ""

    # ---- telling the child's PCs -------------------------------------------------------------------------
    def queue(self, phone_id: str, kind: str, payload: dict[str, Any]) -> None:
        with self._tx() as db:
            for d in self.family.devices():
                if kind == "phone_remove":  # a remove replaces an add that never reached this PC
                    db.execute("DELETE FROM untold WHERE device_id = ? AND phone_id = ?", (d["device_id"], phone_id))
                db.execute("INSERT OR REPLACE INTO untold VALUES (?, ?, ?, ?)",
                           (d["device_id"], phone_id, kind, json.dumps(payload)))

    def tell(self, call: Callable[[str, str, dict[str, Any]], Any] | None = None) -> dict[str, str]:
        """Send every change a PC has not heard yet (LAN first, then the relay); {PC name: "ok" or why not}."""
        if call is None:
            from app.link_client import DeviceLink

            def call(device: str, kind: str, payload: dict[str, Any]) -> Any:
                return DeviceLink(self.family, device).call(kind, payload)

        with self._lock:
            rows = self._db.execute("SELECT device_id, phone_id, kind, payload FROM untold ORDER BY kind").fetchall()
        names = {d["device_id"]: d["name"] for d in self.family.devices()}
        result: dict[str, str] = {}
        for device, phone_id, kind, payload in rows:
            if device not in names:  # unpaired since: nothing to tell
                with self._tx() as db:
                    db.execute("DELETE FROM untold WHERE device_id = ?", (device,))
                continue
            try:
                call(device, kind, json.loads(payload))
            except LinkError as exc:
                if exc.code not in ("revoked", "phone_removed"):  # a PC that already refuses it needs no more
                    result[names[device]] = exc.reason
                    continue
            with self._tx() as db:
                db.execute("DELETE FROM untold WHERE device_id = ? AND phone_id = ? AND kind = ?",
                           (device, phone_id, kind))
            result.setdefault(names[device], "ok")
        return result

    def remove(self, device_id: str) -> str:
        """Remove a phone: refused here at once, each PC told (now, or when next reachable). Its slot name."""
        slot = self.mark_removed(device_id)
        from app.phone_push import ConsolePushBook

        ConsolePushBook(self.family).forget(device_id)  # its push keys go with it: no "offline" reaches it again
        self.queue(device_id, "phone_remove", phone_link.sign_phone_remove(self.family.identity, device_id,
                                                                           self.clock()))
        return slot


@dataclass
class LinkOutcome:
    phone: PeerKeys | None = None
    error: str | None = None  # wrong_code (burnt), expired, no_slot, removed…


class ConsoleLink:
    """One open link: the ticket (QR + code) and the answer to each hello that arrives for its locator."""

    def __init__(self, book: PhoneBook, settings: relay.RelaySettings | None, *, ws: str = "",
                 clock: Callable[[], float] = time.time) -> None:
        self.book = book
        self.family = book.family
        self.settings = settings
        self.clock = clock
        ca_fp = phone_link.ca_fingerprint(settings.ca_pem) if settings else ""
        self.ticket = phone_link.LinkTicket.new(self.family.identity.device_id, clock(),
                                                broker=settings.broker if settings else "", ws=ws, ca_fp=ca_fp)
        self.tries = 0
        self.done: LinkOutcome | None = None
        self._lock = threading.Lock()

    def _offer(self, phone: PeerKeys, slot: tuple[str, str]) -> dict[str, Any]:
        from app.child_names import child_names

        names = child_names(self.family)  # the phone shows the child's name, not the PC's host name
        agents = []
        for d in self.family.devices():
            keys = self.family.peer_keys(d["device_id"])
            agents.append({"id": d["device_id"], "name": d["name"], "child": names.get(d["device_id"], ""),
                           "sign": b64e(keys.sign_pub), "kx": b64e(keys.kx_pub)})
        s = self.settings
        return {"phone_add": phone_link.sign_phone_add(self.family.identity, phone, slot[0], self.clock()),
                "agents": agents,
                "relay": {"broker": s.broker if s else "", "ws": self.ticket.ws, "ca": s.ca_pem if s else "",
                          "username": slot[0], "password": slot[1]}}

    def answer(self, wire: bytes) -> tuple[bytes | None, LinkOutcome | None]:
        """(answer to publish or None to stay silent, the outcome once the link is decided)."""
        with self._lock:
            try:
                mode, _keys, _n, _b = phone_link.peek_hello(wire)
            except ProtocolError:
                return None, None  # not a hello at all: costs nothing, burns nothing
            if self.done is not None:
                return phone_link.refusal("used"), None
            if self.clock() > self.ticket.expires:
                self.done = LinkOutcome(error="expired")
                return phone_link.refusal("expired"), self.done
            try:
                phone = phone_link.open_hello(self.ticket.key(mode), self.ticket.locator, wire)
            except ProtocolError:
                self.tries += 1
                if self.tries >= phone_link.MAX_TRIES:
                    self.done = LinkOutcome(error="wrong_code")
                return phone_link.refusal("wrong_code"), self.done
            if self.book.removed(phone.device_id):
                return phone_link.refusal("removed"), None
            slot = self.book.add(phone, need_slot=self.settings is not None)
            if slot is None:
                self.done = LinkOutcome(error="no_slot")
                return phone_link.refusal("no_slot"), self.done
            offer = self._offer(phone, slot)
            self.book.queue(phone.device_id, "phone_add", offer["phone_add"])
            self.done = LinkOutcome(phone=phone)
            key = self.ticket.key(mode)
            return phone_link.make_offer(key, self.family.identity, phone, wire, offer), self.done


def relay_settings(family: Family) -> relay.RelaySettings:
    from app.relay_client import load_settings

    settings = load_settings(family)
    if settings is None:
        raise LinkError("no_relay", "a phone reaches the family through its broker, and this console has none yet "
                                    "(sprout-console relay import FILE)")
    return settings


def serve(link: ConsoleLink, timeout_s: float, on_ready: Callable[[], None] | None = None,
          stop: threading.Event | None = None) -> LinkOutcome:
    """Listen on the ticket's link topic through the family's broker until a phone links, the code is burnt or it
    expires (or `stop` is set)."""
    assert link.settings is not None
    finished = threading.Event()
    ready = threading.Event()
    req, resp = phone_link.req_topic(link.ticket.locator), phone_link.resp_topic(link.ticket.locator)

    def on_message(client: Any, userdata: Any, msg: Any) -> None:
        try:
            answer, outcome = link.answer(bytes(msg.payload))
        except Exception:  # one bad message must not stop the loop
            import logging

            logging.getLogger("sprout.console").exception("phone link message not handled")
            return
        if answer is not None:
            client.publish(resp, answer, qos=1)
        if outcome is not None:
            finished.set()

    def on_connect(client: Any) -> None:
        client.on_subscribe = lambda *a: ready.set()
        client.subscribe(req, qos=1)

    try:
        client = relay.connect(link.settings, on_message=on_message, on_connect=on_connect,
                               client_id=f"console-link-{link.family.identity.device_id[:12]}")
    except relay.RelayError as exc:
        raise LinkError("unreachable", f"the relay: {exc.reason}") from None
    try:
        ready.wait(10)
        if on_ready is not None:
            on_ready()
        deadline = min(link.ticket.expires - link.clock(), timeout_s)
        end = time.monotonic() + max(0.0, deadline)
        while not finished.is_set() and time.monotonic() < end and not (stop and stop.is_set()):
            finished.wait(0.2)
        time.sleep(0.3)  # let the answer leave before the connection goes
    finally:
        client.disconnect()
        client.loop_stop()
    return link.done or LinkOutcome(error="expired" if not (stop and stop.is_set()) else "cancelled")
