"""Journey: the parent links a phone. The real `sprout-agent run`, the real `sprout-console` commands and a real
Mosquitto set up by `sprout-relay setup --phones 1`; the phone is PythonPhone (tests/support/python_phone.py, the phone's side
written in Python — the web app does the same in phone/src/link.js). The console shows the QR code, the phone scans
it, the console signs it into the family and tells the child's PC; the child asks for time, the phone grants it
through the relay and the agent applies it; the parent removes the phone, its next message is refused, and the phone
is told why — in Vietnamese and in English for the console's words.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import time
from pathlib import Path

import pytest

from agent.protocol import messages
from tests.support.journeys import BIN, ENV, ROOT, lang, run, start_agent  # noqa: F401 - lang is a fixture
from tests.support.python_phone import PhoneRefused, PythonPhone, console_shows_link_code
from tests.support.relay_broker import MOSQUITTO, Broker, free_port

pytestmark = pytest.mark.skipif(MOSQUITTO is None, reason="needs mosquitto (scripts/debian-packages.txt)")


def test_the_parent_links_a_phone_grants_from_it_and_removes_it(tmp_path: Path, lang: str) -> None:
    mom = tmp_path / "mom"

    def console(*args: object, ok: bool = True) -> subprocess.CompletedProcess:
        p = subprocess.run([str(BIN / "sprout-console"), "--state", str(mom), "--lang", lang, "--name", "mom",
                            *map(str, args)], capture_output=True, text=True, timeout=120, env=ENV, cwd=ROOT)
        if ok:
            assert p.returncode == 0, (args, p.stdout, p.stderr)
        assert "Traceback" not in p.stderr
        return p

    state = tmp_path / "agent"

    def link_events() -> str:  # what the PC's administrator sees: `sprout-agent pair --events N`
        return run(BIN / "sprout-agent", "pair", "--events", "50", "--state", state).stdout

    agent_id = run(BIN / "sprout-agent", "relay", "id", "--user-mode", "--state", state).stdout.strip()
    console_id = console("relay", "id").stdout.strip()
    folder, port = tmp_path / "relay", free_port()
    # the family's broker, as its owner makes it: one PC, one console, one account for a phone
    run(BIN / "sprout-relay", "setup", folder, "--host", "127.0.0.1", "--port", port, "--listen", "127.0.0.1",
        "--family", "nguyen", "--agent", agent_id, "--console", console_id, "--phones", "1")
    broker = Broker(folder)
    broker.port = port
    broker.start()
    try:
        run(BIN / "sprout-agent", "relay", "import", folder / "bundles" / f"{agent_id}.json", "--user-mode",
            "--state", state)
        console("relay", "import", folder / "bundles" / f"{console_id}.json")
        out = console("relay", "import", folder / "bundles" / f"{console_id}.phones.json").stdout
        assert ("Đã nhập 1 tài khoản" if lang == "vi" else "Imported 1 phone accounts") in out
        with contextlib.contextmanager(start_agent)(tmp_path, lang) as agent:
            console("pair", "--code", agent.pairing_code(), "--host", agent.host)

            # the console shows the QR code; the phone scans it (the QR text, as a camera would read it)
            qr_file = tmp_path / "qr.txt"
            link_cmd = [str(BIN / "sprout-console"), "--state", str(mom), "--lang", lang, "phone", "link"]
            linking, qr, code = console_shows_link_code([*link_cmd, "--timeout", "120"], qr_file, env=ENV, cwd=ROOT)
            try:
                phone = PythonPhone("Điện thoại của mẹ")
                offer = phone.link(qr=qr, ca_pem=(folder / "ca.crt").read_text())
                shown, err = linking.communicate(timeout=60)
            finally:
                if linking.poll() is None:
                    linking.kill()
            assert linking.returncode == 0, (shown, err)
            assert ("Quét mã QR" if lang == "vi" else "Scan the QR code") in shown
            assert f"{code[:4]}-{code[4:8]}-{code[8:12]}-{code[12:]}" in shown  # the typed alternative
            assert ("Đã liên kết điện thoại “Điện thoại của mẹ”" if lang == "vi"
                    else "Linked the phone “Điện thoại của mẹ”") in shown
            assert ("đã báo" if lang == "vi" else "told") in shown
            assert list(phone.agents) == [agent_id] and offer["relay"]["username"] != phone.device_id
            assert phone.console is not None and phone.console.device_id == console_id
            assert phone.device_id[:7] in console("phone", "list").stdout
            assert "phone_added" in link_events()

            # the child asks; the PC pushes it to the phone at once through the relay, and the phone grants 15 min
            assert phone.call(agent_id, "status", {})["device"] == agent_id  # the app is open: it has a session
            assert run(BIN / "sprout-agent", "ask", "20", "--reason", "bài tập", "--socket", agent.socket,
                       "--lang", lang).returncode == 0
            deadline = time.monotonic() + 30
            while not [i for i in phone.pushed if i["kind"] == "time_request"]:
                assert time.monotonic() < deadline, phone.pushed
                phone.push_arrived.wait(1)
            (request,) = [i["payload"] for i in phone.pushed if i["kind"] == "time_request"]
            assert request["minutes"] == 20 and request["reason"] == "bài tập"
            items = phone.call(agent_id, "outbox", {"cursor": 0, "limit": 100})["items"]
            assert request in [i["payload"] for i in items]  # and what it missed, by cursor, as a console does
            decision = messages.sign_decision(phone.identity, agent_id, request["id"], True, 15, "Con học tốt nhé")
            result = phone.call(agent_id, "decision", decision)["result"]
            assert result["state"] in ("granted", "approved") and result["minutes"] == 15, result
            status = json.loads(run(BIN / "sprout-agent", "status", "--json", "--user-mode", "--state",
                                    state).stdout)
            (day,) = status["days"].values()
            assert 15 * 60 <= day["grant_screen_s"] < 20 * 60
            # what a phone may not do, through the relay too
            with pytest.raises(PhoneRefused) as refused:
                phone.call(agent_id, "pair_allow", {})
            assert refused.value.code == "not_allowed"

            # the parent removes the phone: the console says so, the PC is told, the phone's next message refused
            out = console("phone", "remove", "Điện thoại của mẹ").stdout
            assert ("Đã gỡ điện thoại" if lang == "vi" else "Removed the phone") in out
            assert f"--retire-slot {offer['relay']['username']}" in out
            with pytest.raises(PhoneRefused) as refused:
                phone.call(agent_id, "status", {})
            assert refused.value.code == "phone_removed", refused.value
            assert "phone_removed" in link_events()
            assert phone.device_id[:7] not in console("phone", "list").stdout

            # and the console will not link it again: the same phone scanning a new QR is told it was removed
            qr_file.unlink()
            linking, qr, _code = console_shows_link_code([*link_cmd, "--timeout", "60"], qr_file, env=ENV, cwd=ROOT)
            try:
                with pytest.raises(PhoneRefused) as refused:
                    phone.link(qr=qr, ca_pem=(folder / "ca.crt").read_text())
                assert refused.value.code == "removed"
            finally:
                linking.kill()
                linking.communicate()
            phone.close()
    finally:
        broker.stop()
