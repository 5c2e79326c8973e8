"""A child who will not cooperate with the counting: plays with a gamepad (no keyboard or mouse input), claims the
session is locked (logind's LockedHint, which the session's owner may set) while a game runs past its limit.

As a child would: the game is a real process started by a real unprivileged account (useradd, as root), the agent is
the service-mode core (`user_mode=False`, counting that account only) with its real process source and closer. Input
idleness comes from a real Xvfb server nobody touches. The only stand-in is logind itself (no systemd-logind runs on
this machine): `loginctl` answers as logind does for a session whose owner ran `SetLockedHint(true)`.
The clock runs 60× faster than real time, so a 2-minute game limit is reached in about two seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from agent.ledger.clock import SimulatedClock
from agent.ledger.ledger import Ledger
from agent.ledger.sample import AppRef, Sample
from agent.os.idle import CombinedIdle
from agent.os.idle_logind import LogindIdle
from agent.os.runner import CommandResult
from agent.policy import Policy, load_policy_doc
from tests.support.child_core import KID, service_core
from tests.support.child_core import kid_space as kid_space  # a fixture
from tests.support.enforcement import SLEEP, run_until
from tests.support.os_accounts import ROOT_ONLY, account
from tests.support.xvfb import start_xvfb


class LogindWithChildsLockedHint:
    """What `loginctl show-session` prints for a session whose owner set LockedHint (busctl call … SetLockedHint
    true): IdleHint follows input, the session is still Active on its seat. A stand-in for logind only."""

    def __init__(self, *, active: bool = True) -> None:
        self.active = active
        self.calls: list[list[str]] = []

    def run(self, argv: Sequence[str], *, timeout: float = 5.0) -> CommandResult:
        self.calls.append(list(argv))
        if argv[1] == "show-user":
            return CommandResult(0, "c7\n", "")
        return CommandResult(0, f"IdleHint=no\nIdleSinceHintMonotonic=0\nLockedHint=yes\n"
                                f"Active={'yes' if self.active else 'no'}\n", "")


def childs_game(tmp_path: Path, kid_uid: int, kid_gid: int, name: str = "Minecraft") -> subprocess.Popen:
    """The child starts a game: a real process owned by the child's account (tmp_path: a kid_space)."""
    folder = tmp_path / "kid-games"
    folder.mkdir(exist_ok=True)
    os.chmod(folder, 0o755)
    exe = folder / name
    shutil.copy(SLEEP, exe)
    os.chmod(exe, 0o755)
    return subprocess.Popen(["setpriv", f"--reuid={kid_uid}", f"--regid={kid_gid}", "--clear-groups", str(exe),
                             "600"])


def alerts(core) -> list[dict]:  # type: ignore[no-untyped-def]
    return [o.payload for o in core.store.outbox_since(0, 1000) if o.kind == "alert"]


# ----- the ledger's rules, at simulated speed

def _ledger() -> tuple[Ledger, SimulatedClock]:
    pol = Policy.from_doc(load_policy_doc({"version": 1, "games": {"daily_minutes": 60, "per_game_minutes": 30},
                                           "screen": {"daily_minutes": {d: 120 for d in
                                                      ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}}))
    return Ledger(pol), SimulatedClock(wall=1_795_000_000.0)


GAME = AppRef("minecraft", "game", "minecraft")


def test_a_claimed_lock_pauses_nothing_and_is_reported_once() -> None:
    led, clock = _ledger()
    led.observe(Sample(clock.now(), GAME, (GAME,), lock_claimed=True))
    out = []
    for _ in range(40 * 60 // 5):  # 40 minutes of play under a LockedHint the child set
        clock.advance(5)
        out += led.observe(Sample(clock.now(), GAME, (GAME,), lock_claimed=True))
    day = led.days[led.local_day(clock.now())]
    assert day.games_s == 40 * 60 and day.screen_s == 40 * 60
    assert [d.kind for d in out].count("lock_disagrees") == 1
    assert [(d.kind, d.target) for d in out if d.kind == "close" and d.new] == [("close", "minecraft")]  # 30 min


def test_a_real_lock_pauses_screen_time_but_not_a_running_game() -> None:
    led, clock = _ledger()
    led.observe(Sample(clock.now(), None, (GAME,), locked=True))
    out = []
    for _ in range(40 * 60 // 5):
        clock.advance(5)
        out += led.observe(Sample(clock.now(), None, (GAME,), locked=True, idle=True))
    day = led.days[led.local_day(clock.now())]
    assert day.screen_s == 0 and day.games_s == 40 * 60
    assert any(d.kind == "close" and d.target == "minecraft" for d in out)  # closed at its limit behind the lock
    assert not any(d.kind == "lock_disagrees" for d in out)  # a real lock is no tamper
    # and a real lock screen where the child types a password for a few seconds is not one either
    led2, clock2 = _ledger()
    led2.observe(Sample(clock2.now(), None, (), lock_claimed=True))
    out2 = []
    for _ in range(6):
        clock2.advance(5)
        out2 += led2.observe(Sample(clock2.now(), None, (), lock_claimed=True))
    assert not any(d.kind == "lock_disagrees" for d in out2)


# ----- as a child would: a real account, real processes, the service-mode core

@pytest.fixture()
def kid() -> Iterator:
    if not shutil.which("setpriv"):
        pytest.skip("needs setpriv to run as the child")
    yield account(KID, person=True)


@ROOT_ONLY
def test_childs_locked_hint_does_not_stop_the_count_and_the_parent_hears(tmp_path: Path, kid, kid_space) -> None:  # type: ignore[no-untyped-def]
    logind = LogindWithChildsLockedHint()
    core = service_core(tmp_path, kid.pw_uid, LogindIdle(logind, uid=kid.pw_uid, refresh_s=0.0))
    game = childs_game(kid_space, kid.pw_uid, kid.pw_gid)
    try:
        decisions = run_until(core, lambda ds: any(d.kind == "close" for d in ds), timeout=30)
        assert next(d.target for d in decisions if d.kind == "close") == "minecraft"
        game.wait(timeout=10)  # closed by the agent, past its limit, while "locked"
        day = core.ledger.days[core.ledger.local_day(core.clock.now())]
        assert day.per_game_s["minecraft"] >= 120
        lies = [a for a in alerts(core) if a["kind"] == "lock_disagrees"]
        assert len(lies) == 1 and lies[0]["reason"] == "lock_hint_while_in_use"
        assert any(c[:2] == ["loginctl", "show-session"] for c in logind.calls)
    finally:
        game.kill()


@ROOT_ONLY
@pytest.mark.skipif(sys.platform != "linux" or not shutil.which("Xvfb"), reason="needs Xvfb")
def test_gamepad_play_with_no_keyboard_or_mouse_is_still_charged(tmp_path: Path, kid, kid_space) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("Xlib")
    from agent.os.idle_x11 import X11Idle

    server, display = start_xvfb("320x240x24")
    x_idle = X11Idle(display)
    game = None
    try:
        # Nobody touches the X server: its input idle time only grows, as when a gamepad (not an X device) plays.
        idle = CombinedIdle(x_idle)
        deadline = time.monotonic() + 10
        while (idle.idle_seconds() or 0.0) < 1.0 and time.monotonic() < deadline:
            time.sleep(0.1)
        core = service_core(tmp_path, kid.pw_uid, idle, idle_threshold_s=0.5)
        game = childs_game(kid_space, kid.pw_uid, kid.pw_gid)
        decisions = run_until(core, lambda ds: any(d.kind == "close" for d in ds), timeout=30)
        assert core.sampler.observe().sample.idle is True  # the agent did see no input all along
        assert next(d.target for d in decisions if d.kind == "close") == "minecraft"
        game.wait(timeout=10)
        day = core.ledger.days[core.ledger.local_day(core.clock.now())]
        assert day.per_game_s["minecraft"] >= 120 and day.games_s >= 120
        kinds = [e.kind for e in core.store.events()]
        assert "close" in kinds  # the parent's report shows the game closed
    finally:
        if game is not None:
            game.kill()
        x_idle.close()
        server.terminate()
        server.wait(timeout=5)
