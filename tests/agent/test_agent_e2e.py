"""The whole agent as a family uses it: `sprout-agent run --user-mode` with its parent link and DNS filter, the
parent's `sprout-console`, real processes and real DNS queries on loopback."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
import pytest

from agent.policy import preset

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CODE_RE = re.compile(r"\b([0-9A-Z]{4}-[0-9A-Z]{4})\b")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, ok: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)
    if ok:
        assert p.returncode == 0, (args, p.stdout, p.stderr)
    return p


def console(state: Path, *args, ok: bool = True) -> subprocess.CompletedProcess:
    return run(BIN / "sprout-console", "--state", state, "--lang", "en", *args, ok=ok)


def wait_for(pred, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture()
def agent(tmp_path, kid):
    state = tmp_path / "agent"
    dns_port = free_port()
    log = open(tmp_path / "agent.log", "w")  # noqa: SIM115 — the agent writes to it for the whole fixture
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([str(BIN / "sprout-agent"), "run", "--user-mode", "--state", str(state), "--link",
                             "127.0.0.1:0", "--dns", f"127.0.0.1:{dns_port}", "--upstream", "127.0.0.1:9",
                             "--child-uid", str(kid.uid), "--no-companion-socket", "--lang", "en"],
                            stdout=log, stderr=log, env=env, cwd=ROOT)
    address = wait_for(lambda: (state / "link.address").exists() and (state / "link.address").read_text().strip(),
                       30, "the agent's link address")
    yield {"state": state, "host": address, "dns": dns_port, "proc": proc, "log": tmp_path / "agent.log",
           "kid": kid}
    proc.send_signal(signal.SIGTERM)
    proc.wait(15)
    log.close()


def test_pair_push_policy_and_see_it_enforced(agent, tmp_path):
    mom = tmp_path / "mom"
    code = CODE_RE.search(run(BIN / "sprout-agent", "pair", "--state", agent["state"]).stdout).group(1)
    assert "Paired" in console(mom, "--name", "mom", "pair", "--code", code, "--host", agent["host"]).stdout
    device = console(mom, "devices").stdout.split()[0]

    # Before the push: the default policy (ages 11–13 + the Vietnam rule) does not block TikTok.
    kid = agent["kid"]  # the child's account: this agent counts and closes only its programs
    tiktok = kid.program(shutil.which("sleep"), "TikTok")
    before = subprocess.Popen(kid.argv(str(tiktok), "600"))
    time.sleep(2.5)
    assert before.poll() is None
    before.kill()

    doc = preset(10, ["vn-decree-147"])
    doc["version"] = 7
    doc["apps"]["blocked"] = ["tiktok"]
    doc["web"]["deny"] = ["example.org"]
    (tmp_path / "p7.json").write_text(json.dumps(doc))
    # The console numbers it: the one after the version in force (the default, 1).
    assert "version 2 applied" in console(mom, "policy", "push", device, tmp_path / "p7.json").stdout

    # Enforced: the blocked app is closed (by the first tick that sees it)…
    app = subprocess.Popen(kid.argv(str(tiktok), "600"))
    try:
        wait_for(lambda: app.poll() is not None, 30, "the blocked app to be closed")
    finally:
        app.kill()
    # …and the DNS filter uses the new deny list at once.
    reply = dns.query.udp(dns.message.make_query("www.example.org", "A"), "127.0.0.1", port=agent["dns"], timeout=3)
    assert reply.answer and reply.answer[0][0].address in ("127.0.0.1", "0.0.0.0")

    # The parent's report shows the policy change and the block, exactly once each, in order.
    report = json.loads(console(mom, "report", device, "--json").stdout)
    assert isinstance(report, list)
    status = run(BIN / "sprout-agent", "status", "--user-mode", "--state", agent["state"], "--events", "200", "--json").stdout
    kinds = [e["kind"] for e in json.loads(status)["events"]]
    assert "policy_applied" in kinds and "block" in kinds and "web_block" in kinds

    # The parent edits the same file again: it supersedes the one in force, whatever number the file carries.
    doc["apps"]["blocked"] = []
    (tmp_path / "p7.json").write_text(json.dumps(doc))
    assert "version 3 applied" in console(mom, "policy", "push", device, tmp_path / "p7.json").stdout


def test_a_refused_uninstall_reaches_the_parent(agent, tmp_path):
    mom = tmp_path / "mom"
    code = CODE_RE.search(run(BIN / "sprout-agent", "pair", "--state", agent["state"]).stdout).group(1)
    console(mom, "--name", "mom", "pair", "--code", code, "--host", agent["host"])
    device = console(mom, "devices").stdout.split()[0]
    # What the package's removal script runs: no PIN given, no console approval → refused, and reported.
    p = run(BIN / "sprout-agent", "unlock", "--state", agent["state"], "--check", "--action", "uninstall", ok=False)
    assert p.returncode == 1
    wait_for(lambda: "protected_action" in console(mom, "report", device, "--json").stdout, 15,
             "the refused attempt in the parent's report")
    items = json.loads(console(mom, "report", device, "--json").stdout)
    alert = next(i["payload"] for i in items if i["kind"] == "alert" and i["payload"]["kind"] == "protected_action")
    assert alert["action"] == "uninstall" and alert["allowed"] is False
