"""The agent's Web Push sender: the phones linked to this PC hand over their push subscriptions (a sealed
`push_subscribe` link message); when the child asks for time or something works against the protection, the agent —
which knows first — sends each of them a small notification encrypted to the phone (agent.protocol.webpush).

Pushes are a wake-up, never the record: the phone app still fetches every item by seq + cursor when it opens, so a
push lost by the network or the push service loses nothing but the nudge. A 404/410 from the push service removes the
subscription. Everything runs on this module's own thread, never the service's tick.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from agent.protocol import webpush
from agent.protocol.errors import ProtocolError

log = logging.getLogger("sprout.webpush")

VAULT_NAME = "webpush-subscriptions"  # the auth secrets and VAPID keys are secrets: the vault, like the link key
MAX_SUBSCRIPTIONS = 16
RETRY_S = (5.0, 30.0, 120.0)  # a push service that did not answer: tried again this long after, then dropped
BATCH = 50
GOODBYE_BUDGET_S = 4.0  # a clean stop waits at most this long for the push services (a service stop has ~20 s)


class PushBook:
    """Subscriptions per linked peer (its device ID), kept in the vault as one JSON document."""

    def __init__(self, vault: Any) -> None:
        self.vault = vault
        self._lock = threading.Lock()

    def _load(self) -> dict[str, dict[str, str]]:
        raw = self.vault.get(VAULT_NAME)
        if raw is None:
            return {}
        try:
            data = json.loads(raw)
            return data if isinstance(data, dict) else {}
        except ValueError:
            log.error("the stored push subscriptions are unreadable; phones subscribe again when they open")
            return {}

    def _save(self, data: dict[str, dict[str, str]]) -> None:
        self.vault.put(VAULT_NAME, json.dumps(data, sort_keys=True).encode())

    def subscribe(self, peer: str, payload: Any) -> webpush.Subscription:
        sub = webpush.parse_subscription(payload)
        with self._lock:
            data = self._load()
            if peer not in data and len(data) >= MAX_SUBSCRIPTIONS:
                raise ProtocolError("too_many", f"at most {MAX_SUBSCRIPTIONS} phones receive pushes from one PC")
            data[peer] = sub.to_json()
            self._save(data)
        return sub

    def remove(self, peer: str) -> bool:
        with self._lock:
            data = self._load()
            gone = data.pop(peer, None) is not None
            if gone:
                self._save(data)
        return gone

    def remove_endpoint(self, peer: str, endpoint: str) -> None:
        """Forget a subscription the push service called gone, unless the phone already sent a new one."""
        with self._lock:
            data = self._load()
            if data.get(peer, {}).get("endpoint") == endpoint:
                del data[peer]
                self._save(data)

    def all(self) -> dict[str, webpush.Subscription]:
        with self._lock:
            data = self._load()
        out = {}
        for peer, entry in data.items():
            try:
                out[peer] = webpush.parse_subscription(entry)
            except ProtocolError as exc:
                log.error("push subscription of %s unreadable: %s", peer[:12], exc.reason)
        return out


class WebPusher:
    """Sends notifications for new outbox items to every subscribed phone that is still paired."""

    def __init__(self, book: PushBook, backend: Any, agent_id: str, child_name: Callable[[], str],
                 is_paired: Callable[[str], bool], *, send: Callable[..., int] = webpush.send,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.book = book
        self.backend = backend
        self.agent_id = agent_id
        self.child_name = child_name
        self.is_paired = is_paired
        self._send = send
        self.monotonic = monotonic
        self._cursor = self._newest()  # what is older is fetched by the app; a push is for what happens from now
        self._retry: list[tuple[float, int, str, dict[str, Any]]] = []  # (due, tries, peer, note)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sprout-webpush", daemon=True)
        self.sent = 0

    def _newest(self) -> int:
        items = self.backend.outbox_since(0, 1_000_000)[-1:]
        return items[0]["seq"] if items else 0

    def start(self) -> WebPusher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)

    def notify(self) -> None:
        """The service wrote an outbox item (core.on_outbox)."""
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            due = min((r[0] for r in self._retry), default=None)
            self._wake.wait(None if due is None else max(0.0, due - self.monotonic()))
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self.push_new()
            except Exception:
                log.exception("web push failed")

    def push_new(self) -> int:
        """Send what is new since the last call, and the retries now due; how many notifications went out."""
        sent = 0
        now = self.monotonic()
        retry, self._retry = [r for r in self._retry if r[0] <= now], [r for r in self._retry if r[0] > now]
        for _, tries, peer, note in retry:
            sent += self._deliver(peer, note, tries)
        while True:
            items = self.backend.outbox_since(self._cursor, BATCH)
            if not items:
                break
            self._cursor = items[-1]["seq"]
            for item in items:
                note = webpush.notification(item, self.agent_id, self.child_name())
                if note is None:
                    continue
                for peer in self.book.all():
                    sent += self._deliver(peer, note, 0)
        self.sent += sent
        return sent

    def say_goodbye(self, at: float, budget_s: float = GOODBYE_BUDGET_S) -> bool:
        """The PC is stopping cleanly (shutdown, service stop): tell every subscribed phone "Minh Anh's PC turned off
        at 21:04" before it goes — once it is off nobody else can, unless a console happens to run. Call after
        stop(). True when every phone's push service took it (the bridge then says so with its "offline", and the
        console does not push the same news again); False when one was missed or there was none to tell."""
        note = dict(webpush.offline_notification(self.agent_id, self.child_name(), at), o=1)  # o: turned off
        end = self.monotonic() + budget_s
        told = missed = 0
        for peer, sub in self.book.all().items():
            left = end - self.monotonic()
            if left <= 0.2:
                missed += 1
                continue
            if not self.is_paired(peer):
                self.book.remove(peer)
                continue
            try:
                self._send(sub, dict(note, l=sub.lang), timeout_s=min(left, 3.0))
                told += 1
            except webpush.PushGone:
                self.book.remove_endpoint(peer, sub.endpoint)
            except (webpush.PushFailed, OSError) as exc:
                missed += 1
                log.warning("goodbye push to %s failed (%s)", peer[:12], getattr(exc, "status", exc))
        self.sent += told
        return told > 0 and missed == 0

    def _deliver(self, peer: str, note: dict[str, Any], tries: int) -> int:
        sub = self.book.all().get(peer)
        if sub is None:
            return 0
        if not self.is_paired(peer):  # a removed phone is refused everywhere, pushes included
            self.book.remove(peer)
            return 0
        note = dict(note, l=sub.lang)
        try:
            self._send(sub, note)
            return 1
        except webpush.PushGone:
            log.info("push subscription of %s is gone; removed", peer[:12])
            self.book.remove_endpoint(peer, sub.endpoint)
        except webpush.PushFailed as exc:
            if tries < len(RETRY_S):
                self._retry.append((self.monotonic() + RETRY_S[tries], tries + 1, peer, note))
            log.warning("push to %s failed (%s); %s", peer[:12], exc.status,
                        "will retry" if tries < len(RETRY_S) else "dropped: the app fetches it when opened")
        return 0
