"""The console's Web Push to the family's phones: "Minh Anh's PC has been offline since 21:04" for a PC that went
away without a goodbye (a crash, a pulled plug, a lost network) — the one event the PC cannot push itself. The
console hears it as the broker's last will on the PC's presence topic (app.relay_client) and pushes it to every
linked phone whose app is closed (docs/relay.md, "PC offline").

The phones hand their push subscriptions to the console as they do to the PCs: a sealed link envelope (kind
`push_subscribe` / `push_unsubscribe`, the phone's own counter) published *retained* on the console's own topic
`sprout/v1/<console>/in/<phone's broker account>` — the console need not be running when the phone subscribes; the
broker keeps the newest one per phone and the console reads it when it connects. A removed phone's subscription is
forgotten and never used again. The subscriptions (auth secrets, the phone's VAPID key) live in the console's vault.

Double notices: an agent that stops cleanly pushes "turned off at 21:04" itself and says so on its own "offline"
(user property `stop=told`); then the console stays quiet. Otherwise both may push: the phone's service worker
shows one notification per PC (tag `offline-<PC>`), the newer replacing the older.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent.protocol import relay, webpush
from agent.protocol.envelope import Channel
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import PeerKeys, b64d
from app.child_names import child_names, remember_child_name
from app.family import Family

log = logging.getLogger("sprout.console.push")

VAULT_NAME = "phone-push-subscriptions"
PUSHED_FILE = "offline-pushed.json"  # which "offline since" was pushed already, per PC (not secret)
RETRY_S = (5.0, 30.0)
SEND_TIMEOUT_S = 10.0


class ConsolePushBook:
    """Each linked phone's newest subscription and the last counter it used, in the console's vault."""

    def __init__(self, family: Family) -> None:
        self.family = family
        self._lock = threading.Lock()

    def _load(self) -> dict[str, dict[str, Any]]:
        raw = self.family.vault.get(VAULT_NAME)
        if raw is None:
            return {}
        try:
            data = json.loads(raw)
        except ValueError:
            log.error("the stored phone push subscriptions are unreadable; phones send them again when they open")
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, dict[str, Any]]) -> None:
        self.family.vault.put(VAULT_NAME, json.dumps(data, sort_keys=True).encode())

    def last_counter(self, phone_id: str) -> int:
        with self._lock:
            return int(self._load().get(phone_id, {}).get("ctr", 0))

    def put(self, phone_id: str, counter: int, sub: webpush.Subscription | None) -> None:
        """A phone's newest message: its subscription, or None when it turned pushes off."""
        with self._lock:
            data = self._load()
            data[phone_id] = {"ctr": counter, "sub": sub.to_json() if sub else None}
            self._save(data)

    def forget(self, phone_id: str) -> bool:
        """A removed phone: its keys and endpoint go (its counter too: a removed phone is refused anyway)."""
        with self._lock:
            data = self._load()
            gone = data.pop(phone_id, None) is not None
            if gone:
                self._save(data)
        return gone

    def all(self) -> dict[str, webpush.Subscription]:
        with self._lock:
            data = self._load()
        out = {}
        for phone, entry in data.items():
            if isinstance(entry, dict) and entry.get("sub"):
                try:
                    out[phone] = webpush.parse_subscription(entry["sub"])
                except ProtocolError as exc:
                    log.error("push subscription of phone %s unreadable: %s", phone[:12], exc.reason)
        return out


class PhonePushes:
    """Takes the phones' sealed subscriptions and pushes "offline" for PCs that left without a goodbye."""

    def __init__(self, family: Family, phones: Any, *, child_name: Callable[[str], str] | None = None,
                 send: Callable[..., int] = webpush.send, clock: Callable[[], float] = time.time,
                 retry_s: tuple[float, ...] = RETRY_S) -> None:
        self.family = family
        self.phones = phones  # app.phone_link.PhoneBook
        self.book = ConsolePushBook(family)
        self.child_name = child_name or self._device_name
        self._send = send
        self.clock = clock
        self.retry_s = retry_s
        self.sent = 0
        self.closers: list[Callable[[], None]] = []  # what closes with it (a PhoneBook it was made with)
        self.on_event: Callable[[str, dict[str, Any]], None] = lambda what, detail: None  # for the CLI's lines
        self._pushed_path = Path(family.dir) / PUSHED_FILE
        self._pushed_lock = threading.Lock()
        self._queue: queue.Queue[tuple[str, dict[str, Any] | None] | None] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sprout-console-push", daemon=True)
        self._thread.start()

    def _device_name(self, agent: str) -> str:
        """The child's name as the PC last said it (its policy's), else the PC's own name."""
        return child_names(self.family).get(agent) or next(
            (d["name"] for d in self.family.devices() if d["device_id"] == agent), "")

    def learn_name(self, agent: str, ask: Callable[[str], dict[str, Any]] | None = None) -> str:
        """Ask an online PC for its child's name (its status) and keep it for when the PC is off."""
        if ask is None:
            from app.link_client import DeviceLink

            def ask(device: str) -> dict[str, Any]:
                return DeviceLink(self.family, device).call("status", {})

        try:
            name = str((ask(agent).get("status") or {}).get("child_name") or "")
        except Exception as exc:  # the PC went again, or refused: the name stays what it was
            log.info("child's name of %s not learnt: %s", agent[:12], exc)
            return ""
        remember_child_name(self.family, agent, name)
        return name

    # ---- wiring ----------------------------------------------------------------------------------------
    def attach(self, conn: Any) -> None:
        """Listen on `conn` (an app.relay_client.RelayConnection): the phones' topic and every PC's presence."""
        conn.on_presence.append(self.heard_presence)
        conn.on_inbox.append(self.heard_phone)
        conn.listen_inbox()
        for d in self.family.devices():
            conn.watch(d["device_id"])

    def close(self) -> None:
        self._stop.set()
        self._queue.put(None)
        self._thread.join(timeout=5)
        for done in self.closers:
            done()

    # ---- the phones' subscriptions ---------------------------------------------------------------------
    def heard_phone(self, account: str, wire: bytes) -> str:
        """One message on `sprout/v1/<me>/in/<account>`; what became of it (for tests and the log)."""
        phone = self.phones.by_account(account)
        if phone is None:
            return "unknown"  # not a linked phone's account (or a removed one's): nothing to open
        keys = PeerKeys(b64d(phone["sign"]), b64d(phone["kx"]), phone["name"])
        try:
            header, payload = Channel(self.family.identity, keys).open(wire, self.book.last_counter(phone["device_id"]))
        except ProtocolError as exc:
            # the broker's retained copy of what was already taken comes back on every connection: a replay
            return "replay" if exc.code == "replay" else f"refused: {exc.code}"
        if header.kind == webpush.SUBSCRIBE_KIND:
            try:
                sub = webpush.parse_subscription(payload)
            except ProtocolError as exc:
                log.warning("phone %s sent a bad push subscription: %s", phone["device_id"][:12], exc.reason)
                return f"refused: {exc.code}"
            self.book.put(phone["device_id"], header.counter, sub)
            self.on_event("subscribed", {"phone": phone["name"]})
            return "subscribed"
        if header.kind == webpush.UNSUBSCRIBE_KIND:
            self.book.put(phone["device_id"], header.counter, None)
            self.on_event("unsubscribed", {"phone": phone["name"]})
            return "unsubscribed"
        return "refused: not_allowed"

    def forget_phone(self, phone_id: str) -> None:
        self.book.forget(phone_id)

    # ---- presence → push -------------------------------------------------------------------------------
    def _pushed(self) -> dict[str, Any]:
        try:
            data = json.loads(self._pushed_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def heard_presence(self, agent: str, entry: dict[str, Any]) -> None:
        if entry.get("online"):
            self._queue.put((agent, None))  # learn the child's name while the PC can say it
            return
        if entry.get("online") is not False or entry.get("since") is None:
            return
        if entry.get("stop") == "told":
            return  # the PC told every phone itself as it stopped
        since = int(entry["since"])
        with self._pushed_lock:  # once per time the PC went away, across console restarts
            pushed = self._pushed()
            if pushed.get(agent) == since:
                return
            pushed[agent] = since
            tmp = self._pushed_path.with_name(self._pushed_path.name + ".tmp")
            tmp.write_text(json.dumps(pushed), encoding="utf-8")
            tmp.replace(self._pushed_path)
        self._queue.put((agent, webpush.offline_notification(agent, self.child_name(agent), since)))

    def _run(self) -> None:
        while not self._stop.is_set():
            job = self._queue.get()
            if job is None:
                return
            try:
                if job[1] is None:
                    self.learn_name(job[0])
                else:
                    self.push_offline(job[0], job[1])
            except Exception:
                log.exception("offline push failed")

    def push_offline(self, agent: str, note: dict[str, Any]) -> int:
        """Send the note to every linked phone's push service; how many took it."""
        told = 0
        for phone, sub in self.book.all().items():
            if self.phones.removed(phone):
                self.book.forget(phone)
                continue
            for attempt in range(len(self.retry_s) + 1):
                try:
                    self._send(sub, dict(note, l=sub.lang), timeout_s=SEND_TIMEOUT_S)
                    told += 1
                    break
                except webpush.PushGone:
                    log.info("push subscription of phone %s is gone; forgotten", phone[:12])
                    self.book.forget(phone)
                    break
                except webpush.PushFailed as exc:
                    if attempt == len(self.retry_s) or self._stop.wait(self.retry_s[attempt]):
                        log.warning("offline push to phone %s failed (%s); dropped", phone[:12], exc.status)
                        break
        self.sent += told
        self.on_event("pushed", {"agent": agent, "child": note.get("n", ""), "phones": told})
        return told


def start_for(family: Family, make_phones: Callable[[], Any]) -> PhonePushes | None:
    """What a running console window does: listen on the family's relay (if it has one) on a thread of its own, so a
    broker that is slow or away never holds up the window. None when there is no relay. `make_phones` gives the
    console's PhoneBook (closed with the returned PhonePushes)."""
    from app.relay_client import for_family

    try:
        conn = for_family(family)
    except Exception as exc:  # unreadable relay settings: the window says so elsewhere
        log.warning("no phone pushes: %s", exc)
        return None
    if conn is None:
        return None
    phones = make_phones()
    pushes = PhonePushes(family, phones)
    pushes.closers.append(phones.close)

    def attach() -> None:
        try:
            pushes.attach(conn)
        except Exception as exc:  # the broker is away now: the window works without it
            log.warning("phone pushes not listening: %s", exc)

    threading.Thread(target=attach, name="sprout-console-push-attach", daemon=True).start()
    return pushes


def phone_topic(console: str, account: str) -> str:
    """Where a phone leaves its sealed subscription for the console (retained; its own account's topic)."""
    return relay.in_topic(console, account)
