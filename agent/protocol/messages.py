"""Message kinds carried in envelopes, and the signed objects inside them (policies, decisions).

Requests (console -> agent) and their payloads:
  status        {}                                          -> {ok, status}
  policy_get    {}                                          -> {ok, policy|null}
  policy_push   {policy, signer, sig}                       -> {ok, version} | {ok:false, error, reason}
  outbox        {cursor, limit, wait_s}                     -> {ok, items:[{seq, kind, payload, at}], cursor}
  decision      {decision:{request_id, approve, minutes, message, device}, signer, sig} -> {ok, result}
  consent       {consent:{fields, device, at}, signer, sig}  -> {ok, consent} (the parent's signed ask and agreement)
  consent_get   {}                                          -> {ok, consent} (state, proposal, in force, record)
  unpair        {}                                          -> {ok}
  phone_add     {statement, signer, sig}                    -> {ok, phone} (agent.protocol.phone_link; consoles only)
  phone_remove  {statement, signer, sig}                    -> {ok}        (the phone is refused from then on)
  lock_now      {control:{kind, action: lock|unlock, until, at, device}, signer, sig} -> {ok, control}
  pause_internet {control:{kind, action: pause|resume, until, at, device}, signer, sig} -> {ok, control}
                (the parent's "lock now" / "pause internet until …": agent.service.controls; `until` is Unix
                seconds, 0 = until the parent unlocks — a lock only; a pause ends within MAX_CONTROL_S)
Every reply is sealed with kind "reply" and `re` = the request's counter.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar

from agent.policy.canonical import canonical_json
from agent.policy.fields import Bool, Choice, Int, Model, Number, Text, Texts, accepts, check, rule
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity, PeerKeys, b64d, b64e

REQUEST_KINDS = ("status", "policy_get", "policy_push", "outbox", "decision", "unpair", "consent", "consent_get",
                 "pair_allow", "phone_add", "phone_remove")
REQUEST_KINDS += ("push_subscribe", "push_unsubscribe")  # a linked phone's Web Push subscription (protocol/webpush.py)
REQUEST_KINDS += ("lock_now", "pause_internet")  # the parent's controls (sign_control below)
# Each control kind and the actions it carries: an unlock is a lock_now, a resume a pause_internet, so that one
# signed object per kind says everything and a phone's rights (phone_link.PHONE_KINDS) cover both directions.
CONTROL_ACTIONS = {"lock_now": ("lock", "unlock"), "pause_internet": ("pause", "resume")}
MAX_CONTROL_S = 24 * 3600  # a pause (or a timed lock) ends within a day of the agent's trusted time
MAX_OUTBOX_LIMIT = 500
MAX_WAIT_S = 25.0
MAX_MESSAGE_CHARS = 300


# ---- typed payloads (rules: agent/policy/fields.py); unknown fields are ignored, as a newer console may add some --
@dataclass(frozen=True)
class TimeDecision(Model):
    """The parent's signed answer to a child's time request (`device` is checked apart: wrong_device)."""

    closed = False

    request_id: str = rule(Text(64, min_len=1))
    approve: bool = rule(Bool())
    minutes: int = rule(Int(0, 24 * 60))
    message: str = rule(Text(MAX_MESSAGE_CHARS), default="")


@dataclass(frozen=True)
class ConsentGrant(Model):
    """The parent's signed agreement to see exactly these fields on one device (`device`, `at` checked apart)."""

    closed = False

    fields: list[str] = rule(Texts(20, Text(40)))


@dataclass(frozen=True)
class OutboxQuery(Model):
    """What the console asks of the outbox: items after `cursor`, at most `limit`, waiting up to `wait_s`."""

    closed = False

    cursor: int = rule(Int(0, 2**63 - 1), default=0)
    limit: int = rule(Int(1, MAX_OUTBOX_LIMIT), default=100)
    wait_s: float = rule(Number(0, MAX_WAIT_S), default=0)


@dataclass(frozen=True)
class ParentControl(Model):
    """The parent's signed "lock now" / "pause internet until" (`kind` and `device` are checked apart)."""

    closed = False

    action: str = rule(Choice(("lock", "unlock", "pause", "resume")))
    until: int = rule(Int(0, 2**40), default=0)  # Unix seconds; 0 = until the parent ends it
    at: int = rule(Int(0, 2**40), default=0)  # when the parent pressed it, on the parent's clock (the record)


M = TypeVar("M", bound=Model)


def _typed(model: type[M], value: Any, path: str) -> M:
    """The payload as its typed model, or ProtocolError("bad_payload", "path: reason; …")."""
    problems = check(model, value, path)
    if problems:
        raise ProtocolError("bad_payload", "; ".join(str(p) for p in problems[:5]))
    return model.build(value)


def _canonical(value: Any) -> bytes:
    """The one canonical form (agent.policy.canonical); a float or a non-text key cannot be signed or verified:
    refused as a bad payload, never a traceback."""
    try:
        return canonical_json(value)
    except (TypeError, ValueError) as exc:
        raise ProtocolError("bad_payload", f"not signable: {exc}") from None


def sign_policy(me: Identity, doc: dict[str, Any]) -> dict[str, Any]:
    from agent.policy import canonical_bytes  # raises PolicyError on an invalid policy: refuse before sending

    return {"policy": doc, "signer": me.device_id, "sig": b64e(me.sign(b"sprout policy\x00" + canonical_bytes(doc)))}


def verify_policy(payload: Any, signer_keys: PeerKeys | None) -> dict[str, Any]:
    """Check the signature over canonical_bytes(policy) with the pinned signer; return the policy document."""
    from agent.policy import PolicyError, canonical_bytes

    if not isinstance(payload, dict) or not isinstance(payload.get("policy"), dict):
        raise ProtocolError("bad_payload", "policy_push needs a policy object")
    if signer_keys is None:
        raise ProtocolError("unknown_signer", f"signer {str(payload.get('signer'))[:60]!r} is not a paired console")
    try:
        blob = canonical_bytes(payload["policy"])
    except PolicyError as exc:
        problems = "; ".join(f"{p.path}: {p.reason}" for p in exc.problems[:5])
        raise ProtocolError("policy_invalid", problems or "invalid policy") from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise ProtocolError("policy_invalid", str(exc)[:200]) from None
    if not signer_keys.verify(b64d(payload.get("sig"), "sig"), b"sprout policy\x00" + blob):
        raise ProtocolError("bad_signature", "the policy signature does not verify with the signer's pinned key")
    return payload["policy"]


def sign_decision(me: Identity, agent_id: str, request_id: str, approve: bool, minutes: int,
                  message: str = "") -> dict[str, Any]:
    decision = {"request_id": request_id, "approve": bool(approve), "minutes": int(minutes),
                "message": message[:MAX_MESSAGE_CHARS], "device": agent_id}
    return {"decision": decision, "signer": me.device_id,
            "sig": b64e(me.sign(b"sprout decision\x00" + _canonical(decision)))}


def verify_decision(payload: Any, signer_keys: PeerKeys | None, agent_id: str) -> dict[str, Any]:
    d = _signed_for_device(payload, signer_keys, agent_id, "decision", "decision")
    return _typed(TimeDecision, d, "decision").to_dict()


def sign_consent(me: Identity, agent_id: str, fields: list[str], at: float | int) -> dict[str, Any]:
    """The parent's agreement to see exactly `fields` on one device, signed like a policy."""
    consent = {"fields": list(fields), "device": agent_id, "at": int(at)}  # whole seconds: canonical form has no floats
    return {"consent": consent, "signer": me.device_id,
            "sig": b64e(me.sign(b"sprout consent\x00" + _canonical(consent)))}


def verify_consent(payload: Any, signer_keys: PeerKeys | None, agent_id: str) -> list[str]:
    c = _signed_for_device(payload, signer_keys, agent_id, "consent", "consent")
    return _typed(ConsentGrant, c, "consent").fields


def sign_control(me: Identity, agent_id: str, kind: str, action: str, until: int | float | None,
                 at: int | float) -> dict[str, Any]:
    """A parent's control for one device, signed like a decision; `kind` is inside the signed object so a signed
    lock cannot be replayed as a pause (and the envelope's counters stop a replay of the same one)."""
    if action not in CONTROL_ACTIONS.get(kind, ()):
        raise ValueError(f"{kind}: the action must be one of {', '.join(CONTROL_ACTIONS.get(kind, ()))}")
    control = {"kind": kind, "action": action, "until": int(until or 0), "at": int(at), "device": agent_id}
    return {"control": control, "signer": me.device_id,
            "sig": b64e(me.sign(b"sprout control\x00" + _canonical(control)))}


def verify_control(payload: Any, signer_keys: PeerKeys | None, agent_id: str, kind: str) -> dict[str, Any]:
    """The checked control {action, until, at}; ProtocolError naming what is wrong."""
    c = _signed_for_device(payload, signer_keys, agent_id, "control", kind,
                           signers="a paired console or this linked phone")
    if c.get("kind") != kind:
        raise ProtocolError("bad_payload", f"control.kind: this is a {kind}, the signed object says "
                                           f"{str(c.get('kind'))[:30]!r}")
    typed = _typed(ParentControl, c, "control").to_dict()
    if typed["action"] not in CONTROL_ACTIONS[kind]:
        raise ProtocolError("bad_payload", f"control.action: a {kind} is {' or '.join(CONTROL_ACTIONS[kind])}, "
                                           f"got {typed['action']!r}")
    return typed


def _signed_for_device(payload: Any, signer_keys: PeerKeys | None, agent_id: str, field: str, what: str, *,
                       signers: str = "a paired console") -> dict[str, Any]:
    """payload[field] once the checks every signed message for one device shares have passed: the object is
    there, its signer is known, the signature over b"sprout <field>\\x00" + its canonical form (what sign_<field>
    signs) verifies, and it names this device. `what` names the message in the errors, `signers` who may sign it."""
    if not isinstance(payload, dict) or not isinstance(payload.get(field), dict):
        raise ProtocolError("bad_payload", f"{what} needs a {field} object")
    if signer_keys is None:
        raise ProtocolError("unknown_signer", f"the {what}'s signer is not {signers}")
    signed = payload[field]
    if not signer_keys.verify(b64d(payload.get("sig"), "sig"), f"sprout {field}\x00".encode() + _canonical(signed)):
        raise ProtocolError("bad_signature", f"the {what} signature does not verify with the signer's pinned key")
    if signed.get("device") != agent_id:
        raise ProtocolError("wrong_device", f"the {what} was signed for another device")
    return signed


_OUTBOX_DEFAULTS = {f.name: f.default for f in fields(OutboxQuery)}
_OUTBOX_OK = accepts(OutboxQuery)


def outbox_args(payload: Any) -> tuple[int, int, float]:
    # checked by the model's own rules, read without building it: asked on every long-poll, and the object would
    # only be taken apart again (bench/policy.py: building it doubled the call)
    if _OUTBOX_OK is None or not _OUTBOX_OK(payload):
        problems = check(OutboxQuery, payload, "outbox")
        if problems:
            raise ProtocolError("bad_payload", "; ".join(str(p) for p in problems[:5]))
    get, d = payload.get, _OUTBOX_DEFAULTS
    return get("cursor", d["cursor"]), get("limit", d["limit"]), float(get("wait_s", d["wait_s"]))
