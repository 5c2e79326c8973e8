"""PythonPhone: the phone's side of linking and of talking to the child's PCs, written in Python for tests — a stand-in
for the parent's phone web app (phone/src/link.js does the same in the browser, checked against the same vectors). It
uses only the contract (agent.protocol) and the family's broker, as the real phone does: the public link account
to link, then its own broker account (a slot) to reach the PCs inside v2 sessions.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from agent.protocol import phone_link, relay
from agent.protocol import session as v2
from agent.protocol.envelope import Channel
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity, PeerKeys, b64d


class PhoneRefused(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code, self.reason = code, reason


class PythonPhone:
    def __init__(self, name: str = "Mẹ's phone") -> None:
        self.identity = Identity.generate(name)  # made on the phone; only its public half ever leaves
        self.name = name
        self.console: PeerKeys | None = None
        self.agents: dict[str, PeerKeys] = {}
        self.relay: dict[str, Any] = {}
        self.statement: dict[str, Any] = {}
        self._client: Any = None
        self._waiting: dict[bytes, tuple[threading.Event, list[Any]]] = {}
        self._sessions: dict[str, v2.Session] = {}
        self._ctr: dict[tuple[str, int], int] = {}
        self._recv: dict[tuple[str, int], int] = {}
        self.pushed: list[dict[str, Any]] = []  # outbox items the PCs pushed (lane 2), as the app shows them at once
        self.push_arrived = threading.Event()

    @property
    def device_id(self) -> str:
        return self.identity.device_id

    # ---- linking ---------------------------------------------------------------------------------------
    def link(self, *, ca_pem: str, qr: str | None = None, code: str | None = None, broker: str | None = None,
             timeout: float = 30.0) -> dict[str, Any]:
        """Scan the QR (or type the code), prove it, get the family. `ca_pem` stands for the trust a browser already
        has in the broker's certificate; it is checked against the QR's fingerprint."""
        if qr is not None:
            fields = phone_link.parse_qr(qr)
            locator, mode, console_id = fields["locator"], "qr", fields["console_id"]
            key = phone_link.link_key("qr", locator, secret=fields["secret"])
            broker = fields["broker"] or broker
            if fields["ca_fp"] and fields["ca_fp"] != phone_link.ca_fingerprint(ca_pem):
                raise PhoneRefused("wrong_ca", "the broker's CA is not the one in the QR code")
        else:
            assert code is not None and broker is not None
            code = phone_link.normalize_code(code)
            locator, mode, console_id = code[:phone_link.LOCATOR_CHARS], "code", None
            key = phone_link.link_key("code", locator, code=code)
        hello = phone_link.make_hello(key, mode, locator, self.identity, self.name)
        settings = relay.RelaySettings(str(broker), ca_pem, phone_link.LINK_ACCOUNT, phone_link.LINK_PASSWORD)
        got: list[bytes] = []
        arrived, subscribed = threading.Event(), threading.Event()

        def on_message(c: Any, u: Any, msg: Any) -> None:
            got.append(bytes(msg.payload))
            arrived.set()

        def on_connect(c: Any) -> None:
            c.on_subscribe = lambda *a: subscribed.set()
            c.subscribe(phone_link.resp_topic(locator), qos=1)

        client = relay.connect(settings, on_message=on_message, on_connect=on_connect)
        try:
            assert subscribed.wait(10), "the broker did not confirm the link subscription"
            client.publish(phone_link.req_topic(locator), hello, qos=1)
            if not arrived.wait(timeout):
                raise PhoneRefused("no_answer", "the console did not answer")
        finally:
            client.disconnect()
            client.loop_stop()
        try:
            console, offer = phone_link.open_offer(key, self.identity, hello, got[0], console_id)
        except ProtocolError as exc:
            raise PhoneRefused(exc.code, exc.reason) from None
        self.console = console
        self.agents = {a["id"]: PeerKeys(b64d(a["sign"]), b64d(a["kx"]), a["name"]) for a in offer["agents"]}
        self.relay = offer["relay"]
        self.statement = offer["phone_add"]
        return offer

    # ---- talking to the PCs ----------------------------------------------------------------------------
    @property
    def account(self) -> str:
        return self.relay["username"]

    def _connect(self) -> Any:
        if self._client is None:
            settings = relay.RelaySettings(self.relay["broker"], self.relay["ca"], self.relay["username"],
                                           self.relay["password"])
            subscribed = threading.Event()
            topics = [(relay.out_topic(a, self.account), 1) for a in self.agents]

            def on_connect(c: Any) -> None:
                c.on_subscribe = lambda *a: subscribed.set()
                c.subscribe(topics)

            self._client = relay.connect(settings, on_message=self._on_message, on_connect=on_connect,
                                         client_id=f"phone-{os.urandom(6).hex()}")
            assert subscribed.wait(10), "the broker did not confirm the phone's subscriptions"
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.disconnect()
            self._client.loop_stop()
            self._client = None

    def _on_message(self, c: Any, u: Any, msg: Any) -> None:
        corr = getattr(msg.properties, "CorrelationData", None)
        waiter = self._waiting.get(bytes(corr)) if corr else None
        if waiter is not None and not waiter[0].is_set():
            props = {str(k): str(v) for k, v in getattr(msg.properties, "UserProperty", []) or []}
            waiter[1].extend([bytes(msg.payload), props])
            waiter[0].set()
        elif not corr:
            self._push(msg.topic, bytes(msg.payload))

    def _push(self, topic: str, wire: bytes) -> None:
        """A PC's unprompted push (lane 2) inside one of this phone's sessions: keep its items."""
        from agent.protocol.envelope import LANE_PUSH

        agent = topic.split("/")[2]
        sess = self._sessions.get(agent)
        if sess is None or agent not in self.agents:
            return
        try:
            header, payload = Channel(self.identity, self.agents[agent]).open(
                sess.open(wire), self._recv.get((agent, LANE_PUSH), 0))
        except ProtocolError:
            return
        if header.kind == "push" and header.lane == LANE_PUSH:
            self._recv[(agent, LANE_PUSH)] = header.counter
            self.pushed.extend(payload.get("items") or [])
            self.push_arrived.set()

    def tell_console(self, kind: str, payload: dict[str, Any]) -> bytes:
        """Leave a sealed message for the console (its push subscription), retained on the console's own topic for
        this phone's account, as the app does (phone/src/app/family.js `givePush`). Returns what was published."""
        assert self.console is not None
        key = (self.console.device_id, 0)
        ctr = self._ctr[key] = self._ctr.get(key, 0) + 1
        wire = Channel(self.identity, self.console).seal(kind, payload, ctr)
        info = self._connect().publish(relay.in_topic(self.console.device_id, self.account), wire, qos=1, retain=True)
        info.wait_for_publish(10)
        return wire

    def _exchange(self, agent: str, body: bytes, timeout: float) -> tuple[bytes, dict[str, str]]:
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        client = self._connect()
        corr = os.urandom(16)
        ev: threading.Event = threading.Event()
        box: list[Any] = []
        self._waiting[corr] = (ev, box)
        try:
            props = Properties(PacketTypes.PUBLISH)
            props.CorrelationData = corr
            client.publish(relay.in_topic(agent, self.account), body, qos=1, properties=props)
            if not ev.wait(timeout):
                raise PhoneRefused("no_answer", "the PC did not answer through the relay")
            return box[0], box[1]
        finally:
            self._waiting.pop(corr, None)

    def call(self, agent: str, kind: str, payload: dict[str, Any], timeout: float = 20.0) -> dict[str, Any]:
        """One request inside a v2 session, like the console's; PhoneRefused with the PC's code and reason."""
        peer = self.agents[agent]
        chan = Channel(self.identity, peer)
        for attempt in (1, 2):
            sess = self._sessions.get(agent)
            if sess is None:
                hs = v2.ConsoleHandshake(self.identity, peer)
                h2, props = self._exchange(agent, hs.hello(), timeout)
                if props.get("error"):
                    raise PhoneRefused(props["error"], "the PC refused a session with this phone")
                sess = self._sessions[agent] = hs.finish(h2)
            ctr = self._ctr[(agent, 0)] = self._ctr.get((agent, 0), 0) + 1
            data, props = self._exchange(agent, sess.seal(chan.seal(kind, payload, ctr)), timeout)
            if props.get("error") == "unknown_session" and attempt == 1:
                self._sessions.pop(agent, None)  # the PC forgot the session (restarted, or dropped it): a new one
                continue
            if props.get("error"):
                self._sessions.pop(agent, None)
                raise PhoneRefused(props["error"], "the PC refused this phone's session")
            break
        inner = sess.open(data)
        status, body = int.from_bytes(inner[:2], "big"), inner[2:]
        if status != 200:
            import json

            err = json.loads(body)
            raise PhoneRefused(err.get("error", "refused"), err.get("reason", ""))
        header, reply = chan.open(body, self._recv.get((agent, 0), 0))
        self._recv[(agent, 0)] = header.counter
        if not reply.get("ok"):
            raise PhoneRefused(reply.get("error", "refused"), reply.get("reason", ""))
        return reply


def console_shows_link_code(console_args: list[str], qr_file: Path, *, env: dict[str, str], cwd: Path,
                            wait_s: float = 60.0) -> tuple[subprocess.Popen[str], str, str]:
    """Start `sprout-console … phone link --qr-file F` as the parent does and wait until it shows its QR code:
    the running process, the QR text and the 16-character code (what a camera and a typing parent would read)."""
    linking = subprocess.Popen([*console_args, "--qr-file", str(qr_file)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    deadline = time.monotonic() + wait_s
    while not (qr_file.exists() and qr_file.read_text().count("\n") == 2):
        if linking.poll() is not None or time.monotonic() > deadline:
            linking.kill()
            raise AssertionError(f"the console showed no QR code: {linking.communicate()}")
        time.sleep(0.1)
    qr, code = qr_file.read_text().split()
    return linking, qr, code
