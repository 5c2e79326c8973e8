"""The whole agent as a family uses it: `sprout-agent run --user-mode` with its parent link and DNS filter, the
parent's `sprout-console`, real processes and real DNS queries on loopback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time

import dns.message
import dns.query
import dns.rcode

from agent.policy import preset
from tests.support.agent_process import BIN, CODE_RE, ROOT, console, free_port, run, wait_for
from tests.support.agent_process import agent as agent  # a fixture


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


def test_the_link_address_file_names_only_the_running_agent(tmp_path):
    """run.sh and the tests find the agent by state/link.address: a file left by a run that was killed must not be
    taken for where this run listens, and a stopped agent leaves none behind."""
    state = tmp_path / "agent"
    state.mkdir()
    address = state / "link.address"
    address.write_text("127.0.0.1:9\n")  # a run killed before it could clean up
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with open(tmp_path / "agent.log", "w") as log:
        proc = subprocess.Popen([str(BIN / "sprout-agent"), "run", "--user-mode", "--state", str(state), "--link",
                                 "127.0.0.1:0", "--dns", f"127.0.0.1:{free_port()}"], stdout=log, stderr=log, env=env,
                                cwd=ROOT)
        try:
            def now_listening():
                assert proc.poll() is None, (tmp_path / "agent.log").read_text()
                text = address.read_text().strip() if address.exists() else ""
                return text if text and text != "127.0.0.1:9" else None

            host, port = wait_for(now_listening, 60, "the agent's own link address").rsplit(":", 1)
            socket.create_connection((host, int(port)), timeout=10).close()  # this run answers there
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
    assert proc.returncode == 0, (tmp_path / "agent.log").read_text()
    assert not address.exists()
