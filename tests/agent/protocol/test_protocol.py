"""The wire contract on its own: device IDs, pairing codes, SPAKE2 pairing (incl. a relaying MITM), envelopes."""

from __future__ import annotations

import json

import pytest

from agent.policy import preset
from agent.protocol import messages
from agent.protocol.devid import format_device_id, luhn32, parse_device_id, raw_device_id
from agent.protocol.envelope import Channel, Header
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity, PeerKeys, b64d, b64e
from agent.protocol.pairing import (
    CODE_ALPHABET,
    AgentPairing,
    ConsolePairing,
    display_code,
    new_code,
    normalize_code,
)


# ---- device IDs ----------------------------------------------------------------------------------------
def test_luhn32_known_values_and_detects_single_substitution():
    assert luhn32("AAAA") == "A"  # all-zero code points: sum 0 -> check 0
    body = "MFZWIZLTOQQGC3T"
    check = luhn32(body)
    for i in range(len(body)):
        for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567":
            if c != body[i]:
                assert luhn32(body[:i] + c + body[i + 1:]) != check


def test_device_id_round_trip_and_typo_is_caught():
    ident = Identity.generate("pc")
    raw = ident.device_id
    assert raw == raw_device_id(ident.public.sign_pub, ident.public.kx_pub) and len(raw) == 52
    shown = format_device_id(raw)
    assert len(shown) == 63 and shown.count("-") == 7
    assert parse_device_id(shown) == raw
    assert parse_device_id(shown.lower().replace("-", " ")) == raw
    typo = shown[:3] + ("B" if shown[3] != "B" else "C") + shown[4:]
    with pytest.raises(ProtocolError, match="check character"):
        parse_device_id(typo)
    with pytest.raises(ProtocolError, match="56 characters"):
        parse_device_id("ABC")


def test_different_keys_give_different_ids():
    assert Identity.generate().device_id != Identity.generate().device_id


# ---- pairing codes -------------------------------------------------------------------------------------
def test_code_format_and_normalisation():
    code = new_code()
    assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
    assert normalize_code(display_code(code).lower()) == code
    # people write O for 0 and I or L for 1
    fixed = code.replace("0", "O").replace("1", "I")
    assert normalize_code(fixed) == code


def test_code_typo_caught_by_check_character():
    code = new_code()
    wrong = ("2" if code[0] != "2" else "3") + code[1:]
    with pytest.raises(ProtocolError, match="check character"):
        normalize_code(wrong)
    with pytest.raises(ProtocolError, match="8 characters"):
        normalize_code(code[:5])
    with pytest.raises(ProtocolError, match="cannot appear"):
        normalize_code(code[:7] + "U")


# ---- SPAKE2 pairing ------------------------------------------------------------------------------------
def _run_pairing(console_code: str, agent_code: str):
    console, agent = Identity.generate("mom"), Identity.generate("child-pc")
    c = ConsolePairing(console_code, console.public)
    a = AgentPairing(agent_code, c.start_message(), agent.public)
    fin = c.finish_message(a.reply())
    pinned_console, reply = a.finish(fin)
    return console, agent, pinned_console, c.agent_keys(reply)


def test_pairing_exchanges_and_pins_long_term_keys():
    code = new_code()
    console, agent, pinned_console, pinned_agent = _run_pairing(code, code)
    assert pinned_console == console.public and pinned_agent == agent.public


def test_wrong_code_fails_key_confirmation_on_the_console():
    with pytest.raises(ProtocolError) as exc:
        _run_pairing(new_code(), new_code())
    assert exc.value.code == "wrong_code"


def test_forged_console_confirmation_refused_by_agent():
    code = new_code()
    c = ConsolePairing(code, Identity.generate().public)
    a = AgentPairing(code, c.start_message(), Identity.generate().public)
    fin = c.finish_message(a.reply())
    fin["confirm"] = b64e(bytes(32))
    with pytest.raises(ProtocolError) as exc:
        a.finish(fin)
    assert exc.value.code == "wrong_code"


def test_relaying_man_in_the_middle_with_a_guessed_code_fails_on_both_sides():
    """Mallory runs SPAKE2 with a guessed code against the agent and against the console, relaying the rest."""
    real = new_code()
    guess = new_code()
    assert guess != real
    console, agent, mallory = Identity.generate("mom"), Identity.generate("pc"), Identity.generate("mallory")
    # console <-> Mallory (posing as the agent)
    c = ConsolePairing(real, console.public)
    fake_agent = AgentPairing(guess, c.start_message(), mallory.public)
    with pytest.raises(ProtocolError) as e1:
        c.finish_message(fake_agent.reply())
    assert e1.value.code == "wrong_code"
    # Mallory (posing as a console) <-> agent
    fake_console = ConsolePairing(guess, mallory.public)
    a = AgentPairing(real, fake_console.start_message(), agent.public)
    with pytest.raises(ProtocolError) as e2:
        fake_console.finish_message(a.reply())
    assert e2.value.code == "wrong_code"
    # pure relaying of the console's messages does not help Mallory either: she never learns the key,
    # so she cannot open the boxes; and swapping her own box in fails authentication at the agent
    c2 = ConsolePairing(real, console.public)
    a2 = AgentPairing(real, c2.start_message(), agent.public)
    fin = c2.finish_message(a2.reply())
    fin["box"] = b64e(b64d(fin["box"])[:-1] + bytes([b64d(fin["box"])[-1] ^ 1]))
    with pytest.raises(ProtocolError) as e3:
        a2.finish(fin)
    assert e3.value.code == "pair_forged"


def test_malformed_spake_message_is_a_protocol_error():
    with pytest.raises(ProtocolError):
        AgentPairing(new_code(), {"spake": b64e(b"\x00" * 33)}, Identity.generate().public)
    with pytest.raises(ProtocolError):
        AgentPairing(new_code(), {"spake": 5}, Identity.generate().public)


# ---- envelopes -----------------------------------------------------------------------------------------
@pytest.fixture()
def pair_of_channels():
    a, b = Identity.generate("a"), Identity.generate("b")
    return Channel(a, b.public), Channel(b, a.public)


def test_envelope_round_trip(pair_of_channels):
    ab, ba = pair_of_channels
    wire = ab.seal("status", {"x": "Mầm"}, 1)
    header, payload = ba.open(wire, 0)
    assert payload == {"x": "Mầm"} and header.counter == 1 and header.kind == "status"


def test_replay_and_reorder_refused(pair_of_channels):
    ab, ba = pair_of_channels
    w1, w2 = ab.seal("status", {}, 1), ab.seal("status", {}, 2)
    ba.open(w2, 0)
    for wire, last in ((w2, 2), (w1, 2)):
        with pytest.raises(ProtocolError) as exc:
            ba.open(wire, last)
        assert exc.value.code == "replay"


def test_every_modified_byte_is_refused(pair_of_channels):
    ab, ba = pair_of_channels
    outer = json.loads(ab.seal("policy_push", {"v": 1}, 7))
    header, ct = b64d(outer["h"]), b64d(outer["c"])
    for which, raw in (("h", header), ("c", ct)):
        for i in range(len(raw)):
            bad = bytearray(raw)
            bad[i] ^= 0x01
            other = dict(outer, **{which: b64e(bytes(bad))})
            with pytest.raises(ProtocolError):
                ba.open(json.dumps(other).encode(), 0)


def test_truncated_and_wrong_key_refused(pair_of_channels):
    ab, ba = pair_of_channels
    wire = ab.seal("status", {}, 1)
    for cut in (1, len(wire) // 2, len(wire) - 1):
        with pytest.raises(ProtocolError):
            ba.open(wire[:cut], 0)
    stranger = Identity.generate()
    # sealed by a stranger but claiming to be `a`: the header names a, the key is not a's
    forged = Channel(stranger, Identity.generate().public)
    wire = forged.seal("status", {}, 1)
    with pytest.raises(ProtocolError) as exc:
        ba.open(wire, 0)
    assert exc.value.code in ("wrong_peer", "forged")


def test_reflected_message_refused(pair_of_channels):
    ab, _ = pair_of_channels
    with pytest.raises(ProtocolError):
        ab.open(ab.seal("status", {}, 1), 0)  # a's own message sent back to a


def test_lanes_have_independent_counters_and_nonces(pair_of_channels):
    ab, ba = pair_of_channels
    w0, w1 = ab.seal("outbox", {}, 1, lane=0), ab.seal("outbox", {}, 1, lane=1)
    assert ba.open(w0, lambda lane: 0)[0].lane == 0
    assert ba.open(w1, lambda lane: 0)[0].lane == 1
    with pytest.raises(ProtocolError):
        Header.from_bytes(json.dumps({"v": 1, "kind": "x", "from": "a", "to": "b", "ctr": 1, "lane": 9}).encode())


# ---- signed policies and decisions ---------------------------------------------------------------------
def test_policy_signature_checked_against_pinned_signer():
    parent, stranger = Identity.generate("mom"), Identity.generate("x")
    doc = preset(age=10, extra=["vn-decree-147"])
    signed = messages.sign_policy(parent, doc)
    assert messages.verify_policy(signed, parent.public) == doc
    with pytest.raises(ProtocolError, match="unknown_signer"):
        messages.verify_policy(signed, None)
    with pytest.raises(ProtocolError) as exc:
        messages.verify_policy(signed, stranger.public)
    assert exc.value.code == "bad_signature"
    tampered = dict(signed, policy=dict(doc, version=doc["version"] + 1))
    with pytest.raises(ProtocolError):
        messages.verify_policy(tampered, parent.public)


def test_decision_bound_to_device_and_fields():
    parent = Identity.generate()
    agent_id = Identity.generate().device_id
    signed = messages.sign_decision(parent, agent_id, "r1", True, 30, "ok")
    assert messages.verify_decision(signed, parent.public, agent_id)["minutes"] == 30
    with pytest.raises(ProtocolError, match="wrong_device"):
        messages.verify_decision(signed, parent.public, Identity.generate().device_id)
    more = dict(signed, decision=dict(signed["decision"], minutes=240))
    with pytest.raises(ProtocolError, match="bad_signature"):
        messages.verify_decision(more, parent.public, agent_id)


def _bad(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ProtocolError) as exc:
        call()
    assert exc.value.code == "bad_payload"
    return str(exc.value)


def test_signed_payloads_are_typed_and_each_mistake_named_with_its_path():
    parent = Identity.generate()
    agent_id = Identity.generate().device_id
    signed = messages.sign_decision(parent, agent_id, "r1", False, 0)
    assert messages.verify_decision(signed, parent.public, agent_id) == {
        "request_id": "r1", "approve": False, "minutes": 0, "message": ""}
    typed = messages.TimeDecision.build(signed["decision"])
    assert (typed.request_id, typed.approve, typed.minutes) == ("r1", False, 0)

    def signed_decision(**fields):  # type: ignore[no-untyped-def]
        d = {"request_id": "r1", "approve": True, "minutes": 10, "device": agent_id, **fields}
        d = {k: v for k, v in d.items() if v is not ...}
        return {"decision": d, "signer": parent.device_id,
                "sig": b64e(parent.sign(b"sprout decision\x00" + messages._canonical(d)))}

    said = _bad(lambda: messages.verify_decision(signed_decision(request_id="", minutes=1441, approve="yes"),
                                                 parent.public, agent_id))
    assert "decision.request_id: must be text of 1 to 64 characters" in said
    assert "decision.approve: must be true or false, got text" in said
    assert "decision.minutes: must be between 0 and 1440, got 1441" in said
    assert "message" not in _bad(lambda: messages.verify_decision(signed_decision(minutes=...), parent.public,
                                                                  agent_id))
    # a newer console may sign more fields: they are ignored, never an error
    assert messages.verify_decision(signed_decision(colour="red"), parent.public, agent_id)["minutes"] == 10

    consent = messages.sign_consent(parent, agent_id, ["apps", "sites"], 1_700_000_000)
    assert messages.verify_consent(consent, parent.public, agent_id) == ["apps", "sites"]
    long_names = messages.sign_consent(parent, agent_id, ["x" * 41], 1)
    assert "consent.fields[0]: must be text of at most 40 characters" in _bad(
        lambda: messages.verify_consent(long_names, parent.public, agent_id))


def test_outbox_query_defaults_and_limits():
    assert messages.outbox_args({}) == (0, 100, 0.0)
    assert messages.outbox_args({"cursor": 7, "limit": 500, "wait_s": 2.5, "later": 1}) == (7, 500, 2.5)
    assert _bad(lambda: messages.outbox_args({"cursor": -1})) == "bad_payload: outbox.cursor: must be between 0 and 9223372036854775807, got -1"
    assert "outbox.limit: must be between 1 and 500, got 10000" in _bad(lambda: messages.outbox_args({"limit": 10_000}))
    assert "outbox.wait_s: must be from 0 to 25, got nan" in _bad(lambda: messages.outbox_args({"wait_s": float("nan")}))
    assert "outbox.wait_s: must be a number, got true/false" in _bad(lambda: messages.outbox_args({"wait_s": True}))
    assert "outbox: must be an object, got a list" in _bad(lambda: messages.outbox_args([]))


def test_peer_keys_json_validation():
    keys = Identity.generate("máy của An").public
    assert PeerKeys.from_json(keys.to_json()) == keys
    for bad in ({}, {"sign": "AA", "kx": "AA"}, {"sign": keys.to_json()["sign"], "kx": keys.to_json()["kx"], "name": 5}):
        with pytest.raises(ProtocolError):
            PeerKeys.from_json(bad)


def test_identity_repr_hides_keys():
    ident = Identity.generate()
    assert "Identity(" in repr(ident) and ident.public.display_id in repr(ident)
