"""A small real upstream resolver for the DNS filter's tests: dnslib on loopback, UDP and TCP on one port.

Not a mock of the filter's code: it is another DNS server the filter talks to over real sockets. It answers
    <anything> A            → 192.0.2.x (TEST-NET-1, never routed), TTL 300
    <anything> AAAA         → 2001:db8::x (documentation range)
    *.nx / nx.* names       → NXDOMAIN with an SOA
    big.test A              → 60 A records (too big for 512-byte UDP: the filter must use TCP upstream)
    names in .cnames        → CNAME <target> + the target's A (set per test)
It counts queries by (name, type), and can be made silent (a dead upstream that never answers).
Run alone: python tests/support/dns_stub.py --listen 127.0.0.1:5300 (used inside a network namespace).
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import struct
import threading
import zlib
from collections import Counter

from dnslib import AAAA, CNAME, QTYPE, RCODE, RR, SOA, A, DNSRecord

BIG_COUNT = 60


def stub_address(name: str) -> str:
    """A stable TEST-NET-1 address per name, so tests can tell answers apart."""
    return f"192.0.2.{zlib.crc32(name.encode()) % 250 + 1}"


class StubUpstream:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, silent: bool = False) -> None:
        self.silent = silent
        self.queries: Counter[tuple[str, str]] = Counter()
        self.cnames: dict[str, str] = {"cdn.fine.test": "edge.fine.test"}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        for _ in range(20):
            self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.udp.bind((host, port))
            self.port = self.udp.getsockname()[1]
            self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                self.tcp.bind((host, self.port))
                break
            except OSError:
                self.udp.close()
                self.tcp.close()
                if port:
                    raise
        self.host = host
        self.tcp.listen(16)
        self.udp.settimeout(0.2)
        self.tcp.settimeout(0.2)
        self._threads = [threading.Thread(target=self._udp_loop, daemon=True),
                         threading.Thread(target=self._tcp_loop, daemon=True)]

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> StubUpstream:
        for t in self._threads:
            t.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(2)
        self.udp.close()
        self.tcp.close()

    def count(self, name: str, qtype: str = "A") -> int:
        with self._lock:
            return self.queries[(name, qtype)]

    def _note(self, request: DNSRecord) -> tuple[str, str]:
        name, qtype = str(request.q.qname).rstrip(".").lower(), QTYPE[request.q.qtype]
        with self._lock:
            self.queries[(name, qtype)] += 1
        return name, qtype

    def answer(self, request: DNSRecord) -> DNSRecord:
        q = request.q
        name, qtype = self._note(request)
        reply = request.reply()
        reply.header.aa = 0
        if name.endswith(".nx") or name.startswith("nx."):
            reply.header.rcode = RCODE.NXDOMAIN
            reply.add_auth(RR(name.split(".")[-1] + ".", QTYPE.SOA, ttl=60,
                              rdata=SOA("ns.stub.test", "root.stub.test", (1, 60, 60, 60, 30))))
            return reply
        owner = q.qname
        if name in self.cnames:
            target = self.cnames[name]
            reply.add_answer(RR(q.qname, QTYPE.CNAME, ttl=300, rdata=CNAME(target)))
            owner, name = target, target
        if qtype == "A":
            count = BIG_COUNT if name == "big.test" else 1
            for i in range(count):
                address = f"198.51.100.{i + 1}" if count > 1 else stub_address(name)
                reply.add_answer(RR(owner, QTYPE.A, ttl=300, rdata=A(address)))
        elif qtype == "AAAA":
            reply.add_answer(RR(owner, QTYPE.AAAA, ttl=300, rdata=AAAA("2001:db8::" + stub_address(name).split(".")[-1])))
        return reply

    def _udp_loop(self) -> None:
        while not self._stop.is_set():
            try:
                data, addr = self.udp.recvfrom(65535)
            except (TimeoutError, OSError):
                continue
            try:
                request = DNSRecord.parse(data)
            except Exception:
                continue
            if self.silent:
                self._note(request)
                continue
            size = 512
            for rr in request.ar:
                if rr.rtype == QTYPE.OPT:
                    size = max(512, rr.rclass)
            try:
                packet = self.answer(request).pack()
            except Exception:
                continue  # fuzzed names dnslib cannot re-encode: a real resolver would drop them too
            if len(packet) > size:
                short = request.reply()
                short.header.tc = 1
                packet = short.pack()
            with contextlib.suppress(OSError):
                self.udp.sendto(packet, addr)

    def _tcp_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.tcp.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._tcp_conn, args=(conn,), daemon=True).start()

    def _tcp_conn(self, conn: socket.socket) -> None:
        conn.settimeout(2)
        with conn:
            try:
                while True:
                    head = conn.recv(2)
                    if len(head) < 2:
                        return
                    size = struct.unpack("!H", head)[0]
                    data = b""
                    while len(data) < size:
                        chunk = conn.recv(size - len(data))
                        if not chunk:
                            return
                        data += chunk
                    request = DNSRecord.parse(data)
                    if self.silent:
                        self._note(request)
                        continue
                    packet = self.answer(request).pack()
                    conn.sendall(struct.pack("!H", len(packet)) + packet)
            except Exception:
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listen", default="127.0.0.1:5300")
    args = parser.parse_args()
    host, port = args.listen.rsplit(":", 1)
    stub = StubUpstream(host, int(port)).start()
    print(f"stub upstream on {stub.address}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        stub.stop()


if __name__ == "__main__":
    main()
