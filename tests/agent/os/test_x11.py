"""Under a real Xvfb server: the focused window is reported as the foreground app with the right pid, and input
idle time is read and reset by real (XTEST) pointer motion."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

pytest.importorskip("Xlib")

from agent.os.foreground import UnknownForeground, make_foreground_source
from agent.os.foreground_x11 import X11Foreground
from agent.os.idle import CombinedIdle, make_idle_source
from agent.os.idle_x11 import X11Idle
from tests.support.x11_windows import TK_WINDOW, _focus, _wait_for
from tests.support.x11_windows import env as env  # a fixture
from tests.support.x11_windows import xvfb as xvfb  # a fixture


def _window(cmd: list[str], env: dict[str, str], wait_ready: bool) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if wait_ready:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
    return proc


needs_xdotool = pytest.mark.skipif(not shutil.which("xdotool"), reason="xdotool is not installed")


def _tk_available() -> bool:
    try:
        import tkinter  # noqa: F401
    except ImportError:
        return False
    return True


@needs_xdotool
@pytest.mark.skipif(not _tk_available(), reason="tkinter is not installed")
def test_focused_tk_window_is_the_foreground_app(env: dict[str, str], xvfb: str) -> None:
    first = _window([sys.executable, "-c", TK_WINDOW, "Bài tập toán", "baitap"], env, wait_ready=True)
    second = _window([sys.executable, "-c", TK_WINDOW, "Minecraft", "minecraftdemo"], env, wait_ready=True)
    source = X11Foreground(xvfb)
    try:
        _focus("baitap", env, "--classname")
        fg = _wait_for(source, first.pid)
        assert fg is not None and fg.pid == first.pid
        assert fg.name.startswith("python")
        assert fg.title == "Bài tập toán"
        _focus("minecraftdemo", env, "--classname")  # the child switches windows: the next tick follows
        fg = _wait_for(source, second.pid)
        assert fg is not None and fg.pid == second.pid and fg.title == "Minecraft"
    finally:
        source.close()
        for p in (first, second):
            p.kill()
            p.wait(timeout=5)


@needs_xdotool
@pytest.mark.skipif(not shutil.which("xmessage"), reason="xmessage is not installed")
@pytest.mark.skipif(not shutil.which("xmessage"), reason="xmessage is not installed (Debian 12: x11-utils; "
                    "Ubuntu 24.04: apt-get install xmessage)")
def test_window_without_net_wm_pid_is_traced_through_x_resource(env: dict[str, str], xvfb: str) -> None:
    """Old toolkits (Xt's xmessage) never set _NET_WM_PID; the X server still knows the client's pid."""
    app = _window(["xmessage", "-geometry", "+50+50", "Giờ chơi đã hết"], env, wait_ready=False)
    source = X11Foreground(xvfb)
    try:
        _focus("xmessage", env)
        fg = _wait_for(source, app.pid)
        assert fg is not None and fg.pid == app.pid and fg.name == "xmessage"
    finally:
        source.close()
        app.kill()
        app.wait(timeout=5)


def test_nothing_focused_is_unknown_this_tick(xvfb: str) -> None:
    source = X11Foreground(xvfb)
    try:
        assert source.current() is None  # a bare server: focus is on the root window
    finally:
        source.close()


@needs_xdotool
def test_idle_seconds_grow_and_reset_on_mouse_move(env: dict[str, str], xvfb: str) -> None:
    idle = X11Idle(xvfb)
    try:
        subprocess.run(["xdotool", "mousemove", "5", "5"], env=env, check=True, timeout=5)
        time.sleep(1.2)
        before = idle.idle_seconds()
        assert before is not None and before >= 1.0
        subprocess.run(["xdotool", "mousemove", "120", "90"], env=env, check=True, timeout=5)
        after = idle.idle_seconds()
        assert after is not None and after < before  # reset by the move (how far below depends on the machine's load)
        assert idle.locked() is None  # X11 has no lock concept; logind answers that
    finally:
        idle.close()


def test_lost_display_is_unknown_not_a_crash() -> None:
    source = X11Foreground(":1999")  # nothing listens there
    assert source.current() is None
    assert X11Idle(":1999").idle_seconds() is None


def test_factory_picks_x11_under_xvfb(xvfb: str) -> None:
    fg = make_foreground_source("linux", {"DISPLAY": xvfb, "XDG_SESSION_TYPE": "x11"})
    assert isinstance(fg, X11Foreground)
    idle = make_idle_source("linux", {"DISPLAY": xvfb, "XDG_SESSION_TYPE": "x11"})
    assert isinstance(idle, CombinedIdle) and isinstance(idle.sources[0], X11Idle)
    seconds = idle.idle_seconds()
    assert seconds is not None and seconds >= 0


def test_factory_falls_back_on_wayland_and_says_so_once(caplog: pytest.LogCaptureFixture) -> None:
    fg = make_foreground_source("linux", {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"})
    assert isinstance(fg, UnknownForeground)
    with caplog.at_level("WARNING"):
        assert fg.current() is None and fg.current() is None
    said = [r for r in caplog.records if "foreground unknown: process-based accounting" in r.getMessage()]
    assert len(said) == 1


def test_lost_display_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    source = X11Foreground(":1998")
    with caplog.at_level("INFO"):
        for _ in range(3):
            assert source.current() is None
    assert sum("lost" in r.getMessage() for r in caplog.records) == 1
