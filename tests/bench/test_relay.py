"""bench/relay.py stays runnable and honest at a tiny size: both modes against a real Mosquitto, every request
answered, every child's request heard by its phone exactly once (the figures themselves are in docs/benchmarks.md)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.relay_broker import MOSQUITTO

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(MOSQUITTO is None, reason="mosquitto is not installed (scripts/debian-packages.txt)")


@pytest.mark.parametrize("mode", ["sim", "product"])
def test_the_relay_bench_runs_and_misses_nothing(mode: str) -> None:
    p = subprocess.run([sys.executable, str(ROOT / "bench" / "relay.py"), "--mode", mode, "--pairs", "3", "--shard",
                        "2", "--requests", "2", "--waves", "2", "--spread", "0.5"], capture_output=True, text=True,
                       timeout=240, cwd=ROOT)
    assert p.returncode == 0, p.stdout + p.stderr
    out = p.stdout
    assert "3 of 3 agents connected" in out, out
    assert re.search(r"request → reply .*: 3 requests from 3 phones", out), out
    assert "missed 0" in out and "errors: 0" in out, out
    if mode == "sim":
        assert "duplicates 0" in out and "6 = 3 children" in out, out
        assert re.search(r"of which: sealing \+ sending at the simulated PC p50 [\d.]+ ms.*then broker", out), out
