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
import heapq
import json
import os
import socket
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


# ---- a product worker: its share of real bridges and real relay clients (threads; up to a few hundred) ------------------------------------------------------------

def product_worker(spec_path: Path) -> int:
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


# ---- a scale worker: thousands of agents and phones on one selector loop ----------------------------------------
# Each simulated agent and phone is a real MQTT v5 client (paho-mqtt, TLS against the family CA, its own account,
# the ACLs of `sprout-relay setup`) speaking the real relay protocol: a v2 session handshake (agent.protocol.session),
# v1 envelopes inside (agent.protocol.envelope) with counters checked on every lane. What is left out is what does
# not touch the broker: SQLite, the link service's policy work. paho runs on an external event loop (its socket
# callbacks + loop_read/loop_write/loop_misc on one epoll selector), so one process holds a thousand clients with
# one thread; file descriptors are not limited to select()'s 1024.

class SimPair:
    """One child's PC and the parent's phone linked to it, both ends of their sealed traffic."""

    def __init__(self, n: int, agent: Any, phone: Any) -> None:
        from agent.protocol import session as v2
        from agent.protocol.envelope import Channel

        self.n, self.agent, self.phone = n, agent, phone
        self.a_id, self.p_id = agent.device_id, phone.device_id
        self.agent_chan, self.phone_chan = Channel(agent, phone.public), Channel(phone, agent.public)
        self.sessions = v2.AgentSessions(agent, lambda who: phone.public if who == self.p_id else None)
        self.handshake: Any = None
        self.session: Any = None
        self.agent_recv = {0: 0, 1: 0, 2: 0}  # last counter accepted per lane, as link state keeps them
        self.agent_send = {0: 0, 1: 0, 2: 0}
        self.phone_recv = {0: 0, 1: 0, 2: 0}
        self.phone_send = 0
        self.sent_at = 0.0
        self.next_at = 0.0
        self.requests_left = 0
        self.latencies: list[float] = []
        self.first: float | None = None
        self.handshake_started = 0.0
        self.pushed: dict[int, float] = {}  # seq → when the item was written at the agent
        self.published: dict[int, float] = {}  # seq → when its sealed push was handed to the agent's socket
        self.heard: dict[int, float] = {}
        self.duplicates = 0
        self.refused = 0
        self.seq = 0


def sim_worker(spec_path: Path) -> int:
    import resource
    import selectors

    import paho.mqtt.client as mqtt
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    from agent.protocol import relay
    from agent.protocol import session as v2
    from agent.protocol.envelope import LANE_COMMANDS, LANE_PUSH
    from agent.protocol.errors import ProtocolError

    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    spec = json.loads(spec_path.read_text())
    sel = selectors.DefaultSelector()  # epoll
    pairs = [SimPair(n, Identity(bytes.fromhex(p["agent"]), "child-pc"), Identity(bytes.fromhex(p["console"]), "phone"))
             for n, p in enumerate(spec["pairs"])]
    connected: set[Any] = set()
    errors: list[str] = []

    def watch(client: Any, write: bool) -> None:
        sock = client.socket()
        if sock is None:
            return
        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if write else 0)
        try:
            sel.modify(sock, events, client)
        except KeyError:
            sel.register(sock, events, client)

    def make(settings: relay.RelaySettings, name: str, on_message: Any, subs: list[tuple[str, int]],
             will: tuple[str, bytes] | None) -> Any:
        c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=name, protocol=mqtt.MQTTv5)
        c.username_pw_set(settings.username, settings.password)
        c.tls_set_context(ctx)
        if will:
            c.will_set(will[0], will[1], qos=1, retain=True)
        c.on_socket_open = lambda cl, ud, sock: watch(cl, False)
        c.on_socket_close = lambda cl, ud, sock: sel.unregister(sock) if sock in sel.get_map() else None
        c.on_socket_register_write = lambda cl, ud, sock: watch(cl, True)
        c.on_socket_unregister_write = lambda cl, ud, sock: watch(cl, False)

        def on_connect(cl: Any, ud: Any, flags: Any, reason: Any, props: Any) -> None:
            if reason.is_failure:
                errors.append(f"connect {name}: {reason}")
                return
            cl.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            cl.subscribe(subs)

        c.on_connect = on_connect
        c.on_subscribe = lambda cl, ud, mid, codes, props: connected.add(cl)
        c.on_message = on_message
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 0
        c.connect(host, port, keepalive=60, clean_start=True, properties=props)
        return c

    first_bundle = relay.parse_bundle(spec["pairs"][0]["agent_bundle"], "bundle")
    host, port = first_bundle.address
    ctx = relay._tls_context(first_bundle.ca_pem)

    def publish(client: Any, topic: str, data: bytes, corr: bytes | None = None) -> None:
        props = None
        if corr:
            props = Properties(PacketTypes.PUBLISH)
            props.CorrelationData = corr
        client.publish(topic, data, qos=1, properties=props)

    # ---- the agent's side: the bridge's rules (answer H1, open, reply in the session; push on lane 2) -------------
    def agent_message(pair: SimPair) -> Any:
        def on_message(cl: Any, ud: Any, msg: Any) -> None:
            wire, corr = bytes(msg.payload), getattr(msg.properties, "CorrelationData", None)
            out = relay.out_topic(pair.a_id, pair.p_id)
            try:
                if wire[:2] == v2.MAGIC_H1:
                    h2, _ = pair.sessions.answer(pair.p_id, wire)
                    publish(cl, out, h2, corr)
                    return
                session, inner = pair.sessions.open(pair.p_id, wire)
                header, _ = pair.agent_chan.open(inner, lambda lane: pair.agent_recv[lane])
                pair.agent_recv[header.lane] = header.counter
                pair.agent_send[header.lane] += 1
                reply = pair.agent_chan.seal("reply", {"ok": True, "status": {"screen_s": 1234}},
                                             pair.agent_send[header.lane], header.counter, header.lane)
                publish(cl, out, session.seal((200).to_bytes(2, "big") + reply), corr)
            except ProtocolError as exc:
                pair.refused += 1
                errors.append(f"agent refused: {exc.code}")
        return on_message

    def push(pair: SimPair) -> None:
        """The child asks: the item is written, sealed to the phone and published, as RelayBridge.push_new does."""
        pair.seq += 1
        item = {"seq": pair.seq, "kind": "time_request", "payload": {"id": f"r{pair.seq}", "minutes": 30}}
        pair.pushed[pair.seq] = time.perf_counter()
        pair.agent_send[LANE_PUSH] += 1
        wire = pair.agent_chan.seal("push", {"items": [item]}, pair.agent_send[LANE_PUSH], 0, LANE_PUSH)
        (session,) = pair.sessions.sessions_of(pair.p_id)
        publish(agents[pair.n], relay.out_topic(pair.a_id, pair.p_id), session.seal(wire))
        pair.published[pair.seq] = time.perf_counter()

    # ---- the phone's side: handshake, requests one after another, pushes stored once by seq -----------------------
    def phone_request(pair: SimPair) -> None:
        pair.phone_send += 1
        wire = pair.phone_chan.seal("status", {}, pair.phone_send, lane=LANE_COMMANDS)
        pair.sent_at = time.perf_counter()
        publish(phones[pair.n], relay.in_topic(pair.a_id, pair.p_id), pair.session.seal(wire),
                pair.phone_send.to_bytes(8, "big"))

    def phone_message(pair: SimPair) -> Any:
        def on_message(cl: Any, ud: Any, msg: Any) -> None:
            wire, now = bytes(msg.payload), time.perf_counter()
            try:
                if wire[:2] == v2.MAGIC_H2:
                    pair.session = pair.handshake.finish(wire)
                    phone_request(pair)
                    return
                inner = pair.session.open(wire)
                if inner[:2] == b"\x00\xc8":  # a reply: status 200, then the envelope
                    header, _ = pair.phone_chan.open(inner[2:], lambda lane: pair.phone_recv[lane])
                    pair.phone_recv[header.lane] = header.counter
                    if pair.first is None:
                        pair.first = now - pair.handshake_started
                    else:
                        pair.latencies.append(now - pair.sent_at)
                    pair.requests_left -= 1
                    if pair.requests_left > 0 and not spread:
                        phone_request(pair)
                    elif pair.requests_left > 0:  # one request per `spread` seconds: an open loop, not a flood
                        pair.next_at += spread
                        later(max(now, pair.next_at), lambda: phone_request(pair))
                    return
                header, payload = pair.phone_chan.open(inner, lambda lane: pair.phone_recv[lane])
                pair.phone_recv[header.lane] = header.counter
                for item in payload["items"]:
                    if item["seq"] in pair.heard:
                        pair.duplicates += 1
                    else:
                        pair.heard[item["seq"]] = now
            except ProtocolError as exc:
                pair.refused += 1
                errors.append(f"phone refused: {exc.code}")
        return on_message

    due: list[tuple[float, int, Any]] = []  # a heap of (perf_counter time, n, action): work spread over time
    order = iter(range(1 << 62))

    def later(at: float, action: Any) -> None:
        heapq.heappush(due, (at, next(order), action))

    # Each turn of the loop runs the due work for at most `slice_s`, then reads the sockets. Running all of it
    # first (slice 0: the bench before 2026-12-06) made 500 simulated PCs seal and send a wave's pushes before
    # any simulated phone of the same process could read one: the phones' wait was the bench's own loop, not the
    # relay (docs/benchmarks.md, "The burst tail"). Real PCs and phones are separate machines.
    slice_s = spec.get("slice_ms", 2.0) / 1000

    def run_until(done: Any, limit_s: float) -> bool:
        deadline = time.monotonic() + limit_s
        last_misc = 0.0
        while not done() or due:
            if time.monotonic() > deadline:
                return False
            now = time.perf_counter()
            end = now + slice_s if slice_s > 0 else float("inf")
            while due and due[0][0] <= now and time.perf_counter() < end:
                heapq.heappop(due)[2]()
            for key, events in sel.select(0.002 if due else 0.05):
                c = key.data
                if events & selectors.EVENT_READ:
                    c.loop_read(100)
                    sock = c.socket()
                    while sock is not None and hasattr(sock, "pending") and sock.pending():
                        c.loop_read(100)  # TLS may hold decrypted bytes that epoll cannot see
                if events & selectors.EVENT_WRITE:
                    c.loop_write()
            if time.monotonic() - last_misc > 1.0:
                last_misc = time.monotonic()
                for c in list(agents) + list(phones):
                    c.loop_misc()
        return True

    agents, phones = [], []
    t0 = time.perf_counter()
    for pair, p in zip(pairs, spec["pairs"], strict=True):
        a = relay.parse_bundle(p["agent_bundle"], "bundle")
        c = relay.parse_bundle(p["console_bundle"], "bundle")
        agents.append(make(a, f"agent-{pair.a_id[:20]}", agent_message(pair),
                           [(f"{relay.ROOT}/{pair.a_id}/in/+", 1)], (relay.presence_topic(pair.a_id), relay.OFFLINE)))
        phones.append(make(c, f"phone-{pair.p_id[:20]}", phone_message(pair),
                           [(relay.out_topic(pair.a_id, pair.p_id), 1)], None))
        run_until(lambda: True, 0)  # let CONNACKs in while connecting the rest
    run_until(lambda: len(connected) >= 2 * len(pairs), 300)
    import gc

    gc.collect()
    gc.freeze()  # a thousand clients' objects stay for the run: keep the collector from walking them in every pause
    print(json.dumps({"connected": len(connected) // 2, "connect_s": time.perf_counter() - t0}), flush=True)
    sys.stdin.readline()  # the parent says go, so all workers measure at once

    # phase 1: every phone opens a v2 session with its PC (all at once, or their starts spread evenly over `spread`
    # seconds), then sends its requests one after another
    t0 = time.perf_counter()
    spread = spec["spread"]

    def start(pair: SimPair) -> None:
        pair.requests_left = spec["requests"]
        pair.handshake = v2.ConsoleHandshake(pair.phone, pair.agent.public)
        pair.handshake_started = time.perf_counter()
        publish(phones[pair.n], relay.in_topic(pair.a_id, pair.p_id), pair.handshake.hello(), b"h")

    for pair in pairs:
        pair.requests_left = spec["requests"]
        pair.next_at = t0 + spread * pair.n / len(pairs)
        later(pair.next_at, lambda pair=pair: start(pair))
    run_until(lambda: all(p.requests_left <= 0 for p in pairs), 300)
    wall = time.perf_counter() - t0
    # phase 2: in `waves` rounds every child asks (all at once, or spread evenly over `spread` seconds); each phone
    # must hear each request exactly once
    batches = []  # per wave: from its start until this worker's last push was sent
    for _ in range(spec["waves"]):
        t1 = time.perf_counter()
        for pair in pairs:
            if pair.session is not None:
                later(t1 + spread * pair.n / len(pairs), lambda pair=pair: push(pair))
        want = sum(len(p.pushed) for p in pairs) + len(due)
        run_until(lambda want=want: sum(len(p.heard) for p in pairs) >= want, 30)
        batches.append(max((max(p.published.values()) for p in pairs if p.published), default=t1) - t1)
    run_until(lambda: False, 1.0)  # a second more: a duplicate would arrive now
    pushes = [p.heard[s] - t for p in pairs for s, t in p.pushed.items() if s in p.heard]
    # where a push's time went: sealing and sending at the simulated PC; then broker + the phone's read and open
    sending = [p.published[s] - t for p in pairs for s, t in p.pushed.items() if s in p.published]
    after = [p.heard[s] - t for p in pairs for s, t in p.published.items() if s in p.heard]
    missed = sum(len(p.pushed) - len(p.heard) for p in pairs)
    print(json.dumps({"latencies": [x for p in pairs for x in p.latencies],
                      "first": [p.first for p in pairs if p.first is not None], "pushes": pushes, "missed": missed,
                      "sending": sending, "after": after, "batches": batches,
                      "duplicates": sum(p.duplicates for p in pairs), "errors": errors[:20] + [
                          f"{p.requests_left} requests unanswered" for p in pairs if p.requests_left > 0][:20],
                      "wall": wall}), flush=True)
    for c in agents + phones:
        c.disconnect()
    run_until(lambda: False, 0.5)
    return 0


# ---- the parent: broker, accounts, workers, figures -------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=int, default=2000, help="agents, each with one phone or console (default 2000)")
    ap.add_argument("--mode", choices=("sim", "product"), default="sim",
                    help="sim: protocol-level agents and phones, many per process on one event loop (scale); "
                         "product: the real relay bridge and relay client, one thread each (a few hundred)")
    ap.add_argument("--shard", type=int, help="pairs per worker process (default 500 sim, 50 product)")
    ap.add_argument("--requests", type=int, default=5, help="status requests per phone, one after another (default 5)")
    ap.add_argument("--waves", type=int, default=3, help="sim: rounds in which every child asks at once (default 3)")
    ap.add_argument("--spread", type=float, default=0.0,
                    help="sim: seconds over which the phones start and each wave's children ask, and between one "
                         "phone's requests (default 0: all at once, each request right after the last reply)")
    ap.add_argument("--slice-ms", type=float, default=2.0,
                    help="sim: at most this long of due work (a wave's pushes) per turn of a worker's loop before it "
                         "reads its sockets (default 2; 0: all due work first, the bench before 2026-12-06)")
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--worker-mode", default="sim", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return sim_worker(args.worker) if args.worker_mode == "sim" else product_worker(args.worker)
    args.shard = args.shard or (500 if args.mode == "sim" else 50)
    if args.mode == "product":  # its consoles send at once and every child asks once
        args.waves, args.spread = 1, 0.0
    import resource

    # 2 descriptors a client here, more in the broker (one per connection): lift the soft limit to the hard one
    # for this process and everything it starts, the broker included (its max_connections is unlimited by default)
    resource.setrlimit(resource.RLIMIT_NOFILE, (resource.getrlimit(resource.RLIMIT_NOFILE)[1],) * 2)

    import psutil

    from tests.support.relay_broker import Broker

    tmp = Path(tempfile.mkdtemp(prefix="sprout-bench-relay-"))
    broker = Broker(tmp / "relay")
    secrets = [(Identity.new_secret(), Identity.new_secret()) for _ in range(args.pairs)]
    ids = [(Identity(a).device_id, Identity(c).device_id) for a, c in secrets]
    t0 = time.perf_counter()
    for i, (a, c) in enumerate(ids):  # one family each, as on a device maker's broker
        broker.add(f"f{i}", [a], [c])
        if i % 250 == 249:
            print(f"  {i + 1} families…", flush=True)
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
        (folder / "spec.json").write_text(json.dumps({"pairs": pairs, "requests": args.requests,
                                                      "waves": args.waves, "spread": args.spread,
                                                      "slice_ms": args.slice_ms}))
        workers.append(subprocess.Popen([sys.executable, __file__, "--worker", str(folder / "spec.json"),
                                         "--worker-mode", args.mode],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True))
    up = sum(json.loads(w.stdout.readline())["connected"] for w in workers)
    print(f"file descriptors: limit {resource.getrlimit(resource.RLIMIT_NOFILE)[0]}; broker holds "
          f"{proc.num_fds()}", flush=True)
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
    dups = sum(r.get("duplicates", 0) for r in results)
    busy = (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system)
    print(f"request → reply (v2 session, sealed v1 inside): {len(lat)} requests from {args.pairs} phones "
          f"{'at once' if not args.spread else f'each one every {args.spread:g} s, starts spread over it'}; "
          f"p50 {1000 * statistics.median(lat):.1f} ms, p99 {1000 * pct(lat, 99):.1f} ms, max {1000 * max(lat):.0f} ms")
    print(f"first request of each phone (v2 handshake + request): "
          f"p50 {1000 * statistics.median(first):.0f} ms, p99 {1000 * pct(first, 99):.0f} ms")
    if pushes:
        when = "at once" if not args.spread else f"within {args.spread:g} s"
        print(f"child's request → phone (push; {len(pushes)} = {args.pairs} children {when} × {args.waves} waves): p50 "
              f"{1000 * statistics.median(pushes):.1f} ms, p99 {1000 * pct(pushes, 99):.1f} ms, max "
              f"{1000 * max(pushes):.0f} ms; missed {sum(r['missed'] for r in results)}, duplicates {dups}")
        sending = [x for r in results for x in r.get("sending", [])]
        after = [x for r in results for x in r.get("after", [])]
        batches = [x for r in results for x in r.get("batches", [])]
        if sending and after and batches:  # sim mode only
            print(f"  of which: sealing + sending at the simulated PC p50 {1000 * statistics.median(sending):.1f} ms, "
                  f"p99 {1000 * pct(sending, 99):.1f} ms; then broker + the phone's read and open p50 "
                  f"{1000 * statistics.median(after):.1f} ms, p99 {1000 * pct(after, 99):.1f} ms; one worker sent a "
                  f"wave's {args.shard} pushes in {1000 * max(batches):.0f} ms at most (slice {args.slice_ms:g} ms)")
    print(f"broker: CPU {busy:.2f} s in {wall:.1f} s of measuring ({100 * busy / wall:.0f}% of one core); RSS "
          f"{rss_idle / 2**20:.1f} MiB idle with {2 * args.pairs} accounts, {rss_conn / 2**20:.1f} MiB with "
          f"{2 * args.pairs} TLS connections, peak {peak[0] / 2**20:.1f} MiB")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"machine: {os.cpu_count()} cores, load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())} "
          "(shared: other work was running)")
    broker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
