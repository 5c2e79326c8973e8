"""One canonical form for everything signed (agent.policy.canonical): the inputs of the three old writers (the
policy's, the wire messages', the uninstall approvals') give the same bytes as before, or are refused."""

from __future__ import annotations

import base64
import json
import math
from typing import Any

import pytest

from agent.policy import canonical_bytes, default_policy
from agent.policy.canonical import canonical_json
from agent.protocol import messages
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity
from agent.service import protect


def old_policy_form(value: Any) -> bytes:  # agent/policy/canonical.py before (it also refused floats)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def old_messages_form(value: Any) -> bytes:  # agent/protocol/messages.py::_canonical before
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


old_protect_form = old_messages_form  # agent/service/protect.py::canonical before: the same text


SIGNED_INPUTS = [
    default_policy(),
    {"request_id": "r1", "approve": True, "minutes": 30, "message": "con làm xong bài rồi ạ 🌱", "device": "abc"},
    {"fields": ["time_totals", "web_categories"], "device": "abc", "at": 1_765_000_000},
    {"action": "uninstall", "expires": 1_765_000_600, "nonce": "00ff" * 8},
    {"z": [1, {"b": None, "a": False}], "é": "\u0000\n\"", "": []},
]


@pytest.mark.parametrize("value", SIGNED_INPUTS, ids=["policy", "decision", "consent", "approval", "odd"])
def test_the_old_writers_inputs_give_the_same_bytes(value):
    new = canonical_json(value)
    assert new == old_policy_form(value) == old_messages_form(value) == old_protect_form(value)
    assert messages._canonical(value) == new and protect.canonical(value) == new


@pytest.mark.parametrize("value", [
    {"fields": [], "device": "abc", "at": 1765000000.25},   # the old consent (float(at))
    {"action": "stop", "expires": 1765000600.5, "nonce": "x"},  # the old approval (time.time() + ttl)
    {"x": math.nan}, {"x": [1, math.inf]}, {1: "key not text"},
])
def test_floats_nan_and_odd_keys_are_refused_everywhere(value):
    with pytest.raises(ValueError):
        canonical_json(value)
    with pytest.raises(ProtocolError) as err:
        messages._canonical(value)
    assert err.value.code == "bad_payload"
    with pytest.raises(ValueError):
        protect.canonical(value)


def test_the_policy_bytes_are_the_canonical_form_of_the_validated_policy():
    doc = default_policy()
    assert canonical_bytes(doc) == canonical_json(doc)


def test_new_signers_write_whole_seconds_and_verify(tmp_path):
    parent, kid = Identity.generate("parent"), Identity.generate("kid")
    signed = messages.sign_consent(parent, kid.device_id, ["time_totals"], 1765000000.9)
    assert signed["consent"]["at"] == 1765000000
    assert messages.verify_consent(signed, parent.public, kid.device_id) == ["time_totals"]
    approval = protect.sign_approval(parent.sign, parent.device_id, "uninstall", now=1765000000.5)
    assert isinstance(approval["body"]["expires"], int)


def test_a_float_signed_by_an_old_console_is_refused_with_a_reason_not_a_traceback(tmp_path):
    parent, kid = Identity.generate("parent"), Identity.generate("kid")
    consent = {"fields": ["time_totals"], "device": kid.device_id, "at": 1765000000.5}
    old = {"consent": consent, "signer": parent.device_id,
           "sig": base64.b64encode(parent.sign(b"sprout consent\x00" + old_messages_form(consent))).decode()}
    with pytest.raises(ProtocolError) as err:
        messages.verify_consent(old, parent.public, kid.device_id)
    assert err.value.code == "bad_payload" and "float" in str(err.value)

    now = 1765000000.0
    body = {"action": "uninstall", "expires": now + 300.5, "nonce": "ab" * 16}
    approval = {"body": body, "console": parent.device_id,
                "signature": base64.b64encode(parent.sign(old_protect_form(body))).decode()}
    guard = protect.Guard(tmp_path, clock=lambda: now)
    decision = guard.verify_approval(approval, action="uninstall", peer_lookup=lambda _id: parent.public)
    assert not decision.allowed and "malformed approval" in decision.reason
