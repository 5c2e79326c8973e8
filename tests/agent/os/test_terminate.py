"""close_process on real processes: polite close, forced close after the grace, and never another user's process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from agent.os.terminate import CloseResult, close_process
from tests.support import os_accounts

SLEEP = shutil.which("sleep") or "/bin/sleep"
IGNORES_TERM = ("import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
                "print('ready', flush=True); time.sleep(60)")


@pytest.fixture()
def spawned() -> Iterator[list[subprocess.Popen]]:
    procs: list[subprocess.Popen] = []
    yield procs
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait(timeout=5)


def start_game(tmp_path: Path, spawned: list, name: str = "Minecraft.exe") -> subprocess.Popen:
    game = tmp_path / name
    shutil.copy(SLEEP, game)
    proc = subprocess.Popen([str(game), "60"])
    spawned.append(proc)
    return proc


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_polite_close_of_a_game(tmp_path: Path, spawned: list) -> None:
    proc = start_game(tmp_path, spawned)
    result = close_process(proc.pid, allowed_uid=os.getuid(), grace_s=2.0)
    assert result.outcome == "closed" and result.ok  # "closed" means it went before the grace ran out
    assert proc.wait(timeout=2) == -15


def test_process_ignoring_sigterm_is_killed_within_grace_plus_margin(spawned: list) -> None:
    proc = subprocess.Popen([sys.executable, "-c", IGNORES_TERM], stdout=subprocess.PIPE)
    spawned.append(proc)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
    started = time.monotonic()
    result = close_process(proc.pid, allowed_uid=os.getuid(), grace_s=0.5)
    took = time.monotonic() - started
    assert result.outcome == "killed", result
    assert took >= 0.5  # the whole grace was given first (a floor: a loaded machine only makes it longer)
    assert proc.wait(timeout=2) == -9


def test_exact_identity_is_checked(tmp_path: Path, spawned: list) -> None:
    proc = start_game(tmp_path, spawned)
    wrong_birth = psutil.Process(proc.pid).create_time() - 100
    result = close_process(proc.pid, allowed_uid=os.getuid(), grace_s=1.0, create_time=wrong_birth)
    assert result.outcome == "gone"
    assert proc.poll() is None  # untouched: the pid belongs to some other program now


def test_exited_process_is_gone(tmp_path: Path) -> None:
    proc = subprocess.Popen([SLEEP, "0"])
    proc.wait(timeout=5)
    assert close_process(proc.pid, allowed_uid=os.getuid(), grace_s=1.0).outcome == "gone"


@pytest.mark.parametrize("pid", [0, 1, os.getpid(), os.getppid()])
def test_never_pid_1_nor_the_agent_nor_its_parent(pid: int) -> None:
    result = close_process(pid, allowed_uid=os.getuid(), grace_s=0.1)
    assert result.outcome == "refused"
    assert psutil.pid_exists(pid) or pid == 0


@pytest.fixture(scope="module")
def other_user() -> tuple[int, int]:
    if not os_accounts.can_make_accounts() or not shutil.which("setpriv"):
        pytest.skip("needs root, useradd and setpriv to run a process as a second account")
    pw = os_accounts.account("sprout-os", person=False)
    return pw.pw_uid, pw.pw_gid


def run_as(uid: int, gid: int, spawned: list) -> subprocess.Popen:
    proc = subprocess.Popen(["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", SLEEP, "60"])
    spawned.append(proc)
    deadline = time.monotonic() + 30
    while psutil.Process(proc.pid).uids().real != uid:  # setpriv switches, then execs sleep
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return proc


def test_another_users_process_is_never_touched(other_user: tuple[int, int], spawned: list) -> None:
    uid, gid = other_user
    proc = run_as(uid, gid, spawned)
    child_uid = os.getuid() + 4242  # the child we enforce for is someone else entirely
    result = close_process(proc.pid, allowed_uid=child_uid, grace_s=0.2)
    assert result.outcome == "refused" and f"uid {uid}" in result.detail
    time.sleep(0.3)
    assert proc.poll() is None and not gone(proc.pid)


def test_root_process_is_not_closed_for_the_child(other_user: tuple[int, int], tmp_path: Path, spawned: list) -> None:
    uid, _gid = other_user
    proc = start_game(tmp_path, spawned)  # runs as root here
    result = close_process(proc.pid, allowed_uid=uid, grace_s=0.2)
    assert result.outcome == "refused"
    assert proc.poll() is None


def test_the_childs_own_game_is_closed(other_user: tuple[int, int], spawned: list) -> None:
    uid, gid = other_user
    proc = run_as(uid, gid, spawned)
    result = close_process(proc.pid, allowed_uid=uid, grace_s=1.0)
    assert result.outcome == "closed"
    assert proc.wait(timeout=2) == -15


# -- the decision logic with a fake process and a fake clock (no waiting) -----------------------------------------

class FakeHandle:
    def __init__(self, pid: int, *, dies_on_term: bool, dies_on_kill: bool = True, owner: int = 1000) -> None:
        self.pid = pid
        self.owner = owner
        self.dies_on_term = dies_on_term
        self.dies_on_kill = dies_on_kill
        self.running = True
        self.signals: list[str] = []

    def create_time(self) -> float:
        return 100.0

    def owned_by(self, allowed: int | str) -> bool:
        return allowed == self.owner

    def owner_text(self) -> str:
        return f"uid {self.owner}"

    def ask_to_close(self) -> None:
        self.signals.append("TERM")
        self.running = not self.dies_on_term

    def force_kill(self) -> None:
        self.signals.append("KILL")
        self.running = not self.dies_on_kill

    def alive(self) -> bool:
        return self.running


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.now += s


def _close(handle: FakeHandle, grace: float = 5.0) -> tuple[CloseResult, FakeClock]:
    clock = FakeClock()
    result = close_process(handle.pid, allowed_uid=1000, grace_s=grace, clock=clock, sleep=clock.sleep,
                           opener=lambda pid: handle)
    return result, clock


def test_fake_stubborn_process_gets_kill_exactly_at_grace() -> None:
    handle = FakeHandle(50_000, dies_on_term=False)
    result, _clock = _close(handle, grace=5.0)
    assert handle.signals == ["TERM", "KILL"] and result.outcome == "killed"
    assert result.elapsed_s == pytest.approx(5.0, abs=0.06)


def test_fake_unkillable_process_is_reported_failed() -> None:
    handle = FakeHandle(50_001, dies_on_term=False, dies_on_kill=False)
    result, _ = _close(handle, grace=1.0)
    assert result.outcome == "failed" and not result.ok and "still running" in result.detail


def test_fake_owner_mismatch_sends_nothing() -> None:
    handle = FakeHandle(50_002, dies_on_term=True, owner=0)
    result, _ = _close(handle)
    assert result.outcome == "refused" and handle.signals == []
