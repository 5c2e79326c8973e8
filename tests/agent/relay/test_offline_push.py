""""PC offline" reaches a phone whose app is closed (docs/relay.md, "PC offline").

The real `sprout-agent run`, the real `sprout-console` (pair, phone link, relay listen, phone remove), a real Mosquitto
from `sprout-relay setup --phones 1`, PythonPhone as the phone and the local HTTPS push service of
tests/support/webpush_endpoint.py (it checks the VAPID signature and decrypts with the phone's keys):
- stopped cleanly (SIGTERM), the agent itself pushes "Minh Anh's PC turned off at 21:04" and says so on its
  "offline", so the listening console stays quiet;
- killed (SIGKILL: a crash, a pulled plug), the broker's last will reaches the console, which pushes "offline since"
  to the phone with the subscription the phone left for it, sealed, on the console's own topic;
- a removed phone is told nothing more.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.protocol import relay, webpush
from app.family import Family
from app.phone_link import PhoneBook
from app.phone_push import PhonePushes
from tests.support import journeys
from tests.support.journeys import BIN, ENV, ROOT, run, start_agent
from tests.support.python_phone import PythonPhone, console_shows_link_code
from tests.support.relay_broker import MOSQUITTO, Broker, free_port
from tests.support.webpush_endpoint import Phone, PushService

pytestmark = pytest.mark.skipif(MOSQUITTO is None, reason="needs mosquitto (scripts/debian-packages.txt)")


@pytest.fixture()
def service(tmp_path: Path) -> Iterator[PushService]:
    s = PushService(tmp_path / "push", Phone()).start()
    yield s
    s.stop()


def wait_for(what: Callable[[], Any], timeout: float = 60, why: Any = "") -> Any:
    deadline = time.monotonic() + timeout
    while not (got := what()):
        assert time.monotonic() < deadline, why() if callable(why) else why
        time.sleep(0.1)
    return got


@pytest.mark.e2e
def test_pc_offline_reaches_a_closed_phone_from_the_agent_or_from_the_console(
        tmp_path: Path, service: PushService, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(journeys.ENV, "REQUESTS_CA_BUNDLE", service.ca)  # both trust this push service
    mom = tmp_path / "mom"

    def console(*args: object) -> str:
        p = subprocess.run([str(BIN / "sprout-console"), "--state", str(mom), "--lang", "en", "--name", "mom",
                            *map(str, args)], capture_output=True, text=True, timeout=120, env=ENV, cwd=ROOT)
        assert p.returncode == 0 and "Traceback" not in p.stderr, (args, p.stdout, p.stderr)
        return p.stdout

    from agent.policy import preset

    doc = preset(12, ["vn-decree-147"])
    doc["screen"]["windows"] = {}
    doc["child"]["name"] = "Minh Anh"
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(doc), encoding="utf-8")
    state = tmp_path / "agent"
    agent_id = run(BIN / "sprout-agent", "relay", "id", "--user-mode", "--state", state).stdout.strip()
    console_id = console("relay", "id").strip()
    folder, port = tmp_path / "relay", free_port()
    run(BIN / "sprout-relay", "setup", folder, "--host", "127.0.0.1", "--port", port, "--listen", "127.0.0.1",
        "--family", "nguyen", "--agent", agent_id, "--console", console_id, "--phones", "1")
    broker = Broker(folder)
    broker.port = port
    broker.start()
    listen = None
    try:
        run(BIN / "sprout-agent", "relay", "import", folder / "bundles" / f"{agent_id}.json", "--user-mode",
            "--state", state)
        console("relay", "import", folder / "bundles" / f"{console_id}.json")
        console("relay", "import", folder / "bundles" / f"{console_id}.phones.json")
        phone = PythonPhone("Điện thoại của mẹ")
        # the phone browser's push keys: the push service decrypts with them what arrives
        sub = service.phone.subscription(service.endpoint(), lang="vi")

        def started() -> contextlib.AbstractContextManager[journeys.Agent]:
            (state / "link.address").unlink(missing_ok=True)
            return contextlib.contextmanager(start_agent)(tmp_path, "vi", "--policy", str(policy))

        with started() as agent:
            console("pair", "--code", agent.pairing_code(), "--host", agent.host)
            linking, qr, _code = console_shows_link_code(
                [str(BIN / "sprout-console"), "--state", str(mom), "--lang", "en", "phone", "link", "--timeout", "120"],
                tmp_path / "qr.txt", env=ENV, cwd=ROOT)
            try:
                phone.link(qr=qr, ca_pem=(folder / "ca.crt").read_text())
                linking.communicate(timeout=60)
            finally:
                if linking.poll() is None:
                    linking.kill()
            assert linking.returncode == 0
            # the app turns notifications on: its subscription to the PC, and sealed to the console
            assert phone.call(agent_id, "push_subscribe", sub) == {"ok": True}
            phone.tell_console("push_subscribe", sub)

            out = tmp_path / "listen.out"
            listen = subprocess.Popen([str(BIN / "sprout-console"), "--state", str(mom), "--lang", "en", "relay",
                                       "listen"], stdout=out.open("w"), stderr=subprocess.STDOUT, env=ENV, cwd=ROOT)
            said = out.read_text
            wait_for(lambda: "will get notifications" in said(), why=lambda: said())
            assert "The phone “Điện thoại của mẹ” will get notifications" in said()
            wait_for(lambda: (mom / "child-names.json").exists(), why=said)  # learnt from the PC's status
            assert json.loads((mom / "child-names.json").read_text()) == {agent_id: "Minh Anh"}
            stopped_at = time.time()
        # SIGTERM: the agent pushes "turned off" itself before it leaves
        (off,) = service.wait(1)
        assert off.note["t"] == "offline" and off.note["o"] == 1 and off.note["n"] == "Minh Anh"
        assert off.note["a"] == agent_id and off.note["l"] == "vi" and abs(off.note["at"] - stopped_at) < 30
        assert b"Minh" not in off.body

        with started() as agent:
            wait_for(lambda: (json.loads((mom / "presence.json").read_text()).get(agent_id) or {}).get("online"),
                     why=said)
            agent.proc.kill()  # SIGKILL: no goodbye; the broker's last will goes to the console
            agent.proc.wait(10)
            killed_at = time.time()
            got = service.wait(2)
        crash = got[1].note
        assert crash["t"] == "offline" and "o" not in crash and crash["n"] == "Minh Anh" and crash["a"] == agent_id
        assert abs(crash["at"] - killed_at) < 30
        wait_for(lambda: "Told 1 phone(s): Minh Anh's PC is offline" in said(), why=said)  # said once it was sent
        assert said().count("Told ") == 1  # the clean stop was the agent's to tell, not the console's

        # removed from the console: the phone is told nothing more, by the console or the PC
        console("phone", "remove", "Điện thoại của mẹ")
        with started() as agent:
            wait_for(lambda: said().count("Minh Anh") >= 1 and (json.loads((mom / "presence.json").read_text())
                                                                 .get(agent_id) or {}).get("online"), why=said)
            agent.proc.kill()
            agent.proc.wait(10)
            wait_for(lambda: "Told 0 phone(s)" in said(), why=said)
        assert len(service.received) == 2
    finally:
        if listen is not None:
            listen.terminate()
            listen.wait(20)
        broker.stop()


def test_the_console_opens_only_a_linked_phones_sealed_subscription(tmp_path: Path) -> None:
    """Without a broker: what arrives on the console's topic is opened with the phone's pinned keys; a replay (the
    broker's retained copy, again), a forgery, a stranger's account, a bad field and a removed phone are refused."""
    from agent.protocol.envelope import Channel
    from agent.protocol.identity import Identity

    family = Family(tmp_path / "mom", name="mom", use_keyring=False)
    book = PhoneBook(family)
    book.import_slots({"phone_slots": [{"username": "A" * 52, "password": "p"}]}, "test")
    me = Identity.generate("Điện thoại của mẹ")
    book.add(me.public)
    sent: list[tuple[str, dict[str, Any]]] = []
    pushes = PhonePushes(family, book, send=lambda sub, note, **kw: sent.append((sub.endpoint, note)) or 201,
                         retry_s=())
    try:
        chan = Channel(me, family.identity.public)
        sub = Phone().subscription("https://push.example/p/1", lang="en")
        assert pushes.heard_phone("A" * 52, chan.seal("push_subscribe", sub, 1)) == "subscribed"
        assert pushes.heard_phone("A" * 52, chan.seal("push_subscribe", sub, 1)) == "replay"
        forged = bytearray(chan.seal("push_subscribe", sub, 2))
        forged[-5] ^= 1
        assert pushes.heard_phone("A" * 52, bytes(forged)).startswith("refused")
        assert pushes.heard_phone("B" * 52, chan.seal("push_subscribe", sub, 3)) == "unknown"
        assert pushes.heard_phone("A" * 52, chan.seal("push_subscribe", {**sub, "auth": "x"}, 4)) == \
            "refused: bad_payload"
        assert pushes.heard_phone("A" * 52, chan.seal("unpair", {}, 5)) == "refused: not_allowed"
        assert list(pushes.book.all()) == [me.public.device_id]

        agent = "C" * 52
        pushes.heard_presence(agent, {"online": False, "since": 1000.0, "stop": "told"})  # the PC told them
        pushes.heard_presence(agent, {"online": False, "since": 2000.0, "stop": None})  # a last will
        pushes.heard_presence(agent, {"online": False, "since": 2000.0})  # the same, heard again: once
        wait_for(lambda: sent, 10)
        time.sleep(0.3)
        assert [n for _, n in sent] == [dict(webpush.offline_notification(agent, "", 2000.0), l="en")]

        book.remove(me.public.device_id)  # removed: its keys are forgotten, its messages unknown
        assert pushes.book.all() == {}
        assert pushes.heard_phone("A" * 52, chan.seal("push_subscribe", sub, 6)) == "unknown"
    finally:
        pushes.close()
        book.close()
        family.close()
    assert relay.in_topic(family.identity.device_id, "+").endswith("/in/+")


def test_a_console_without_a_relay_starts_no_phone_pushes(tmp_path: Path) -> None:
    from app.phone_push import start_for

    family = Family(tmp_path / "mom", name="mom", use_keyring=False)
    try:
        assert start_for(family, lambda: PhoneBook(family)) is None  # the LAN only: nothing to listen to, nothing pushed, no thread left
    finally:
        family.close()
