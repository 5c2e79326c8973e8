"""A family for the consent tests: the real agent started and paired with a parent's console (`family`), and `stop`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from agent.companion.ipc_client import IpcClient
from tests.support.agent_process import BIN, CODE_RE, ROOT, console, free_port, run, wait_for


def start_agent(state: Path, log: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    (state / "link.address").unlink(missing_ok=True)
    out = open(log, "a")  # noqa: SIM115 — the agent writes to it while it runs
    proc = subprocess.Popen([str(BIN / "sprout-agent"), "run", "--user-mode", "--state", str(state), "--link",
                             "127.0.0.1:0", "--dns", f"127.0.0.1:{free_port()}", "--upstream", "127.0.0.1:9",
                             "--lang", "en"], stdout=out, stderr=out, env=env, cwd=ROOT)
    out.close()
    wait_for(lambda: (state / "link.address").exists() and (state / "link.address").read_text().strip(), 30,
             "the agent's link address")
    return proc


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    proc.wait(20)


@pytest.fixture()
def family(tmp_path):
    state = tmp_path / "kid"
    state.mkdir()
    proc = start_agent(state, tmp_path / "agent.log")
    mom = tmp_path / "mom"
    code = CODE_RE.search(run(BIN / "sprout-agent", "pair", "--state", state).stdout).group(1)
    host = (state / "link.address").read_text().strip()
    console(mom, "--name", "mom", "pair", "--code", code, "--host", host)
    device = console(mom, "devices").stdout.split()[0]
    policy = tmp_path / "kid10.json"
    policy.write_text(run(BIN / "sprout-agent", "policy", "preset", "--age", "10").stdout)
    doc = json.loads(policy.read_text())
    doc["version"] = 5
    doc["child"] = {"name": "Bông", "birth_year": 2016}  # 10 in 2026: the child must agree too
    # Whatever the hour the suite runs at, no limit is reached by the clock: the bedtime window is not tested here.
    doc["screen"]["windows"] = {}
    policy.write_text(json.dumps(doc))
    console(mom, "policy", "push", device, policy)
    child = IpcClient(state / "companion.sock", timeout=5.0)
    box = {"proc": proc, "state": state, "mom": mom, "device": device, "child": child, "log": tmp_path / "agent.log"}
    yield box
    child.close()
    if box["proc"].poll() is None:
        stop(box["proc"])
