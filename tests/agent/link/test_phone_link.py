"""Linking the parent's phone, in-process: the QR and the short code, the hello and the sealed offer, what a wrong,
late, reused or removed phone gets, the console-signed phone_add / phone_remove at the agent, and a phone's limited
rights there (docs/phone-linking.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.policy import preset
from agent.protocol import messages, phone_link
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity
from app.family import Family
from app.phone_link import ConsoleLink, PhoneBook
from tests.support.link_in_process import Agent
from tests.support.link_in_process import Console as _Console


class Console(_Console):
    def call1(self, kind: str, payload: dict) -> dict:
        """The agent's decrypted reply only."""
        status, reply = self.call(kind, payload)
        assert status == 200, reply
        return reply


class Clock:
    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture()
def family(tmp_path: Path) -> Family:
    fam = Family(tmp_path / "console", name="mom", use_keyring=False)
    yield fam
    fam.close()


def _book(family: Family, clock: Clock, slots: int = 2) -> PhoneBook:
    book = PhoneBook(family, clock)
    book.import_slots({"phone_slots": [{"username": phone_link.b32_slot_name(), "password": f"pw{i}"}
                                       for i in range(slots)]}, "test")
    return book


def _hello(link: ConsoleLink, phone: Identity, mode: str = "qr", code: str | None = None) -> tuple[bytes, bytes]:
    t = link.ticket
    if mode == "qr":
        f = phone_link.parse_qr(t.qr_text())
        key = phone_link.link_key("qr", f["locator"], secret=f["secret"])
    else:
        key = phone_link.link_key("code", t.locator, code=code or phone_link.display_code(t.code))
    return key, phone_link.make_hello(key, mode, t.locator, phone, phone.public.name)


def test_the_code_reads_as_typed_and_a_typo_is_caught_before_it_costs_a_try() -> None:
    code = phone_link.new_code()
    shown = phone_link.display_code(code)
    assert len(code) == 16 and shown.count("-") == 3
    assert phone_link.normalize_code(" " + shown.lower().replace("-", " ") + " ") == code
    typo = code[:5] + ("0" if code[5] != "0" else "1") + code[6:]
    with pytest.raises(ProtocolError, match="check character"):
        phone_link.normalize_code(typo)
    with pytest.raises(ProtocolError, match="16 characters"):
        phone_link.normalize_code(code[:12])


def test_the_qr_carries_what_the_phone_needs_and_a_bad_one_names_its_field(family: Family) -> None:
    clock = Clock()
    t = phone_link.LinkTicket.new(family.identity.device_id, clock(), broker="relay.example.net:8883",
                                  ws="wss://relay.example.net:8884/mqtt", ca_fp="A" * 43)
    f = phone_link.parse_qr(t.qr_text())
    assert (f["console_id"], f["broker"], f["ws"], f["ca_fp"]) == (family.identity.device_id,
                                                                  "relay.example.net:8883",
                                                                  "wss://relay.example.net:8884/mqtt", "A" * 43)
    assert f["secret"] == t.secret and len(f["secret"]) == 32 and f["expires"] == int(clock() + 300)
    assert t.code not in t.qr_text() and t.code[4:] not in repr(t)  # the QR holds its own 256-bit secret
    for bad, field in ((t.qr_text().replace("v=1", "v=7"), "v:"), (t.qr_text().replace("&s=", "&s=AA"), "s:"),
                       ("https://example.com", "not a Sprout phone link")):
        with pytest.raises(ProtocolError, match=field):
            phone_link.parse_qr(bad)


@pytest.mark.parametrize("mode", ["qr", "code"])
def test_a_phone_that_saw_the_qr_or_the_code_gets_the_family_sealed_to_it(family: Family, mode: str) -> None:
    clock = Clock()
    book = _book(family, clock)
    link = ConsoleLink(book, None, clock=clock)
    phone = Identity.generate("Mẹ's phone")
    key, hello = _hello(link, phone, mode)
    answer, outcome = link.answer(hello)
    assert outcome is not None and outcome.phone is not None and outcome.phone.device_id == phone.device_id
    assert outcome.phone.name == "Mẹ's phone"
    console, offer = phone_link.open_offer(key, phone, hello, answer, family.identity.device_id)
    assert console.device_id == family.identity.device_id
    st = phone_link.verify_statement(offer["phone_add"], family.identity.public, "phone_add")
    assert st["phone_id"] == phone.device_id and st["rights"] == list(phone_link.PHONE_KINDS)
    assert [p["device_id"] for p in book.phones()] == [phone.device_id]
    # the same answer does not open for another phone, nor with another key
    other = Identity.generate("thief")
    with pytest.raises(ProtocolError) as exc:
        phone_link.open_offer(key, other, hello, answer)
    assert exc.value.code == "forged"
    # a second hello after the link: refused as used
    again, _ = link.answer(_hello(link, Identity.generate("late"), mode)[1])
    assert json.loads(again) == {"v": 1, "error": "used"}


def test_a_wrong_code_is_refused_three_times_then_burnt_and_a_late_phone_hears_expired(family: Family) -> None:
    clock = Clock()
    link = ConsoleLink(_book(family, clock), None, clock=clock)
    wrong = phone_link.new_code()
    wrong = link.ticket.locator + wrong[4:-1]
    from agent.protocol.devid import luhn32
    from agent.protocol.pairing import CODE_ALPHABET

    wrong += luhn32(wrong, CODE_ALPHABET)
    phone = Identity.generate("guess")
    for n in range(phone_link.MAX_TRIES):
        answer, outcome = link.answer(_hello(link, phone, "code", wrong)[1])
        assert json.loads(answer)["error"] == "wrong_code"
        assert (outcome is not None) == (n == phone_link.MAX_TRIES - 1)
    right = _hello(link, phone, "code")[1]
    assert json.loads(link.answer(right)[0])["error"] == "used"  # burnt: the right code no longer links
    assert link.answer(b"not json")[0] is None  # not a hello: silent, costs no try

    late = ConsoleLink(_book(family, clock, 0), None, clock=clock)
    clock.t += phone_link.LINK_TTL_S + 1
    answer, outcome = late.answer(_hello(late, phone)[1])
    assert json.loads(answer)["error"] == "expired" and outcome.error == "expired"
    with pytest.raises(ProtocolError) as exc:
        phone_link.open_offer(b"k" * 32, phone, b"", answer)
    assert exc.value.code == "expired" and "new one" in exc.value.reason


def test_no_free_phone_account_is_said_plainly(family: Family, tmp_path: Path) -> None:
    from agent.protocol import relay

    clock = Clock()
    settings = relay.RelaySettings("127.0.0.1:1", _ca_pem(tmp_path), family.identity.device_id, "pw")
    link = ConsoleLink(PhoneBook(family, clock), settings, clock=clock)
    answer, outcome = link.answer(_hello(link, Identity.generate("p"))[1])
    assert json.loads(answer)["error"] == "no_slot" and outcome.error == "no_slot"


def _ca_pem(tmp_path: Path) -> str:
    from agent.relay.broker import _make_ca_and_server

    folder = tmp_path / "ca"
    folder.mkdir(exist_ok=True)
    _make_ca_and_server(folder, ["127.0.0.1"])
    return (folder / "ca.crt").read_text()


def test_a_removed_phone_is_refused_by_the_console_and_its_account_never_handed_out_again(family: Family) -> None:
    clock = Clock()
    book = _book(family, clock, slots=1)
    link = ConsoleLink(book, None, clock=clock)
    phone = Identity.generate("old phone")
    link.answer(_hello(link, phone)[1])
    (linked,) = book.phones()
    slot = book.remove(phone.device_id)
    assert slot == linked["relay"] and book.phones() == [] and book.removed(phone.device_id)
    again = ConsoleLink(book, None, clock=clock)
    answer, outcome = again.answer(_hello(again, phone)[1])
    assert json.loads(answer)["error"] == "removed" and outcome is None
    assert book.free_slots() == 0  # the removed phone's account is retired, not reused


# ---- at the agent ------------------------------------------------------------------------------------------
class LinkedPhone:
    """A phone pinned at the in-process agent through a console's signed phone_add."""

    def __init__(self, agent: Agent, console: Console, name: str = "Mẹ's phone") -> None:
        from agent.protocol.envelope import Channel

        self.identity = Identity.generate(name)
        self.agent = agent
        self.console = console
        st = phone_link.sign_phone_add(console.identity, self.identity.public, phone_link.b32_slot_name(), 0)
        assert console.call("phone_add", st)[1]["ok"]
        self.chan = Channel(self.identity, agent.identity.public)
        self.ctr = 0

    def call(self, kind: str, payload: dict) -> tuple[int, dict]:
        self.ctr += 1
        status, out = self.agent.service.handle("POST", "/v1/msg", self.chan.seal(kind, payload, self.ctr))
        if status != 200:
            return status, json.loads(out)
        return status, self.chan.open(out, self.ctr - 1)[1]


def test_the_agent_pins_a_phone_only_on_a_paired_consoles_signed_statement(tmp_path: Path) -> None:
    agent = Agent(tmp_path)
    mom = Console(agent)
    phone = Identity.generate("phone")
    stranger = Identity.generate("stranger console")
    for payload, code in (
        (phone_link.sign_phone_add(stranger, phone.public, "", 0), "unknown_signer"),
        ({**phone_link.sign_phone_add(mom.identity, phone.public, "", 0), "sig": "A" * 86}, "bad_signature"),
        (phone_link.sign_phone_remove(mom.identity, phone.device_id, 0), "bad_signature"),  # a remove is no add
    ):
        reply = mom.call1("phone_add", payload)
        assert not reply["ok"] and reply["error"] == code, reply
    # a statement with a swapped key: phone_id no longer the hash of the keys
    st = phone_link.sign_phone_add(mom.identity, phone.public, "", 0)
    st["statement"]["phone"]["kx"] = st["statement"]["phone"]["sign"]
    assert mom.call1("phone_add", st)["error"] == "bad_signature"
    assert agent.service.phones.list() == []


def test_a_linked_phone_answers_requests_but_may_do_nothing_else(tmp_path: Path) -> None:
    agent = Agent(tmp_path)
    mom = Console(agent)
    doc = preset(10, ["vn-decree-147"])
    doc["version"] = 1
    assert mom.call1("policy_push", messages.sign_policy(mom.identity, doc))["ok"]
    phone = LinkedPhone(agent, mom)
    status, reply = phone.call("status", {})
    assert status == 200 and reply["ok"]
    rid = agent.store.outbox_put("time_request", {"id": "r1", "minutes": 30}) and "r1"
    status, reply = phone.call("decision", messages.sign_decision(phone.identity, agent.identity.device_id, rid,
                                                                  True, 30))
    assert reply["ok"], reply
    # a phone cannot sign as the console, nor a console as the phone
    status, reply = phone.call("decision", messages.sign_decision(mom.identity, agent.identity.device_id, "r2",
                                                                  True, 30))
    assert reply["error"] == "unknown_signer"
    for kind, payload in (("unpair", {}), ("pair_allow", {}), ("consent", {}),
                          ("phone_add", phone_link.sign_phone_add(mom.identity, Identity.generate().public, "", 0)),
                          ("phone_remove", phone_link.sign_phone_remove(mom.identity, phone.identity.device_id, 0))):
        status, reply = phone.call(kind, payload)
        assert reply == {"ok": False, "error": "not_allowed",
                         "reason": f"a linked phone may not send {kind!r}; use the parent's console"}
    assert agent.state.peers()[0]["revoked_at"] is None and agent.service.phones.list()
    # the levers: daily minutes and bedtime yes; the web filter no
    more = json.loads(json.dumps(doc))
    more["version"] = 2
    more["screen"]["daily_minutes"]["mon"] = 120
    more["screen"]["windows"]["mon"] = [{"start": "07:00", "end": "21:00"}]
    assert phone.call("policy_push", messages.sign_policy(phone.identity, more))[1]["ok"]
    worse = json.loads(json.dumps(more))
    worse["version"] = 3
    worse["web"]["blocked_categories"] = []
    reply = phone.call("policy_push", messages.sign_policy(phone.identity, worse))[1]
    assert reply["error"] == "not_allowed" and "web" in reply["reason"]
    assert agent.backend.current_policy()["version"] == 2


def test_a_removed_phone_is_refused_at_the_agent_and_told_why(tmp_path: Path) -> None:
    agent = Agent(tmp_path)
    mom = Console(agent)
    phone = LinkedPhone(agent, mom)
    assert phone.call("status", {})[0] == 200
    assert mom.call1("phone_remove", phone_link.sign_phone_remove(mom.identity, phone.identity.device_id, 0))["ok"]
    status, reply = phone.call("status", {})
    assert status == 403 and reply["error"] == "phone_removed" and "removed from the family" in reply["reason"]
    events = [e["code"] for e in agent.state.events()]
    assert "phone_removed" in events
    # the console cannot sign it back in: its key is refused for good
    again = mom.call1("phone_add", phone_link.sign_phone_add(mom.identity, phone.identity.public, "", 0))
    assert again["error"] == "revoked"
    assert phone.call("status", {})[1]["error"] == "phone_removed"


def test_the_console_tells_each_pc_and_keeps_what_an_offline_pc_has_not_heard(family: Family,
                                                                             tmp_path: Path) -> None:
    from agent.protocol.identity import PeerKeys
    from app.link_errors import LinkError

    clock = Clock()
    book = _book(family, clock)
    pcs = [Identity.generate("Minh Anh's PC"), Identity.generate("Bảo's PC")]
    for pc in pcs:
        family.add_device(PeerKeys(pc.public.sign_pub, pc.public.kx_pub, pc.public.name), "127.0.0.1:1")
    link = ConsoleLink(book, None, clock=clock)
    phone = Identity.generate("p")
    link.answer(_hello(link, phone)[1])
    heard: list[tuple[str, str]] = []
    offline = {pcs[1].device_id}

    def call(device: str, kind: str, payload: dict) -> dict:
        if device in offline:
            raise LinkError("unreachable", "the PC is off")
        heard.append((device, kind))
        return {"ok": True}

    assert book.tell(call) == {"Minh Anh's PC": "ok", "Bảo's PC": "the PC is off"}
    assert book.phones()[0]["untold"] == 1
    offline.clear()
    assert book.tell(call) == {"Bảo's PC": "ok"}
    assert heard == [(pcs[0].device_id, "phone_add"), (pcs[1].device_id, "phone_add")]
    assert book.tell(call) == {}


def test_a_phones_lever_change_outlives_another_consoles_unpairing_and_goes_with_the_phone(tmp_path: Path) -> None:
    from agent.assembly import ServiceOptions, build_core
    from agent.ledger.clock import SimulatedClock
    from agent.link.phones import PhoneBook as AgentPhones
    from agent.link.state import LinkState
    from agent.service.parent_link import RevocationWatch

    core = build_core(ServiceOptions(state_dir=tmp_path / "state", user_mode=True),
                      clock=SimulatedClock(wall=1_795_000_000.0),
                      adapters={"processes": type("P", (), {"snapshot": lambda self: []})(), "closer": print})
    state = LinkState(tmp_path / "link.sqlite")
    mom, dad, phone = (Identity.generate(n) for n in ("mom", "dad", "phone"))
    state.pin(mom.public)
    state.pin(dad.public)
    AgentPhones(state).add(phone.public, "", mom.device_id)
    watch = RevocationWatch(state, core)
    core.apply_policy(dict(preset(age=10), version=2), signer=dad.device_id)
    core.apply_policy(dict(preset(age=10), version=3), signer=mom.device_id)
    core.apply_policy(dict(preset(age=10), version=4), signer=phone.device_id)  # the phone moved a lever
    state.revoke(dad.device_id)
    watch.check()
    assert core.policy_doc["version"] == 4  # dad's unpairing leaves the phone's change in force
    AgentPhones(state).remove(phone.device_id, mom.device_id)
    watch.check()
    assert core.policy_doc["version"] == 3  # a removed phone's change goes; mom's is in force again
    alerts = [o.payload for o in core.store.outbox_since(0, 100) if o.kind == "alert"]
    assert alerts[-1]["kind"] == "policy_withdrawn" and alerts[-1]["console"] == phone.device_id
    state.close()
