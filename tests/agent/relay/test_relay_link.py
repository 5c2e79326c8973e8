"""The link through the relay on a real Mosquitto: the agent's link service and relay bridge, the console's
DeviceLink falling back from an unreachable LAN, pushed items, exactly-once across broker restarts and a parent away
for a week, and a broker that redelivers."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from agent.protocol import relay
from agent.protocol.envelope import LANE_COMMANDS
from app import relay_client
from app.family import Family
from app.link_client import RELAY_HOST, DeviceLink, LinkError, pair
from tests.support.relay_broker import MOSQUITTO
from tests.support.relay_home import Home, pair_through_relay, until
from tests.support.relay_home import home as home  # a fixture

pytestmark = pytest.mark.skipif(MOSQUITTO is None, reason="needs mosquitto (scripts/debian-packages.txt)")


def test_pairing_and_commands_go_through_the_relay_with_no_lan(home: Home) -> None:
    pair_through_relay(home)
    link = DeviceLink(home.family, home.agent_id)
    assert not link.lan  # paired away from home: no LAN address to try
    status = link.call("status", {})
    assert status["device"] == home.agent_id and status["name"] == "Minh Anh"
    seq = home.child_writes("time_request", {"id": "r1", "minutes": 20})
    items = link.fetch()
    assert [i["seq"] for i in items] == [seq] and items[0]["payload"]["id"] == "r1"
    # a wrong code through the relay burns it like a wrong code on the LAN
    conn = relay_client.for_family(home.family)
    from agent.protocol.pairing import new_code

    code = home.code()
    with pytest.raises(Exception) as exc:
        pair(home.family, RELAY_HOST, new_code(),
             transport=lambda path, body, timeout: conn.pair_post(home.agent_id, path, body, timeout))
    assert getattr(exc.value, "code", "") in ("wrong_code", "pair_forged")
    assert any(e["code"] == "pair_failed" for e in home.link.state.events(20))
    assert home.code() != code  # burnt: the child's PC shows a new one


def test_the_lan_first_then_the_relay_when_the_pc_is_not_reachable_there(home: Home) -> None:
    pair(home.family, "{}:{}".format(*home.link.address), home.code())
    link = DeviceLink(home.family, home.agent_id)
    assert link.lan and link.call("status", {})["ok"]
    assert relay_client._connections.get(home.family.dir.resolve()) is None  # the LAN answered: no broker used
    home.link.server.stop()  # the parent leaves home: the PC's LAN address no longer answers
    link = DeviceLink(home.family, home.agent_id)
    assert link.call("status", {})["ok"]
    assert not link.lan  # it went through the relay, by itself


def test_a_week_away_and_broker_restarts_deliver_every_summary_exactly_once(home: Home) -> None:
    pair(home.family, "{}:{}".format(*home.link.address), home.code())
    home.link.server.stop()  # away from home from now on, and the console is closed for seven days
    first = dt.date(2026, 11, 30)
    written = []
    for n in range(7):
        day = (first + dt.timedelta(days=n)).isoformat()
        written.append(home.child_writes("summary", {"day": day, "screen_min": 60 + n}, day=day))
        if n in (2, 5):  # the broker restarts (its process, not its data) while nobody listens
            home.broker.restart()

    def fetch() -> list[dict[str, Any]] | None:
        try:
            return DeviceLink(home.family, home.agent_id).fetch(limit=3)  # pages of 3: the cursor moves between
        except LinkError as exc:  # the agent's bridge is still reconnecting after the restart
            assert exc.code == "unreachable", exc
            return None

    got = until(fetch, timeout=60, step=0.5)
    assert [i["seq"] for i in got] == written
    assert [i["payload"]["day"] for i in got] == [(first + dt.timedelta(days=n)).isoformat() for n in range(7)]
    assert DeviceLink(home.family, home.agent_id).fetch() == []  # nothing twice
    assert home.family.cursor(home.agent_id) == written[-1]
    with home.family._lock:
        (stored,) = home.family._db.execute("SELECT COUNT(*) FROM items WHERE device_id = ?",
                                            (home.agent_id,)).fetchone()
    assert stored == 7


def test_a_redelivered_request_is_refused_without_side_effects(home: Home) -> None:
    """QoS 1 may deliver twice, and a broker operator may replay: the counter refuses it, nothing changes."""
    pair_through_relay(home)
    from agent.policy import preset
    from agent.protocol import messages

    link = DeviceLink(home.family, home.agent_id)
    doc = preset(age=10)
    doc["version"] = 7
    body = link.channel.seal("policy_push", messages.sign_policy(home.family.identity, doc),
                             home.family.next_send(home.agent_id, LANE_COMMANDS), lane=LANE_COMMANDS)
    conn = relay_client.for_family(home.family)
    status, _ = conn.request(home.agent_id, body, 15)
    assert status == 200
    events_before = len(home.link.state.events(1000))
    status, again = conn.request(home.agent_id, body, 15)
    assert status == 403 and json.loads(again)["error"] == "replay"
    assert home.backend.current_policy()["version"] == 7
    assert [e["code"] for e in home.link.state.events(1000)][: len(home.link.state.events(1000)) - events_before] \
        == ["replay"]


def test_pushed_items_arrive_at_once_and_are_stored_once(home: Home) -> None:
    pair_through_relay(home)
    conn = relay_client.for_family(home.family)
    heard: list[Any] = []
    arrived = threading.Event()
    conn.on_items.append(lambda agent, items: (heard.append((agent, items)), arrived.set()))
    DeviceLink(home.family, home.agent_id).call("status", {})  # pushes travel inside the console's v2 session
    seq = home.child_writes("time_request", {"id": "r9", "minutes": 30})
    assert arrived.wait(20)
    assert heard == [(home.agent_id, [dict(heard[0][1][0], seq=seq)])] and heard[0][1][0]["payload"]["id"] == "r9"
    assert home.family.cursor(home.agent_id) == seq  # stored: the next fetch finds nothing new
    assert DeviceLink(home.family, home.agent_id).fetch() == []
    # an item the console missed (pushed while it was away) leaves a gap: it asks for a fetch, stores nothing
    conn.close()
    missed = home.child_writes("alert", {"kind": "tamper"})
    until(lambda: home.bridge._pushed_seq == missed)
    arrived.clear()
    conn.watch(home.agent_id)
    last = home.child_writes("alert", {"kind": "blocked"})
    assert arrived.wait(20)
    assert heard[-1] == (home.agent_id, None) and home.family.cursor(home.agent_id) == seq
    assert [i["seq"] for i in DeviceLink(home.family, home.agent_id).fetch()] == [missed, last]


def test_presence_book_and_the_offline_alert_in_both_languages(tmp_path: Path) -> None:
    now = [dt.datetime(2026, 12, 6, 14, 5).timestamp()]
    book = relay_client.PresenceBook(tmp_path, clock=lambda: now[0])
    assert book.heard("A", True, live=True)["online"]
    now[0] += 3600  # an hour later the console finds the broker's retained "offline": it went after 14:05
    entry = book.heard("A", False, live=False)
    assert entry == {"online": False, "since": dt.datetime(2026, 12, 6, 14, 5).timestamp()}
    now[0] += 60
    assert book.heard("A", False, live=True)["since"] == entry["since"]  # still the same absence
    assert relay_client.offline_alert("Minh Anh", entry["since"], "en") == "Minh Anh's PC has been offline since 14:05"
    assert relay_client.offline_alert("Minh Anh", entry["since"], "vi") == "Máy của Minh Anh đã ngoại tuyến từ 14:05"
    assert relay_client.offline_alert("Minh Anh", None, "vi") == "Máy của Minh Anh đang ngoại tuyến"
    # a PC never seen online, found offline: no time is invented
    assert book.heard("B", False, live=False)["since"] is None


def test_relay_settings_refuse_a_bundle_for_another_device_and_bad_files(tmp_path: Path) -> None:
    fam = Family(tmp_path / "c", use_keyring=False)
    try:
        other = relay.RelaySettings("h:8883", "-----BEGIN CERTIFICATE-----", "X" * 52, "pw")
        with pytest.raises(relay.RelayError, match="not for this console"):
            relay_client.save_settings(fam, other)
        bad = tmp_path / "b.json"
        bad.write_text('{"broker": "h:99999", "ca": "x"}')
        with pytest.raises(relay.RelayError) as exc:
            relay.load_bundle(bad)
        assert str(bad) in exc.value.reason and "username" in exc.value.reason
        bad.write_text("{")
        with pytest.raises(relay.RelayError, match="not JSON"):
            relay.load_bundle(bad)
        with pytest.raises(relay.RelayError, match="port"):
            relay.parse_broker("h:99999")
        assert relay.parse_broker("[::1]:1883") == ("::1", 1883) and relay.parse_broker("relay.vn") == ("relay.vn", 8883)
        assert relay.parse_pair_uri(relay.pair_uri("ABCD", "A" * 52, "relay.vn:8883")) == \
            {"code": "ABCD", "id": "A" * 52, "broker": "relay.vn:8883"}
        with pytest.raises(relay.RelayError, match="id"):
            relay.parse_pair_uri("sprout:pair?code=X&id=nope&broker=h")
    finally:
        fam.close()
