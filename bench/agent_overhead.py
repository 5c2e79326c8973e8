"""CPU and memory of the real agent loop: `sprout-agent run --user-mode` for 60 s with 300 extra processes alive.

Prints CPU % of one core (user+system over the run) and peak RSS (VmHWM). Target: ≤ 1 % CPU, ≤ 80 MB RSS.

    .venv/bin/python bench/agent_overhead.py [--seconds 60] [--processes 300]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--processes", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        sleeper = tmpd / "Minecraft.exe"
        shutil.copy(shutil.which("sleep"), sleeper)
        extra = [subprocess.Popen([str(sleeper if i == 0 else shutil.which("sleep")), "3600"])
                 for i in range(args.processes)]
        policy = tmpd / "policy.json"
        policy.write_text(json.dumps({"version": 2, "games": {"daily_minutes": 600}}))
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        agent = subprocess.Popen([sys.executable, "-m", "agent.cli", "run", "--user-mode", "--state", str(tmpd / "s"),
                                  "--policy", str(policy), "--no-companion-socket"], env=env,
                                 stderr=subprocess.DEVNULL)
        try:
            proc = psutil.Process(agent.pid)
            time.sleep(3)  # start-up (imports, catalog, key, database) is not the steady state
            t0 = proc.cpu_times()
            w0 = time.monotonic()
            time.sleep(args.seconds)
            t1 = proc.cpu_times()
            wall = time.monotonic() - w0
            hwm = 0
            for line in Path(f"/proc/{agent.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) * 1024
            rss = proc.memory_info().rss
        finally:
            agent.send_signal(signal.SIGTERM)
            agent.wait(10)
            for p in extra:
                p.kill()
                p.wait()
    cpu = (t1.user - t0.user + t1.system - t0.system) / wall * 100
    print(f"processes alive:   {args.processes} extra (+ the system's)")
    print(f"run:               {wall:.1f} s of the real 1 s loop")
    print(f"CPU:               {cpu:.2f} % of one core (target <= 1 %)")
    print(f"RSS now / peak:    {rss / 2**20:.1f} MB / {hwm / 2**20:.1f} MB (target <= 80 MB)")


if __name__ == "__main__":
    main()
