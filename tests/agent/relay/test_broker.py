"""The family broker: `sprout-relay setup` makes a TLS Mosquitto with one account per device, and its ACLs keep every
device to its own topics — tried against the real broker by devices of another family and of the same family."""

from __future__ import annotations

import json
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from agent.protocol import relay
from tests.support.broker_spy import Spy, ids
from tests.support.relay_broker import MOSQUITTO, Broker

pytestmark = pytest.mark.skipif(MOSQUITTO is None, reason="needs mosquitto (scripts/debian-packages.txt)")
BIN = Path(sys.executable).parent


def test_setup_makes_a_tls_broker_with_one_account_per_device(tmp_path: Path) -> None:
    agent, console = ids(2)
    folder = tmp_path / "relay"
    p = subprocess.run([BIN / "sprout-relay", "setup", folder, "--host", "relay.example.net", "--port", "8883",
                        "--family", "nguyen", "--agent", agent, "--console", console],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "mosquitto -c" in p.stdout
    for name in ("ca.key", "server.key", "passwd", "acl", "mosquitto.conf", f"bundles/{agent}.json"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name
    conf = (folder / "mosquitto.conf").read_text()
    assert "allow_anonymous false" in conf and "listener 8883 0.0.0.0" in conf and "certfile" in conf
    bundle = relay.load_bundle(folder / "bundles" / f"{console}.json")
    assert bundle.broker == "relay.example.net:8883" and bundle.username == console and len(bundle.password) >= 30
    assert "BEGIN" not in json.dumps(bundle.public_json()).split('"ca"')[0]  # no key material but the CA cert
    assert "PRIVATE" not in bundle.ca_pem
    acl = (folder / "acl").read_text()
    assert f"user {console}\ntopic write sprout/v1/{agent}/in/{console}\n" in acl
    assert f"topic read sprout/v1/{agent}/out/{console}" in acl and "#" not in acl.replace("# ", "")

    # a second run adds a device and keeps the first one's password; a device in two families is refused
    (second,) = ids(1)
    p = subprocess.run([BIN / "sprout-relay", "setup", folder, "--family", "nguyen", "--console", second],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert relay.load_bundle(folder / "bundles" / f"{console}.json").password == bundle.password
    assert f"topic read sprout/v1/{agent}/out/{second}" in (folder / "acl").read_text()
    p = subprocess.run([BIN / "sprout-relay", "setup", folder, "--family", "tran", "--agent", agent],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "already belongs to family 'nguyen'" in p.stderr and "Traceback" not in p.stderr
    p = subprocess.run([BIN / "sprout-relay", "setup", folder, "--family", "tran", "--agent", "not-an-id"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and p.stderr.startswith("sprout-relay setup: --agent not-an-id:"), p.stderr


def test_a_device_cannot_read_or_publish_another_familys_topics(tmp_path: Path) -> None:
    a_agent, a_mom, a_dad, b_agent, b_mom = ids(5)
    broker = Broker(tmp_path / "relay")
    broker.add("nguyen", [a_agent], [a_mom, a_dad])
    broker.add("tran", [b_agent], [b_mom])
    broker.start()
    spies: list[Spy] = []
    try:
        agent_a, mom_a, dad_a, agent_b, mom_b = spies[:] = [Spy(broker.bundle(d)) for d in
                                                           (a_agent, a_mom, a_dad, b_agent, b_mom)]
        root = relay.ROOT
        # reading: mosquitto grants any subscription and checks the ACL on every delivery, so what counts is
        # what reaches each device below
        assert agent_a.subscribe(f"{root}/{a_agent}/in/+") and agent_a.subscribe(relay.pair_topic(a_agent))
        assert mom_a.subscribe(relay.out_topic(a_agent, a_mom)) and mom_a.subscribe(relay.presence_topic(a_agent))
        for topic in (relay.out_topic(a_agent, a_mom), relay.presence_topic(a_agent), f"{root}/#", "#",
                      f"{root}/{a_agent}/in/+", relay.pair_topic(a_agent)):
            mom_b.subscribe(topic)
            agent_b.subscribe(topic)
        dad_a.subscribe(relay.out_topic(a_agent, a_mom))  # the same family, another parent's replies
        dad_a.subscribe(f"{root}/{a_agent}/in/+")
        # publishing: into the other family's agent (as itself, as its console, on its pair topic), as its agent
        forged = [(mom_b, relay.in_topic(a_agent, b_mom)), (mom_b, relay.in_topic(a_agent, a_mom)),
                  (mom_b, relay.pair_topic(a_agent)), (agent_b, relay.out_topic(a_agent, a_mom)),
                  (agent_b, relay.presence_topic(a_agent)), (dad_a, relay.in_topic(a_agent, a_mom)),
                  (dad_a, relay.out_topic(a_agent, a_mom))]
        for n, (spy, topic) in enumerate(forged):
            spy.publish(topic, b"forged %d" % n)
        # controls: what each device may do arrives (mosquitto routes a message before it acknowledges it)
        mom_a.publish(relay.in_topic(a_agent, a_mom), b"mom asks")
        agent_a.wait_for(b"mom asks")
        agent_a.publish(relay.out_topic(a_agent, a_mom), b"agent answers")
        mom_a.wait_for(b"agent answers")
        agent_a.publish(relay.presence_topic(a_agent), relay.ONLINE)
        mom_a.wait_for(relay.ONLINE)
        everything = [p for s in spies for _, p in s.got]
        assert not [p for p in everything if p.startswith(b"forged")], everything
        assert mom_b.got == [] and agent_b.got == [] and dad_a.got == []  # nothing of mom's, nothing of nguyen's
    finally:
        for s in spies:
            s.close()
        broker.stop()


def test_the_broker_refuses_strangers_wrong_passwords_and_plain_connections(tmp_path: Path) -> None:
    agent, console = ids(2)
    broker = Broker(tmp_path / "relay")
    broker.add("nguyen", [agent], [console])
    broker.start()
    try:
        good = broker.bundle(console)
        wrong = relay.RelaySettings(good.broker, good.ca_pem, good.username, good.password + "x")
        with pytest.raises(relay.RelayError) as exc:
            relay.connect(wrong)
        assert exc.value.code == "relay_refused"
        stranger = relay.RelaySettings(good.broker, good.ca_pem, ids(1)[0], good.password)
        with pytest.raises(relay.RelayError):
            relay.connect(stranger)
        # a broker certificate from another CA (a man in the middle) is not the family's broker
        other = Broker(tmp_path / "other")
        other.add("x", [ids(1)[0]])
        foreign_ca = (other.folder / "ca.crt").read_text()
        with pytest.raises(relay.RelayError) as exc:
            relay.connect(relay.RelaySettings(good.broker, foreign_ca, good.username, good.password))
        assert exc.value.code == "relay_unreachable" and "CERTIFICATE_VERIFY_FAILED" in exc.value.reason
        # no TLS: an MQTT CONNECT in the clear gets no CONNACK (0x20), only a closed socket or a TLS alert
        connect = bytes([0x10, 12, 0, 4]) + b"MQTT" + bytes([4, 2, 0, 30, 0, 0])
        with socket.create_connection(("127.0.0.1", broker.port), timeout=10) as raw:
            raw.sendall(connect)
            try:
                answer = raw.recv(64)
            except ConnectionResetError:
                answer = b""
        assert not answer.startswith(b"\x20"), answer
        ok = relay.connect(good)
        ok.disconnect()
        ok.loop_stop()
    finally:
        broker.stop()
