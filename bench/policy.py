"""Policy and wire-payload checking speed: what a policy push and a parent's decision cost the agent before any
crypto or I/O. Prints figures; asserts nothing.

    .venv/bin/python bench/policy.py [--n 2000] [--repeat 5] [--tree PATH]

- load_policy_doc: parse a policy's JSON text, migrate, fill defaults, check every field (the age 12 preset with
  the Vietnam rule, ~1.3 KB; and the same with 2,000 blocked sites and 500 per-app limits, a large family's file)
- validate: only the check, on the complete document
- Policy.from_doc: the ledger's typed view
- a refused policy: 40 mistakes found and worded
- outbox_args / a decision payload's fields (the link's per-request checks)

Each figure is µs per call, the median of --repeat runs of --n calls, as wall time (perf_counter) and as this
process's CPU time (process_time): on a loaded machine the CPU figure is the one to compare. --tree runs the same
calls on another checkout (e.g. `git archive <commit> | tar -x -C /tmp/before`) so before and after are measured
by one script on one machine.
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

HERE = Path(__file__).resolve().parent.parent


def per_call_us(fn: Callable[[], object], n: int, repeat: int) -> tuple[float, float]:
    """(wall µs, CPU µs) per call, each the median over `repeat` runs of `n` calls."""
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(n):
            fn()
        cpus.append((time.process_time() - c0) / n * 1e6)
        walls.append((time.perf_counter() - w0) / n * 1e6)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--tree", type=Path, default=HERE, help="the checkout whose agent/ is measured (default: this one)")
    args = ap.parse_args()
    sys.path.insert(0, str(args.tree.resolve()))

    from agent.policy import Policy, load_policy_doc, preset, validate
    from agent.protocol import messages

    assert Path(sys.modules["agent"].__file__).resolve().parent.parent == args.tree.resolve()  # type: ignore[arg-type]
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
        ("load_policy_doc, preset", per_call_us(lambda: load_policy_doc(text), args.n, args.repeat)),
        ("load_policy_doc, large file", per_call_us(lambda: load_policy_doc(big_text), small, args.repeat)),
        ("validate, preset", per_call_us(lambda: validate(doc), args.n, args.repeat)),
        ("Policy.from_doc", per_call_us(lambda: Policy.from_doc(doc), args.n, args.repeat)),
        ("validate, 40 mistakes", per_call_us(lambda: validate(bad), args.n, args.repeat)),
        ("outbox_args", per_call_us(lambda: messages.outbox_args({"cursor": 5, "limit": 100, "wait_s": 20}),
                                    args.n * 10, args.repeat)),
    ]
    if hasattr(messages, "TimeDecision"):  # the typed payloads (issue 15)
        figures.append(("decision fields", per_call_us(
            lambda: messages._typed(messages.TimeDecision, decision, "decision"), args.n * 10, args.repeat)))
    assert len(validate(bad)) == 40
    print(f"policy benchmark: {args.tree.resolve()}, python {sys.version.split()[0]}, µs per call, "
          f"median of {args.repeat} runs")
    print(f"{'call':32}{'wall µs':>10}{'CPU µs':>10}")
    for title, (wall, cpu) in figures:
        print(f"{title:32}{wall:>10.2f}{cpu:>10.2f}")


if __name__ == "__main__":
    main()
