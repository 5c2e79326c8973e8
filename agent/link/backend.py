"""What the link needs from the rest of the agent, as a small interface, and its real implementation over the store.

The link server never touches the ledger or the store directly: it authenticates, decrypts and verifies
signatures, then calls an AgentBackend. The service plugs its ledger in through StoreBackend's sinks.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from agent.policy import PolicyError, load_policy_doc
from agent.policy import validate as validate_policy

# A new policy's version must be above the one in force and at most this far above it: a console (a rogue one
# paired during an open window) cannot push the schema's maximum and make every later policy "not newer".
MAX_VERSION_STEP = 1000


def version_problem(new: int, current: int) -> str | None:
    """Why `new` may not replace the policy at version `current`, or None."""
    if new <= current:
        return f"{new} is not newer than the policy in force ({current}); the agent keeps version {current}"
    if new > current + MAX_VERSION_STEP:
        return (f"{new} jumps more than {MAX_VERSION_STEP} past the policy in force ({current}); send version "
                f"{current + 1}")
    return None


class PolicyRejected(Exception):
    """The agent keeps its last good policy; `reason` is sent back to the console."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ConsentRejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DecisionRejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ControlRejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AgentBackend(Protocol):
    def current_policy(self) -> dict | None: ...

    def apply_policy(self, policy: dict, signer: str) -> None: ...

    def outbox_since(self, cursor: int, limit: int) -> list[dict]: ...

    def wait_outbox(self, cursor: int, timeout_s: float) -> bool:
        """Block until an item after `cursor` exists or the timeout passes; True if one exists."""
        ...

    def status(self) -> dict: ...

    def apply_decision(self, request_id: str, approve: bool, minutes: int, message: str, signer: str) -> dict: ...

    def consent(self) -> dict:
        """The consent state and record (agent.service.consent.ConsentBook.view)."""
        ...

    def apply_consent(self, fields: list, signer: str) -> dict: ...

    def apply_control(self, kind: str, action: str, until: int, at: int, signer: str) -> dict:
        """The parent's lock now / unlock / pause internet / resume (agent.service.controls)."""
        ...


def _field(row: Any, name: str, index: int) -> Any:
    if isinstance(row, dict):
        return row.get(name)
    if isinstance(row, tuple | list):
        return row[index] if len(row) > index else None
    return getattr(row, name, None)


def _as_item(row: Any) -> dict[str, Any]:
    payload = _field(row, "payload", 2)
    if isinstance(payload, bytes | str):
        try:
            payload = json.loads(payload)
        except ValueError:
            payload = {"text": payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload}
    return {"seq": int(_field(row, "seq", 0)), "kind": str(_field(row, "kind", 1)), "payload": payload,
            "at": _field(row, "at", 3)}


PolicySink = Callable[[dict[str, Any], str], None]
GrantSink = Callable[[str, bool, int, str], dict[str, Any] | None]


class StoreBackend:
    """AgentBackend over the encrypted store (agent.store.EncryptedStore or anything with its methods).

    policy_sink(doc, signer) applies a policy to the running service (and records it); without one the policy is
    only recorded. grant_sink(request_id, approve, minutes, message) grants or declines a time request.
    """

    POLL_S = 0.1  # the service writes the outbox directly; notify() wakes waiters at once, polling is the backstop

    def __init__(self, store: Any, *, policy_sink: PolicySink | None = None, grant_sink: GrantSink | None = None,
                 status_source: Callable[[], dict[str, Any]] | None = None,
                 policy_source: Callable[[], dict[str, Any]] | None = None,
                 consent_sink: Callable[[Any, str], dict[str, Any]] | None = None,
                 consent_source: Callable[[], dict[str, Any]] | None = None,
                 time_sink: Callable[[float, str], None] | None = None,
                 control_sink: Callable[[str, str, int, str, int], dict[str, Any]] | None = None,
                 refused_sink: Callable[[str, str, str | None, str], None] | None = None) -> None:
        self.control_sink = control_sink  # the core's parent_control(kind, action, until, signer, at)
        self.refused_sink = refused_sink  # the core's control_refused(kind, code, sender, reason)
        self.time_sink = time_sink  # the core's console_time(wall, console): a paired console's signed clock
        self.consent_sink = consent_sink  # the core's parent_consent(fields, signer); None: no consent here
        self.consent_source = consent_source
        self.store = store
        self.policy_sink = policy_sink
        self.grant_sink = grant_sink
        self.status_source = status_source
        self.policy_source = policy_source  # the policy in force, when a running service has one
        self._lock = threading.Lock()
        self._changed = threading.Condition()

    def peer_time(self, wall: float, sender: str) -> None:
        if self.time_sink is not None:
            self.time_sink(wall, sender)

    def current_policy(self) -> dict | None:
        # What is enforced, not only what was ever pushed: a fresh agent enforces its default until a first push.
        if self.policy_source is not None:
            return self.policy_source()
        row = self.store.latest_policy()
        if row is None:
            return None
        blob = _field(row, "blob", 1)
        return json.loads(blob) if blob else None

    def apply_policy(self, policy: dict, signer: str) -> None:
        problems = validate_policy(policy)
        if problems:
            raise PolicyRejected("; ".join(f"{p.path}: {p.reason}" for p in problems[:5]))
        doc = load_policy_doc(policy)
        with self._lock:
            current = self.current_policy()
            why = version_problem(doc["version"], int(current.get("version", 0))) if current is not None else None
            if why is not None:
                raise PolicyRejected(f"version: {why}")
            if self.policy_sink is not None:
                try:
                    self.policy_sink(doc, signer)
                except PolicyError as exc:
                    raise PolicyRejected("; ".join(f"{p.path}: {p.reason}" for p in exc.problems[:5])) from None
                if self.current_policy() != doc:  # the sink may record it itself; never record twice
                    self.store.record_policy(doc["version"], json.dumps(doc).encode("utf-8"), signer)
            else:
                self.store.record_policy(doc["version"], json.dumps(doc).encode("utf-8"), signer)

    def outbox_since(self, cursor: int, limit: int) -> list[dict]:
        return [_as_item(r) for r in self.store.outbox_since(cursor, limit)]

    def notify(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def wait_outbox(self, cursor: int, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while True:
            if self.store.outbox_since(cursor, 1):
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            with self._changed:
                self._changed.wait(min(self.POLL_S, left))

    def status(self) -> dict:
        base = dict(self.status_source()) if self.status_source else {}
        pol = self.current_policy()
        base.setdefault("policy_version", pol.get("version") if pol else None)
        return base

    def apply_decision(self, request_id: str, approve: bool, minutes: int, message: str, signer: str) -> dict:
        key = f"link/decision/{request_id}"
        with self._lock:
            if self.store.kv_get(key) is not None:
                raise DecisionRejected(f"request {request_id} was already answered")
            if approve and minutes <= 0:
                raise DecisionRejected("a grant needs at least one minute")
            result: dict[str, Any] = {"request_id": request_id, "state": "granted" if approve else "declined",
                                      "minutes": minutes if approve else 0}
            if self.grant_sink is not None:
                try:
                    extra = self.grant_sink(request_id, approve, minutes, message)
                except KeyError:
                    raise DecisionRejected(f"request {request_id} is unknown on this device") from None
                except ValueError as exc:
                    raise DecisionRejected(str(exc)[:200]) from None
                if extra:
                    result.update(extra)
            record = dict(result, message=message, signer=signer)
            self.store.kv_put(key, json.dumps(record).encode("utf-8"))
            self.store.outbox_put("decision", record)
        self.notify()
        return result

    def consent(self) -> dict:
        if self.consent_source is None:
            raise ConsentRejected("this agent keeps no consent record (a link without a running service)")
        return self.consent_source()

    def apply_consent(self, fields: list, signer: str) -> dict:
        if self.consent_sink is None:
            raise ConsentRejected("this agent keeps no consent record (a link without a running service)")
        try:
            view = self.consent_sink(fields, signer)
        except ValueError as exc:
            raise ConsentRejected(str(exc)[:200]) from None
        self.notify()
        return view

    def apply_control(self, kind: str, action: str, until: int, at: int, signer: str) -> dict:
        if self.control_sink is None:
            raise ControlRejected("this agent cannot lock or pause (a link without a running service)")
        try:
            view = self.control_sink(kind, action, until, signer, at)
        except ValueError as exc:
            raise ControlRejected(str(exc)[:200]) from None
        self.notify()
        return view

    def control_refused(self, kind: str, code: str, sender: str | None, reason: str) -> None:
        if self.refused_sink is not None:
            self.refused_sink(kind, code, sender, reason)
            self.notify()
