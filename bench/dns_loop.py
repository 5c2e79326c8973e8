"""The DNS filter's own cost per blocked query, in process: the loop's UDP drain timed alone, without dnsperf.

    .venv/bin/python bench/dns_loop.py [--names 100000] [--passes 2]

Builds an index of synthetic names in a temporary folder, starts a real DnsFilterServer (real sockets) but drives
its UDP drain from this thread: a client socket sends 64 queries, the drain answers them, and only the drain is
timed. Prints microseconds per query for the batched loop (recvmmsg/sendmmsg, Linux) and the one-datagram-per-call
loop, each with the classifier memo cold (first pass) and warm (later passes). The kernel's share (receiving, and
delivering each reply over loopback) is inside the figure; the client's is not.
"""

from __future__ import annotations

import argparse
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
from agent.dns.udp_batch import UdpBatch  # noqa: E402
from agent.dns.upstream import Upstream, UpstreamPool  # noqa: E402


def query(name: str, qid: int) -> bytes:
    wire = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\x00"
    return qid.to_bytes(2, "big") + b"\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + wire + b"\x00\x01\x00\x01"


def measure(index: CategoryIndex, packets: list[bytes], batch_io: bool, passes: int) -> list[float]:
    lines: list[str] = []
    classifier = Classifier(WebRules.from_web({"blocked_categories": ["adult"]}), index=index)
    server = DnsFilterServer(classifier, UpstreamPool([Upstream("127.0.0.1", 9)]), ("127.0.0.1", 0),
                             on_event=lambda e: lines.append(f"{e['time']}\t{e['verdict']}\t{e['domain']}"),
                             batch_io=batch_io).start()
    # The loop thread is stopped; its sockets stay open and this thread calls the drain directly.
    server._stopping.set()
    server._wake_w.send(b"x")
    assert server._thread is not None
    server._thread.join()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    client.setblocking(False)
    figures = []
    try:
        for _ in range(passes):
            busy = 0.0
            for i in range(0, len(packets), 64):
                chunk = packets[i:i + 64]
                for packet in chunk:
                    client.sendto(packet, server.address)
                started = time.perf_counter()
                server._drain_udp()
                busy += time.perf_counter() - started
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
            figures.append(busy / len(packets) * 1e6)
    finally:
        client.close()
        server._stopping.clear()
        server.stop()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(1)
    names = [f"site{i}-{rng.randrange(1 << 30):x}.com" for i in range(args.names)]
    with tempfile.TemporaryDirectory(prefix="sprout-bench-loop-") as scratch:
        path = Path(scratch) / "index.bin"
        build_index(((n, "adult") for n in names), path)
        index = CategoryIndex.open(path)
        packets = [query(n, i & 0xFFFF) for i, n in enumerate(names)]
        print(f"{args.names:,} blocked names, 64 queries per drain, {args.passes} passes (the first fills the classifier memo)")
        modes = [("batched (recvmmsg/sendmmsg)", True)] if UdpBatch.available() else []
        modes.append(("one datagram per call", False))
        for label, batch_io in modes:
            figures = measure(index, packets, batch_io, args.passes)
            print(f"  {label:<28} first pass {figures[0]:.2f} µs/query, later passes "
                  + ", ".join(f"{f:.2f}" for f in figures[1:]) + " µs/query")
    return 0


if __name__ == "__main__":
    sys.exit(main())
