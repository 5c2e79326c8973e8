"""The OS adapters the DNS filter's list store and batch loop use (agent/os/file_lock.py, agent/os/mmsg.py):
no platform test is left in agent/dns; each concern has one adapter, picked by platform."""

from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from agent.dns.liststore import ListStore
from agent.os import udp_batch
from agent.os.file_lock import make_file_lock, posix_lock, windows_lock
from agent.os.mmsg import load_mmsg

HOLDER = """
import os, sys
from agent.os.file_lock import make_file_lock
fd = os.open(sys.argv[1], os.O_CREAT | os.O_RDWR, 0o600)
make_file_lock()(fd)
print("locked", flush=True)
sys.stdin.readline()
"""


def _try_lock(path: Path) -> bool:
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_the_posix_lock_keeps_another_process_out_until_released(tmp_path: Path) -> None:
    path = tmp_path / ".lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[3])
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        assert not _try_lock(path)  # held by the other process
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    assert _try_lock(path)  # released when the holder's descriptor closed


def test_the_list_store_writes_under_the_adapters_lock(tmp_path: Path) -> None:
    store = ListStore(tmp_path / "lists")
    with store._locked():
        assert not _try_lock(tmp_path / "lists" / ".lock")
    assert _try_lock(tmp_path / "lists" / ".lock")


class FakeMsvcrt:
    """Stand-in for Windows' msvcrt (this machine has none): locking() gives up twice, as after its 10 s."""

    LK_LOCK = 1

    def __init__(self) -> None:
        self.calls: list[tuple[int, int, int]] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        self.calls.append((fd, mode, nbytes))
        if len(self.calls) < 3:
            raise OSError(36, "Resource deadlock avoided")


def test_the_windows_lock_asks_again_until_it_holds_the_lock() -> None:
    fake = FakeMsvcrt()
    windows_lock(7, msvcrt=fake)
    assert fake.calls == [(7, FakeMsvcrt.LK_LOCK, 1)] * 3


@pytest.mark.parametrize("platform, lock", [("linux", posix_lock), ("darwin", posix_lock), ("win32", windows_lock)])
def test_one_lock_adapter_per_platform(platform: str, lock: object) -> None:
    assert make_file_lock(platform) is lock


def test_batch_calls_exist_on_linux_only() -> None:
    assert load_mmsg("win32") is None and load_mmsg("darwin") is None
    calls = load_mmsg("linux")
    if sys.platform.startswith("linux"):
        assert calls is not None and calls.recvmmsg is not None and calls.sendmmsg is not None
    assert udp_batch.UdpBatch.available() == (udp_batch._LIBC is not None)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="recvmmsg/sendmmsg are Linux calls")
def test_the_batch_loop_receives_and_answers_through_the_adapters_calls() -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        server.bind(("127.0.0.1", 0))
        server.setblocking(False)
        client.settimeout(10)
        batch = udp_batch.UdpBatch(server, slots=8)
        for i in range(5):
            client.sendto(b"q%d" % i, server.getsockname())  # on loopback, queued before sendto returns
        got = batch.receive()
        assert got == [b"q%d" % i for i in range(5)]
        batch.send([(slot, b"a" + data) for slot, data in enumerate(got)])
        assert sorted(client.recv(100) for _ in range(5)) == [b"aq%d" % i for i in range(5)]
    finally:
        server.close()
        client.close()
