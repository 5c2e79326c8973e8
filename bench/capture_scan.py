"""What the camera/microphone watch (agent/os/capture_linux.py) costs the agent on Linux: a quiet look (inotify says
no device was opened: a glob of the device folder) against a full /proc scan (after an open), over this machine's
processes. A device folder of its own with one "camera" file, so it runs on a machine without a camera.

    .venv/bin/python bench/capture_scan.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.os.capture_linux import ProcCaptureScan


def per_call_ms(fn, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1000


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "video0").write_bytes(b"")
        scan = ProcCaptureScan(child_uid=None, device_root=root)
        scan.in_use()  # the first look scans and starts watching
        quiet = per_call_ms(scan.in_use, 500)
        full = per_call_ms(scan.scan, 20)
    procs = sum(1 for e in os.scandir("/proc") if e.name.isdigit())
    fds = sum(len(os.listdir(f"/proc/{p}/fd")) for p in os.listdir("/proc") if p.isdigit()
              and os.path.isdir(f"/proc/{p}/fd") and os.access(f"/proc/{p}/fd", os.R_OK))
    every = 3.0
    print(f"processes {procs}, open descriptors {fds}")
    print(f"quiet look {quiet:.3f} ms ({quiet / every / 10:.4f} % of a core at one look every {every:g} s)")
    print(f"full /proc scan {full:.1f} ms (only after a camera or microphone was opened)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
