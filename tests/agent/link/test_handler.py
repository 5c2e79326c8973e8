"""The agent's link in-process: pairing-code rules, pinning, revocation, policy/decision checks, and fuzzing."""

from __future__ import annotations

import json
import random

import pytest
import requests

from agent.link.backend import StoreBackend
from agent.link.server import LinkServer
from agent.link.state import CODE_TTL_S, MAX_BURNS
from agent.policy import preset
from agent.protocol import messages
from agent.protocol.identity import Identity
from agent.protocol.pairing import ConsolePairing, new_code
from tests.support.link_in_process import Console, open_store
from tests.support.link_in_process import agent as agent  # a fixture


# ---- pairing-code rules --------------------------------------------------------------------------------
def test_pairing_pins_both_sides_and_closes_pairing(agent):
    console = Identity.generate("mom")
    keys = agent.pair(console)
    assert keys == agent.identity.public
    assert agent.state.peer(console.device_id) == console.public
    assert agent.state.current_code()[0] is None  # single use: nothing open after success


def test_wrong_code_burns_it_and_a_new_code_is_shown(agent):
    code, _ = agent.state.open_pairing()
    wrong = new_code()
    c = ConsolePairing(wrong, Identity.generate().public)
    status, reply = agent.post("/v1/pair/start", c.start_message())
    assert status == 200
    with pytest.raises(Exception, match="wrong_code"):
        c.finish_message(reply)
    agent.post("/v1/pair/abort", {"session": reply["session"]})
    new, _, _ = agent.state.current_code()
    assert new is not None and new != code
    # the old (right) code is dead now
    c2 = ConsolePairing(code, Identity.generate().public)
    _, reply2 = agent.post("/v1/pair/start", c2.start_message())
    with pytest.raises(Exception, match="wrong_code"):
        c2.finish_message(reply2)
    assert any(e["code"] == "pair_failed" for e in agent.state.events())


def test_abandoned_session_burns_the_code(agent, monkeypatch):
    code, _ = agent.state.open_pairing()
    c = ConsolePairing(code, Identity.generate().public)
    agent.post("/v1/pair/start", c.start_message())
    t = [0.0]
    agent.service.monotonic = lambda: t[0] + 1e9
    status, _ = agent.post("/v1/pair/finish", {"session": "nope"})
    assert status == 400
    assert agent.state.current_code()[0] not in (None, code)


def test_code_expires_after_ten_minutes(agent):
    code, _ = agent.state.open_pairing()
    agent.clock.t += CODE_TTL_S + 1
    c = ConsolePairing(code, Identity.generate().public)
    status, reply = agent.post("/v1/pair/start", c.start_message())
    assert status == 409 and reply["error"] == "code_expired"


def test_repeated_failures_close_pairing(agent):
    agent.state.open_pairing()
    for _ in range(MAX_BURNS):
        c = ConsolePairing(new_code(), Identity.generate().public)
        status, reply = agent.post("/v1/pair/start", c.start_message())
        if status != 200:
            break
        agent.post("/v1/pair/abort", {"session": reply["session"]})
    status, reply = agent.post("/v1/pair/start", ConsolePairing(new_code(), Identity.generate().public)
                               .start_message())
    assert status == 409 and "failed tries" in reply["reason"]


def test_no_code_open_is_refused(agent):
    status, reply = agent.post("/v1/pair/start", ConsolePairing(new_code(), Identity.generate().public)
                               .start_message())
    assert status == 409 and "sprout-agent pair" in reply["reason"]


# ---- sealed messages -----------------------------------------------------------------------------------
def test_two_consoles_and_unpair_revokes(agent):
    mom, dad = Console(agent, "mom"), Console(agent, "dad")
    assert {p["name"] for p in agent.state.peers()} == {"mom", "dad"}
    assert mom.call("status", {})[1]["ok"] and dad.call("status", {})[1]["ok"]
    assert dad.call("unpair", {})[1]["ok"]
    status, reply = dad.call("status", {})
    assert status == 403 and reply["error"] == "revoked"
    assert mom.call("status", {})[1]["ok"]
    # re-pairing the revoked key is refused too
    code = agent.state.open_pairing()[0]
    c = ConsolePairing(code, dad.identity.public)
    _, r = agent.post("/v1/pair/start", c.start_message())
    status, r = agent.post("/v1/pair/finish", c.finish_message(r))
    assert status == 403 and r["error"] == "revoked"


def test_captured_request_replayed_is_refused(agent):
    mom = Console(agent)
    doc = preset(age=10)
    doc["version"] = 5
    wire = mom.wire("policy_push", messages.sign_policy(mom.identity, doc))
    assert mom.send_wire(wire)[1]["ok"]
    status, reply = mom.send_wire(wire)
    assert status == 403 and reply["error"] == "replay"
    assert any(e["code"] == "replay" for e in agent.state.events())


def test_policy_checks_unknown_signer_old_version_invalid_schema(agent):
    mom = Console(agent)
    doc = preset(age=10, extra=["vn-decree-147"])
    doc["version"] = 7
    assert mom.call("policy_push", messages.sign_policy(mom.identity, doc))[1] == {"ok": True, "version": 7}
    # signed by a key that is not pinned, sent over a valid channel
    stranger = Identity.generate()
    newer = dict(doc, version=8)
    _, reply = mom.call("policy_push", messages.sign_policy(stranger, newer))
    assert reply["error"] == "unknown_signer"
    # signer field claims mom, signature by the stranger
    forged = dict(messages.sign_policy(stranger, newer), signer=mom.identity.device_id)
    assert mom.call("policy_push", forged)[1]["error"] == "bad_signature"
    # older version
    old = dict(doc, version=6)
    _, reply = mom.call("policy_push", messages.sign_policy(mom.identity, old))
    assert reply["error"] == "policy_rejected" and "not newer" in reply["reason"]
    # invalid schema signed properly (sign without the console-side validation)
    bad = dict(newer, screen=dict(newer["screen"], daily_minutes={"mon": -5}))
    payload = {"policy": bad, "signer": mom.identity.device_id, "sig": "AAAA"}
    _, reply = mom.call("policy_push", payload)
    assert reply["error"] == "policy_invalid" and "screen.daily_minutes" in reply["reason"]
    assert mom.call("policy_get", {})[1]["policy"]["version"] == 7  # last good policy kept


def test_outbox_cursor_and_decision_applied_once(agent):
    mom = Console(agent)
    for i in range(5):
        agent.store.outbox_put("alert", {"n": i})
    agent.store.outbox_put("time_request", {"id": "r1", "minutes": 30, "scope": "screen"})
    _, reply = mom.call("outbox", {"cursor": 0, "limit": 4})
    assert [i["seq"] for i in reply["items"]] == [1, 2, 3, 4] and reply["cursor"] == 4
    _, reply = mom.call("outbox", {"cursor": 4, "limit": 100})
    assert [i["kind"] for i in reply["items"]] == ["alert", "time_request"]
    signed = messages.sign_decision(mom.identity, agent.identity.device_id, "r1", True, 20, "ok con")
    assert mom.call("decision", signed)[1]["result"]["state"] == "granted"
    assert agent.applied == [("r1", True, 20)]
    again = messages.sign_decision(mom.identity, agent.identity.device_id, "r1", True, 20)
    assert mom.call("decision", again)[1]["error"] == "decision_rejected"
    missing = messages.sign_decision(mom.identity, agent.identity.device_id, "missing", False, 0)
    assert "unknown" in mom.call("decision", missing)[1]["reason"]
    assert agent.applied == [("r1", True, 20)]


def test_long_poll_returns_when_an_item_arrives(agent, monkeypatch):
    import threading
    from types import SimpleNamespace

    from agent.link import backend as backend_module

    # The wait's own clock stands still, so its 20 s can never run out: the reply can only come from the item,
    # put once the console's long-poll is already waiting (the order of events, not seconds).
    monkeypatch.setattr(backend_module, "time", SimpleNamespace(monotonic=lambda: 1000.0))
    waiting, ended = threading.Event(), []
    wait = agent.backend.wait_outbox

    def spied_wait(cursor: int, timeout_s: float) -> bool:
        waiting.set()
        ended.append(wait(cursor, timeout_s))
        return ended[-1]

    agent.backend.wait_outbox = spied_wait
    putter = threading.Thread(target=lambda: waiting.wait(60) and agent.store.outbox_put("time_request", {"id": "r9"}))
    putter.start()
    mom = Console(agent)
    _, reply = mom.call("outbox", {"cursor": 0, "limit": 10, "wait_s": 20}, lane=1)
    putter.join()
    assert reply["items"][0]["payload"]["id"] == "r9"
    assert ended == [True]  # woken by the item, not by the end of its wait


def test_bad_payloads_get_clear_errors(agent):
    mom = Console(agent)
    assert mom.call("outbox", {"cursor": -1})[1]["error"] == "bad_payload"
    assert mom.call("outbox", {"limit": 10_000})[1]["error"] == "bad_payload"
    assert mom.call("frobnicate", {})[1]["error"] == "unknown_kind"
    assert mom.call("decision", {"decision": "x"})[1]["error"] == "bad_payload"


# ---- fuzzing -------------------------------------------------------------------------------------------
def _snapshot(agent):
    return (agent.state.all_counters(), agent.state.peers(include_revoked=True), agent.backend.current_policy(),
            list(agent.applied), agent.store.outbox_since(0, 1000))


def _mutations(rng: random.Random, valid: list[bytes]):
    junk = [b"", b"{}", b"[]", b"null", b'{"h":1,"c":2}', b"\xff\xfe", b"{" * 5000, b'"' + b"A" * 100 + b'"']
    while True:
        r = rng.random()
        base = rng.choice(valid)
        if r < 0.35:
            b = bytearray(base)
            for _ in range(rng.randint(1, 4)):
                b[rng.randrange(len(b))] = rng.randrange(256)
            yield bytes(b)
        elif r < 0.5:
            yield base[: rng.randrange(len(base))]
        elif r < 0.6:
            yield base  # a replay of something already accepted
        elif r < 0.75:
            outer = json.loads(base)
            key = rng.choice(["h", "c"])
            raw = bytearray(outer[key].encode())
            raw[rng.randrange(len(raw))] = ord(rng.choice("ABCDEFGHabcdefgh0123456789-_"))
            outer[key] = raw.decode()
            yield json.dumps(outer).encode()
        elif r < 0.85:
            yield rng.choice(junk)
        else:
            yield bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))


def test_fuzz_100k_requests_in_process_no_crash_no_state_change(agent):
    mom = Console(agent)
    doc = preset(age=10)
    doc["version"] = 3
    valid = [mom.wire("policy_push", messages.sign_policy(mom.identity, doc)), mom.wire("status", {})]
    for w in valid:
        assert mom.send_wire(w)[0] == 200
    agent.store.outbox_put("time_request", {"id": "r1"})
    valid.append(mom.chan.seal("decision", messages.sign_decision(mom.identity, agent.identity.device_id, "r1",
                                                                   True, 30), 1))  # counter already used
    code = agent.state.open_pairing()[0]
    before = _snapshot(agent)
    rng = random.Random(1234)
    paths = ["/v1/msg"] * 8 + ["/v1/pair/finish", "/v1/pair/abort", "/nope"]
    statuses: dict[int, int] = {}
    gen = _mutations(rng, valid)
    for _ in range(100_000):
        status, body = agent.service.handle("POST", rng.choice(paths), next(gen))
        statuses[status] = statuses.get(status, 0) + 1
        assert status in (400, 403, 404, 409, 413), body
    assert _snapshot(agent) == before
    assert agent.state.current_code()[0] == code  # nothing reached pairing either
    assert 500 not in statuses


def test_fuzz_over_real_http(agent):
    server = LinkServer(agent.service).start()
    url = "http://{}:{}".format(*server.address)
    try:
        mom = Console(agent)
        valid = [mom.wire("status", {}), mom.wire("status", {})]
        for w in valid:
            assert mom.send_wire(w)[0] == 200
        before = _snapshot(agent)
        rng = random.Random(99)
        gen = _mutations(rng, valid)
        s = requests.Session()
        for _ in range(4000):
            r = s.post(url + "/v1/msg", data=next(gen), timeout=5)
            assert r.status_code in (400, 403, 413)
            assert "error" in r.json()
        # raw socket abuse: lying Content-Length, no length, huge length
        import socket

        for raw in (b"POST /v1/msg HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc",
                    b"POST /v1/msg HTTP/1.1\r\n\r\n", b"POST /v1/msg HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n",
                    b"GARBAGE\r\n\r\n"):
            with socket.create_connection(server.address, timeout=15) as sock:
                sock.sendall(raw)
                sock.shutdown(socket.SHUT_WR)
                sock.recv(1000)
        assert _snapshot(agent) == before
        assert s.get(url + "/v1/hello", timeout=5).json()["device"] == agent.identity.device_id
    finally:
        server.stop()


def test_zeroconf_service_info():
    from agent.link.advertise import SERVICE_TYPE, service_info

    ident = Identity.generate("An's PC")
    info = service_info(ident.device_id, "An's PC", "127.0.0.1", 47800)
    assert info.type == SERVICE_TYPE == "_sprout._tcp.local."
    assert info.port == 47800 and info.parsed_addresses() == ["127.0.0.1"]
    assert info.properties[b"id"] == ident.device_id.encode()
    assert info.name.endswith("._sprout._tcp.local.")


def test_zeroconf_advertisement_found_on_loopback():
    import time

    from zeroconf import ServiceBrowser, Zeroconf

    from agent.link.advertise import SERVICE_TYPE, Advertiser, service_info

    ident = Identity.generate("An PC")
    adv = Advertiser(service_info(ident.device_id, "An PC", "127.0.0.1", 47999), interfaces=["127.0.0.1"])
    zc = Zeroconf(interfaces=["127.0.0.1"])
    found = []

    class Listener:
        # Other agents may advertise on this machine too: keep only the one this test started.
        def add_service(self, z, t, n):
            info = z.get_service_info(t, n, timeout=3000)
            if info is not None and info.properties.get(b"id") == ident.device_id.encode():
                found.append(info)

        def update_service(self, *a):
            pass

        def remove_service(self, *a):
            pass

    try:
        ServiceBrowser(zc, SERVICE_TYPE, Listener())
        deadline = time.monotonic() + 10
        while not found and time.monotonic() < deadline:
            time.sleep(0.05)
        assert found and found[0].port == 47999
        assert found[0].properties[b"id"] == ident.device_id.encode()
    finally:
        zc.close()
        adv.stop()


def test_store_backend_sinks_record_once_and_map_refusals(tmp_path):
    import json as _json

    from agent.link.backend import DecisionRejected, PolicyRejected
    from agent.policy import PolicyError, Problem, load_policy_doc

    store = open_store(tmp_path / "agent.db")
    seen = []

    def sink(doc, signer):  # like the service core: checks, applies, records the policy itself
        if doc["child"].get("name") == "refuse-me":
            raise PolicyError([Problem("child.name", "the service refused it")])
        store.record_policy(doc["version"], _json.dumps(doc).encode(), signer)
        seen.append(doc["version"])

    backend = StoreBackend(store, policy_sink=sink, grant_sink=lambda *a: {"applied": True})
    doc = load_policy_doc(preset(age=12))
    doc["version"] = 2
    backend.apply_policy(doc, "mom")
    assert seen == [2] and [p.version for p in store.policies()] == [2]  # not recorded twice
    refused = dict(doc, version=3, child=dict(doc["child"], name="refuse-me"))
    with pytest.raises(PolicyRejected, match="child.name: the service refused it"):
        backend.apply_policy(refused, "mom")
    with pytest.raises(PolicyRejected, match="timezone"):
        backend.apply_policy(dict(doc, version=4, timezone="Mars/Olympus"), "mom")
    assert backend.current_policy()["version"] == 2
    assert backend.apply_decision("r1", True, 10, "", "mom") == {"request_id": "r1", "state": "granted",
                                                                 "minutes": 10, "applied": True}
    with pytest.raises(DecisionRejected):
        backend.apply_decision("r1", False, 0, "", "dad")
    assert [i["kind"] for i in backend.outbox_since(0, 10)] == ["decision"]
