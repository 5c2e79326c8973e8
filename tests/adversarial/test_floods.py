"""Floods a child can start from its own account or a LAN device: a thousand slow connections to the link port,
a request trickled one byte at a time, JSON nested thousands deep, thousands of "report something harmful" items,
every companion socket slot held open.

The real `sprout-agent run` (user mode, 1,024 descriptors as a default Linux session gives), real sockets; the
companion flood runs as the child's real account against the service-mode companion socket.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from agent.assembly import ServiceOptions, build_core
from agent.ledger.clock import SimulatedClock
from tests.support.agent_process import BIN, ROOT, wait_for
from tests.support.companion_ask import ASK
from tests.support.enforcement import SLEEP
from tests.support.os_accounts import ROOT_ONLY, SYSTEM_PYTHON, account

FLOOD = 1100


def _agent_limits() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))


@pytest.fixture()
def flooded_agent(tmp_path: Path, kid) -> Iterator[dict]:  # type: ignore[no-untyped-def]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < FLOOD + 200:
        pytest.skip(f"the test itself needs {FLOOD + 200} descriptors (hard limit {hard})")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, FLOOD + 400), hard))
    state = tmp_path / "agent"
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"version": 2, "apps": {"blocked": ["tiktok"]}}))
    log = open(tmp_path / "agent.log", "w")  # noqa: SIM115 — the agent writes to it for the whole fixture
    proc = subprocess.Popen([str(BIN / "sprout-agent"), "run", "--user-mode", "--state", str(state), "--link",
                             "127.0.0.1:0", "--policy", str(policy), "--socket", str(kid.folder / "c.sock"), "--lang",
                             "en", "--child-uid", str(kid.uid)], stdout=log, stderr=log, env=dict(os.environ, PYTHONPATH=str(ROOT)), cwd=ROOT,
                            preexec_fn=_agent_limits)
    host = wait_for(lambda: (state / "link.address").exists() and (state / "link.address").read_text().strip(), 30,
                    "the agent's link address")
    try:
        yield {"state": state, "host": host, "proc": proc, "log": tmp_path / "agent.log", "kid": kid}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def slow_connection(host: str, port: int, source: str, timeout: float = 5.0) -> socket.socket:
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(timeout)
    s.connect((host, port))
    s.sendall(b"POST /v1/msg HTTP/1.1\r\nHost: x\r\n")  # …and never the rest
    return s


class Flooder:
    """Holds up to FLOOD slow connections: a byte on each every second (a per-read timeout never fires), and a new
    connection for each one the agent closes, as a determined attacker would."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.held: list[socket.socket] = []
        self.opened = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _open(self, i: int) -> None:
        with contextlib.suppress(OSError):
            self.held.append(slow_connection(self.host, self.port, f"127.0.{i % 4}.{2 + i % 7}", timeout=0.5))
            self.opened += 1

    def _run(self) -> None:
        i = 0
        while not self.stop.is_set():
            started = time.monotonic()
            while len(self.held) < FLOOD and not self.stop.is_set() and time.monotonic() - started < 5:
                self._open(i)
                i += 1
            alive = []
            for s in self.held:
                try:
                    s.send(b"X")
                    alive.append(s)
                except OSError:
                    s.close()
            self.held = alive
            self.stop.wait(1.0)

    def __enter__(self) -> Flooder:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(10)
        for s in self.held:
            s.close()


def test_a_thousand_slow_connections_do_not_stop_enforcement(flooded_agent, tmp_path: Path) -> None:
    host, port = flooded_agent["host"].rsplit(":", 1)
    app = None
    with Flooder(host, int(port)) as flood:
        deadline = time.monotonic() + 120
        while flood.opened < 1000 and time.monotonic() < deadline:  # as many as the attacker can get
            time.sleep(0.5)
        time.sleep(12)  # and trickling past any per-read timeout
        try:
            # Enforcement goes on: a blocked app started now is closed.
            kid = flooded_agent["kid"]  # only this run's own child account is counted and closed
            app = subprocess.Popen(kid.argv(str(kid.program(SLEEP, "TikTok")), "600"))
            wait_for(lambda: app.poll() is not None, 20, "the blocked app to be closed during the flood")
            # The companion channel and the link still answer.
            asked = subprocess.run(kid.argv(SYSTEM_PYTHON, "-I", "-c", ASK, str(kid.folder / "c.sock")),
                                   capture_output=True, text=True, timeout=30)
            assert asked.returncode == 0 and json.loads(asked.stdout)["ok"] is True, asked.stderr
            hello = requests.get(f"http://{host}:{port}/v1/hello", timeout=10)
            assert hello.status_code == 200 and hello.json()["v"] == 1
            fds = len(os.listdir(f"/proc/{flooded_agent['proc'].pid}/fd"))
            assert fds < 1024 // 2, fds  # shed long before the descriptor limit
            assert flooded_agent["proc"].poll() is None
            assert "Too many open files" not in flooded_agent["log"].read_text()
        finally:
            if app is not None:
                app.kill()


def test_a_trickled_request_is_cut_at_the_whole_request_deadline(flooded_agent) -> None:
    host, port = flooded_agent["host"].rsplit(":", 1)
    s = socket.socket()
    s.settimeout(2)
    s.connect((host, int(port)))
    started = time.monotonic()
    closed = False
    try:
        for byte in b"POST /v1/msg HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200:
            try:
                s.sendall(bytes([byte]))  # one byte every half second: never idle 10 s, never finished
                time.sleep(0.5)
                s.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    if s.recv(1) == b"":
                        closed = True
                        break
                s.setblocking(True)
            except OSError:
                closed = True
                break
            if time.monotonic() - started > 60:
                break
    finally:
        s.close()
    assert closed, "the agent kept a trickling request open past its deadline"


def test_deeply_nested_json_gets_a_clear_4xx(flooded_agent) -> None:
    host = flooded_agent["host"]
    header = base64.b64encode(b"[" * 100_000 + b"]" * 100_000).decode()
    body = json.dumps({"h": header, "c": base64.b64encode(b"x" * 32).decode()}).encode()
    r = requests.post(f"http://{host}/v1/msg", data=body, timeout=20)
    assert 400 <= r.status_code < 500 and r.json()["error"], r.text
    nested = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    r = requests.post(f"http://{host}/v1/pair/start", data=nested, timeout=20)
    assert 400 <= r.status_code < 500, r.text
    assert "Traceback" not in flooded_agent["log"].read_text()


FLOOD_SCRIPT = r"""
import json, socket, sys, time
path = sys.argv[1]
def conn():
    for _ in range(200):
        s = socket.socket(socket.AF_UNIX); s.settimeout(10)
        try:
            s.connect(path); return s
        except BlockingIOError:  # the listen backlog is full for a moment: try again, as a flooder would
            s.close(); time.sleep(0.01)
    raise SystemExit("could not connect")
def ask(s, op, args):
    s.sendall(json.dumps({"id": 1, "op": op, "args": args}).encode() + b"\n")
    buf = b""
    while b"\n" not in buf:
        d = s.recv(65536)
        if not d: return None
        buf += d
    return json.loads(buf)
held = [conn() for _ in range(16)]  # try to hold every slot
for h in held:
    try:
        ask(h, "ping", {})
    except OSError:
        pass
s = conn()
answers = {"ok": 0, "rejected": 0, "other": 0}
t0 = time.monotonic()
for i in range(2000):
    r = ask(s, "report_harmful", {"what": f"item {i % 40}", "note": "x"})
    if r is None:
        s = conn(); answers["other"] += 1; continue
    answers["ok" if r["ok"] else ("rejected" if r["error"]["code"] == "rejected" else "other")] += 1
real = ask(conn(), "status", {})
print(json.dumps({"answers": answers, "seconds": time.monotonic() - t0, "real": real["ok"] if real else None}))
"""


@ROOT_ONLY
def test_report_flood_and_held_slots_from_the_childs_account(tmp_path: Path) -> None:
    if not shutil.which("setpriv") or not os.access(SYSTEM_PYTHON, os.X_OK):
        pytest.skip("needs setpriv and the system python to run as the child")
    from agent.service.companion_channel import start_companion_channel

    kid = account("sprout-kid-test", person=True)
    base = Path(tempfile.mkdtemp(prefix="sprout-flood-"))
    os.chmod(base, 0o755)
    opts = ServiceOptions(state_dir=tmp_path / "state", user_mode=False, child_uid=kid.pw_uid, key_file_fallback=True,
                          socket_path=base / "run" / "c.sock")
    core = build_core(opts, clock=SimulatedClock(wall=1_795_000_000.0),
                      adapters={"processes": SimpleNamespace(snapshot=list), "closer": print})
    stop = start_companion_channel(core, opts)
    try:
        out = subprocess.run(["setpriv", f"--reuid={kid.pw_uid}", f"--regid={kid.pw_gid}", "--clear-groups",
                              SYSTEM_PYTHON, "-I", "-c", FLOOD_SCRIPT, str(opts.socket_path)],
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        result = json.loads(out.stdout)
        assert result["real"] is True  # the real companion got in while the flood held every slot
        items = [o for o in core.store.outbox_since(0, 5000)]
        reports = [o for o in items if o.kind == "harmful_report"]
        assert 1 <= len(reports) <= 5  # the first few reached the parent…
        flood = [o.payload for o in items if o.kind == "alert" and o.payload["kind"] == "report_flood"]
        assert len(flood) == 1  # …and one alert says a flood was refused, instead of 2,000 items
        assert result["answers"]["rejected"] > 1000
    finally:
        stop()
        shutil.rmtree(base, ignore_errors=True)


def test_the_unit_sets_a_descriptor_limit() -> None:
    unit = (ROOT / "installers" / "linux" / "sprout-agent.service").read_text(encoding="utf-8")
    assert "\nLimitNOFILE=8192\n" in unit
