"""Per-tick CPU of the process sources with 300 extra processes alive (proposed bench/os_snapshot.py).

Run: .venv/bin/python bench/os_snapshot.py
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.catalog import Catalog
from agent.os.processes import PsutilProcessSource
from agent.os.procfs import ProcfsProcessSource

EXTRA = 300
TICKS = 50


def per_tick_ms(source: object) -> tuple[int, float]:
    source.snapshot()  # type: ignore[attr-defined]
    start = time.process_time()
    for _ in range(TICKS):
        snap = source.snapshot()  # type: ignore[attr-defined]
    return len(snap), 1000 * (time.process_time() - start) / TICKS


def main() -> None:
    t = time.perf_counter()
    catalog = Catalog.load()
    print(f"catalog: {len(catalog)} entries, load+validate {1000 * (time.perf_counter() - t):.1f} ms")
    extra = [subprocess.Popen(["sleep", "300"]) for _ in range(EXTRA)]
    try:
        time.sleep(2.5)
        for label, source in [("psutil", PsutilProcessSource()),
                              ("procfs steady (all older than young_s)", ProcfsProcessSource(young_s=2.0)),
                              ("procfs all young", ProcfsProcessSource(young_s=600.0))]:
            n, ms = per_tick_ms(source)
            print(f"{label}: {n} processes, {ms:.2f} ms CPU per snapshot = {ms / 10:.2f} % of a core at 1 Hz")
        snap = ProcfsProcessSource().snapshot()
        t = time.perf_counter()
        for p in snap:
            catalog.classify(p.name, path=p.exe, parent_names=[p.parent_name or ""])
        print(f"classify {len(snap)} processes uncached: {1000 * (time.perf_counter() - t):.2f} ms")
        print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB")
    finally:
        for p in extra:
            p.kill()
        for p in extra:
            p.wait()


if __name__ == "__main__":
    main()
