"""The service with real processes: a dummy game (by catalog name, and renamed under a fake launcher) is counted,
warned and closed; a blocked app is closed within 2 s of launch; other users' processes are never touched.

The clock is injected and runs 60× faster than real time (1 real second = 1 minute), so limits of a few minutes
are reached in seconds; the processes, signals, store and catalog are all real.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from agent.assembly import ServiceOptions, build_core, real_adapters
from agent.ledger.clock import ScaledClock
from agent.policy import load_policy_doc
from tests.support.enforcement import SLEEP, run_until
from tests.support.own_processes import OwnProcessTree


def dummy(kid, name: str) -> Path:  # type: ignore[no-untyped-def]
    """A copy of /bin/sleep under a game's executable name: a real process the OS reports by that name."""
    return kid.program(SLEEP, name)


def policy(**sections) -> dict:
    doc = {"version": 2, "games": {"daily_minutes": 10, "per_game_minutes": 2},
           "warnings": {"minutes_before": [1]}, "at_limit": {"games": "close", "screen": "notify", "grace_seconds": 3}}
    doc.update(sections)
    return load_policy_doc(doc)


def make_core(tmp_path: Path, doc: dict, kid):  # type: ignore[no-untyped-def]
    pfile = tmp_path / "policy.json"
    import json

    pfile.write_text(json.dumps(doc))
    opts = ServiceOptions(state_dir=tmp_path / "state", user_mode=True, policy_file=pfile, save_every_s=5,
                          child_uid=kid.uid)
    adapters = real_adapters(True, kid.uid)
    if not kid.own_account:  # the test's own account may run anything: count only what this test started
        adapters["processes"] = OwnProcessTree(adapters["processes"])
    adapters["foreground"] = None  # count by running processes, as on a desktop that cannot tell (no display here)
    adapters["session"] = None
    return build_core(opts, clock=ScaledClock(60.0), adapters=adapters)


def wait_gone(proc: subprocess.Popen, timeout: float) -> float:
    t0 = time.monotonic()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout)
    return time.monotonic() - t0


def test_game_by_name_is_warned_then_closed(tmp_path, kid):
    core = make_core(tmp_path, policy(), kid)
    game = subprocess.Popen(kid.argv(str(dummy(kid, "Minecraft.exe")), "600"))
    try:
        decisions = run_until(core, lambda ds: any(d.kind == "close" for d in ds), timeout=15)
        warn = [d for d in decisions if d.kind == "warn"]
        assert warn and warn[0].target == "minecraft" and warn[0].left_s <= 60
        wait_gone(game, 60.0)  # the polite stop, then the forced one after the grace (a bound, not a measure)
        assert game.poll() is not None, "the game was not closed"
        assert core.ledger.days[core.ledger.local_day(core.clock.now())].per_game_s["minecraft"] >= 120
        kinds = [n["kind"] for n in core.notices_since(0)]
        assert "warn" in kinds and "close" in kinds
    finally:
        game.kill()


def test_renamed_game_started_by_a_launcher_is_closed(tmp_path, kid):
    core = make_core(tmp_path, policy(), kid)
    launcher = kid.program(shutil.which("sh"), "steam")
    renamed = dummy(kid, "totally_homework")
    steam = subprocess.Popen(kid.argv(str(launcher), "-c", f"'{renamed}' 600 & wait"))
    try:
        time.sleep(0.3)
        child = next(c for c in psutil.Process(steam.pid).children() if c.name() == "totally_homework")
        decisions = run_until(core, lambda ds: any(d.kind == "close" for d in ds), timeout=15)
        target = next(d.target for d in decisions if d.kind == "close")
        assert target == "totally_homework"
        psutil.wait_procs([child], timeout=15.0)
        assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE
    finally:
        steam.kill()


def test_blocked_app_is_closed_within_two_seconds_of_launch(tmp_path, kid):
    core = make_core(tmp_path, policy(apps={"blocked": ["tiktok"]}), kid)
    core.tick()
    started = time.monotonic()
    app = subprocess.Popen(kid.argv(str(dummy(kid, "TikTok")), "600"))
    try:
        first: list = []
        while app.poll() is None and time.monotonic() - started < 30:
            decisions = [d for d in core.tick() if d.target == "tiktok"]
            if not first and decisions:
                first = decisions
            time.sleep(0.2)
        assert app.poll() is not None
        # Closed by the first tick that saw it (a tick a second: within 2 s of launch on an idle machine).
        assert [(d.kind, d.target) for d in first] == [("block", "tiktok")]
        events = core.store.events()
        assert any(e.kind == "block" for e in events)
    finally:
        app.kill()


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv to run as another user")
def test_other_users_processes_are_never_touched(tmp_path, kid):
    core = make_core(tmp_path, policy(apps={"blocked": ["tiktok"]}), kid)
    path = dummy(kid, "TikTok")
    other = subprocess.Popen(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", str(path), "600"])
    mine = subprocess.Popen(kid.argv(str(path), "600"))
    try:
        deadline = time.monotonic() + 30
        while mine.poll() is None and time.monotonic() < deadline:
            core.tick()
            time.sleep(0.2)
        assert mine.poll() is not None, "the child's own blocked app was not closed"
        for _ in range(10):
            core.tick()
            time.sleep(0.1)
        assert other.poll() is None, "another user's process was touched"
    finally:
        mine.kill()
        other.kill()
