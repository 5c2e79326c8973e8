"""Mistakes a person makes at `sprout-agent run` / `status` are one clear line and exit code 2, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def agent(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "sprout-agent"), *args], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("option", ["--link", "--dns"])
def test_a_port_in_use_is_named_not_a_traceback(tmp_path: Path, option: str) -> None:
    with socket.socket() as taken, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken_udp:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        taken_udp.bind(("127.0.0.1", port))  # DNS takes both
        p = agent("run", "--user-mode", "--state", str(tmp_path / "s"), "--no-companion-socket", option,
                  f"127.0.0.1:{port}")
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr
    assert f"sprout-agent run: {option} 127.0.0.1:{port}: Address already in use" in p.stderr


def test_a_bad_dns_address_is_named(tmp_path: Path) -> None:
    # port 0 is allowed (the system picks one: tests/agent/service/test_web_filter_e2e.py), 99999 is not
    p = agent("run", "--user-mode", "--state", str(tmp_path / "s"), "--dns", "127.0.0.1:99999")
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "--dns '127.0.0.1:99999': port must be a number from 0 to 65535" in p.stderr


def test_status_of_a_user_mode_agent_needs_no_flag_and_reads_in_minutes(tmp_path: Path) -> None:
    from agent.assembly import open_store

    state = tmp_path / "kid"
    store, _ = open_store(state, file_fallback=True)  # as `run --user-mode` leaves it: a key file, no keyring
    store.kv_put("ledger", b'{"days": {"2026-12-06": {"screen_s": 915.095957357999964, "games_s": 0.0,'
                           b' "per_game_s": {}, "per_app_s": {"firefox": 915.09}}}}')
    store.close()
    p = agent("status", "--state", str(state))
    assert p.returncode == 0, p.stderr
    assert "2026-12-06  screen 15 min · games 0 s" in p.stdout and "firefox 15 min" in p.stdout
    assert "915.09" not in p.stdout


def test_status_where_there_is_no_agent(tmp_path: Path) -> None:
    p = agent("status", "--state", str(tmp_path))
    assert p.returncode == 2 and "no agent database here" in p.stderr and "Traceback" not in p.stderr


def test_status_gives_an_events_clock_time_in_the_zone_of_its_day(tmp_path: Path) -> None:
    """The days are the family's (the policy's zone, Hà Nội by default); so are the clock times beside them, even on a
    PC whose system clock is set to UTC (a fresh Ubuntu): 17:19 UTC is 00:19 the next day in Hà Nội."""
    import datetime as dt

    from agent.assembly import open_store

    state = tmp_path / "kid"
    store, _ = open_store(state, file_fallback=True)
    at = dt.datetime(2026, 12, 6, 17, 19, 3, tzinfo=dt.UTC).timestamp()
    store.add_event("web_block", {"domain": "pornhub.com"}, day="2026-12-07", at=at)
    store.close()
    p = subprocess.run([str(BIN / "sprout-agent"), "status", "--state", str(state)], capture_output=True, text=True,
                       timeout=60, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "TZ": "UTC"})
    assert p.returncode == 0, p.stderr
    assert "Recent events (Asia/Ho_Chi_Minh time):" in p.stdout
    assert "  2026-12-07 00:19:03  web_block  domain=pornhub.com" in p.stdout, p.stdout
