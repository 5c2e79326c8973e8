"""The console's side of the link: pair with an agent, then talk to it in sealed envelopes over HTTP (requests).

Each device has two lanes (see agent.protocol.envelope): commands on lane 0, long-polls on lane 1. A lane is used
by one request at a time — a file lock in the console's state folder, so a `watch` process and a `grant` command
in another process never interleave counters.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import requests

from agent.os.file_lock import make_file_lock
from agent.protocol import messages
from agent.protocol.envelope import LANE_COMMANDS, LANE_POLL, MAX_ENVELOPE_BYTES, Channel
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import PeerKeys
from agent.protocol.pairing import ConsolePairing
from app.family import Family
from app.link_errors import LinkError as LinkError  # raised by every call here; defined apart for the relay

CONNECT_TIMEOUT_S = 5.0
RELAY_HOST = "relay"  # the host recorded for a PC paired through the family's relay
READ_TIMEOUT_S = 15.0
_exclusive_lock = make_file_lock()  # one request at a time per PC and lane, across this console's processes


def base_url(host: str) -> str:
    host = host.strip()
    if host.startswith(("http://", "https://")):
        return host.rstrip("/")
    if ":" not in host.rsplit("]", 1)[-1]:
        host += ":47800"
    return "http://" + host


def _post(session: requests.Session, url: str, body: bytes, timeout: float) -> tuple[int, bytes]:
    try:
        r = session.post(url, data=body, timeout=(CONNECT_TIMEOUT_S, timeout),
                         headers={"Content-Type": "application/json"}, stream=True)
        data = r.raw.read(MAX_ENVELOPE_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        err = LinkError("unreachable", f"cannot reach {url.split('/v1')[0]}: {type(exc).__name__}")
        # never connected: the request cannot have arrived, so the relay may carry the very same envelope
        err.not_sent = isinstance(exc, requests.ConnectionError) and not isinstance(exc, requests.ReadTimeout)
        raise err from None
    if len(data) > MAX_ENVELOPE_BYTES:
        raise LinkError("too_large", "the agent's reply is larger than any valid message")
    return r.status_code, data


def _error_of(status: int, data: bytes) -> LinkError:
    try:
        err = json.loads(data)
        return LinkError(str(err.get("error")), str(err.get("reason")))
    except (ValueError, AttributeError):
        return LinkError("http_error", f"the agent answered HTTP {status}")


def _json_reply(data: bytes) -> dict[str, Any]:
    try:
        reply = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise LinkError("bad_reply", "the agent's reply is not JSON") from None
    if not isinstance(reply, dict):
        raise LinkError("bad_reply", "the agent's reply is not an object")
    return reply


def pair(family: Family, host: str, code: str, session: requests.Session | None = None,
         transport: Callable[[str, bytes, float], tuple[int, bytes]] | None = None) -> PeerKeys:
    """Run the pairing exchange with the agent at host (or through `transport(path, body, timeout)`, the relay);
    pin and return its keys. Raises LinkError/ProtocolError."""
    s = session or requests.Session()
    url = base_url(host) if transport is None else ""
    send = transport or (lambda path, body, timeout: _post(s, url + path, body, timeout))
    attempt = ConsolePairing(code, family.identity.public)
    status, data = send("/v1/pair/start", json.dumps(attempt.start_message()).encode(), READ_TIMEOUT_S)
    if status != 200:
        raise _error_of(status, data)
    reply = _json_reply(data)
    try:
        finish = attempt.finish_message(reply)
    except ProtocolError:
        # tell the agent at once so the child's PC shows a new code; it would burn it after a minute anyway
        with contextlib.suppress(LinkError):
            send("/v1/pair/abort", json.dumps({"session": reply.get("session")}).encode(), 5)
        raise
    status, data = send("/v1/pair/finish", json.dumps(finish).encode(), READ_TIMEOUT_S)
    if status != 200:
        raise _error_of(status, data)
    agent = attempt.agent_keys(_json_reply(data))
    family.add_device(agent, host)
    return agent


class DeviceLink:
    """One paired device."""

    def __init__(self, family: Family, device_id: str, session: requests.Session | None = None,
                 host: str | None = None) -> None:
        self.family = family
        self.device_id = device_id
        self.peer = family.peer_keys(device_id)
        self.channel = Channel(family.identity, self.peer)
        self.host = host or next(d["host"] for d in family.devices() if d["device_id"] == device_id)
        self.url = base_url(self.host) + "/v1/msg"
        self.session = session or requests.Session()
        self.lan = self.host != RELAY_HOST  # a PC paired through the relay has no LAN address to try

    def _exchange(self, body: bytes, timeout: float) -> tuple[int, bytes]:
        """LAN first; the family's relay when the PC cannot be reached on the LAN (docs/relay.md)."""
        from app import relay_client

        if self.lan:
            try:
                return _post(self.session, self.url, body, timeout)
            except LinkError as exc:
                via = relay_client.for_family(self.family) if getattr(exc, "not_sent", False) else None
                if via is None:
                    raise
                self.lan = False  # this link object stays on the relay; the next one tries the LAN again
                return via.request(self.device_id, body, timeout)
        via = relay_client.for_family(self.family)
        if via is None:
            raise LinkError("unreachable", "this PC was paired through a relay, and this console has no relay "
                                           "settings (sprout-console relay import)")
        return via.request(self.device_id, body, timeout)

    @contextlib.contextmanager
    def _lane(self, lane: int) -> Iterator[None]:
        lock_dir = self.family.dir / "locks"
        lock_dir.mkdir(exist_ok=True, mode=0o700)
        with open(lock_dir / f"{self.device_id[:16]}-{lane}.lock", "w") as f:
            _exclusive_lock(f.fileno())  # released when the file closes (or the process dies)
            yield

    def call(self, kind: str, payload: dict[str, Any], *, lane: int = LANE_COMMANDS,
             timeout: float = READ_TIMEOUT_S) -> dict[str, Any]:
        """Send one sealed request; return the agent's decrypted reply (raises LinkError if it says ok: false)."""
        from agent.protocol.clock_proof import sign_clock

        # this console's clock, signed for the device: the child's PC takes it as a time it cannot set
        payload = {**payload, "clock": sign_clock(self.family.identity, self.device_id, time.time())}
        with self._lane(lane):
            ctr = self.family.next_send(self.device_id, lane)
            status, data = self._exchange(self.channel.seal(kind, payload, ctr, lane=lane), timeout)
            if status != 200:
                raise _error_of(status, data)
            try:
                header, reply = self.channel.open(data, self.family.last_recv(self.device_id, lane))
                if header.kind != "reply" or header.reply_to != ctr or header.lane != lane:
                    raise ProtocolError("wrong_reply", "the reply does not answer this request")
                self.family.accept_recv(self.device_id, lane, header.counter)
            except ProtocolError as exc:
                raise LinkError(exc.code, exc.reason) from None
        if not isinstance(reply, dict):
            raise LinkError("bad_reply", "the agent's reply is not an object")
        if not reply.get("ok"):
            raise LinkError(str(reply.get("error")), str(reply.get("reason")))
        return reply

    def status(self) -> dict[str, Any]:
        status = self.call("status", {})["status"]
        from app.child_names import remember_child_name

        remember_child_name(self.family, self.device_id, status.get("child_name"))  # what the phones are told
        return status

    def push_policy(self, doc: dict[str, Any]) -> int:
        version = self.call("policy_push", messages.sign_policy(self.family.identity, doc))["version"]
        from app.child_names import remember_child_name

        remember_child_name(self.family, self.device_id, (doc.get("child") or {}).get("name"))
        return version

    def current_policy(self) -> dict[str, Any] | None:
        return self.call("policy_get", {})["policy"]

    def fetch(self, *, wait_s: float = 0.0, limit: int = 200) -> list[dict[str, Any]]:
        """Fetch everything after the stored cursor (following pages); store it; return the new items."""
        new: list[dict[str, Any]] = []
        while True:
            cursor = self.family.cursor(self.device_id)
            lane = LANE_POLL if wait_s > 0 else LANE_COMMANDS
            reply = self.call("outbox", {"cursor": cursor, "limit": limit, "wait_s": wait_s}, lane=lane,
                              timeout=READ_TIMEOUT_S + wait_s)
            items = [i for i in reply.get("items", []) if isinstance(i, dict) and isinstance(i.get("seq"), int)
                     and i["seq"] > cursor]
            if items:
                self.family.store_items(self.device_id, items)
                new.extend(items)
            if len(items) < limit:
                return new
            wait_s = 0.0

    def decide(self, request_id: str, approve: bool, minutes: int, message: str = "") -> dict[str, Any]:
        payload = messages.sign_decision(self.family.identity, self.device_id, request_id, approve, minutes, message)
        result = self.call("decision", payload)["result"]
        self.family.record_decision(request_id, self.device_id, result.get("state", "?"), result.get("minutes", 0))
        return result

    def control(self, kind: str, action: str, until: float | None = None) -> dict[str, Any]:
        """The parent's lock now / unlock (kind lock_now) or pause / resume (pause_internet), signed for this PC.
        `until`: Unix seconds (None: until the parent ends it — a lock only). The reply is the control's state
        on the PC: {active, until, until_text} (raises LinkError control_rejected, e.g. for a time in the past)."""
        payload = messages.sign_control(self.family.identity, self.device_id, kind, action, until, time.time())
        return self.call(kind, payload)["control"]

    def consent(self) -> dict[str, Any]:
        """The consent state and record as the agent keeps it (agent.service.consent)."""
        return self.call("consent_get", {})["consent"]

    def give_consent(self, fields: list[str]) -> dict[str, Any]:
        """The parent's signed ask and agreement to see exactly `fields`; the reply is the new consent state."""
        payload = messages.sign_consent(self.family.identity, self.device_id, fields, time.time())
        return self.call("consent", payload)["consent"]

    def allow_pairing(self) -> dict[str, Any]:
        """Open pairing on the child's PC for one more console (`pair_allow`): {expires_in_s}."""
        return self.call("pair_allow", {})

    def unpair(self) -> None:
        """Tell the agent (best effort: it may be off) and forget the device here in any case."""
        try:
            self.call("unpair", {})
        finally:
            self.family.remove_device(self.device_id)


def wait_for_request(links: list[DeviceLink], timeout_s: float) -> list[dict[str, Any]]:
    """Long-poll each device briefly in turn until a time request arrives or the timeout passes (CLI `watch`)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for link in links:
            per = min(5.0, max(0.0, deadline - time.monotonic())) if len(links) == 1 else 0.5
            new = [dict(i, device_id=link.device_id) for i in link.fetch(wait_s=per)
                   if i.get("kind") == "time_request"]
            if new:
                return new
    return []
