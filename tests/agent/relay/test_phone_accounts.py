"""Phone accounts on a family's own Mosquitto (docs/phone-linking.md, "The phone's broker account"): `sprout-relay
setup --phones N` gives each console N accounts to hand out; on the real broker a phone's account reaches only its
own topics at its family's PCs, the public link account only the link topics, and a retired account nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from agent.protocol import phone_link, relay
from tests.support.broker_spy import Spy, ids
from tests.support.relay_broker import MOSQUITTO, Broker

pytestmark = pytest.mark.skipif(MOSQUITTO is None, reason="needs mosquitto (scripts/debian-packages.txt)")
BIN = Path(sys.executable).parent


def _slots(broker: Broker, console: str) -> list[relay.RelaySettings]:
    data = json.loads((broker.folder / "bundles" / f"{console}.phones.json").read_text())
    assert data["console"] == console and data["ca"] == (broker.folder / "ca.crt").read_text()
    return [relay.RelaySettings(f"{broker.host}:{broker.port}", data["ca"], s["username"], s["password"])
            for s in data["phone_slots"]]


def test_a_phones_account_reaches_only_its_own_topics(tmp_path: Path) -> None:
    a_agent, a_agent2, a_mom, b_agent, b_mom = ids(5)
    broker = Broker(tmp_path / "relay")
    broker.add("nguyen", [a_agent, a_agent2], [a_mom])
    from agent.relay.broker import setup

    setup(broker.folder, hosts=[], family="nguyen", agents=[], consoles=[], port=broker.port, phones=2)
    setup(broker.folder, hosts=[], family="tran", agents=[b_agent], consoles=[b_mom], port=broker.port, phones=1)
    broker.start()
    slot1, slot2 = _slots(broker, a_mom)
    (b_slot,) = _slots(broker, b_mom)
    assert slot1.username != slot2.username and relay.is_device_id(slot1.username)
    link_acct = relay.RelaySettings(slot1.broker, slot1.ca_pem, phone_link.LINK_ACCOUNT, phone_link.LINK_PASSWORD)
    spies: list[Spy] = []
    try:
        agent, agent2, mom, phone, phone2, other_phone, linker = spies[:] = [
            Spy(s) for s in (broker.bundle(a_agent), broker.bundle(a_agent2), broker.bundle(a_mom), slot1, slot2,
                             b_slot, link_acct)]
        root, s1 = relay.ROOT, slot1.username
        assert agent.subscribe(f"{root}/{a_agent}/in/+") and agent2.subscribe(f"{root}/{a_agent2}/in/+")
        assert mom.subscribe(f"{root}/link/+/req") and mom.subscribe(relay.out_topic(a_agent, a_mom))
        assert mom.subscribe(relay.in_topic(a_mom, "+"))  # its phones' sealed push subscriptions
        assert phone.subscribe(relay.out_topic(a_agent, s1)) and phone.subscribe(relay.presence_topic(a_agent))
        assert phone.subscribe(relay.out_topic(a_agent2, s1))
        # what a phone, the link account and another family's phone try to read
        for spy in (phone, phone2, other_phone, linker):
            for topic in ("#", f"{root}/#", relay.out_topic(a_agent, a_mom), f"{root}/{a_agent}/in/+",
                          relay.pair_topic(a_agent), f"{root}/link/+/req", relay.in_topic(a_mom, "+")):
                spy.subscribe(topic)
        phone2.subscribe(relay.out_topic(a_agent, s1))  # the other phone of the same family: not its topic
        # what they try to write: as the console, as the other phone, on pair, as the agent, into the link
        forged = [(phone, relay.in_topic(a_agent, a_mom)), (phone, relay.in_topic(a_agent, slot2.username)),
                  (phone, relay.pair_topic(a_agent)), (phone, relay.out_topic(a_agent, s1)),
                  (phone, relay.presence_topic(a_agent)), (phone, phone_link.resp_topic("ABCD")),
                  (other_phone, relay.in_topic(a_agent, b_slot.username)), (other_phone, relay.in_topic(a_agent, s1)),
                  (linker, relay.in_topic(a_agent, a_mom)), (linker, relay.pair_topic(a_agent)),
                  (linker, phone_link.resp_topic("ABCD")),
                  # the console's inbox: as the family's other phone, from another family, to another console
                  (phone, relay.in_topic(a_mom, slot2.username)), (other_phone, relay.in_topic(a_mom, b_slot.username)),
                  (phone, relay.in_topic(b_mom, s1)), (linker, relay.in_topic(a_mom, s1))]
        for n, (spy, topic) in enumerate(forged):
            spy.publish(topic, b"forged %d" % n)
        # controls: what each may do arrives
        phone.publish(relay.in_topic(a_agent, s1), b"phone asks")
        agent.wait_for(b"phone asks")
        phone.publish(relay.in_topic(a_agent2, s1), b"phone asks the other PC")
        agent2.wait_for(b"phone asks the other PC")
        agent.publish(relay.out_topic(a_agent, s1), b"agent answers the phone")
        phone.wait_for(b"agent answers the phone")
        agent.publish(relay.out_topic(a_agent, a_mom), b"agent answers mom")
        mom.wait_for(b"agent answers mom")
        agent.publish(relay.presence_topic(a_agent), relay.ONLINE)
        phone.wait_for(relay.ONLINE)
        phone.publish(relay.in_topic(a_mom, s1), b"phone leaves mom its subscription")
        mom.wait_for(b"phone leaves mom its subscription")
        linker.publish(phone_link.req_topic("ABCD"), b"hello from a phone")
        mom.wait_for(b"hello from a phone")
        mom.publish(phone_link.resp_topic("ABCD"), b"offer")
        linker.wait_for(b"offer")
        everything = [p for s in spies for _, p in s.got]
        assert not [p for p in everything if p.startswith(b"forged")], everything
        assert b"agent answers mom" not in [p for _, p in phone.got + phone2.got + linker.got + other_phone.got]
        assert b"hello from a phone" not in [p for _, p in phone.got + phone2.got + linker.got + other_phone.got]
        assert b"phone leaves mom its subscription" not in [p for _, p in phone2.got + linker.got + other_phone.got]
        # the family's other phone may see the PC's presence, and nothing else; the other family's phone nothing
        assert {t for t, _ in phone2.got} == {relay.presence_topic(a_agent)} and other_phone.got == []
        assert {p for _, p in linker.got} == {b"offer"}  # (once per matching subscription)
    finally:
        for s in spies:
            s.close()
        broker.stop()


def test_a_removed_phones_account_is_retired_on_the_broker(tmp_path: Path) -> None:
    agent, mom = ids(2)
    broker = Broker(tmp_path / "relay")
    broker.add("nguyen", [agent], [mom])
    here = ["--port", str(broker.port), "--listen", "127.0.0.1"]  # the test's own port, not 8883
    p = subprocess.run([BIN / "sprout-relay", "setup", broker.folder, "--family", "nguyen", "--phones", "2", *here],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert f"{mom}.phones.json" in p.stdout
    slot, kept = _slots(broker, mom)
    # a second run keeps the accounts (and their passwords) it made before
    p = subprocess.run([BIN / "sprout-relay", "setup", broker.folder, "--family", "nguyen", "--phones", "2", *here],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and [s.password for s in _slots(broker, mom)] == [slot.password, kept.password]
    broker.start()
    try:
        relay.connect(slot).disconnect()
        p = subprocess.run([BIN / "sprout-relay", "setup", broker.folder, "--family", "nguyen", "--retire-slot",
                            slot.username, *here], capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        assert slot.username not in (broker.folder / "acl").read_text()
        broker.restart()
        slot = relay.RelaySettings(f"{broker.host}:{broker.port}", slot.ca_pem, slot.username, slot.password)
        with pytest.raises(relay.RelayError) as exc:
            relay.connect(slot)
        assert exc.value.code == "relay_refused"
        kept = relay.RelaySettings(slot.broker, slot.ca_pem, kept.username, kept.password)
        ok = relay.connect(kept)
        ok.disconnect()
        ok.loop_stop()
        p = subprocess.run([BIN / "sprout-relay", "setup", broker.folder, "--family", "nguyen", "--retire-slot",
                            "NOTASLOT", *here], capture_output=True, text=True, timeout=60)
        assert p.returncode == 2 and "no phone account" in p.stderr and "Traceback" not in p.stderr
    finally:
        broker.stop()


def test_a_typed_code_links_through_the_broker_and_the_operator_sees_no_name_and_no_password(tmp_path: Path) -> None:
    """The short code path end to end on the real broker (scrypt on both sides), recorded from `#` as the broker's
    operator: the hello and the offer carry no phone name, no PC name, no broker password, no code."""
    import threading

    from agent.protocol.identity import Identity
    from app.family import Family
    from app.phone_link import ConsoleLink, PhoneBook, serve
    from tests.support.python_phone import PythonPhone

    family = Family(tmp_path / "console", name="mom", use_keyring=False)
    pc = Identity.generate("Minh Anh's PC")
    family.add_device(pc.public, "127.0.0.1:9")
    broker = Broker(tmp_path / "relay")
    broker.add("nguyen", [pc.device_id], [family.identity.device_id])
    from agent.relay.broker import setup

    setup(broker.folder, hosts=[], family="nguyen", agents=[], consoles=[], port=broker.port, phones=1)
    operator = broker.operator()
    broker.start()
    book = PhoneBook(family)
    spy = Spy(operator)
    try:
        assert spy.subscribe("#")
        book.import_slots(json.loads((broker.folder / "bundles" / f"{family.identity.device_id}.phones.json")
                                     .read_text()), "bundle")
        link = ConsoleLink(book, broker.bundle(family.identity.device_id))
        ready = threading.Event()
        result: list = []
        server = threading.Thread(target=lambda: result.append(serve(link, 60, on_ready=ready.set)))
        server.start()
        assert ready.wait(30)
        phone = PythonPhone("Điện thoại của mẹ")
        offer = phone.link(code=phone_link.display_code(link.ticket.code).lower(),
                           broker=f"{broker.host}:{broker.port}", ca_pem=(broker.folder / "ca.crt").read_text())
        server.join(30)
        assert result[0].phone.device_id == phone.device_id and phone.console.device_id == family.identity.device_id
        seen = b"".join(t.encode() + p for t, p in spy.got)
        assert phone_link.req_topic(link.ticket.locator).encode() in seen  # the operator sees that a link happened
        for secret in ("Điện thoại của mẹ".encode(), b"Minh Anh", offer["relay"]["password"].encode(),
                       link.ticket.code.encode(), link.ticket.code[4:].encode(), b"phone_add", b"mom"):
            assert secret not in seen, secret
    finally:
        spy.close()
        book.close()
        family.close()
        broker.stop()
