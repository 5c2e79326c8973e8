"""Link benchmark on loopback: round-trip time and messages/s for policy push and report fetch, and the time from
a child's time request to its arrival at a long-polling console. Prints figures; asserts nothing.

    .venv/bin/python bench/link.py [--n 300]

Runs the real link endpoint (ThreadingHTTPServer) over a StoreBackend in this process and the real console
client (requests) against it on 127.0.0.1; every message is sealed, counted and persisted as in production.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.link.backend import StoreBackend
from agent.link.handler import LinkService
from agent.link.server import LinkServer
from agent.link.state import LinkState
from agent.policy import preset
from agent.protocol.identity import Identity
from app.family import Family
from app.link_client import DeviceLink, pair


def open_store(path: Path):
    from agent.store.db import EncryptedStore

    return EncryptedStore.open(path, os.urandom(32)), "agent.store EncryptedStore (AEAD rows)"


def pct(values: list[float], p: float) -> float:
    return sorted(values)[min(len(values) - 1, int(p * len(values)))]


def report(name: str, times: list[float]) -> None:
    total = sum(times)
    print(f"{name:<34} n={len(times):<5} median {statistics.median(times) * 1000:7.2f} ms   "
          f"p95 {pct(times, 0.95) * 1000:7.2f} ms   {len(times) / total:8.1f} msg/s")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sprout-bench-link-"))
    store, store_kind = open_store(tmp / "agent.db")
    backend = StoreBackend(store)
    state = LinkState(tmp / "link.sqlite")
    server = LinkServer(LinkService(Identity.generate("bench-pc"), state, backend)).start()
    host = "{}:{}".format(*server.address)
    fam = Family(tmp / "console", name="bench", use_keyring=False)
    t0 = time.perf_counter()
    agent = pair(fam, host, state.open_pairing()[0])
    print(f"store: {store_kind}; python {sys.version.split()[0]}")
    print(f"pairing (SPAKE2 + confirm + key exchange): {(time.perf_counter() - t0) * 1000:.1f} ms")
    link = DeviceLink(fam, agent.device_id)

    doc = preset(age=10, extra=["vn-decree-147"])
    times = []
    for i in range(args.n):
        doc["version"] = i + 1
        t = time.perf_counter()
        link.push_policy(doc)
        times.append(time.perf_counter() - t)
    report("policy push (sign+seal+verify+apply)", times)

    times = []
    for _ in range(args.n):
        t = time.perf_counter()
        link.call("status", {})
        times.append(time.perf_counter() - t)
    report("status round trip", times)

    for i in range(args.n * 10):
        store.outbox_put("alert", {"kind": "blocked_site", "host": f"site{i}.example", "day": "2026-11-29"})
    per_page = 100
    t = time.perf_counter()
    got = link.fetch(limit=per_page)  # follows pages until a short one
    took = time.perf_counter() - t
    print(f"report fetch (backlog): {len(got)} items in {took * 1000:.1f} ms "
          f"({len(got) / took:.0f} items/s, pages of {per_page}, stored sealed on the console)")
    times = []
    for _ in range(args.n):
        store.outbox_put("alert", {"kind": "blocked_site", "host": "x.example", "day": "2026-11-29"})
        t = time.perf_counter()
        link.fetch(limit=per_page)
        times.append(time.perf_counter() - t)
    report("report fetch (1 new item)", times)

    rng = random.Random(7)

    def arrival(i: int, notify: bool) -> float:
        got_at: list[float] = []
        th = threading.Thread(target=lambda: (link.fetch(wait_s=5), got_at.append(time.perf_counter())))
        th.start()
        time.sleep(0.2 + rng.random() * 0.1)  # random phase against the store polling
        t = time.perf_counter()
        store.outbox_put("time_request", {"id": f"b{i}", "minutes": 15})
        if notify:
            backend.notify()  # what the service does after writing the outbox
        th.join()
        return got_at[0] - t

    for notify in (True, False):
        delays = [arrival(i, notify) for i in range(20)]
        how = "woken by notify()" if notify else f"store polled every {StoreBackend.POLL_S * 1000:.0f} ms"
        print(f"time request -> console (long-poll, {how}): median {statistics.median(delays) * 1000:.1f} ms, "
              f"max {max(delays) * 1000:.1f} ms")
    server.stop()
    fam.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
