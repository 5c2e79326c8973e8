"""A network namespace for browser tests (`netns`, when `_netns_ok()`: root and ip), and headless Chromium (`CHROMIUM`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _netns_ok() -> bool:
    if os.geteuid() != 0 or shutil.which("ip") is None:
        return False
    probe = f"sproutprobe{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True).returncode == 0
    if not made:
        return False
    # `ip netns exec` also needs / to be a mount point it can make a slave (not so in a plain chroot).
    works = subprocess.run(["ip", "netns", "exec", probe, "true"], capture_output=True).returncode == 0
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return works


@pytest.fixture
def netns(tmp_path: Path) -> Iterator[str]:
    name = f"sprout{os.getpid()}"
    etc = Path("/etc/netns") / name
    etc.mkdir(parents=True, exist_ok=True)
    (etc / "resolv.conf").write_text("nameserver 127.0.0.1\noptions timeout:2 attempts:2\n")
    (etc / "hosts").write_text("127.0.0.1 localhost\n::1 localhost\n")
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        subprocess.run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True)
        shutil.rmtree(etc, ignore_errors=True)
