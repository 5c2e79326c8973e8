"""Real processes: a dummy program started under a catalog executable name, and a renamed one started by a fake
launcher, are seen by the process source and classified by the catalog."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.catalog import Catalog
from agent.os.processes import ProcessSource, ProcInfo, PsutilProcessSource, make_process_source
from agent.os.procfs import ProcfsProcessSource
from tests.support import os_accounts

SLEEP = shutil.which("sleep") or "/bin/sleep"
SH = os.path.realpath("/bin/sh")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


SOURCES = [PsutilProcessSource] + ([ProcfsProcessSource] if sys.platform.startswith("linux") else [])


@pytest.fixture(params=SOURCES, ids=lambda c: c.__name__)
def make_source(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return request.param


@pytest.fixture()
def spawned() -> Iterator[list[subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait(timeout=5)


def copy_as(src: str, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copy(src, target)
    target.chmod(0o755)
    return target


def _start_time(pid: int) -> float | None:
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.NoSuchProcess:
        return None


def _kill_quietly(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, 9)


def find(source: ProcessSource, pred, timeout: float = 30.0) -> ProcInfo:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        hits = [p for p in source.snapshot() if pred(p)]
        if hits:
            return hits[0]
        time.sleep(0.05)
    raise AssertionError("process not seen by the process source")


@pytest.mark.parametrize("exe_name,expected_id", [("Minecraft.exe", "minecraft"), ("RobloxPlayerBeta", "roblox"),
                                                  ("dnplayer.exe", "ldplayer")])
def test_dummy_game_under_catalog_name_is_seen_and_classified(make_source, tmp_path: Path, spawned: list, catalog: Catalog,
                                                              exe_name: str, expected_id: str) -> None:
    game = copy_as(SLEEP, tmp_path, exe_name)
    proc = subprocess.Popen([str(game), "30"])
    spawned.append(proc)
    source = make_source()
    seen = find(source, lambda p: p.pid == proc.pid)
    assert seen.name == exe_name  # psutil restores names longer than the kernel's 15 characters
    assert seen.exe == str(game)
    assert seen.uid == os.getuid() and seen.username
    assert seen.ppid == os.getpid() and seen.parent_name == next(x.name for x in source.snapshot() if x.pid == os.getpid())
    info = catalog.classify(seen.name, path=seen.exe, parent_names=[seen.parent_name or ""])
    assert info is not None and info.id == expected_id and info.via == "name"


def test_renamed_game_started_by_fake_steam_is_a_game_via_launcher(make_source, request: pytest.FixtureRequest,
                                                                   tmp_path: Path, spawned: list,
                                                                   catalog: Catalog) -> None:
    launcher = copy_as(SH, tmp_path / "launcher", "steam")
    game = copy_as(SLEEP, tmp_path / "downloads", "hw_tool")
    proc = subprocess.Popen([str(launcher), "-c", f"'{game}' 30 & wait"])
    spawned.append(proc)
    source = make_source()
    child = find(source, lambda p: p.ppid == proc.pid and p.name == "hw_tool")
    request.addfinalizer(lambda: _kill_quietly(child.pid))  # killing the fake launcher would orphan it
    assert child.parent_name == "steam"
    assert catalog.classify("hw_tool") is None  # the name alone says nothing
    info = catalog.classify(child.name, path=child.exe, parent_names=[child.parent_name or ""])
    assert info is not None and (info.id, info.kind, info.via) == ("hw_tool", "game", "launcher")
    launcher_seen = find(source, lambda p: p.pid == proc.pid)
    steam = catalog.classify(launcher_seen.name, path=launcher_seen.exe)
    assert steam is not None and steam.kind == "launcher"


def test_renamed_game_inside_a_steam_library_is_found_by_path(make_source, tmp_path: Path, spawned: list, catalog: Catalog) -> None:
    game = copy_as(SLEEP, tmp_path / "SteamLibrary" / "steamapps" / "common" / "Terraria", "notes")
    proc = subprocess.Popen([str(game), "30"])
    spawned.append(proc)
    seen = find(make_source(), lambda p: p.pid == proc.pid)
    info = catalog.classify(seen.name, path=seen.exe)
    assert info is not None and (info.id, info.via) == ("terraria", "path")


def test_system_name_from_a_temp_folder_is_not_trusted(make_source, tmp_path: Path, spawned: list, catalog: Catalog) -> None:
    fake_shell = copy_as(SLEEP, tmp_path, "gnome-shell")
    proc = subprocess.Popen([str(fake_shell), "30"])
    spawned.append(proc)
    seen = find(make_source(), lambda p: p.pid == proc.pid)
    info = catalog.classify(seen.name, path=seen.exe)
    assert info is None or info.kind != "system"


def test_snapshot_survives_processes_exiting_mid_read(make_source, tmp_path: Path) -> None:
    source = make_source()
    short = [subprocess.Popen([SLEEP, "0.01"]) for _ in range(20)]
    for _ in range(5):
        snap = source.snapshot()
        assert any(p.pid == os.getpid() for p in snap)
    started = {p.pid: _start_time(p.pid) for p in short}
    for p in short:
        p.wait(timeout=5)
    # A pid may be reused at once by another process on a busy machine: an exited process is its pid *and* its
    # start time.
    assert not any(p.pid in started and p.create_time == started[p.pid] for p in source.snapshot())


def test_exe_cache_follows_exec(make_source, tmp_path: Path, spawned: list) -> None:
    """A process that execs keeps its pid and start time but changes its program: the path must follow."""
    first = copy_as(SH, tmp_path, "stage_one")
    second = copy_as(SLEEP, tmp_path, "stage_two")
    # The exec waits for the test's word (a line on stdin), however slow the machine is to take the first look.
    proc = subprocess.Popen([str(first), "-c", f"read go; exec '{second}' 30"], stdin=subprocess.PIPE)
    spawned.append(proc)
    source = make_source()
    before = find(source, lambda p: p.pid == proc.pid)
    assert before.exe == str(first)
    proc.stdin.write(b"go\n")
    proc.stdin.close()
    after = find(source, lambda p: p.pid == proc.pid and p.name == "stage_two")
    assert after.exe == str(second)


@pytest.fixture(scope="module")
def other_user() -> tuple[str, int, int]:
    if not os_accounts.can_make_accounts() or not shutil.which("setpriv"):
        pytest.skip("needs root, useradd and setpriv to create a second account")
    pw = os_accounts.account("sprout-os", person=False)
    return pw.pw_name, pw.pw_uid, pw.pw_gid


def test_unprivileged_snapshot_of_root_processes_has_no_exe_and_no_error(other_user: tuple[str, int, int]) -> None:
    _name, uid, gid = other_user
    code = ("import json, os; from agent.os.processes import make_process_source;"
            "s = make_process_source().snapshot();"
            "root = [p for p in s if p.uid == 0];"
            "print(json.dumps({'n': len(s), 'root': len(root), 'root_exe': sum(1 for p in root if p.exe),"
            " 'me': os.getuid(), 'names': sum(1 for p in root if p.name)}))")
    py = os_accounts.foreign_python()  # the checkout may sit in a folder the other account cannot read
    out = subprocess.run(["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", py.python, "-c", code],
                         capture_output=True, text=True, cwd=py.cwd, env=py.env, timeout=60)
    assert out.returncode == 0, out.stderr
    import json

    figures = json.loads(out.stdout)
    assert figures["me"] == uid and figures["root"] > 0
    assert figures["root_exe"] == 0  # AccessDenied became None, the tick went on
    assert figures["names"] == figures["root"]


# -- the /proc fast path agrees with psutil and notices what changes ------------------------------------------

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux")


@linux_only
def test_factory_picks_procfs_on_linux() -> None:
    assert isinstance(make_process_source(), ProcfsProcessSource)
    assert isinstance(make_process_source("darwin"), PsutilProcessSource)


@linux_only
def test_procfs_agrees_with_psutil(tmp_path: Path, spawned: list) -> None:
    long_name = copy_as(SLEEP, tmp_path, "EpicGamesLauncher.exe")  # longer than the kernel's 15-byte comm
    spawned.append(subprocess.Popen([str(long_name), "30"]))
    # Only the processes this test knows compare: on a shared machine any other may start, exit or exec
    # between the two snapshots.
    mine = {os.getpid(), spawned[0].pid}
    fast = {p.pid: p for p in ProcfsProcessSource().snapshot() if p.pid in mine}
    slow = {p.pid: p for p in PsutilProcessSource().snapshot() if p.pid in mine}
    assert set(fast) == set(slow) == mine
    for pid, p in fast.items():
        q = slow[pid]
        assert (p.ppid, p.name, p.exe, p.uid, p.username, p.parent_name, p.create_time) == \
               (q.ppid, q.name, q.exe, q.uid, q.username, q.parent_name, q.create_time)
    assert fast[spawned[0].pid].name == "EpicGamesLauncher.exe"


@linux_only
def test_procfs_sees_an_old_process_exec_within_its_rotation(tmp_path: Path, spawned: list) -> None:
    """A long-lived process is re-read every `full_every` ticks: an exec into a game shows within that many."""
    first = copy_as(SH, tmp_path, "wrapper")
    second = copy_as(SLEEP, tmp_path, "Terraria")
    trigger = tmp_path / "go"
    proc = subprocess.Popen([str(first), "-c", f"while [ ! -e '{trigger}' ]; do sleep 0.05; done; exec '{second}' 30"])
    spawned.append(proc)
    source = ProcfsProcessSource(young_s=0.0, full_every=5)  # every process counts as old
    find(source, lambda p: p.pid == proc.pid and p.name == "wrapper")
    trigger.touch()
    time.sleep(0.3)
    names = []
    for _ in range(5):
        names.append(next(p.name for p in source.snapshot() if p.pid == proc.pid))
    assert names[-1] == "Terraria" and names.count("Terraria") >= 1


@linux_only
def test_procfs_follows_reparenting_and_drops_zombies(tmp_path: Path) -> None:
    source = ProcfsProcessSource()
    parent = subprocess.Popen(["sh", "-c", f"'{SLEEP}' 30 & echo $!; read line"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None and parent.stdin is not None
    orphan = int(parent.stdout.readline())
    try:
        before = find(source, lambda p: p.pid == orphan and p.ppid == parent.pid and p.name == "sleep")
        assert before.parent_name == "sh"
        parent.stdin.close()
        parent.wait(timeout=5)  # the shell exits: the sleep is re-parented to init / a subreaper
        after = find(source, lambda p: p.pid == orphan and p.ppid != before.ppid)
        assert after.ppid != parent.pid
        new_parent = [p for p in source.snapshot() if p.pid == after.ppid]
        assert after.parent_name == (new_parent[0].name if new_parent else None)
        zombie = subprocess.Popen([SLEEP, "0"])
        time.sleep(0.3)  # exited, not yet reaped: a zombie
        assert not any(p.pid == zombie.pid for p in source.snapshot())
        zombie.wait()
    finally:
        os.kill(orphan, 9)
