"""A real browser resolving through the filter: headless Chromium in a network namespace whose
/etc/netns/<ns>/resolv.conf points at the filter on 127.0.0.1:53 inside it, with the block page on port 80.

The namespace has only its own loopback, so nothing can leave the machine; the stub upstream runs inside it
too. `ip netns exec` bind-mounts /etc/netns/<ns>/resolv.conf over /etc/resolv.conf for Chromium only, so the
browser's own resolver really asks our filter. Set SPROUT_SCREENSHOTS=1 to refresh
docs/screenshots/web-block-page.png from this run.

Skips when not root, or when `ip netns` or Chromium is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.netns import CHROMIUM, _netns_ok
from tests.support.netns import netns as netns  # a fixture

ROOT = Path(__file__).resolve().parents[3]
BLOCKED_URL = "http://www.bet365.com/promo?ref=kid"


pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(not _netns_ok(), reason="needs root and a working `ip netns` (add and exec; a plain chroot has no / mount) to give Chromium its own resolver"),
]


def _start(netns: str, argv: list[str], ready: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(["ip", "netns", "exec", netns, *argv], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    stream = proc.stderr if "listening" in ready else proc.stdout
    assert stream is not None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = stream.readline()
        if ready in line:
            return proc
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError(f"{argv[2:4]} did not start: {proc.communicate()[1][-2000:]}")


def _chromium(netns: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        ["ip", "netns", "exec", netns, CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-features=HttpsUpgrades", f"--user-data-dir={profile}", "--lang=vi", *extra, BLOCKED_URL],
        capture_output=True, text=True, timeout=90)


def test_chromium_shows_the_block_page_through_the_filter(netns: str, tmp_path: Path) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"schema": 2, "version": 1, "web": {"blocked_categories": ["gambling", "adult"]}}))
    stub = _start(netns, [sys.executable, "tests/support/dns_stub.py", "--listen", "127.0.0.1:5300"],
                  "stub upstream on")
    dns_filter = _start(netns, [sys.executable, "-m", "agent.cli", "dns", "--listen", "127.0.0.1:53",
                                "--upstream", "127.0.0.1:5300", "--blockpage", "127.0.0.1:80",
                                "--policy", str(policy)], "listening")
    try:
        dom = _chromium(netns, tmp_path / "profile1", "--dump-dom")
        assert "www.bet365.com" in dom.stdout, dom.stderr[-3000:]
        assert "111" in dom.stdout and "Cờ bạc" in dom.stdout and "Gambling" in dom.stdout
        shot = tmp_path / "web-block-page.png"
        _chromium(netns, tmp_path / "profile2", f"--screenshot={shot}", "--window-size=1000,700",
                  "--hide-scrollbars")
        assert shot.exists() and shot.stat().st_size > 20_000  # a rendered page, not a blank frame
        if os.environ.get("SPROUT_SCREENSHOTS") == "1":
            target = ROOT / "docs" / "screenshots" / "web-block-page.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, target)
    finally:
        for proc in (dns_filter, stub):
            proc.terminate()
        out = dns_filter.communicate(timeout=10)[0]
        stub.communicate(timeout=10)
    lines = [line.split("\t")[1:] for line in out.splitlines()]
    # Chromium's own resolver asked our filter, got the block address, and fetched the page from it
    assert ["block", "www.bet365.com", "gambling", "list", "A"] in lines
    assert ["page", "www.bet365.com"] in lines
