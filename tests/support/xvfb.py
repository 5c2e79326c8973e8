"""A private X server for a test: Xvfb picks its own display number (-displayfd), so two suites (or anything else
on this machine) never race for one, and a test never talks to a server it did not start."""

from __future__ import annotations

import os
import subprocess
import time

import pytest


def start_xvfb(size: str = "640x480x24", wait_s: float = 60) -> tuple[subprocess.Popen, str]:
    """Start Xvfb; return it and its display (":N"). Skips the test if Xvfb cannot start."""
    r, w = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", size, "-nolisten", "tcp"],
                              pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    number = b""
    deadline = time.monotonic() + wait_s  # a busy machine may take a while; it ends as soon as Xvfb says
    with os.fdopen(r, "rb") as f:
        while not number.endswith(b"\n") and time.monotonic() < deadline:
            ch = f.read(1)
            if not ch:
                break
            number += ch
    if not number.strip().isdigit():
        server.kill()
        server.wait(5)
        pytest.skip("Xvfb did not start")
    return server, f":{number.strip().decode()}"
