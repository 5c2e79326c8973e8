"""The broker's side of the phone app: `sprout-relay setup --ws-port` gives a TLS WebSockets listener (MQTT v5)
beside the TLS one, phones get their own accounts with a console's rules, and over WebSockets as over TLS a phone
reads only its own family's topics. Plain ws:// is refused anywhere but loopback."""

from __future__ import annotations

import json
import ssl
import threading
import time
from pathlib import Path

import pytest

from agent.protocol import relay
from agent.protocol.identity import Identity
from agent.relay.broker import SetupError, main, setup
from tests.support.relay_broker import MOSQUITTO, Broker, free_port


def _ws_client(url_port: int, ca: str, user: str, password: str, topic: str, seen: list) -> object:
    import paho.mqtt.client as mqtt

    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5, transport="websockets",
                    client_id=f"ws-{user[:8]}")
    c.ws_set_options(path="/mqtt")
    ctx = ssl.create_default_context(cadata=ca)
    c.tls_set_context(ctx)
    c.username_pw_set(user, password)
    ready, answer = threading.Event(), []

    def on_connect(cl: object, u: object, f: object, rc: object, p: object) -> None:
        answer.append(rc)
        if rc.is_failure:  # type: ignore[attr-defined]
            ready.set()
        else:
            cl.subscribe(topic, qos=1)  # type: ignore[attr-defined]

    c.on_connect = on_connect
    c.on_subscribe = lambda *a: ready.set()
    c.on_message = lambda cl, u, msg: seen.append((msg.topic, bytes(msg.payload)))
    c.connect("127.0.0.1", url_port, keepalive=30)
    c.loop_start()
    assert ready.wait(30), "no answer over wss"
    if answer[0].is_failure:
        c.loop_stop()
        raise PermissionError(str(answer[0]))
    return c


@pytest.mark.skipif(MOSQUITTO is None, reason="needs mosquitto (scripts/debian-packages.txt)")
def test_a_phone_over_tls_websockets_sees_its_own_family_only(tmp_path: Path) -> None:
    ours, theirs = Identity(bytes(range(64))), Identity(bytes(range(1, 65)))
    phone, other_phone = Identity(bytes(range(2, 66))), Identity(bytes(range(3, 67)))
    broker = Broker(tmp_path / "relay")
    ws_port = free_port()
    broker.add("nguyen", [ours.device_id], phone_ids=[phone.device_id], ws_port=ws_port)
    broker.add("tran", [theirs.device_id], phone_ids=[other_phone.device_id])
    conf = (broker.folder / "mosquitto.conf").read_text()
    assert f"listener {ws_port} 127.0.0.1\nprotocol websockets\ncertfile" in conf  # TLS by default
    bundle = json.loads((broker.folder / "bundles" / f"{phone.device_id}.json").read_text())
    assert bundle["ws"] == f"wss://127.0.0.1:{ws_port}/mqtt"
    acl = (broker.folder / "acl").read_text()
    assert f"user {phone.device_id}\ntopic write {relay.in_topic(ours.device_id, phone.device_id)}" in acl
    broker.start()
    seen: list = []
    clients = []
    try:
        clients.append(_ws_client(ws_port, bundle["ca"], phone.device_id, bundle["password"], "#", seen))
        for agent in (ours, theirs):
            c = relay.connect(broker.bundle(agent.device_id))
            clients.append(c)
            c.publish(relay.presence_topic(agent.device_id), relay.ONLINE, qos=1, retain=True).wait_for_publish(10)
            c.publish(relay.out_topic(agent.device_id, phone.device_id), b"sealed", qos=1).wait_for_publish(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(seen) < 2:
            time.sleep(0.05)
        time.sleep(0.5)  # anything of the other family would have come by now
        assert sorted(seen) == sorted([(relay.presence_topic(ours.device_id), b"1"),
                                       (relay.out_topic(ours.device_id, phone.device_id), b"sealed")])
        # a wrong password over WebSockets is refused like over TLS
        with pytest.raises(PermissionError, match="Not authorized|Bad user name or password"):
            _ws_client(ws_port, bundle["ca"], phone.device_id, "wrong", "#", [])
    finally:
        for c in clients:
            c.disconnect()
            c.loop_stop()
        broker.stop()


def test_plain_websockets_only_on_loopback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    agent = Identity(bytes(range(64))).device_id
    with pytest.raises(SetupError, match="plain ws:// only on a loopback address"):
        setup(tmp_path / "r", hosts=["relay.example.net"], family="f", agents=[agent], consoles=[],
              listen="0.0.0.0", ws_port=8884, ws_tls=False)
    assert main(["setup", str(tmp_path / "r2"), "--host", "relay.example.net", "--family", "f", "--agent", agent,
                 "--ws-port", "8884", "--ws-cert", str(tmp_path / "missing.pem"), "--ws-key", "k.pem"]) == 2
    assert "--ws-cert" in capsys.readouterr().err
    # a later run that does not mention WebSockets keeps the listener
    setup(tmp_path / "r3", hosts=["relay.example.net"], family="f", agents=[agent], consoles=[], ws_port=8884)
    setup(tmp_path / "r3", hosts=[], family="f", agents=[agent], consoles=[])
    assert "protocol websockets" in (tmp_path / "r3" / "mosquitto.conf").read_text()
