"""Running the service core on real processes: a copy of /bin/sleep stands in for a program (`SLEEP`), and
`run_until` ticks the core until its decisions show what a test waits for."""

from __future__ import annotations

import shutil
import time

SLEEP = shutil.which("sleep")


def run_until(core, predicate, timeout: float, tick: float = 0.05) -> list:
    decisions = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        decisions += core.tick()
        if predicate(decisions):
            return decisions
        time.sleep(tick)
    raise AssertionError(f"not reached in {timeout} s; decisions: {[(d.kind, d.target) for d in decisions][-10:]}")
