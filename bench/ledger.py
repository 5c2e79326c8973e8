"""How many simulated 1-second ticks per second the ledger handles, over a 30-day simulation.

Each simulated day: 07:00–07:30 desktop, 15:00–16:30 a game, 16:30–17:00 idle, 19:00–21:00 browser, asleep
overnight (no ticks). Policy: the 11–13 age preset plus the Vietnam game rule, so warnings, closes and locks fire.

    .venv/bin/python bench/ledger.py [--days 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.ledger import AppRef, Ledger, Sample, SimulatedClock
from agent.policy import Policy, preset


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=30)
    args = ap.parse_args()
    policy = Policy.from_doc(preset(12, ["vn-decree-147"]))
    game = AppRef("minecraft", "game", "minecraft")
    browser = AppRef("firefox", "browser", "firefox")
    start = dt.datetime(2026, 12, 1, 7, 0, tzinfo=policy.timezone)
    clock = SimulatedClock(start.timestamp())
    ledger = Ledger(policy)
    ledger.resume(clock.now())
    plan = [(1800, None, False), (8 * 3600 - 1800, "sleep", False), (5400, game, False), (1800, game, True),
            (2 * 3600, "sleep", False), (2 * 3600, browser, False)]
    ticks = decisions = 0
    t0 = time.perf_counter()
    for _ in range(args.days):
        used = 0
        for seconds, what, idle in plan:
            used += seconds
            if what == "sleep":
                clock.sleep(seconds)
                continue
            running = (what,) if what is not None else ()
            for _ in range(seconds):
                clock.advance(1)
                decisions += len(ledger.observe(Sample(clock.now(), what, running, idle)))
                ticks += 1
        clock.sleep(86400 - used)
    elapsed = time.perf_counter() - t0
    print(f"days simulated:        {args.days}")
    print(f"ticks (1 s each):      {ticks:,}")
    print(f"decisions:             {decisions:,}")
    print(f"wall time:             {elapsed:.2f} s")
    print(f"ticks per second:      {ticks / elapsed:,.0f}")
    print(f"speed-up vs real time: {ticks / elapsed:,.0f}x (the agent needs 1 tick/s)")


if __name__ == "__main__":
    main()
