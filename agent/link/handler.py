"""The link's request handling, independent of HTTP: (method, path, body) -> (status, JSON bytes).

Kept apart from the socket code so it can be fuzzed in-process at full speed and reused by a future relay
transport (docs/relay.md). Every refusal is a ProtocolError turned into a short JSON error and an event; nothing
that arrives can raise out of `handle`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from agent.link.backend import AgentBackend, ConsentRejected, ControlRejected, DecisionRejected, PolicyRejected
from agent.link.phones import PhoneBook
from agent.link.state import LinkState
from agent.protocol import messages, phone_link
from agent.protocol.clock_proof import verify_clock
from agent.protocol.envelope import MAX_ENVELOPE_BYTES, Channel, peek_header
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity, PeerKeys
from agent.protocol.pairing import AgentPairing

log = logging.getLogger("sprout.link")

SESSION_TTL_S = 60.0
MAX_PENDING = 4
_STATUS = {"pairing_closed": 409, "code_expired": 409, "pair_busy": 409, "unknown_peer": 403, "revoked": 403,
           "phone_removed": 403,
           "forged": 403, "replay": 403, "wrong_peer": 403, "wrong_code": 403, "pair_forged": 403,
           "too_large": 413, "not_found": 404, "method": 405}


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


class LinkService:
    def __init__(self, identity: Identity, state: LinkState, backend: AgentBackend,
                 on_event: Callable[[str, str | None, str], None] | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.identity = identity
        self.state = state
        self.backend = backend
        self.on_event = on_event
        self.monotonic = monotonic
        self._pending: dict[str, tuple[AgentPairing, float]] = {}
        self._pair_lock = threading.Lock()
        self._msg_lock = threading.Lock()  # open + counter check + counter store must be one step
        self._channels: dict[str, Channel] = {}
        self.push_book: Any = None  # agent.relay.webpush.PushBook when this PC sends Web Push to linked phones
        self.phones = PhoneBook(state)
        self.on_phone_removed: list[Callable[[str], None]] = []  # the relay bridge drops the phone's sessions

    # ---- entry point -----------------------------------------------------------------------------------
    def handle(self, method: str, path: str, body: bytes) -> tuple[int, bytes]:
        try:
            if len(body) > MAX_ENVELOPE_BYTES:
                raise ProtocolError("too_large", f"body of {len(body)} bytes exceeds {MAX_ENVELOPE_BYTES}")
            if path == "/v1/hello":
                if method != "GET":
                    raise ProtocolError("method", "use GET")
                return 200, _json({"v": 1, "device": self.identity.device_id, "name": self.identity.public.name})
            if method != "POST":
                raise ProtocolError("method" if path.startswith("/v1/") else "not_found", f"{method} {path[:80]}")
            if path == "/v1/msg":
                return self._message(body)
            if path in ("/v1/pair/start", "/v1/pair/finish", "/v1/pair/abort"):
                try:
                    data = json.loads(body)
                except (ValueError, UnicodeDecodeError, RecursionError):
                    raise ProtocolError("bad_request", "the body is not JSON") from None
                return getattr(self, "_pair_" + path.rsplit("/", 1)[1])(data)
            raise ProtocolError("not_found", f"no such endpoint {path[:80]!r}")
        except ProtocolError as exc:
            self._event(exc.code, None, f"{path[:60]}: {exc.reason}")
            return _STATUS.get(exc.code, 400), _json({"error": exc.code, "reason": exc.reason})
        except RecursionError:  # JSON nested thousands deep (in the header, a payload…): the sender's fault
            self._event("too_nested", None, path[:60])
            return 400, _json({"error": "too_nested", "reason": "the request nests JSON too deeply"})
        except Exception:  # a bug must cost one request, never the endpoint
            log.exception("link request failed")
            self._event("internal", None, path[:60])
            return 500, _json({"error": "internal", "reason": "the agent could not handle this request"})

    def _event(self, code: str, peer: str | None, detail: str) -> None:
        try:
            self.state.record_event(code, peer, detail)
        except Exception:
            log.exception("cannot record link event")
        if self.on_event:
            self.on_event(code, peer, detail)

    # ---- pairing ---------------------------------------------------------------------------------------
    def _sweep(self) -> None:
        now = self.monotonic()
        for sid, (_, deadline) in list(self._pending.items()):
            if deadline < now:
                del self._pending[sid]
                self.state.burn("pairing session abandoned")

    def _pair_start(self, data: Any) -> tuple[int, bytes]:
        with self._pair_lock:
            self._sweep()
            if len(self._pending) >= MAX_PENDING:
                raise ProtocolError("pair_busy", "another pairing is in progress; try again in a minute")
            code = self.state.spend_code()
            try:
                attempt = AgentPairing(code, data, self.identity.public)
            except ProtocolError as exc:
                self.state.burn(exc.reason)
                raise
            self._pending[attempt.session] = (attempt, self.monotonic() + SESSION_TTL_S)
            return 200, _json(attempt.reply())

    def _take_session(self, data: Any) -> AgentPairing:
        sid = data.get("session") if isinstance(data, dict) else None
        with self._pair_lock:
            self._sweep()
            entry = self._pending.pop(sid, None) if isinstance(sid, str) else None
        if entry is None:
            raise ProtocolError("pair_no_session", "no pairing in progress with this session")
        return entry[0]

    def _pair_finish(self, data: Any) -> tuple[int, bytes]:
        attempt = self._take_session(data)
        try:
            console, reply = attempt.finish(data)
            self.state.pin(console)
        except ProtocolError as exc:
            self.state.burn(exc.reason)
            raise
        self.state.pairing_done()
        self._event("paired", console.device_id, f"paired with console {console.name!r}")
        return 200, _json(reply)

    def _pair_abort(self, data: Any) -> tuple[int, bytes]:
        self._take_session(data)
        self.state.burn("the console reported a failed key confirmation")
        return 200, _json({"ok": True})

    # ---- sealed messages -------------------------------------------------------------------------------
    def peer_keys(self, device_id: str) -> PeerKeys | None:
        """A pinned console or a linked phone (not unpaired, not removed), or None."""
        return self.state.peer(device_id) or self.phones.peer(device_id)

    def is_phone(self, device_id: str) -> bool:
        return self.state.peer(device_id) is None and self.phones.peer(device_id) is not None

    def _channel(self, device_id: str) -> Channel:
        peer = self.peer_keys(device_id)
        if peer is None:
            gone = self.phones.removed(device_id)
            if gone is not None:
                when = time.strftime("%Y-%m-%d %H:%M", time.localtime(gone["removed_at"]))
                raise ProtocolError("phone_removed", f"this phone was removed from the family by a parent on {when};"
                                                     " this PC refuses it")
            code = "revoked" if self.state.is_revoked(device_id) else "unknown_peer"
            raise ProtocolError(code, "this console is not paired with this device" if code == "unknown_peer"
                                else "this console was unpaired; its key is refused")
        chan = self._channels.get(device_id)
        if chan is None:
            chan = self._channels[device_id] = Channel(self.identity, peer)
        return chan

    def _message(self, body: bytes) -> tuple[int, bytes]:
        claimed = peek_header(body)
        if claimed.receiver != self.identity.device_id:
            raise ProtocolError("wrong_peer", "the envelope is addressed to another device")
        try:
            with self._msg_lock:
                chan = self._channel(claimed.sender)
                header, payload = chan.open(body, lambda lane: self.state.counters(claimed.sender, lane)[1])
                self.state.accept_recv(header.sender, header.lane, header.counter)
        except ProtocolError as exc:
            if claimed.kind in messages.CONTROL_ACTIONS:  # a forged or replayed unlock: the parent hears of it
                self._control_refused(claimed.kind, exc, claimed.sender)
            raise
        self._peer_clock(header.sender, payload)
        if header.kind not in messages.REQUEST_KINDS:
            result: dict[str, Any] = {"ok": False, "error": "unknown_kind", "reason": f"unknown kind {header.kind!r}"}
        elif header.kind not in phone_link.PHONE_KINDS and self.is_phone(header.sender):
            self._event("phone_not_allowed", header.sender, f"a phone asked for {header.kind!r}")
            result = {"ok": False, "error": "not_allowed",
                      "reason": f"a linked phone may not send {header.kind!r}; use the parent's console"}
        else:
            try:
                result = getattr(self, "_do_" + header.kind)(header.sender, payload)
            except ProtocolError as exc:
                self._event(exc.code, header.sender, exc.reason)
                if header.kind in messages.CONTROL_ACTIONS:
                    self._control_refused(header.kind, exc, header.sender)
                result = {"ok": False, "error": exc.code, "reason": exc.reason}
        # an unpaired console gets its acknowledgement sealed with the key it still holds
        return 200, chan.seal("reply", result, self.state.next_send(header.sender, header.lane), header.counter,
                              header.lane)

    def _peer_clock(self, sender: str, payload: Any) -> None:
        """A paired console's signed clock (agent.protocol.clock_proof) goes to the service as a trusted time."""
        sink = getattr(self.backend, "peer_time", None)
        value = payload.get("clock") if isinstance(payload, dict) else None
        keys = self.peer_keys(sender)
        if sink is None or value is None or keys is None:
            return
        try:
            at = verify_clock(value, keys, self.identity.device_id)
        except ProtocolError as exc:
            self._event(exc.code, sender, exc.reason)
            return
        sink(at, sender)

    def _do_push_subscribe(self, sender: str, payload: Any) -> dict[str, Any]:
        if self.push_book is None:
            raise ProtocolError("push_unavailable", "this PC does not send Web Push")
        sub = self.push_book.subscribe(sender, payload)
        self._event("push_subscribed", sender, sub.audience)
        return {"ok": True}

    def _do_push_unsubscribe(self, sender: str, payload: Any) -> dict[str, Any]:
        removed = self.push_book is not None and self.push_book.remove(sender)
        return {"ok": True, "removed": removed}

    def _signer(self, sender: str, signer: Any) -> PeerKeys | None:
        """The keys a signed payload is checked with: a pinned console's, or a phone's own (a phone signs only as
        itself, and nobody may sign as a phone but the phone)."""
        if not isinstance(signer, str):
            return None
        if self.is_phone(sender) or self.state.peer(signer) is None:
            return self.phones.peer(signer) if signer == sender else None
        return self.state.peer(signer)

    def _do_status(self, sender: str, payload: Any) -> dict[str, Any]:
        return {"ok": True, "status": self.backend.status(), "device": self.identity.device_id,
                "name": self.identity.public.name}

    def _do_policy_get(self, sender: str, payload: Any) -> dict[str, Any]:
        return {"ok": True, "policy": self.backend.current_policy()}

    def _do_policy_push(self, sender: str, payload: Any) -> dict[str, Any]:
        signer = payload.get("signer") if isinstance(payload, dict) else None
        keys = self._signer(sender, signer)
        doc = messages.verify_policy(payload, keys)
        if self.is_phone(sender):  # a phone moves the main levers only (daily minutes, bedtime)
            problem = phone_link.lever_change_problem(self.backend.current_policy(), doc)
            if problem is not None:
                self._event("phone_not_allowed", sender, f"policy change outside the levers: {problem}")
                return {"ok": False, "error": "not_allowed",
                        "reason": f"a phone may change daily minutes and bedtime only, not {problem}"}
        try:
            self.backend.apply_policy(doc, signer)
        except PolicyRejected as exc:
            self._event("policy_rejected", sender, exc.reason)
            return {"ok": False, "error": "policy_rejected", "reason": exc.reason}
        self._event("policy_applied", sender, f"version {doc.get('version')}")
        return {"ok": True, "version": doc.get("version")}

    def _do_outbox(self, sender: str, payload: Any) -> dict[str, Any]:
        cursor, limit, wait_s = messages.outbox_args(payload)
        if wait_s > 0:
            self.backend.wait_outbox(cursor, wait_s)
        items = self.backend.outbox_since(cursor, limit)
        return {"ok": True, "items": items, "cursor": items[-1]["seq"] if items else cursor}

    def _do_decision(self, sender: str, payload: Any) -> dict[str, Any]:
        signer = payload.get("signer") if isinstance(payload, dict) else None
        keys = self._signer(sender, signer)
        d = messages.verify_decision(payload, keys, self.identity.device_id)
        try:
            result = self.backend.apply_decision(d["request_id"], d["approve"], d["minutes"], d["message"], signer)
        except DecisionRejected as exc:
            return {"ok": False, "error": "decision_rejected", "reason": exc.reason}
        self._event("decision_applied", sender, f"{d['request_id']}: {result.get('state')}")
        return {"ok": True, "result": result}

    def _do_pair_allow(self, sender: str, payload: Any) -> dict[str, Any]:
        """A paired console lets one more console pair: the child's PC shows a code for CODE_TTL_S."""
        _, expires = self.state.open_pairing(by=f"console {sender[:12]}")
        self._event("pair_allowed", sender, "a paired console opened pairing for one more console")
        return {"ok": True, "expires_in_s": max(0, int(expires - self.state.clock()))}

    def _do_unpair(self, sender: str, payload: Any) -> dict[str, Any]:
        self.state.revoke(sender)
        self._channels.pop(sender, None)
        self._event("unpaired", sender, "the console unpaired itself")
        return {"ok": True}

    def _do_consent_get(self, sender: str, payload: Any) -> dict[str, Any]:
        try:
            return {"ok": True, "consent": self.backend.consent()}
        except ConsentRejected as exc:
            return {"ok": False, "error": "consent_rejected", "reason": exc.reason}

    def _do_consent(self, sender: str, payload: Any) -> dict[str, Any]:
        signer = payload.get("signer") if isinstance(payload, dict) else None
        keys = self._signer(sender, signer)
        fields = messages.verify_consent(payload, keys, self.identity.device_id)
        try:
            view = self.backend.apply_consent(fields, signer)
        except ConsentRejected as exc:
            self._event("consent_rejected", sender, exc.reason)
            return {"ok": False, "error": "consent_rejected", "reason": exc.reason}
        self._event("consent_applied", sender, f"state {view.get('state')}")
        return {"ok": True, "consent": view}

    def _do_phone_add(self, sender: str, payload: Any) -> dict[str, Any]:
        """A paired console signs a phone into the family (agent.protocol.phone_link): pin it with a phone's rights."""
        signer = payload.get("signer") if isinstance(payload, dict) else None
        st = phone_link.verify_statement(payload, self.state.peer(signer) if isinstance(signer, str) else None,
                                         "phone_add")
        phone = PeerKeys.from_json(st["phone"])
        if self.state.peer(phone.device_id) is not None or phone.device_id == self.identity.device_id:
            raise ProtocolError("bad_payload", "phone_add: that key is a console's or this PC's own")
        new = self.phones.add(phone, st.get("relay") or "", signer)
        self._event("phone_added" if new else "phone_renamed", phone.device_id,
                    f"phone {phone.name!r} linked by console {signer[:12]}")
        return {"ok": True, "phone": phone.device_id}

    def _do_phone_remove(self, sender: str, payload: Any) -> dict[str, Any]:
        signer = payload.get("signer") if isinstance(payload, dict) else None
        st = phone_link.verify_statement(payload, self.state.peer(signer) if isinstance(signer, str) else None,
                                         "phone_remove")
        phone_id = st["phone_id"]
        self.phones.remove(phone_id, signer)
        self._channels.pop(phone_id, None)
        for hook in self.on_phone_removed:
            hook(phone_id)
        self._event("phone_removed", phone_id, f"phone removed by console {signer[:12]}")
        return {"ok": True}

    # ---- the parent's controls: lock now / unlock, pause internet / resume ------------------------------------
    def _control_refused(self, kind: str, exc: ProtocolError, sender: str | None) -> None:
        hook = getattr(self.backend, "control_refused", None)
        if hook is None:
            return
        try:
            hook(kind, exc.code, sender, exc.reason)
        except Exception:
            log.exception("cannot report a refused %s", kind)

    def _control(self, kind: str, sender: str, payload: Any) -> dict[str, Any]:
        signer = payload.get("signer") if isinstance(payload, dict) else None
        c = messages.verify_control(payload, self._signer(sender, signer), self.identity.device_id, kind)
        try:
            view = self.backend.apply_control(kind, c["action"], c["until"], c["at"], signer)
        except ControlRejected as exc:
            self._event("control_rejected", sender, f"{kind} {c['action']}: {exc.reason}")
            return {"ok": False, "error": "control_rejected", "reason": exc.reason}
        self._event("control_applied", sender, f"{kind} {c['action']} until {c['until']}")
        return {"ok": True, "control": view}

    def _do_lock_now(self, sender: str, payload: Any) -> dict[str, Any]:
        return self._control("lock_now", sender, payload)

    def _do_pause_internet(self, sender: str, payload: Any) -> dict[str, Any]:
        return self._control("pause_internet", sender, payload)
