"""End to end on loopback: a real agent link process, `sprout-agent pair`, and the parent's `sprout-console`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agent.policy import preset

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
CODE_RE = re.compile(r"\b([0-9A-Z]{4}-[0-9A-Z]{4})\b")


def run(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, LANG="en_US.UTF-8", PYTHONPATH=str(ROOT))
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)
    if ok:
        assert p.returncode == 0, (args, p.stdout, p.stderr)
    return p


def console(state: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    return run(BIN / "sprout-console", "--state", state, "--lang", "en", *args, ok=ok)


def agent_code(state: Path, *extra: str) -> str:
    out = run(BIN / "sprout-agent", "pair", "--state", state, *extra).stdout
    return CODE_RE.search(out).group(1)


def child_asks(state: Path, request_id: str, minutes: int = 20) -> None:
    """What the service does when the child presses "ask for more time": an outbox item in the agent's store."""
    req = {"id": request_id, "minutes": minutes, "reason": "làm bài tập", "scope": "screen",
           "day": time.strftime("%Y-%m-%d"), "at": time.time(), "state": "queued"}
    from agent.store.db import EncryptedStore
    from agent.store.keys import SecretVault

    vault = SecretVault("sprout-agent", state, file_fallback=True)
    store = EncryptedStore.open(state / "agent.db", vault.get_or_create("store-key", lambda: os.urandom(32)))
    store.outbox_put("time_request", req)
    store.close()


@pytest.fixture()
def agent_proc(tmp_path):
    state = tmp_path / "agent"
    port_file = tmp_path / "port"
    proc = subprocess.Popen([sys.executable, "-m", "agent.link", "--state", str(state), "--listen", "127.0.0.1:0",
                             "--port-file", str(port_file), "--name", "An-PC", "--key-file-fallback"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while not port_file.exists():
        assert proc.poll() is None, proc.stdout.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    yield state, f"127.0.0.1:{port_file.read_text()}"
    proc.terminate()
    proc.wait(timeout=10)


def test_pair_push_report_request_grant_two_consoles_unpair(agent_proc, tmp_path):
    state, host = agent_proc
    mom, dad = tmp_path / "mom", tmp_path / "dad"

    # a wrong code (valid check character) fails, burns the code, and the child's PC shows a new one
    code = agent_code(state)
    from agent.protocol.pairing import display_code, new_code

    wrong = display_code(new_code())
    p = console(mom, "--name", "mom", "pair", "--code", wrong, "--host", host, ok=False)
    assert p.returncode == 2 and "wrong_code" in p.stderr and "Traceback" not in p.stderr
    p = console(mom, "--name", "mom", "pair", "--code", code, "--host", host, ok=False)
    assert p.returncode == 2  # the old code is dead
    code = agent_code(state)
    out = console(mom, "--name", "mom", "pair", "--code", code, "--host", host).stdout
    assert "Paired with An-PC" in out
    device = console(mom, "devices").stdout.split()[0]

    # a second parent pairs with a fresh code
    out = console(dad, "--name", "dad", "pair", "--code", agent_code(state), "--host", host).stdout
    assert "Paired" in out
    listed = run(BIN / "sprout-agent", "pair", "--state", state, "--list").stdout
    assert "mom" in listed and "dad" in listed

    # policy push: the console numbers what it sends (the one after the version in force, whatever the file
    # says), so a second console's push supersedes the first; then a broken file is refused locally
    doc = preset(age=10, extra=["vn-decree-147"])
    doc["version"] = 5
    (tmp_path / "p5.json").write_text(json.dumps(doc))
    first = int(re.search(r"version (\d+) applied", console(mom, "policy", "push", device,
                                                             tmp_path / "p5.json").stdout).group(1))
    doc["version"] = 1
    (tmp_path / "p1.json").write_text(json.dumps(doc))
    assert f"version {first + 1} applied" in console(dad, "policy", "push", device[:7], tmp_path / "p1.json").stdout
    (tmp_path / "bad.json").write_text('{"schema": 1, "version": 9, "screen": {"daily_minutes": {"mon": "lots"}}}')
    p = console(mom, "policy", "push", device, tmp_path / "bad.json", ok=False)
    assert p.returncode == 2 and "screen.daily_minutes.mon" in p.stderr and "Traceback" not in p.stderr

    # a time request reaches a console already watching (its long-poll). That the long-poll is woken by the item
    # and not by the end of its wait is proved by the order of events in-process:
    # tests/agent/link/test_handler.py::test_long_poll_returns_when_an_item_arrives.
    watcher = subprocess.Popen([str(BIN / "sprout-console"), "--state", str(mom), "--lang", "en", "watch",
                                "--timeout", "120"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    time.sleep(2.0)  # let it start and begin its long-poll
    child_asks(state, "req-1")
    line = watcher.stdout.readline()
    assert watcher.wait(timeout=60) == 0
    assert "req-1" in line and "20 more minutes" in line

    # both parents see it; mom grants; dad's list then shows nothing waiting (the agent reported the decision)
    assert "req-1" in console(dad, "requests").stdout
    assert "Granted 15 minutes" in console(mom, "grant", "req-1", "15", "--message", "Ok con").stdout
    p = console(dad, "grant", "req-1", "30", ok=False)
    assert p.returncode == 2 and "already answered" in p.stderr
    assert "No requests" in console(dad, "requests").stdout
    report = json.loads(console(mom, "report", device, "--json").stdout)
    kinds = [i["kind"] for i in report]
    assert kinds.count("time_request") == 1 and kinds.count("decision") == 1  # exactly once
    decision = next(i for i in report if i["kind"] == "decision")["payload"]
    assert decision["state"] == "granted" and decision["minutes"] == 15 and decision["message"] == "Ok con"

    # dad unpairs: forgotten on his side, refused by the agent from then on
    console(dad, "unpair", device)
    assert console(dad, "devices").stdout.startswith("No devices")
    listed = run(BIN / "sprout-agent", "pair", "--state", state, "--list").stdout
    assert "mom" in listed and "dad" not in listed
    p = console(dad, "requests")  # no devices left: nothing to fetch, no crash
    assert "No requests" in p.stdout
    # mom still works after all that
    assert "req-1" not in console(mom, "requests").stdout


def test_cli_mistakes_are_one_line(agent_proc, tmp_path):
    state, host = agent_proc
    mom = tmp_path / "mom"
    for args, where in ((("pair", "--code", "ABC", "--host", host), "--code"),
                        (("report", "nosuchdevice"), "no paired device"),
                        (("grant", "nope", "10"), "no time request"),
                        (("policy", "push", "x", str(tmp_path / "missing.json")), "FILE")):
        p = console(mom, *args, ok=False)
        assert p.returncode == 2 and where in p.stderr and len(p.stderr.strip().splitlines()) <= 2, p.stderr
        assert "Traceback" not in p.stderr
    # unreachable agent
    code = agent_code(state)
    p = console(mom, "pair", "--code", code, "--host", "127.0.0.1:1", ok=False)
    assert p.returncode == 2 and "unreachable" in p.stderr


def test_agent_restart_and_lost_replies_deliver_everything_exactly_once(tmp_path):
    """Counters survive a restart of both sides; a reply lost on the way leaves nothing missing or doubled."""
    from agent.protocol.envelope import Channel
    from app.family import Family
    from app.link_client import DeviceLink, pair

    state = tmp_path / "agent"
    port_file = tmp_path / "port"

    def start():
        port_file.unlink(missing_ok=True)
        proc = subprocess.Popen([sys.executable, "-m", "agent.link", "--state", str(state), "--listen",
                                 "127.0.0.1:0", "--port-file", str(port_file), "--key-file-fallback"], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not port_file.exists():
            assert proc.poll() is None
            time.sleep(0.05)
        return proc, f"127.0.0.1:{port_file.read_text()}"

    proc, host = start()
    fam = Family(tmp_path / "mom", name="mom", use_keyring=False)
    try:
        agent = pair(fam, host, agent_code(state))
        link = DeviceLink(fam, agent.device_id)
        for i in range(3):
            child_asks(state, f"a{i}")
        assert len(link.fetch(limit=2)) == 3  # paged
        # a reply that never reaches the console: the agent answered, the console saw nothing
        child_asks(state, "lost")
        ctr = fam.next_send(agent.device_id, 0)
        wire = Channel(fam.identity, link.peer).seal("outbox", {"cursor": fam.cursor(agent.device_id),
                                                                "limit": 10}, ctr)
        import requests

        assert requests.post(f"http://{host}/v1/msg", data=wire, timeout=5).status_code == 200
        # and the same captured request replayed is refused
        r = requests.post(f"http://{host}/v1/msg", data=wire, timeout=5)
        assert r.status_code == 403 and r.json()["error"] == "replay"
        proc.terminate()
        proc.wait(timeout=10)
        child_asks(state, "while-off")
        proc, host2 = start()
        fam.add_device(link.peer, host2)  # the agent came back on another port
        link = DeviceLink(fam, agent.device_id)
        new = link.fetch()
        assert [i["payload"]["id"] for i in new] == ["lost", "while-off"]
        ids = [i["payload"]["id"] for i in fam.items(agent.device_id, kind="time_request")]
        assert ids == ["a0", "a1", "a2", "lost", "while-off"]
        assert link.fetch() == []
        # the console's stored reports are sealed: no request text in the file
        raw = b"".join(f.read_bytes() for f in (tmp_path / "mom").glob("family.sqlite*"))
        assert "bài tập".encode() not in raw and b"while-off" not in raw
    finally:
        fam.close()
        proc.terminate()
        proc.wait(timeout=10)


def test_agent_side_unpair_and_pair_command_output(agent_proc, tmp_path):
    state, host = agent_proc
    out = run(BIN / "sprout-agent", "pair", "--state", state, "--qr").stdout
    assert "valid for 9 more minutes" in out or "valid for 10 more minutes" in out
    assert "còn hiệu lực" in out and any(block in out for block in "█▀▄")
    code = CODE_RE.search(out).group(1)
    assert agent_code(state) == code  # asking again shows the same open code
    mom = tmp_path / "mom"
    console(mom, "--name", "mom", "pair", "--code", code, "--host", host)
    listed = run(BIN / "sprout-agent", "pair", "--state", state, "--list").stdout
    console_id = listed.split()[0]
    p = run(BIN / "sprout-agent", "pair", "--state", state, "--unpair", "NOT-AN-ID", ok=False)
    assert p.returncode == 2 and "--unpair" in p.stderr
    assert "Unpaired" in run(BIN / "sprout-agent", "pair", "--state", state, "--unpair", console_id).stdout
    device = console(mom, "devices").stdout.split()[0]
    p = console(mom, "report", device)  # the agent refuses; the console says so and shows what it has
    assert "refused: this console was unpaired" in p.stderr and "Report for" in p.stdout
    events = run(BIN / "sprout-agent", "pair", "--state", state, "--events", "5").stdout
    assert "revoked" in events and "paired" in events
