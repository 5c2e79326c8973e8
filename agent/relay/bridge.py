"""The agent's end of the relay: sealed envelopes from the family's MQTT broker into `LinkService.handle`, its
answers (errors included) back out, pushed outbox items, and presence with a last will (docs/relay.md).

Nothing here decrypts or trusts anything: the link service authenticates every envelope exactly as it does for the
LAN endpoint, so a broker that duplicates, replays or reorders only gets refusals (counters), never side effects.
Work runs on small bounded pools (a long-poll on lane 1 never holds up a grant on lane 0); beyond their queue a
request is dropped and the console, which hears nothing, tries again with a new counter.
"""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from agent.link.service import LinkService
from agent.protocol import relay
from agent.protocol import session as v2
from agent.protocol.envelope import LANE_POLL, LANE_PUSH, Channel, peek_header
from agent.protocol.errors import ProtocolError

log = logging.getLogger("sprout.relay")

SETTINGS_FILE = "relay.json"
PASSWORD_SECRET = "relay-password"
MAX_QUEUED = 32  # requests waiting for a worker, per pool
PUSH_LIMIT = 50


def save_settings(state_dir: Path, vault: Any, settings: relay.RelaySettings) -> None:
    """Keep the broker address and CA in STATE/relay.json and the password in the vault beside the link key."""
    vault.put(PASSWORD_SECRET, settings.password.encode())
    path = Path(state_dir) / SETTINGS_FILE
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(settings.public_json(), indent=1), encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)


def load_settings(state_dir: Path, vault: Any) -> relay.RelaySettings | None:
    """The imported relay settings, or None when this PC has none (LAN only)."""
    path = Path(state_dir) / SETTINGS_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise relay.RelayError("bad_settings", f"{path}: unreadable ({exc}); import the bundle again") from None
    password = vault.get(PASSWORD_SECRET)
    if password is None:
        raise relay.RelayError("bad_settings", f"{path}: the broker password is not in the vault; import again")
    return relay.parse_bundle(dict(data, password=password.decode()), str(path))


class RelayBridge:
    def __init__(self, service: LinkService, settings: relay.RelaySettings, backend: Any) -> None:
        self.service = service
        self.settings = settings
        self.backend = backend
        self.me = service.identity.device_id
        self.sessions = v2.AgentSessions(service.identity, service.peer_keys)
        service.on_phone_removed.append(self.sessions.drop_peer)
        self.client: Any = None
        self._stop = threading.Event()
        self._pools = {"cmd": ThreadPoolExecutor(2, thread_name_prefix="sprout-relay-cmd"),
                       "poll": ThreadPoolExecutor(4, thread_name_prefix="sprout-relay-poll")}
        self._queued = {"cmd": 0, "poll": 0}
        self._qlock = threading.Lock()
        self._push_wanted = threading.Event()
        self._channels: dict[str, tuple[bytes, Channel]] = {}  # peer → (its X25519 key, the channel for pushes)
        self._pushed_seq = self._newest_seq()  # history is fetched by cursor; pushes are what is new from now
        self._threads = [threading.Thread(target=self._push_loop, name="sprout-relay-push", daemon=True)]
        self.dropped = 0

    # ---- life ------------------------------------------------------------------------------------------
    def start(self) -> RelayBridge:
        self._connect()
        for t in self._threads:
            t.start()
        return self

    def _connect(self) -> None:
        # paho keeps trying (1 → 10 s back-off) from here on, the first connection included; _on_connect
        # subscribes and says "online" each time
        self.client = relay.connect(self.settings, client_id=f"agent-{self.me[:20]}", wait=False,
                                    will=(relay.presence_topic(self.me), relay.OFFLINE),
                                    on_message=self._on_message, on_connect=self._on_connect)

    def _on_connect(self, client: Any) -> None:
        log.info("relay: connected to %s", self.settings.broker)
        client.subscribe([(f"{relay.ROOT}/{self.me}/in/+", 1), (relay.pair_topic(self.me), 1)])
        client.publish(relay.presence_topic(self.me), relay.ONLINE, qos=1, retain=True)
        self._push_wanted.set()  # anything written while the broker was away goes out now

    def stop(self, phones_told: bool = False) -> None:
        """`phones_told`: every subscribed phone already heard "turned off" by Web Push (webpush.say_goodbye); the
        "offline" says so in a user property, and a listening console does not push it again."""
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        self._stop.set()
        self._push_wanted.set()
        client = self.client
        if client is not None:
            try:  # a clean goodbye does not fire the will: say offline ourselves
                props = Properties(PacketTypes.PUBLISH)
                props.UserProperty = [(relay.CLEAN_STOP_PROPERTY, "told" if phones_told else "untold")]
                client.publish(relay.presence_topic(self.me), relay.OFFLINE, qos=1, retain=True,
                               properties=props).wait_for_publish(2)
            except Exception:
                log.debug("relay: offline presence not sent", exc_info=True)
            client.disconnect()
            client.loop_stop()
        for pool in self._pools.values():
            pool.shutdown(wait=False, cancel_futures=True)

    # ---- requests --------------------------------------------------------------------------------------
    def _on_message(self, client: Any, userdata: Any, msg: Any) -> None:
        try:
            agent, kind, console = relay.parse_topic(msg.topic)
        except relay.RelayError:
            return
        if agent != self.me or kind not in ("in", "pair"):
            return
        payload, corr = bytes(msg.payload), getattr(msg.properties, "CorrelationData", None)
        if kind == "in":  # a phone's topic is its broker account (a slot), not its device ID: map it back
            peer = self.service.phones.by_relay(str(console))
            topic_id, console = str(console), peer or console
        session = None
        pool = "cmd"
        if kind == "in" and payload[:2] == v2.MAGIC_T:
            try:  # opening is cheap; it tells which lane, so which pool
                session, payload = self.sessions.open(str(console), payload)
            except ProtocolError as exc:  # unauthenticated: the code only, in a property, never a payload
                self._reply(relay.out_topic(self.me, topic_id), b"", 403, corr, error=self._refusal(console, exc))
                return
        if kind == "in":
            try:
                header = peek_header(payload) if not v2.is_v2(payload) else None
            except ProtocolError:
                header = None
            if header is not None and header.lane == LANE_POLL:
                pool = "poll"
        with self._qlock:
            if self._queued[pool] >= MAX_QUEUED:
                self.dropped += 1
                return
            self._queued[pool] += 1
        self._pools[pool].submit(self._work, pool, kind, console, payload, msg.properties, session,
                                 topic_id if kind == "in" else None)

    def _refusal(self, peer: str | None, exc: ProtocolError) -> str:
        """The clear-text refusal code: a removed phone learns why (its parent sees "removed"), nothing more."""
        if exc.code == "unknown_peer" and peer and self.service.phones.removed(peer) is not None:
            return "phone_removed"
        return exc.code

    def _work(self, pool: str, kind: str, console: str | None, payload: bytes, props: Any,
              session: v2.Session | None, topic_id: str | None = None) -> None:
        try:
            corr = getattr(props, "CorrelationData", None)
            if kind == "in":
                assert console is not None
                out = relay.out_topic(self.me, topic_id or console)
                if payload[:2] == v2.MAGIC_H1:
                    try:
                        h2, _ = self.sessions.answer(console, payload)
                    except ProtocolError as exc:
                        self._reply(out, b"", 403, corr, error=self._refusal(console, exc))
                        return
                    self._reply(out, h2, 200, corr)
                    return
                try:
                    claimed = peek_header(payload).sender
                except ProtocolError:
                    claimed = console  # the service refuses it and says why
                if claimed != console:  # a reply would go to a console that did not ask
                    return
                status, data = self.service.handle("POST", "/v1/msg", payload)
                if session is not None:  # the status travels sealed too: the broker sees no refusal
                    self._reply(out, session.seal(status.to_bytes(2, "big") + data), 200, corr)
                else:
                    self._reply(out, data, status, corr)
            else:
                reply_to = getattr(props, "ResponseTopic", None)
                op = dict(getattr(props, "UserProperty", []) or []).get("op")
                try:
                    agent, k, _who = relay.parse_topic(reply_to or "")
                except relay.RelayError:
                    return
                if agent != self.me or k != "out" or op not in relay.PAIR_OPS:
                    return
                status, data = self.service.handle("POST", f"/v1/pair/{op}", payload)
                self._reply(reply_to, data, status, corr)
        except Exception:
            log.exception("relay request failed")
        finally:
            with self._qlock:
                self._queued[pool] -= 1

    def _reply(self, topic: str, data: bytes, status: int, corr: bytes | None, error: str | None = None) -> None:
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        props = Properties(PacketTypes.PUBLISH)
        if corr:
            props.CorrelationData = corr
        extra = ([("status", str(status))] if status != 200 else []) + ([("error", error)] if error else [])
        if extra:  # a v2 answer has none: its status is sealed inside
            props.UserProperty = extra
        if self.client is not None:
            self.client.publish(topic, data, qos=1, properties=props)

    # ---- pushes ----------------------------------------------------------------------------------------
    def _newest_seq(self) -> int:
        items = self.backend.outbox_since(0, 1_000_000)[-1:] if hasattr(self.backend, "outbox_since") else []
        return items[0]["seq"] if items else 0

    def notify(self) -> None:
        """The service wrote an outbox item (core.on_outbox): push it from our own thread, never the tick's."""
        self._push_wanted.set()

    def _push_loop(self) -> None:
        while not self._stop.is_set():
            self._push_wanted.wait()
            self._push_wanted.clear()
            if self._stop.is_set() or self.client is None or not self.client.is_connected():
                continue
            try:
                self.push_new()
            except Exception:
                log.exception("relay push failed")

    def push_new(self) -> int:
        """Seal the items written since the last push to every paired console (lane 2) inside each of its live v2
        sessions (a console without one fetches by cursor when it comes); return how many items."""
        items = self.backend.outbox_since(self._pushed_seq, PUSH_LIMIT)
        if not items:
            return 0
        state = self.service.state
        phones = self.service.phones
        targets = [(p["device_id"], p["device_id"]) for p in state.peers()]
        targets += [(p["device_id"], p["relay"] or p["device_id"]) for p in phones.list()]  # a phone's topic: its slot
        for device, topic_id in targets:
            keys = self.service.peer_keys(device)
            sessions = self.sessions.sessions_of(device)
            if keys is None or not sessions:
                continue
            chan = self._channels.get(device)
            if chan is None or chan[0] != keys.kx_pub:  # one X25519 agreement per peer and key, not per push
                chan = self._channels[device] = (keys.kx_pub, Channel(self.service.identity, keys))
            wire = chan[1].seal("push", {"items": items}, state.next_send(keys.device_id, LANE_PUSH), 0, LANE_PUSH)
            for session in sessions:
                self.client.publish(relay.out_topic(self.me, topic_id), session.seal(wire), qos=1)
        self._pushed_seq = items[-1]["seq"]
        if len(items) == PUSH_LIMIT:
            self._push_wanted.set()
        return len(items)


def start_bridge(service: LinkService, backend: Any, vault: Any, state_dir: Path) -> RelayBridge | None:
    """The bridge when this PC has relay settings (imported bundle), else None: the LAN link alone."""
    try:
        settings = load_settings(state_dir, vault)
    except relay.RelayError as exc:
        log.error("relay not started: %s", exc.reason)
        return None
    if settings is None:
        return None
    return RelayBridge(service, settings, backend).start()


def qr_fields(state_dir: Path) -> tuple[str | None, str | None]:
    """(device ID, broker) for the pairing QR when this PC has a relay; (None, None) for the LAN alone."""
    try:
        data = json.loads((Path(state_dir) / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    return data.get("username"), data.get("broker")
