"""Policy and wire-payload checking speed: what a policy push and a parent's decision cost the agent before any
crypto or I/O. Prints figures; asserts nothing.

    .venv/bin/python bench/policy.py [--n 2000] [--repeat 5]

- load_policy_doc: parse a policy's JSON text, migrate, fill defaults, check every field (the age 12 preset with
  the Vietnam rule, ~1.3 KB; and the same with 2,000 blocked sites and 500 per-app limits, a large family's file)
- validate: only the check, on the complete document
- Policy.from_doc: the ledger's typed view
- a refused policy: 40 mistakes found and worded
- outbox_args / a decision payload's fields (the link's per-request checks)
Each figure is the median of --repeat runs of --n calls.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.policy import Policy, load_policy_doc, preset, validate
from agent.protocol import messages


def rate(fn: Callable[[], object], n: int, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        runs.append(n / (time.perf_counter() - t0))
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    doc = preset(12, ["vn-decree-147"], child_name="Minh Anh")
    text = json.dumps(doc)
    big = copy.deepcopy(doc)
    big["web"]["deny"] = [f"site{i}.example.com" for i in range(2000)]
    big["apps"]["limits"] = {f"app{i}": 30 for i in range(500)}
    big_text = json.dumps(big)
    bad = copy.deepcopy(doc)
    bad["web"]["deny"] = [f"Bad Site {i}" for i in range(20)]
    bad["apps"]["limits"] = {f"App{i}.exe": 99999 for i in range(10)}
    decision = {"request_id": "r-123", "approve": True, "minutes": 30, "message": "ok", "device": "x"}
    small = max(1, args.n // 20)
    figures = [
        ("load_policy_doc, preset (docs/s)", rate(lambda: load_policy_doc(text), args.n, args.repeat)),
        ("load_policy_doc, large file (docs/s)", rate(lambda: load_policy_doc(big_text), small, args.repeat)),
        ("validate, preset (docs/s)", rate(lambda: validate(doc), args.n, args.repeat)),
        ("Policy.from_doc (docs/s)", rate(lambda: Policy.from_doc(doc), args.n, args.repeat)),
        ("validate, 40 mistakes (docs/s)", rate(lambda: validate(bad), args.n, args.repeat)),
        ("outbox_args (payloads/s)", rate(lambda: messages.outbox_args({"cursor": 5, "limit": 100, "wait_s": 20}),
                                          args.n * 10, args.repeat)),
    ]
    if hasattr(messages, "TimeDecision"):  # the typed payloads (issue 15)
        figures.append(("decision fields (payloads/s)", rate(lambda: messages._typed(messages.TimeDecision, decision,
                                                                                      "decision"),
                                                             args.n * 10, args.repeat)))
    assert len(validate(bad)) == 40
    print(f"policy benchmark: python {sys.version.split()[0]}, median of {args.repeat} runs")
    for title, value in figures:
        print(f"{title:40}{value:>12,.0f}")


if __name__ == "__main__":
    main()
