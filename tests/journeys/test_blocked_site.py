"""Journey: the child opens a blocked site in a real browser, and the PC itself answers with the kind page.

The assembled product, as installed: `sprout-agent run` (the agent, not the standalone `dns` command) is the only
resolver Chromium has, in a network namespace of the test's own, with its block page on port 80 where blocked
names point. Chromium gets the page (which site, which category, in Vietnamese and English, hotline 111, the "ask
my parents" button) and the parent's side gets the block as an event. Before, the agent answered blocked names
with an address where nothing listened: "This site can't be reached".
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

from tests.support.journeys import shot_dir
from tests.support.netns import CHROMIUM, _netns_ok, netns  # noqa: F401 - netns is a fixture used below

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
URL = "http://tinder.com/match?from=school"

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(not _netns_ok(), reason="needs root and a working `ip netns` to give Chromium its own resolver"),
]


def _in_ns(ns: str, *argv: str) -> list[str]:
    return ["ip", "netns", "exec", ns, *argv]


def _chromium(ns: str, profile: Path, lang: str, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        _in_ns(ns, CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-features=HttpsUpgrades", f"--user-data-dir={profile}", f"--lang={lang}", *extra, URL),
        capture_output=True, text=True, timeout=180)


def test_a_blocked_site_in_chromium_shows_the_agents_kind_page(netns: str, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    stub = subprocess.Popen(_in_ns(netns, sys.executable, "tests/support/dns_stub.py", "--listen",
                                   "127.0.0.1:5300"), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    state = tmp_path / "agent"
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"schema": 2, "version": 2, "web": {"blocked_categories": ["dating", "adult"]}}))
    log = open(tmp_path / "agent.log", "w")  # noqa: SIM115 - the agent writes to it for the whole test
    agent = subprocess.Popen(_in_ns(netns, str(BIN / "sprout-agent"), "run", "--user-mode", "--state", str(state),
                                    "--dns", "127.0.0.1:53", "--upstream", "127.0.0.1:5300", "--blockpage",
                                    "127.0.0.1:80", "--policy", str(policy), "--no-companion-socket", "--lang", "vi"),
                             cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while not (state / "blockpage.address").exists():
            assert agent.poll() is None and time.monotonic() < deadline, (tmp_path / "agent.log").read_text()
            time.sleep(0.2)
        assert (state / "blockpage.address").read_text().strip() == "127.0.0.1:80"

        dom = _chromium(netns, tmp_path / "profile-dom", "vi", "--dump-dom")
        page = dom.stdout
        assert "tinder.com" in page, dom.stderr[-3000:]
        assert "Hẹn hò" in page and "Dating" in page  # which kind of site, in both languages
        assert "111" in page and "Xin bố mẹ mở trang này" in page and "Ask my parents to open it" in page
        assert "can't be reached" not in page and "ERR_" not in page

        folder = shot_dir(tmp_path)
        for lang in ("vi", "en"):
            shot = folder / f"blocked-site-1-chromium-{lang}.png"
            _chromium(netns, tmp_path / f"profile-{lang}", lang, f"--screenshot={shot}", "--window-size=1000,760",
                      "--hide-scrollbars")
            assert shot.exists() and shot.stat().st_size > 20_000  # a rendered page, not a blank frame
    finally:
        agent.terminate()
        stub.terminate()
        agent.wait(20)
        stub.wait(10)
        log.close()

    # What the parent's side will see: the block was recorded by the agent (the site and its category).
    from agent.assembly import open_store

    store, _vault = open_store(state, file_fallback=True, create=False)
    try:
        blocks = [e.payload for e in store.events() if e.kind == "web_block"]
    finally:
        store.close()
    assert any(b.get("domain") == "tinder.com" and b.get("category") == "dating" for b in blocks), blocks
    shutil.rmtree(tmp_path / "profile-dom", ignore_errors=True)
