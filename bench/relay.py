"""Relay benchmark on loopback: one real Mosquitto (TLS, one account per device, ACLs, as `sprout-relay setup`
makes it), many simulated agents and consoles, request → reply and child's request → console (push) latency, and
the broker's CPU and memory. Prints figures; asserts nothing.

    .venv/bin/python bench/relay.py [--pairs 100] [--requests 20]

Each simulated agent is the real relay bridge over the real link service (LinkService, link.sqlite, an
EncryptedStore outbox); each console is the real relay client with its own family.sqlite. Every request is a v1
envelope in a v2 session (handshake included in the first request), sealed, counted and persisted as in production.
All of them live in this one Python process (the GIL, not the broker, is the ceiling on a 2-core machine); the broker
is its own process, measured with psutil.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil

from agent.link.backend import StoreBackend
from agent.link.service import LinkService
from agent.link.state import LinkState
from agent.protocol.identity import Identity
from agent.relay.bridge import RelayBridge
from app import relay_client
from app.family import Family
from app.link_client import RELAY_HOST, DeviceLink
from tests.relay_broker import Broker


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(p / 100 * len(s)))]


class SimAgent:
    def __init__(self, folder: Path, broker: Broker) -> None:
        from agent.store.db import EncryptedStore

        folder.mkdir(parents=True)
        self.identity = Identity.generate("child-pc")
        self.state = LinkState(folder / "link.sqlite")
        self.store = EncryptedStore.open(folder / "agent.db", os.urandom(32))
        self.backend = StoreBackend(self.store, status_source=lambda: {"screen_s": 1234})
        self.service = LinkService(self.identity, self.state, self.backend)
        self.broker = broker
        self.bridge: RelayBridge | None = None

    def start(self) -> None:
        self.bridge = RelayBridge(self.service, self.broker.bundle(self.identity.device_id), self.backend).start()

    def stop(self) -> None:
        if self.bridge is not None:
            self.bridge.stop()
        self.state.close()
        self.store.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=int, default=100, help="agents, each with one console (default 100)")
    ap.add_argument("--requests", type=int, default=20, help="status requests per console (default 20)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sprout-bench-relay-"))
    broker = Broker(tmp / "relay")
    agents = [SimAgent(tmp / f"a{i}", broker) for i in range(args.pairs)]
    families = [Family(tmp / f"c{i}", name=f"parent{i}", use_keyring=False) for i in range(args.pairs)]
    t0 = time.perf_counter()
    for i, (a, f) in enumerate(zip(agents, families, strict=True)):  # one family each, as on a maker's broker
        broker.add(f"f{i}", [a.identity.device_id], [f.identity.device_id])
        a.state.pin(f.identity.public)  # pinned as pairing would (pairing is not what is measured)
        f.add_device(a.identity.public, RELAY_HOST)
    print(f"set-up: {args.pairs} families, {2 * args.pairs} accounts in {time.perf_counter() - t0:.1f} s")
    broker.start()
    proc = psutil.Process(broker.proc.pid)
    rss_idle = proc.memory_info().rss
    for f in families:
        relay_client.save_settings(f, broker.bundle(f.identity.device_id))
    t0 = time.perf_counter()
    for a in agents:
        a.start()
    deadline = time.monotonic() + 120
    while not all(a.bridge.client is not None and a.bridge.client.is_connected() for a in agents):
        if time.monotonic() > deadline:
            print("agents did not all connect", file=sys.stderr)
            return 1
        time.sleep(0.1)
    print(f"{args.pairs} agents connected (TLS) in {time.perf_counter() - t0:.1f} s")

    latencies: list[float] = []
    first: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    cpu0 = proc.cpu_times()
    wall0 = time.perf_counter()

    def console(i: int) -> None:
        link = DeviceLink(families[i], agents[i].identity.device_id)
        for n in range(args.requests):
            t = time.perf_counter()
            try:
                link.call("status", {})
            except Exception as exc:  # counted, not raised: the figures say how many failed
                with lock:
                    errors.append(type(exc).__name__ + ": " + str(exc)[:80])
                continue
            with lock:
                (first if n == 0 else latencies).append(time.perf_counter() - t)

    threads = [threading.Thread(target=console, args=(i,)) for i in range(args.pairs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall0
    cpu1 = proc.cpu_times()
    rss_busy = proc.memory_info().rss

    # the child asks: the agent writes an outbox item, the console (listening, with a session) hears the push
    pushes: list[float] = []
    events: dict[int, threading.Event] = {}
    stamps: dict[int, float] = {}
    for i, f in enumerate(families):
        conn = relay_client.for_family(f)
        ev = events[i] = threading.Event()

        def heard(agent: str, items: Any, i: int = i, ev: threading.Event = ev) -> None:
            if items:
                pushes.append(time.perf_counter() - stamps[i])
                ev.set()

        conn.on_items.append(heard)
    for i, a in enumerate(agents):
        stamps[i] = time.perf_counter()
        a.store.outbox_put("time_request", {"id": f"r{i}", "minutes": 30})
        a.backend.notify()
        a.bridge.notify()
    missed = sum(not ev.wait(max(0.0, 30 - (time.perf_counter() - stamps[i]))) for i, ev in events.items())

    n = len(latencies)
    busy = (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system)
    print(f"request → reply (v2 session, sealed v1 inside): {n} requests from {args.pairs} consoles at once in "
          f"{wall:.1f} s = {n / wall:.0f}/s; p50 {1000 * statistics.median(latencies):.1f} ms, "
          f"p99 {1000 * pct(latencies, 99):.1f} ms, max {1000 * max(latencies):.1f} ms")
    print(f"first request of each console (connect + TLS + v2 handshake + request): "
          f"p50 {1000 * statistics.median(first):.0f} ms, p99 {1000 * pct(first, 99):.0f} ms")
    if pushes:
        print(f"child's request → console (push, all {args.pairs} at once): p50 {1000 * statistics.median(pushes):.1f}"
              f" ms, p99 {1000 * pct(pushes, 99):.1f} ms; missed {missed}")
    print(f"broker: CPU {busy:.2f} s over {wall:.1f} s ({100 * busy / wall:.0f}% of one core); RSS idle "
          f"{rss_idle / 2**20:.1f} MiB with {args.pairs} accounts, {rss_busy / 2**20:.1f} MiB with "
          f"{2 * args.pairs} TLS connections")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    relay_client.close_all()
    for a in agents:
        a.stop()
    for f in families:
        f.close()
    broker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
