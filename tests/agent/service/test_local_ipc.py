"""The companion's local channel over a real Unix socket: the service side (agent.service.local_ipc) and the
companion's client (agent.companion.ipc_client), with an in-memory backend standing in for the lead's service."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from agent.companion.ipc_client import IpcClient, ServiceRefused, ServiceUnavailable, backoff_delays
from agent.os.peercred import peer_uid
from agent.service import local_ipc
from agent.service.companion_backend import CompanionBackend
from agent.service.local_ipc import IpcSetupError, LocalIpcServer
from tests.support import os_accounts

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="Unix sockets only")


class FakeBackend:
    """In-memory CompanionBackend for tests: the real one is the service core."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.reports: list[dict[str, Any]] = []
        self.notices: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.screen_left_s: int | None = 3600
        self.lang = "en"
        self.age_band = "11-13"

    def status(self) -> dict[str, Any]:
        return {"screen_used_s": 5400, "screen_left_s": self.screen_left_s, "games_used_s": 1800,
                "games_left_s": 1200, "current_game": "minecraft", "age_band": self.age_band, "lang": self.lang,
                "child_name": "An", "next_window": None, "locked_reason": None}

    def post(self, kind: str, **fields: Any) -> dict[str, Any]:
        with self.lock:
            n = {"id": len(self.notices) + 1, "kind": kind, "target": None, "title": None, "left_s": None,
                 "until": None, "category": None, "message": None, **fields}
            self.notices.append(n)
            return n

    def notices_since(self, cursor: int) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(n) for n in self.notices if n["id"] > cursor]

    def submit_request(self, minutes: int, reason: str, scope: str) -> dict[str, Any]:
        if not 5 <= minutes <= 240:
            raise ValueError("minutes must be from 5 to 240")
        req = {"id": f"r{len(self.requests) + 1}", "minutes": minutes, "reason": reason, "scope": scope,
               "state": "queued"}
        self.requests.append(req)
        return {"id": req["id"], "state": "queued"}

    def privacy_report(self) -> dict[str, Any]:
        return {"sent": {"time_totals": True, "apps_used": True, "window_titles": False,
                         "full_web_addresses": False, "web_categories_blocked": True},
                "never_sent": ["screenshots", "keystrokes"],
                "example_today": {"day": "2026-11-29", "screen_s": 5400, "games_s": 1800,
                                  "per_game_s": {"minecraft": 1800}},
                "retention_days": 30, "recipients": "the parents' paired consoles"}

    def report_harmful(self, what: str, note: str) -> dict[str, Any]:
        self.reports.append({"what": what, "note": note})
        return {"state": "sent_to_parent", "hotline": "111"}


@pytest.fixture
def sock_path(tmp_path: Path) -> Path:
    return tmp_path / "ipc" / "companion.sock"


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def server(backend: FakeBackend, sock_path: Path):
    srv = LocalIpcServer(backend, sock_path, poll_s=0.02).start()
    yield srv
    srv.stop()


def raw_exchange(path: Path, payload: bytes, lines: int = 1, timeout: float = 3.0) -> list[dict[str, Any]]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(str(path))
        s.sendall(payload)
        buf = b""
        while buf.count(b"\n") < lines:
            data = s.recv(65536)
            if not data:
                break
            buf += data
    return [json.loads(x) for x in buf.splitlines() if x.strip()]


def test_fake_backend_fits_the_protocol(backend: FakeBackend) -> None:
    assert isinstance(backend, CompanionBackend)


def test_status_and_request_queued(server: LocalIpcServer, backend: FakeBackend, sock_path: Path) -> None:
    client = IpcClient(sock_path)
    st = client.status()
    assert st["screen_left_s"] == 3600 and st["child_name"] == "An" and st["lang"] == "en"
    res = client.submit_request(30, "homework on the computer", "screen")
    assert res == {"id": "r1", "state": "queued"}
    assert backend.requests == [{"id": "r1", "minutes": 30, "reason": "homework on the computer",
                                 "scope": "screen", "state": "queued"}]
    assert client.privacy_report()["retention_days"] == 30
    assert client.report_harmful("a scary video", "on a game chat")["hotline"] == "111"
    assert backend.reports == [{"what": "a scary video", "note": "on a game chat"}]
    client.close()


def test_backend_refusal_is_an_error_answer_not_a_crash(server: LocalIpcServer, sock_path: Path) -> None:
    client = IpcClient(sock_path)
    with pytest.raises(ServiceRefused) as exc:
        client.submit_request(5000, "all night", "screen")
    assert exc.value.code == "bad_request" and "args.minutes" in exc.value.message
    with pytest.raises(ServiceRefused) as exc:
        client.submit_request(2, "two minutes", "screen")  # passes the channel's bounds, the backend says no
    assert exc.value.code == "rejected" and "5 to 240" in exc.value.message
    with pytest.raises(ServiceRefused) as exc:
        client.submit_request(30, "x", "homework")
    assert exc.value.code == "bad_request" and "args.scope" in exc.value.message
    assert client.status()["screen_used_s"] == 5400  # same connection still fine


def test_socket_and_directory_permissions(server: LocalIpcServer, sock_path: Path) -> None:
    assert stat.S_ISSOCK(os.lstat(sock_path).st_mode)
    assert stat.S_IMODE(os.stat(sock_path).st_mode) == 0o600  # only the service's own user allowed here
    assert stat.S_IMODE(os.stat(sock_path.parent).st_mode) == 0o700


def test_directory_open_to_others_is_refused(backend: FakeBackend, tmp_path: Path) -> None:
    d = tmp_path / "open"
    d.mkdir()
    os.chmod(d, 0o777)
    with pytest.raises(IpcSetupError, match="writable by other users"):
        LocalIpcServer(backend, d / "c.sock").start()


def test_a_file_in_the_way_is_not_deleted(backend: FakeBackend, tmp_path: Path) -> None:
    d = tmp_path / "ipc"
    d.mkdir(mode=0o700)
    (d / "c.sock").write_text("precious")
    with pytest.raises(IpcSetupError, match="not a socket"):
        LocalIpcServer(backend, d / "c.sock").start()
    assert (d / "c.sock").read_text() == "precious"


def test_second_server_on_same_path_refused(server: LocalIpcServer, backend: FakeBackend, sock_path: Path) -> None:
    with pytest.raises(IpcSetupError, match="already listening"):
        LocalIpcServer(backend, sock_path).start()
    assert IpcClient(sock_path).call("ping") == {"pong": True}


def test_garbage_lines_get_errors_and_the_connection_lives(server: LocalIpcServer, sock_path: Path) -> None:
    garbage = [b"hello\n", b"\xff\xfe\xfd\n", b"[1, 2]\n", b'{"op": 5}\n', b'{"op": "rm -rf"}\n',
               b'{"op": "status", "args": []}\n', b'{"id": 3, "op": "notices_since", "args": {"cursor": "x"}}\n',
               b'{"id": {"a": 1}, "op": "status"}\n', b'{"op": "wait_notices", "args": {"cursor": 0, "timeout": 1e9}}\n',
               b'{"op": "report_harmful", "args": {"what": 7}}\n']
    payload = b"".join(garbage) + b"\n   \n" + b'{"id": 99, "op": "ping"}\n'
    replies = raw_exchange(sock_path, payload, lines=len(garbage) + 1)
    assert len(replies) == len(garbage) + 1
    for r in replies[:-1]:
        assert r["ok"] is False and r["error"]["code"] in ("bad_request", "unknown_op"), r
        assert "Traceback" not in r["error"]["message"]
    assert replies[2]["error"]["message"].startswith("line: must be a JSON object")
    assert replies[6]["id"] == 3 and "args.cursor" in replies[6]["error"]["message"]
    assert replies[-1] == {"id": 99, "ok": True, "result": {"pong": True}}


def test_too_long_line_closes_only_that_connection(backend: FakeBackend, sock_path: Path) -> None:
    with LocalIpcServer(backend, sock_path, max_line=1024):
        replies = raw_exchange(sock_path, b'{"op": "ping", "pad": "' + b"x" * 5000)
        assert replies[0]["error"]["code"] == "too_long"
        replies = raw_exchange(sock_path, b'{"op": "ping", "pad": "' + b"y" * 2000 + b'"}\n')
        assert replies[0]["error"]["code"] == "too_long"
        assert IpcClient(sock_path).call("ping") == {"pong": True}


def test_backend_crash_is_an_internal_error_answer(backend: FakeBackend, sock_path: Path) -> None:
    def broken() -> dict[str, Any]:
        raise RuntimeError("disk on fire")

    backend.privacy_report = broken  # type: ignore[method-assign]
    with LocalIpcServer(backend, sock_path):
        client = IpcClient(sock_path)
        with pytest.raises(ServiceRefused) as exc:
            client.privacy_report()
        assert exc.value.code == "internal" and "disk" not in exc.value.message
        assert client.status()["child_name"] == "An"


def freeze_dispatch_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dispatcher's clock stands still from here: a long-poll's timeout can never run out, so a wait that ends
    ended for its reason (a notice, a stop), whatever the load of the machine."""
    monkeypatch.setattr(local_ipc, "time", SimpleNamespace(monotonic=lambda: 1000.0, sleep=time.sleep))


def when_asked(backend: FakeBackend) -> threading.Event:
    """Set once the dispatcher first asks the backend for notices: a long-poll has begun."""
    asked = threading.Event()
    since = backend.notices_since

    def spied(cursor: int) -> list[dict[str, Any]]:
        asked.set()
        return since(cursor)

    backend.notices_since = spied  # type: ignore[method-assign]
    return asked


def test_wait_notices_long_poll(server: LocalIpcServer, backend: FakeBackend, sock_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    client = IpcClient(sock_path)
    t0 = time.monotonic()
    assert client.wait_notices(0, timeout=0.3) == []
    assert time.monotonic() - t0 >= 0.25  # it waited its whole timeout (a floor: a loaded machine only adds)
    freeze_dispatch_clock(monkeypatch)
    asked = when_asked(backend)
    poster = threading.Thread(target=lambda: asked.wait(60) and backend.post("warn", target="screen", left_s=300))
    poster.start()
    got = client.wait_notices(0, timeout=30)  # its 30 s cannot pass: woken by the notice posted meanwhile
    poster.join()
    assert [(n["id"], n["kind"], n["left_s"]) for n in got] == [(1, "warn", 300)]
    assert client.notices_since(1) == []


def test_wait_notices_uses_the_backends_own_wait(backend: FakeBackend, sock_path: Path) -> None:
    calls: list[tuple[int, float]] = []

    def wait_notices(cursor: int, timeout: float) -> list[dict[str, Any]]:
        calls.append((cursor, timeout))
        return [{"id": 9, "kind": "info"}]

    backend.wait_notices = wait_notices  # type: ignore[attr-defined]
    with LocalIpcServer(backend, sock_path):
        assert IpcClient(sock_path).wait_notices(4, timeout=2) == [{"id": 9, "kind": "info"}]
    assert calls == [(4, 2)]


def test_brand_logo_is_optional_paged_within_the_line_limit_and_checked(backend: FakeBackend, sock_path: Path,
                                                                          caplog: pytest.LogCaptureFixture) -> None:
    from agent.oem import BrandLogo
    from agent.service.local_ipc import LOGO_CHUNK, MAX_LINE

    with LocalIpcServer(backend, sock_path):  # this backend has no brand_logo(): a clear "not_found"
        (reply,) = raw_exchange(sock_path, b'{"id": 1, "op": "brand_logo", "args": {"offset": 0}}\n')
        assert reply["error"]["code"] == "not_found" and "no device maker's logo" in reply["error"]["message"]
        assert IpcClient(sock_path).brand_logo() is None
    circles = "".join(f'<circle cx="{i % 97}" cy="{i % 89}" r="{i % 7 + 1}" fill="#1F7A8C"/>' for i in range(2500))
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">{circles}</svg>'.encode()
    assert len(svg) > 2 * LOGO_CHUNK
    logos = [BrandLogo("svg", svg)]
    backend.brand_logo = lambda: logos[-1]  # type: ignore[attr-defined]
    with LocalIpcServer(backend, sock_path):
        (raw,) = raw_exchange(sock_path, b'{"id": 2, "op": "brand_logo", "args": {"offset": 0}}\n')
        assert len(json.dumps(raw).encode()) < MAX_LINE and raw["result"]["offset"] == 0
        client = IpcClient(sock_path)
        assert client.brand_logo(expected={"type": "svg", "size": len(svg), "sha256": logos[0].sha256}) == \
            ("svg", svg)
        # status announced another logo than the one served: refused before any bytes are trusted.
        assert client.brand_logo(expected={"type": "svg", "size": len(svg), "sha256": "0" * 64}) is None
        assert "is not the one status announced" in caplog.text
        # The logo changes between two pieces (a service restart with a new oem logo): the client gives up.
        real_call = client.call

        def call_then_swap(op: str, args: dict[str, Any] | None = None, **kw: Any) -> Any:
            answer = real_call(op, args, **kw)
            logos.append(BrandLogo("svg", svg.replace(b"#1F7A8C", b"#6A4C93")))
            return answer

        client.call = call_then_swap  # type: ignore[method-assign]
        assert client.brand_logo() is None
        assert "the logo changed while it was being fetched (at offset 32768)" in caplog.text
        client.close()


def test_reconnect_after_server_restart(backend: FakeBackend, sock_path: Path) -> None:
    client = IpcClient(sock_path, backoff_start=0.02)
    srv = LocalIpcServer(backend, sock_path).start()
    assert client.status()["child_name"] == "An"
    srv.stop()
    assert not sock_path.exists()
    with pytest.raises(ServiceUnavailable, match="not answering"):
        client.status()
    # The service comes back a moment later: the client keeps trying with backoff and gets through.
    later = LocalIpcServer(backend, sock_path)
    threading.Timer(0.4, later.start).start()
    try:
        assert client.status(reconnect_for=5)["child_name"] == "An"
        assert client.submit_request(15, "finish my drawing", "games")["state"] == "queued"
    finally:
        later.stop()
    # and again, this time with the old connection still open when the service dies (stale socket)
    srv3 = LocalIpcServer(backend, sock_path).start()
    try:
        assert client.status(reconnect_for=2)["lang"] == "en"
        assert client.reconnects >= 1
    finally:
        srv3.stop()


def test_stale_socket_file_from_a_dead_service_is_replaced(backend: FakeBackend, sock_path: Path) -> None:
    sock_path.parent.mkdir(mode=0o700)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(sock_path))
    dead.close()  # the file stays, nobody listens
    with LocalIpcServer(backend, sock_path):
        assert IpcClient(sock_path).call("ping") == {"pong": True}


def test_wrong_uid_refused_even_for_our_own_connection(backend: FakeBackend, sock_path: Path) -> None:
    # The allowed set does not include us: the kernel-reported uid decides, not anything the client says.
    with LocalIpcServer(backend, sock_path, allowed_uids={os.geteuid() + 4242}) as srv:
        with pytest.raises(ServiceRefused) as exc:
            IpcClient(sock_path).status()
        assert exc.value.code == "forbidden" and f"uid {os.geteuid()}" in exc.value.message
        assert srv.refused == 1
        assert stat.S_IMODE(os.stat(sock_path).st_mode) == 0o666  # others may connect; the peer check decides
        assert stat.S_IMODE(os.stat(sock_path.parent).st_mode) == 0o711  # traverse, never list or write


def test_peer_uid_reads_the_kernels_answer(server: LocalIpcServer, sock_path: Path) -> None:
    a, b = socket.socketpair(socket.AF_UNIX)
    with a, b:
        assert peer_uid(a) == os.getuid()


def test_backoff_grows_and_caps() -> None:
    gen = backoff_delays(0.1, cap=1.0)
    assert [round(next(gen), 2) for _ in range(6)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]


# The venv's python may live under /root, out of another user's reach; the system one is readable by all.
SYSTEM_PYTHON = "/usr/bin/python3"


def _other_user() -> tuple[int, int] | None:
    if not os_accounts.can_make_accounts() or not shutil.which("setpriv") or not os.access(SYSTEM_PYTHON, os.X_OK):
        return None
    pw = os_accounts.account("sprout-ipc", person=False)
    return pw.pw_uid, pw.pw_gid


CHILD_SCRIPT = r"""
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(b'{"id": 1, "op": "status"}\n')  # a refused peer is read before it is answered: never EPIPE here
buf = b""
while b"\n" not in buf:
    d = s.recv(4096)
    if not d:
        break
    buf += d
sys.stdout.write(buf.decode())
"""


def test_another_os_user_is_refused(backend: FakeBackend) -> None:
    other = _other_user()
    if other is None:
        pytest.skip("needs root, setpriv and useradd to open a socket as another OS user")
    uid, gid = other
    base = Path(tempfile.mkdtemp(prefix="sprout-ipc-"))
    try:
        os.chmod(base, 0o755)  # the other user must reach the socket's own directory
        path = base / "ipc" / "c.sock"
        allowed_child = uid + 1  # some other child account: the test user is not it
        with LocalIpcServer(backend, path, allowed_uids={os.geteuid(), allowed_child}) as srv:
            out = subprocess.run(["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups",
                                  SYSTEM_PYTHON, "-I", "-c", CHILD_SCRIPT, str(path)],
                                 capture_output=True, text=True, timeout=20)
            assert out.returncode == 0, out.stderr
            reply = json.loads(out.stdout)
            assert reply["ok"] is False and reply["error"]["code"] == "forbidden"
            assert f"uid {uid}" in reply["error"]["message"]
            assert srv.refused == 1
            assert IpcClient(path).status()["child_name"] == "An"  # the service's own user still gets in
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_another_os_user_in_the_allowed_set_gets_in(backend: FakeBackend) -> None:
    other = _other_user()
    if other is None:
        pytest.skip("needs root, setpriv and useradd to open a socket as another OS user")
    uid, gid = other
    base = Path(tempfile.mkdtemp(prefix="sprout-ipc-"))
    try:
        os.chmod(base, 0o755)
        path = base / "ipc" / "c.sock"
        with LocalIpcServer(backend, path, allowed_uids={uid}):
            out = subprocess.run(["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", SYSTEM_PYTHON,
                                  "-I", "-c", CHILD_SCRIPT, str(path)], capture_output=True, text=True, timeout=20)
            assert out.returncode == 0, out.stderr
            reply = json.loads(out.stdout)
            assert reply["ok"] is True and reply["result"]["child_name"] == "An"
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_interrupt_wakes_a_blocked_long_poll_without_reconnecting(server: LocalIpcServer, backend: FakeBackend,
                                                                  sock_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    client = IpcClient(sock_path)
    client.call("ping")
    freeze_dispatch_clock(monkeypatch)  # the poll's 30 s cannot run out: only the interrupt can end it
    asked = when_asked(backend)
    outcome: list[BaseException] = []

    def poll() -> None:
        try:
            client.wait_notices(0, timeout=30)
        except ServiceUnavailable as exc:
            outcome.append(exc)

    t = threading.Thread(target=poll)
    t.start()
    assert asked.wait(60), "the long-poll never reached the service"
    client.interrupt()
    t.join(timeout=60)
    # Woken by the interrupt: a poll that ran to its end would have returned [] and raised nothing.
    assert not t.is_alive() and outcome and client.reconnects == 0
    with pytest.raises(ServiceUnavailable, match="stopped"):
        client.status()


# ---- the same channel on Windows: the named pipe, over a fake listener --------------------------------------
CHILD_SID = "S-1-5-21-1004336348-1177238915-682003330-1001"


class FakePipeClient:
    """Stands in for a connected Windows pipe client (agent/os/named_pipe.PipeConnection): its SID as Windows would
    report it, the bytes it sends, and what it is answered."""

    def __init__(self, sid: str, chunks: list[bytes]) -> None:
        self.peer_sid = sid
        self.chunks = chunks
        self.written = bytearray()

    def read(self) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""

    def write(self, data: bytes) -> None:
        self.written += data


class FakePipeListener:
    """Stands in for NamedPipeListener (pywin32, Windows only: this machine has neither). No pipe is made; a test
    connects a fake client, and its bytes go through the real line server and the service's Dispatcher on the
    test's thread, as the listener's per-client thread would."""

    def __init__(self, name: str, allowed_sids: frozenset[str], on_connection: Any, max_clients: int) -> None:
        self.name, self.allowed_sids, self.on_connection, self.max_clients = name, allowed_sids, on_connection, \
            max_clients
        self.stopping = threading.Event()
        self.started = False

    def start(self) -> FakePipeListener:
        self.started = True
        return self

    def stop(self) -> None:
        self.stopping.set()

    def connect(self, sid: str, *chunks: bytes) -> list[dict[str, Any]]:
        client = FakePipeClient(sid, list(chunks))
        self.on_connection(client)
        return [json.loads(line) for line in client.written.splitlines()]


def test_the_windows_channel_serves_the_same_requests_over_a_fake_pipe(backend: FakeBackend) -> None:
    listeners: list[FakePipeListener] = []

    def fake_listener(*args: Any) -> FakePipeListener:
        listeners.append(FakePipeListener(*args))
        return listeners[-1]

    srv = LocalIpcServer(backend, None, allowed_sids=[CHILD_SID], platform="win32", pipe_listener=fake_listener,
                         poll_s=0.02).start()
    pipe = listeners[0]
    assert pipe.started and pipe.name == r"\\.\pipe\sprout-companion" and pipe.allowed_sids == {CHILD_SID}
    assert srv.channel.where == r"\\.\pipe\sprout-companion"
    backend.post("limit_soon", left_s=300)
    answers = pipe.connect(CHILD_SID, b'{"id": 1, "op": "status"}\n{"id": 2, "op": "submit_req',
                           b'uest", "args": {"minutes": 30, "reason": "b\xc3\xa0i t\xe1\xba\xadp"}}\n\n',
                           b'{"id": 3, "op": "wait_notices", "args": {"cursor": 0, "timeout": 1}}\n{"op": 7}\n')
    assert [a["id"] for a in answers] == [1, 2, 3, None]
    assert answers[0]["result"]["child_name"] == "An"
    assert answers[1] == {"id": 2, "ok": True, "result": {"id": "r1", "state": "queued"}}
    assert backend.requests[0]["reason"] == "bài tập" and backend.requests[0]["scope"] == "screen"
    assert [n["kind"] for n in answers[2]["result"]] == ["limit_soon"]
    assert answers[3]["error"]["code"] == "unknown_op"
    # Another Windows account: one refusal, nothing asked of the service.
    refused = pipe.connect("S-1-5-21-1004336348-1177238915-682003330-1002", b'{"id": 1, "op": "submit_request", '
                           b'"args": {"minutes": 60}}\n')
    assert [a["error"]["code"] for a in refused] == ["forbidden"] and srv.refused == 1 and len(backend.requests) == 1
    # A line that never ends: "too_long", then nothing more is read.
    flood = pipe.connect(CHILD_SID, b"x" * 40_000, b"x" * 40_000, b'{"id": 9, "op": "ping"}\n')
    assert [a["error"]["code"] for a in flood] == ["too_long"]
    srv.stop()
    assert pipe.stopping.is_set()


def test_the_windows_channel_without_pywin32_says_so(backend: FakeBackend) -> None:
    with pytest.raises(IpcSetupError, match="pywin32 is not installed"):
        LocalIpcServer(backend, None, allowed_sids=[CHILD_SID], platform="win32").start()


def test_a_unix_channel_needs_its_path(backend: FakeBackend) -> None:
    with pytest.raises(IpcSetupError, match="a path is needed"):
        LocalIpcServer(backend, None)
