"""Relay benchmark on loopback: one real Mosquitto (TLS, one account per device, ACLs, as `sprout-relay setup`
makes it), many simulated agents and consoles, request → reply and child's request → console (push) latency, and
the broker's CPU and memory. Prints figures; asserts nothing.

    .venv/bin/python bench/relay.py [--pairs 200] [--shard 50] [--requests 10]

Each simulated agent is the real relay bridge over the real link service (LinkService, link.sqlite, an
EncryptedStore outbox); each console is the real relay client with its own family.sqlite. Every request is a v1
envelope in a v2 session (the handshake is part of each console's first request), sealed, counted and persisted as
in production. Pairs run in worker processes of `--shard` pairs each (paho's loop uses select(), which stops at
file descriptor 1024, and one process holds ~15 descriptors a pair); the broker is its own process, measured with
psutil. On a 2-core machine the Python clients, not the broker, are the ceiling.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.protocol.identity import IDENTITY_SECRET, Identity


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(p / 100 * len(s)))]


# ---- a worker: its share of agents and consoles ------------------------------------------------------------

def worker(spec_path: Path) -> int:
    from agent.link.backend import StoreBackend
    from agent.link.service import LinkService
    from agent.link.state import LinkState
    from agent.protocol import relay
    from agent.relay.bridge import RelayBridge
    from agent.store.db import EncryptedStore
    from app import relay_client
    from app.family import Family
    from app.keys import ConsoleVault
    from app.link_client import RELAY_HOST, DeviceLink

    spec = json.loads(spec_path.read_text())
    folder = spec_path.parent
    agents, families, bridges = [], [], []
    for n, pair in enumerate(spec["pairs"]):
        a_id, c_id = Identity(bytes.fromhex(pair["agent"]), "child-pc"), None
        state = LinkState(folder / f"a{n}" / "link.sqlite")
        store = EncryptedStore.open(folder / f"a{n}" / "agent.db", os.urandom(32))
        backend = StoreBackend(store, status_source=lambda: {"screen_s": 1234})
        service = LinkService(a_id, state, backend)
        ConsoleVault(folder / f"c{n}", use_keyring=False).put(IDENTITY_SECRET, bytes.fromhex(pair["console"]))
        fam = Family(folder / f"c{n}", name=f"parent{n}", use_keyring=False)
        c_id = fam.identity
        state.pin(c_id.public)  # pinned as pairing would (pairing is not what is measured)
        fam.add_device(a_id.public, RELAY_HOST)
        relay_client.save_settings(fam, relay.parse_bundle(pair["console_bundle"], "bundle"))
        bridges.append(RelayBridge(service, relay.parse_bundle(pair["agent_bundle"], "bundle"), backend).start())
        agents.append((a_id, store, backend))
        families.append(fam)
    deadline = time.monotonic() + 120
    while not all(b.client.is_connected() for b in bridges) and time.monotonic() < deadline:
        time.sleep(0.1)
    up = sum(b.client.is_connected() for b in bridges)
    print(json.dumps({"connected": up}), flush=True)
    sys.stdin.readline()  # the parent says go, so all workers measure at once

    latencies: list[float] = []
    first: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def console(i: int) -> None:
        link = DeviceLink(families[i], agents[i][0].device_id)
        for n in range(spec["requests"]):
            t = time.perf_counter()
            try:
                link.call("status", {})
            except Exception as exc:  # counted, not raised: the figures say how many failed
                with lock:
                    errors.append(type(exc).__name__ + ": " + str(exc)[:80])
                continue
            with lock:
                (first if n == 0 else latencies).append(time.perf_counter() - t)

    threads = [threading.Thread(target=console, args=(i,)) for i in range(len(families))]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0

    pushes: list[float] = []
    stamps: dict[int, float] = {}
    events = {i: threading.Event() for i in range(len(families))}
    for i, fam in enumerate(families):
        def heard(agent: str, items: Any, i: int = i) -> None:
            if items:
                pushes.append(time.perf_counter() - stamps[i])
                events[i].set()

        relay_client.for_family(fam).on_items.append(heard)
    for i, (_, store, backend) in enumerate(agents):
        stamps[i] = time.perf_counter()
        store.outbox_put("time_request", {"id": f"r{i}", "minutes": 30})
        backend.notify()
        bridges[i].notify()
    missed = sum(not ev.wait(max(0.0, 30 - (time.perf_counter() - stamps[i]))) for i, ev in events.items())
    print(json.dumps({"latencies": latencies, "first": first, "pushes": pushes, "missed": missed, "errors": errors,
                      "wall": wall}), flush=True)
    relay_client.close_all()
    for b in bridges:
        b.stop()
    return 0


# ---- the parent: broker, accounts, workers, figures -------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=int, default=200, help="agents, each with one console (default 200)")
    ap.add_argument("--shard", type=int, default=50, help="pairs per worker process (default 50)")
    ap.add_argument("--requests", type=int, default=10, help="status requests per console (default 10)")
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.worker)

    import psutil

    from tests.relay_broker import Broker

    tmp = Path(tempfile.mkdtemp(prefix="sprout-bench-relay-"))
    broker = Broker(tmp / "relay")
    secrets = [(Identity.new_secret(), Identity.new_secret()) for _ in range(args.pairs)]
    ids = [(Identity(a).device_id, Identity(c).device_id) for a, c in secrets]
    t0 = time.perf_counter()
    for i, (a, c) in enumerate(ids):  # one family each, as on a device maker's broker
        broker.add(f"f{i}", [a], [c])
    print(f"set-up: {args.pairs} families, {2 * args.pairs} accounts (sprout-relay setup) in "
          f"{time.perf_counter() - t0:.1f} s")
    broker.start()
    proc = psutil.Process(broker.proc.pid)
    rss_idle = proc.memory_info().rss
    workers = []
    t0 = time.perf_counter()
    for w, start in enumerate(range(0, args.pairs, args.shard)):
        folder = tmp / f"w{w}"
        folder.mkdir()
        pairs = [{"agent": secrets[i][0].hex(), "console": secrets[i][1].hex(),
                  "agent_bundle": json.loads((broker.folder / "bundles" / f"{ids[i][0]}.json").read_text()),
                  "console_bundle": json.loads((broker.folder / "bundles" / f"{ids[i][1]}.json").read_text())}
                 for i in range(start, min(args.pairs, start + args.shard))]
        (folder / "spec.json").write_text(json.dumps({"pairs": pairs, "requests": args.requests}))
        workers.append(subprocess.Popen([sys.executable, __file__, "--worker", str(folder / "spec.json")],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True))
    up = sum(json.loads(w.stdout.readline())["connected"] for w in workers)
    print(f"{up} of {args.pairs} agents connected (TLS) in {time.perf_counter() - t0:.1f} s, "
          f"{len(workers)} worker processes")
    rss_conn = proc.memory_info().rss
    cpu0 = proc.cpu_times()
    t0 = time.perf_counter()
    peak = [rss_conn]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], proc.memory_info().rss)

    threading.Thread(target=sample, daemon=True).start()
    for w in workers:
        w.stdin.write("go\n")
        w.stdin.flush()
    results = [json.loads(w.stdout.readline()) for w in workers]
    wall = time.perf_counter() - t0
    done.set()
    cpu1 = proc.cpu_times()
    for w in workers:
        w.wait(60)
    lat = [x for r in results for x in r["latencies"]]
    first = [x for r in results for x in r["first"]]
    pushes = [x for r in results for x in r["pushes"]]
    errors = [e for r in results for e in r["errors"]]
    busy = (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system)
    print(f"request → reply (v2 session, sealed v1 inside): {len(lat)} requests from {args.pairs} consoles at once; "
          f"p50 {1000 * statistics.median(lat):.1f} ms, p99 {1000 * pct(lat, 99):.1f} ms, max {1000 * max(lat):.0f} ms")
    print(f"first request of each console (connect + TLS + v2 handshake + request): "
          f"p50 {1000 * statistics.median(first):.0f} ms, p99 {1000 * pct(first, 99):.0f} ms")
    if pushes:
        print(f"child's request → console (push, all {args.pairs} at once): p50 {1000 * statistics.median(pushes):.1f}"
              f" ms, p99 {1000 * pct(pushes, 99):.1f} ms; missed {sum(r['missed'] for r in results)}")
    print(f"broker: CPU {busy:.2f} s in {wall:.1f} s of measuring ({100 * busy / wall:.0f}% of one core); RSS "
          f"{rss_idle / 2**20:.1f} MiB idle with {2 * args.pairs} accounts, {rss_conn / 2**20:.1f} MiB with "
          f"{2 * args.pairs} TLS connections, peak {peak[0] / 2**20:.1f} MiB")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    broker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
