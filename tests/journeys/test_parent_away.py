"""Journey: the parent is away from home. The console runs in its own network namespace where only the family's
broker can be reached — not the child's PC — and, through the real `sprout-agent run` and a real Mosquitto, it pairs
from the QR code's text, pushes a policy, hears the child's request (long-poll through the relay), grants it, and
learns when the PC goes offline ("Minh Anh's PC has been offline since 14:05"), in Vietnamese and in English.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.policy import preset
from app.relay_client import offline_alert
from tests.support.journeys import BIN, ENV, ROOT, lang, run, start_agent  # noqa: F401 - lang is a fixture
from tests.support.netns import _netns_ok
from tests.support.relay_broker import MOSQUITTO, Broker

pytestmark = [
    pytest.mark.skipif(MOSQUITTO is None, reason="needs mosquitto (scripts/debian-packages.txt)"),
    pytest.mark.skipif(not _netns_ok(), reason="needs root and a working `ip netns` to put the parent elsewhere"),
]


@pytest.fixture()
def away() -> Iterator[tuple[str, str]]:
    """A namespace joined to this one by a veth pair: (namespace, the address of this side, where the broker is)."""
    pid = os.getpid()
    ns, here, there = f"sproutaway{pid}", f"spa{pid % 100000}", f"spb{pid % 100000}"
    net = f"10.{200 + pid % 50}.{(pid // 50) % 250}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        subprocess.run(["ip", "link", "add", here, "type", "veth", "peer", "name", there], check=True)
        subprocess.run(["ip", "link", "set", there, "netns", ns], check=True)
        subprocess.run(["ip", "addr", "add", f"{net}.1/30", "dev", here], check=True)
        subprocess.run(["ip", "link", "set", here, "up"], check=True)
        for cmd in (["ip", "addr", "add", f"{net}.2/30", "dev", there], ["ip", "link", "set", there, "up"],
                    ["ip", "link", "set", "lo", "up"]):
            subprocess.run(["ip", "netns", "exec", ns, *cmd], check=True)
        yield ns, f"{net}.1"
    finally:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)  # takes the veth pair with it
        subprocess.run(["ip", "link", "del", here], capture_output=True)


def test_the_parent_away_pairs_pushes_hears_and_grants_through_the_relay(tmp_path: Path, lang: str,
                                                                        away: tuple[str, str]) -> None:
    ns, broker_ip = away
    mom = tmp_path / "mom"

    def parent(*args: object, ok: bool = True) -> subprocess.CompletedProcess:
        p = subprocess.run(["ip", "netns", "exec", ns, str(BIN / "sprout-console"), "--state", str(mom), "--lang",
                            lang, "--name", "mom", *map(str, args)], capture_output=True, text=True, timeout=90,
                           env=dict(ENV, PYTHONFAULTHANDLER="1"), cwd=ROOT)
        if ok:
            assert p.returncode == 0, (args, p.stdout, p.stderr)
        assert "Traceback" not in p.stderr
        return p

    # the family's broker: this one PC's account and the parent's, set up in one command
    state = tmp_path / "agent"
    agent_id = run(BIN / "sprout-agent", "relay", "id", "--user-mode", "--state", state).stdout.strip()
    console_id = parent("relay", "id").stdout.strip()
    broker = Broker(tmp_path / "relay", listen=broker_ip, host=broker_ip)
    broker.add("nguyen", [agent_id], [console_id])
    broker.start()
    try:
        run(BIN / "sprout-agent", "relay", "import", broker.folder / "bundles" / f"{agent_id}.json", "--user-mode",
            "--state", state)
        parent("relay", "import", broker.folder / "bundles" / f"{console_id}.json")
        with contextlib.contextmanager(start_agent)(tmp_path, lang) as agent:
            # away: the child's PC cannot be reached from the parent's network, only the broker
            port = int(agent.host.rsplit(":", 1)[1])
            probe = subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-c",
                                    f"import socket; socket.create_connection(('{broker_ip}', {port}), 3)"],
                                   capture_output=True, text=True, timeout=30)
            assert probe.returncode != 0 and "Connection refused" in probe.stderr

            # the child's PC shows its QR code; the parent's console reads it and pairs through the relay
            shown = run(BIN / "sprout-agent", "pair", "--qr", "--state", state).stdout
            uri = next(line for line in shown.splitlines() if line.startswith("sprout:pair?"))
            assert f"id={agent_id}" in uri and "broker=" in uri
            out = parent("pair", "--qr", uri).stdout
            assert ("Đã ghép nối" if lang == "vi" else "Paired with") in out
            device = parent("devices").stdout.split()[0]
            assert "relay" in parent("devices").stdout

            # a policy from away
            doc = preset(age=10, extra=["vn-decree-147"])
            doc["version"] = 3
            (tmp_path / "policy.json").write_text(json.dumps(doc))
            out = parent("policy", "push", device, tmp_path / "policy.json").stdout
            assert re.search(r"(version|phiên bản) \d+", out), out

            # the child asks for 20 more minutes; the parent's watch hears it through the relay and grants 15
            watching = subprocess.Popen(["ip", "netns", "exec", ns, str(BIN / "sprout-console"), "--state", str(mom),
                                         "--lang", lang, "watch", "--timeout", "60"], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT)
            try:
                asked = run(BIN / "sprout-agent", "ask", "20", "--reason", "homework", "--socket", agent.socket,
                            "--lang", lang)
                assert asked.returncode == 0
                heard, err = watching.communicate(timeout=90)
            finally:
                if watching.poll() is None:
                    watching.kill()
            (request,) = json.loads(parent("requests", "--json").stdout)
            assert request["id"] in heard and "20" in heard and request["reason"] == "homework", (heard, err)
            out = parent("grant", request["id"], "15").stdout
            assert ("Đã cho thêm 15 phút" if lang == "vi" else "Granted 15 minutes") in out
            status = json.loads(run(BIN / "sprout-agent", "status", "--json", "--user-mode", "--state", state).stdout)
            (day,) = status["days"].values()
            # 15 minutes, plus any time counted while a lock could not act (core._forgive_overrun: no desktop here)
            assert 15 * 60 <= day["grant_screen_s"] < 20 * 60
            assert json.loads(parent("requests", "--json").stdout) == []

            # presence: online now; then the PC dies without a goodbye and the broker's last will tells the parent
            out = parent("relay", "status", "--wait", "10").stdout
            assert ("đang trực tuyến" if lang == "vi" else "online") in out, out
            seen = json.loads((mom / "presence.json").read_text())[agent_id]["seen"]
            agent.proc.kill()
            agent.proc.wait(10)
            out = parent("relay", "status", "--wait", "10").stdout.strip()
            device_name = next(line.split("  ")[1] for line in parent("devices").stdout.splitlines())
            assert out == offline_alert(device_name, seen, lang), out
    finally:
        broker.stop()
