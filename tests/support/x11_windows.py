"""Windows on a real Xvfb server for the foreground and full-screen tests: a Tk window (`TK_WINDOW`), giving it the
focus, and waiting for what the display reports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from agent.os.foreground import Foreground
from agent.os.foreground_x11 import X11Foreground
from tests.support.xvfb import start_xvfb

TK_WINDOW = ("import sys, tkinter; root = tkinter.Tk(className=sys.argv[2]); root.title(sys.argv[1]); root.geometry('200x100+10+10');"
             "root.after(100, lambda: print('ready', flush=True)); root.mainloop()")


@pytest.fixture(scope="module")
def xvfb() -> Iterator[str]:
    if sys.platform != "linux" or not shutil.which("Xvfb"):
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    server, display = start_xvfb()
    yield display
    server.terminate()
    server.wait(timeout=5)


@pytest.fixture()
def env(xvfb: str) -> dict[str, str]:
    # The X programs get an environment of their own, not whatever earlier tests left in this process's: in the
    # whole suite, xmessage once never showed its window though it did alone.
    keep = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    return {**keep, "DISPLAY": xvfb, "XDG_SESSION_TYPE": "x11"}


def _focus(title: str, env: dict[str, str], by: str = "--name") -> None:
    """No window manager runs under Xvfb, so focus the app's window ourselves as a click would. (Found by title or
    class: neither Tk nor xmessage sets _NET_WM_PID, which is exactly what the X-Resource lookup is for.)"""
    deadline = time.monotonic() + 60
    while True:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", by, f"^{title}$"], env=env,
                               capture_output=True, text=True)
        wids = found.stdout.split()
        if wids:
            break
        assert time.monotonic() < deadline, "window never appeared"
        time.sleep(0.05)
    subprocess.run(["xdotool", "windowfocus", "--sync", wids[-1]], env=env, check=True, timeout=5)


def _wait_for(source: X11Foreground, pid: int) -> Foreground | None:
    deadline = time.monotonic() + 60
    fg = None
    while time.monotonic() < deadline:
        fg = source.current()
        if fg is not None and fg.pid == pid:
            return fg
        time.sleep(0.05)
    return fg
