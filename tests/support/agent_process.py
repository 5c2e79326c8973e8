"""The real `sprout-agent run --user-mode` with its parent link and DNS filter (the fixture `agent`), and running the
installed commands (`run`, `console`) as the family does."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

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
