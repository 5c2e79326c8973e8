"""Kill the real agent process with SIGKILL mid-day, start it again: the day's totals are intact (at most one save
interval lost) and the time it was down is recorded as a gap event for the parent."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def agent(state: Path, policy: Path, kid) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "agent.cli", "run", "--user-mode", "--state", str(state),
                             "--policy", str(policy), "--save-every", "1", "--no-companion-socket",
                             "--child-uid", str(kid.uid)],
                            env=env, stderr=subprocess.PIPE, text=True)


def status(state: Path) -> dict:
    res = subprocess.run([sys.executable, "-m", "agent.cli", "status", "--user-mode", "--state", str(state),
                          "--events", "200", "--json"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def wait_for(pred, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_sigkill_mid_day_keeps_totals_and_records_the_gap(tmp_path, kid):
    game_exe = kid.program(shutil.which("sleep"), "Minecraft.exe")
    game = subprocess.Popen(kid.argv(str(game_exe), "600"))
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"version": 2, "games": {"daily_minutes": 600}}))
    state = tmp_path / "state"
    started = time.time()
    first = agent(state, policy, kid)
    try:
        wait_for(lambda: (state / "agent.db").exists(), 30)
        # a few seconds of play saved (one save a second)
        wait_for(lambda: sum(d["games_s"] for d in status(state)["days"].values()) >= 3, 120)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        killed = time.time()
        before = status(state)
        (day, totals), = before["days"].items()
        assert totals["games_s"] >= 3, totals
        assert totals["per_game_s"]["minecraft"] == totals["games_s"]

        time.sleep(2)
        restarted = time.time()
        second = agent(state, policy, kid)
        try:
            wait_for(lambda: status(state)["days"][day]["games_s"] > totals["games_s"] + 1, 60)
            after = status(state)
            assert after["days"][day]["games_s"] >= totals["games_s"]
            gaps = [e for e in after["events"] if e["kind"] == "gap" and e.get("reason") == "agent_not_running"]
            assert len(gaps) == 1, gaps
            # The gap covers the down time, by the order of events rather than a margin of seconds: it starts at
            # the killed run's last save (before the kill, after it began) and ends when the new run started.
            # (1 s of slack: the agent's trusted time runs on the boot clock from its start, not on this wall clock.)
            gap = gaps[0]
            assert started - 1 <= gap["from"] <= killed + 1, (started, gap, killed)
            assert gap["at"] >= restarted - 1, (gap, restarted)
            assert gap["left_s"] == int(gap["at"] - gap["from"]) and gap["left_s"] >= 2, gap
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(15) == 0
    finally:
        first.kill()
        game.kill()
