"""A child lets a video play with no keyboard or mouse input: screen time keeps counting while it plays (and stops
when it is paused); a lock and sleep are still never charged.

As a child would: a real unprivileged account runs its own D-Bus session bus and a media player on it that says
MPRIS PlaybackStatus "Playing" (a small jeepney program: the part of a real player the agent reads); the
service-mode core (counting that account) asks that bus from root through the real MprisWatch. Input idleness comes
from a real Xvfb server nobody touches. The sound-card signal reads /proc/asound, which this machine (no sound card)
does not have: its test uses a folder laid out as the kernel's (a stand-in for the kernel only).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.ledger.clock import SimulatedClock
from agent.ledger.ledger import Ledger
from agent.ledger.sample import AppRef, Sample
from agent.os.media import AlsaPlayback, MediaSignals, MprisWatch, session_bus_address
from agent.policy import Policy, load_policy_doc
from tests.support.child_core import kid_space as kid_space  # a fixture
from tests.support.child_core import service_core
from tests.support.child_programs import as_kid
from tests.support.child_programs import kid as kid  # a fixture
from tests.support.os_accounts import ROOT_ONLY
from tests.support.xvfb import start_xvfb

PLAYER = '''
import sys
from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
conn = open_dbus_connection(bus=sys.argv[1])
conn.send_and_get_reply(message_bus.RequestName("org.mpris.MediaPlayer2.kidsvideo"))
print("ready", flush=True)
while True:
    msg = conn.receive()
    if msg.header.message_type != MessageType.method_call:
        continue
    if msg.header.fields.get(HeaderFields.member) == "Get":
        conn.send(new_method_return(msg, "v", (("s", sys.argv[2]),)))
    else:
        conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod"))
'''

VIDEO = AppRef("vlc", "app", "vlc")


# ----- the ledger's rule

def _ledger() -> tuple[Ledger, SimulatedClock]:
    pol = Policy.from_doc(load_policy_doc({"version": 1, "screen": {"daily_minutes": {d: 120 for d in
                                           ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}}))
    return Ledger(pol), SimulatedClock(wall=1_795_000_000.0)


def test_a_video_playing_without_input_counts_but_a_lock_or_sleep_never_does() -> None:
    led, clock = _ledger()
    led.observe(Sample(clock.now(), VIDEO, (VIDEO,), idle=True, media_playing=True))
    for _ in range(60):  # 5 minutes of a video, nobody touching anything
        clock.advance(5)
        led.observe(Sample(clock.now(), VIDEO, (VIDEO,), idle=True, media_playing=True))
    day = led.days[led.local_day(clock.now())]
    assert day.screen_s == 300
    for _ in range(60):  # the same video paused: idle pauses screen time again
        clock.advance(5)
        led.observe(Sample(clock.now(), VIDEO, (VIDEO,), idle=True, media_playing=False))
    assert day.screen_s == 300
    for _ in range(60):  # playing behind a real lock: never charged
        clock.advance(5)
        led.observe(Sample(clock.now(), VIDEO, (VIDEO,), idle=True, locked=True, media_playing=True))
    assert day.screen_s == 300
    clock.sleep(3600)  # the PC sleeps with the video "playing": not charged
    led.observe(Sample(clock.now(), VIDEO, (VIDEO,), idle=True, media_playing=True))
    assert day.screen_s == 300


# ----- the sound card

def test_the_sound_card_counts_only_with_a_player_or_browser_running(tmp_path: Path) -> None:
    """/proc/asound as the kernel lays it out (stand-in: no sound card on this machine)."""
    sub = tmp_path / "card0" / "pcm0p" / "sub0"
    sub.mkdir(parents=True)
    (tmp_path / "card0" / "pcm0c" / "sub0").mkdir(parents=True)
    (tmp_path / "card0" / "pcm0c" / "sub0" / "status").write_text("state: RUNNING\n")  # recording: not playback
    (sub / "status").write_text("closed\n")
    alsa = AlsaPlayback(str(tmp_path))
    assert alsa.playing() is False
    (sub / "status").write_text("state: RUNNING\nowner_pid   : 4242\n")
    assert alsa.playing() is True
    assert AlsaPlayback(str(tmp_path / "none")).playing() is None
    media = MediaSignals(mpris=None, alsa=alsa, media_apps={"vlc"})
    assert media.playing([VIDEO]) is True
    assert media.playing([AppRef("firefox", "browser", "firefox")]) is True
    assert media.playing([AppRef("notes", "app", "notes")]) is False  # a sound with no player: not a video
    assert session_bus_address(user_mode=True, child_uid=None, env={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}) \
        == "unix:path=/x"


# ----- MPRIS on the child's own session bus, read by the service

@pytest.fixture()
def kids_bus(kid, kid_space) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if not shutil.which("dbus-daemon"):
        pytest.skip("needs dbus-daemon")
    folder = kid_space / "run"
    folder.mkdir()
    os.chown(folder, kid.pw_uid, kid.pw_gid)
    bus = as_kid(kid, "dbus-daemon", "--session", "--nofork", f"--address=unix:path={folder / 'bus'}")
    deadline = time.monotonic() + 30
    while not (folder / "bus").exists():
        assert time.monotonic() < deadline, "the child's session bus did not start"
        time.sleep(0.05)
    yield f"unix:path={folder / 'bus'}"
    bus.kill()
    bus.wait(5)


def _player(kid, bus: str, status: str) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    from tests.support.os_accounts import foreign_python

    fp = foreign_python()
    proc = subprocess.Popen(["setpriv", f"--reuid={kid.pw_uid}", f"--regid={kid.pw_gid}", "--clear-groups",
                             fp.python, "-c", PLAYER, bus, status], env={**os.environ, **fp.env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready", proc.stderr.read()  # type: ignore[union-attr]
    return proc


@ROOT_ONLY
def test_a_video_left_playing_with_no_input_keeps_screen_time_counting(tmp_path: Path, kid, kid_space,  # type: ignore[no-untyped-def]
                                                                         kids_bus) -> None:
    pytest.importorskip("Xlib")
    if not shutil.which("Xvfb"):
        pytest.skip("needs Xvfb")
    from agent.os.idle import CombinedIdle
    from agent.os.idle_x11 import X11Idle

    server, display = start_xvfb("320x240x24")
    x_idle = X11Idle(display)
    mpris = MprisWatch(kids_bus, poll_s=0.2, as_uid=kid.pw_uid, as_gid=kid.pw_gid)
    player = None
    try:
        idle = CombinedIdle(x_idle)
        deadline = time.monotonic() + 10
        while (idle.idle_seconds() or 0.0) < 1.0 and time.monotonic() < deadline:
            time.sleep(0.1)
        core = service_core(tmp_path, kid.pw_uid, idle, idle_threshold_s=0.5)
        core.sampler.media = MediaSignals(mpris=mpris, alsa=None)
        player = _player(kid, kids_bus, "Playing")
        deadline = time.monotonic() + 30
        while mpris.playing() is not True:
            assert time.monotonic() < deadline, "the service never read the child's player"
            time.sleep(0.1)

        def screen() -> float:
            day = core.ledger.days.get(core.ledger.local_day(core.clock.now()))
            return day.screen_s if day is not None else 0.0

        start = screen()
        deadline = time.monotonic() + 60
        while screen() - start < 300:  # five (60× fast) minutes of a video nobody touches
            core.tick()
            assert time.monotonic() < deadline, screen()
            time.sleep(0.05)
        assert core.sampler.observe().sample.idle is True  # no input all along
        # Paused: the same idle desktop no longer counts.
        player.kill()
        player.wait(5)
        player = _player(kid, kids_bus, "Paused")
        deadline = time.monotonic() + 30
        while mpris.playing() is not False:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        core.tick()
        paused_at = screen()
        for _ in range(20):
            core.tick()
            time.sleep(0.05)
        assert screen() == paused_at
    finally:
        mpris.close()
        if player is not None:
            player.kill()
        x_idle.close()
        server.terminate()
        server.wait(timeout=5)
    assert sys.platform.startswith("linux")
