"""The console's end of the relay (docs/relay.md): the same sealed envelopes as the LAN link, through the family's
MQTT broker, for when the child's PC cannot be reached on the LAN. The parent does nothing different: DeviceLink
tries the LAN and falls back to this transport by itself.

One connection per console process, made when first needed. Requests carry random correlation data; the agent's
reply carries it back on this console's own `out/` topic (the broker lets nobody else read it). Items the agent
pushes unprompted (lane 2) are stored when they follow the stored cursor, so exactly-once still comes from seq +
cursor. Presence (retained, the agent's last will = offline) becomes "Minh Anh's PC has been offline since 14:05".
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent.protocol import relay
from agent.protocol import session as v2
from agent.protocol.envelope import LANE_PUSH, Channel
from agent.protocol.errors import ProtocolError
from app.family import Family
from app.link_errors import LinkError

SETTINGS_FILE = "relay.json"
PRESENCE_FILE = "presence.json"
PASSWORD_SECRET = "relay-password"
SUBSCRIBE_TIMEOUT_S = 10.0
SESSION_MAX_AGE_S = 3600.0  # a long-running console makes a new v2 session (new ephemeral keys) every hour

OFFLINE_TEXT = {"vi": "Máy của {name} đã ngoại tuyến từ {time}", "en": "{name}'s PC has been offline since {time}"}
OFFLINE_NO_TIME = {"vi": "Máy của {name} đang ngoại tuyến", "en": "{name}'s PC is offline"}


def save_settings(family: Family, settings: relay.RelaySettings) -> None:
    if settings.username != family.identity.device_id:
        raise relay.RelayError("wrong_bundle", f"this bundle is for device {settings.username[:13]}…, not for this "
                                               f"console ({family.identity.device_id[:13]}…)")
    family.vault.put(PASSWORD_SECRET, settings.password.encode())
    path = family.dir / SETTINGS_FILE
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(settings.public_json(), indent=1), encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)


def load_settings(family: Family) -> relay.RelaySettings | None:
    path = family.dir / SETTINGS_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise LinkError("bad_settings", f"{path}: unreadable; import the relay bundle again") from None
    password = family.vault.get(PASSWORD_SECRET)
    if password is None:
        raise LinkError("bad_settings", f"{path}: the broker password is not in the vault; import the bundle again")
    try:
        return relay.parse_bundle(dict(data, password=password.decode()), str(path))
    except relay.RelayError as exc:
        raise LinkError(exc.code, exc.reason) from None


def offline_alert(name: str, since: float | None, lang: str, tz: dt.tzinfo | None = None) -> str:
    if since is None:
        return OFFLINE_NO_TIME[lang].format(name=name)
    when = dt.datetime.fromtimestamp(since, tz).strftime("%H:%M")
    return OFFLINE_TEXT[lang].format(name=name, time=when)


def offline_notes(family: Family, lang: str) -> list[str]:
    """"Minh Anh's PC has been offline since 14:05" for each paired PC the relay last said was offline."""
    book = PresenceBook(family.dir).read()
    notes = []
    for d in family.devices():
        entry = book.get(d["device_id"])
        if isinstance(entry, dict) and entry.get("online") is False:
            notes.append(offline_alert(d["name"], entry.get("since"), lang))
    return notes


class PresenceBook:
    """What the console last heard of each PC's presence, kept in the family folder across runs."""

    def __init__(self, folder: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(folder) / PRESENCE_FILE
        self.clock = clock
        self._lock = threading.Lock()

    def read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def heard(self, device: str, online: bool, *, live: bool) -> dict[str, Any]:
        """Record one presence message; `live` = sent just now (not the broker's retained copy of an old one)."""
        with self._lock:
            book = self.read()
            before = book.get(device) or {}
            now = self.clock()
            if online:
                entry = {"online": True, "since": now if not before.get("online") else before.get("since", now),
                         "seen": now}
            elif before.get("online") is False:
                entry = before  # still offline: keep when it began
            else:
                # live: it went just now; a retained "offline" found at connection: it went after we last saw it
                entry = {"online": False, "since": now if live else before.get("seen")}
            book[device] = entry
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps(book), encoding="utf-8")
            tmp.replace(self.path)
            return entry


class RelayConnection:
    def __init__(self, family: Family, settings: relay.RelaySettings) -> None:
        self.family = family
        self.settings = settings
        self.me = family.identity.device_id
        self.presence = PresenceBook(family.dir)
        self.on_items: list[Callable[[str, list[dict[str, Any]] | None], None]] = []  # None: fetch to catch up
        self.on_presence: list[Callable[[str, dict[str, Any]], None]] = []
        self.on_inbox: list[Callable[[str, bytes], Any]] = []  # (phone's account, sealed bytes): app.phone_push
        self._client: Any = None
        self._lock = threading.Lock()
        self._waiting: dict[bytes, tuple[threading.Event, list[Any]]] = {}
        self._subscribed: set[str] = set()
        self._sub_events: dict[int, threading.Event] = {}
        self._sessions: dict[str, v2.Session] = {}  # agent → this process's current v2 session with it
        self._old_sessions: dict[bytes, v2.Session] = {}  # by sid: pushes may still come in a replaced one
        self._session_lock = threading.Lock()
        self._channels: dict[str, tuple[bytes, Channel]] = {}  # agent → (its X25519 key, the channel with it)

    # ---- connection ------------------------------------------------------------------------------------
    def _connect(self) -> Any:
        with self._lock:
            if self._client is None:
                try:
                    self._client = relay.connect(self.settings, on_message=self._on_message,
                                                 client_id=f"console-{self.me[:12]}-{os.urandom(4).hex()}",
                                                 on_connect=self._resubscribe)
                except relay.RelayError as exc:
                    raise LinkError("unreachable", f"the relay: {exc.reason}") from None
                self._client.on_subscribe = self._on_subscribe
            return self._client

    def _resubscribe(self, client: Any) -> None:
        for topic in list(self._subscribed):
            client.subscribe(topic, qos=1)

    def _on_subscribe(self, client: Any, userdata: Any, mid: int, reasons: Any, props: Any) -> None:
        with self._lock:  # watch() registers the mid under this lock right after subscribing
            ev = self._sub_events.pop(mid, None)
        if ev is not None:
            ev.set()

    def watch(self, agent: str) -> None:
        """Hear this PC's replies, pushes and presence (waits until the broker confirms)."""
        for topic in (relay.out_topic(agent, self.me), relay.presence_topic(agent)):
            self._subscribe(topic)

    def listen_inbox(self) -> None:
        """Hear what the family's phones leave for this console (their push subscriptions, retained)."""
        self._subscribe(relay.in_topic(self.me, "+"))

    def _subscribe(self, topic: str) -> None:
        client = self._connect()
        if topic in self._subscribed:
            return
        ev = threading.Event()
        with self._lock:
            _rc, mid = client.subscribe(topic, qos=1)
            self._sub_events[mid] = ev
        if not ev.wait(SUBSCRIBE_TIMEOUT_S):
            raise LinkError("unreachable", "the relay did not confirm the subscription")
        self._subscribed.add(topic)

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.disconnect()
                self._client.loop_stop()
                self._client = None
                self._subscribed.clear()

    # ---- exchanges -------------------------------------------------------------------------------------
    def _exchange(self, agent: str, topic: str, body: bytes, timeout: float,
                  **props: Any) -> tuple[int, bytes, dict[str, str]]:
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        self.watch(agent)
        corr = os.urandom(16)
        ev: threading.Event = threading.Event()
        box: list[Any] = []
        self._waiting[corr] = (ev, box)
        try:
            p = Properties(PacketTypes.PUBLISH)
            p.CorrelationData = corr
            for k, v in props.items():
                setattr(p, k, v)
            info = self._client.publish(topic, body, qos=1, properties=p)
            if info.rc != 0:
                raise LinkError("unreachable", f"the relay refused to take the message (code {info.rc})")
            if not ev.wait(timeout):
                raise LinkError("unreachable", "no answer through the relay: the PC may be off or offline")
            return box[0], box[1], box[2]
        finally:
            self._waiting.pop(corr, None)

    def session(self, agent: str, timeout: float = 15.0) -> v2.Session:
        """This process's forward-secret session with the agent (protocol v2), made when missing or too old."""
        with self._session_lock:
            current = self._sessions.get(agent)
            if current is not None and time.time() - current.created < SESSION_MAX_AGE_S:
                return current
            hs = v2.ConsoleHandshake(self.family.identity, self.family.peer_keys(agent))
            status, h2, props = self._exchange(agent, relay.in_topic(agent, self.me), hs.hello(), timeout)
            if props.get("error") or status != 200:
                raise LinkError(props.get("error") or "session_refused", "the PC refused a new session")
            try:
                made = hs.finish(h2)
            except ProtocolError as exc:
                raise LinkError(exc.code, exc.reason) from None
            if current is not None:
                self._old_sessions[current.sid] = current
                while len(self._old_sessions) > 4:
                    self._old_sessions.pop(next(iter(self._old_sessions)))
            self._sessions[agent] = made
            return made

    def request(self, agent: str, body: bytes, timeout: float) -> tuple[int, bytes]:
        """One v1 envelope to the agent inside the v2 session; the agent's v1 reply out of it."""
        for attempt in (1, 2):
            sess = self.session(agent, timeout)
            _, data, props = self._exchange(agent, relay.in_topic(agent, self.me), sess.seal(body), timeout)
            if props.get("error") == "unknown_session" and attempt == 1:
                # the agent restarted and forgot its sessions; the envelope was not opened, so send it again
                with self._session_lock:
                    if self._sessions.get(agent) is sess:
                        del self._sessions[agent]
                continue
            if props.get("error"):
                raise LinkError(props["error"], "the PC refused the session message")
            try:
                inner = sess.open(data)
            except ProtocolError as exc:
                raise LinkError(exc.code, exc.reason) from None
            return int.from_bytes(inner[:2], "big"), inner[2:]  # the agent's status, sealed with its answer
        raise LinkError("unknown_session", "the PC keeps forgetting the session")

    def pair_post(self, agent: str, path: str, body: bytes, timeout: float) -> tuple[int, bytes]:
        op = path.rsplit("/", 1)[-1]
        status, data, _ = self._exchange(agent, relay.pair_topic(agent), body, timeout,
                                         ResponseTopic=relay.out_topic(agent, self.me), UserProperty=[("op", op)])
        return status, data

    # ---- what arrives ----------------------------------------------------------------------------------
    def _on_message(self, client: Any, userdata: Any, msg: Any) -> None:
        try:
            agent, kind, console = relay.parse_topic(msg.topic)
        except relay.RelayError:
            return
        try:
            if kind == "presence":
                if msg.payload in (relay.ONLINE, relay.OFFLINE):
                    entry = self.presence.heard(agent, msg.payload == relay.ONLINE, live=not msg.retain)
                    props = dict(getattr(msg.properties, "UserProperty", None) or [])
                    if msg.payload == relay.OFFLINE:  # the PC's own goodbye says whether it told the phones
                        entry = dict(entry, stop=props.get(relay.CLEAN_STOP_PROPERTY))
                    for cb in self.on_presence:
                        cb(agent, entry)
                return
            if kind == "in" and agent == self.me and console is not None:
                for inbox in self.on_inbox:  # a phone's sealed message to this console (app.phone_push)
                    inbox(console, bytes(msg.payload))
                return
            if kind != "out" or console != self.me:
                return
            corr = getattr(msg.properties, "CorrelationData", None)
            if corr:
                waiter = self._waiting.get(bytes(corr))
                if waiter is not None and not waiter[0].is_set():  # a redelivered reply finds nobody waiting
                    props = {str(k): str(v) for k, v in getattr(msg.properties, "UserProperty", []) or []}
                    status = props.get("status", "200")
                    waiter[1].extend([int(status) if status.isdigit() else 502, bytes(msg.payload), props])
                    waiter[0].set()
                return
            wire = bytes(msg.payload)
            sid = wire[2:2 + v2.SID_BYTES] if wire[:2] == v2.MAGIC_T else b""
            sess = next((s for s in self._sessions.values() if s.sid == sid), None) or self._old_sessions.get(sid)
            if sess is None or sess.peer != agent:
                return  # another process of this console, or an old session: not ours to open
            self._push(agent, sess.open(wire))
        except Exception:  # one bad message must not stop the client's loop
            import logging

            logging.getLogger("sprout.console").exception("relay message not handled")

    def _channel(self, agent: str) -> Channel:
        """The v1 channel with this PC, kept per PC and key: making one is an X25519 agreement (~0.3 ms) and a query,
        which every push paid before (a re-paired PC has new keys and so gets a new channel)."""
        keys = self.family.peer_keys(agent)
        have = self._channels.get(agent)
        if have is None or have[0] != keys.kx_pub:
            have = self._channels[agent] = (keys.kx_pub, Channel(self.family.identity, keys))
        return have[1]

    def _push(self, agent: str, wire: bytes) -> None:
        try:
            chan = self._channel(agent)
            header, payload = chan.open(wire, self.family.last_recv(agent, LANE_PUSH))
        except Exception:  # an unknown PC, a forged or replayed push: ignored
            return
        if header.kind != "push" or header.lane != LANE_PUSH:
            return
        self.family.accept_recv(agent, LANE_PUSH, header.counter)
        items = [i for i in (payload.get("items") if isinstance(payload, dict) else None) or []
                 if isinstance(i, dict) and isinstance(i.get("seq"), int)]
        cursor = self.family.cursor(agent)
        fresh = [i for i in items if i["seq"] > cursor]
        contiguous = bool(fresh) and all(i["seq"] == cursor + 1 + n for n, i in enumerate(fresh))
        if contiguous:
            self.family.store_items(agent, fresh)
        for cb in self.on_items:
            cb(agent, fresh if contiguous else None)


_connections: dict[Path, RelayConnection] = {}
_conn_lock = threading.Lock()


@atexit.register
def close_all() -> None:
    """Stop every client's network thread before the interpreter goes: a daemon thread inside ssl while Python
    finalises can crash the process (seen as SIGSEGV at the end of a `sprout-console` command)."""
    with _conn_lock:
        for conn in _connections.values():
            conn.close()
        _connections.clear()


def for_family(family: Family) -> RelayConnection | None:
    """This process's connection to the family's broker, or None when the console has no relay settings."""
    key = family.dir.resolve()
    with _conn_lock:
        conn = _connections.get(key)
        if conn is not None and conn.family is family:
            return conn
        settings = load_settings(family)
        if settings is None:
            return None
        if conn is not None:
            conn.close()
        conn = _connections[key] = RelayConnection(family, settings)
        return conn
