"""The local DNS filter: UDP and TCP on one address, the decision chain in front of a caching forwarder.

One loop thread owns the listening sockets (selectors). It answers everything it can on the spot — blocks, canaries,
cache hits, garbage — and never waits for an upstream: plain questions for allowed names are forwarded from the loop
itself (forwarder.py: a socket per question, watched by the same selector), so a slow resolver never stalls the
names that are already known. Plain A/AAAA/HTTPS questions over UDP (the fast path's shape, fastpath.parse_query)
never touch dnslib: blocks are built by hand, allowed names are forwarded and relayed as bytes (only the 2-byte ID
and the header are rewritten) and cached as bytes. On Linux the loop reads and answers UDP queries a batch at a
time (agent/os/udp_batch.py: recvmmsg and sendmmsg). What the fast path does not take — rewrites, other types, odd
shapes — goes through dnslib, and when it needs an upstream, through a small thread pool, as do truncated upstream
replies (asked again over TCP). TCP connections (length-prefixed messages, several per connection, RFC 7766) each
get a worker with an idle timeout.

What a blocked name gets:
    A            → the block page's IPv4 address (plain-http sites then show the page)
    AAAA         → the block page's IPv6 address, or :: when the page has none (the client falls back to A)
    HTTPS, SVCB, anything else → NODATA, so a browser cannot learn another address or an ECH config
Canaries get NXDOMAIN. Every block and canary fires `on_event` with the name and category only, as a dict; or,
cheaper, `on_events` gets them as rows (time, verdict, domain, category, reason, qtype), a list at a time: the UDP
loop hands over one list per batch, so a flood of unique blocked names costs the answering path one tuple each.
An allowed name in one of `watch_categories` (social networks, chat: where a child may give out private
information) fires `on_watched(name, category)` after its verdict, so it never changes or delays the answer.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import selectors
import socket
import struct
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from dnslib import AAAA, CNAME, EDNS0, QTYPE, RCODE, RR, SOA, A, DNSHeader, DNSQuestion, DNSRecord

from agent.dns.cache import AnswerCache
from agent.dns.classifier import BLOCK, NXDOMAIN, REWRITE, Classifier, Decision, normalize_qname
from agent.dns.fastpath import BlockReplies, RawReply, encode_name, parse_query
from agent.dns.forwarder import LoopForwarder
from agent.dns.upstream import UpstreamError, UpstreamPool
from agent.os.udp_batch import UdpBatch

log = logging.getLogger("sprout.dns")

BLOCK_TTL = 10  # short, so that a parent's unblock reaches the browser within seconds
OUR_EDNS_SIZE = 1232
_OUR_OPT = b"\x00" + struct.pack("!HHIH", QTYPE.OPT, OUR_EDNS_SIZE, 0, 0)  # what EDNS0(udp_len=...) packs to
MAX_UDP_REPLY = 4096
BADVERS = 16
_NO_EXTRA_TYPES = (QTYPE.HTTPS, QTYPE.SVCB, QTYPE.CNAME)  # a rewrite answers these with the CNAME alone
SOA_MNAME, SOA_RNAME = "block.sprout.invalid", "parents.sprout.invalid"
SOA_TIMES = (1, 3600, 600, 86400, BLOCK_TTL)  # serial, refresh, retry, expire, minimum (the negative TTL)
_SOA_RDATA = encode_name(SOA_MNAME) + encode_name(SOA_RNAME) + struct.pack("!5I", *SOA_TIMES)


_QTYPE_NAMES = {QTYPE.A: "A", QTYPE.AAAA: "AAAA", QTYPE.HTTPS: "HTTPS"}  # the fast path's, looked up per block
# A block event as `on_events` gets it: (time, verdict, domain, category, reason, qtype), the dict's values in the
# order a log line shows them
EventRow = tuple[str, str, str, "str | None", str, str]


def _qtype_name(qtype: int) -> str:
    try:
        return QTYPE[qtype]
    except Exception:  # dnslib raises its own lookup error for unassigned numbers
        return f"TYPE{qtype}"


class DnsFilterServer:
    def __init__(self, classifier: Classifier, upstreams: UpstreamPool,
                 listen: tuple[str, int] = ("127.0.0.1", 47853), *, block_ipv4: str = "127.0.0.1",
                 block_ipv6: str = "::", on_event: Callable[[dict[str, Any]], None] | None = None,
                 cache: AnswerCache | None = None, workers: int = 32, tcp_workers: int = 32,
                 max_pending: int = 2048, tcp_idle_timeout: float = 10.0, reuse_port: bool = False,
                 batch_io: bool | None = None, on_watched: Callable[[str, str], None] | None = None,
                 watch_categories: frozenset[str] = frozenset(),
                 on_events: Callable[[list[EventRow]], None] | None = None) -> None:
        self.classifier = classifier
        self.on_events = on_events
        self._rows: list[EventRow] | None = [] if on_events is not None else None  # the loop's batch of blocks
        self.on_watched = on_watched
        self.watch_categories = watch_categories if on_watched is not None else frozenset()
        self.upstreams = upstreams
        self.listen = listen
        self._block_replies: BlockReplies | None = None  # built on first use, dropped when an address changes
        self._block_ipv4 = block_ipv4
        self._block_ipv6 = block_ipv6
        self.on_event = on_event
        self.cache = cache if cache is not None else AnswerCache()
        self.max_pending = max_pending
        self.tcp_idle_timeout = tcp_idle_timeout
        self.reuse_port = reuse_port  # SO_REUSEPORT: several processes (`sprout-agent dns --workers`) share the port
        self.stats = {"udp": 0, "tcp": 0, "malformed": 0, "blocked": 0, "upstream": 0, "servfail": 0,
                      "dropped_busy": 0, "truncated": 0}
        # recvmmsg/sendmmsg batches (agent/os/udp_batch.py) where the system has them; False keeps one datagram per call
        self.batch_io = UdpBatch.available() if batch_io is None else batch_io
        self._batch: UdpBatch | None = None
        self._receive_buffer = bytearray(65535)  # the one-datagram-per-call loop's (the loop thread's only)
        self._selector: selectors.BaseSelector | None = None  # the loop's, made by start()
        self._forwarder: LoopForwarder | None = None  # used by the loop's thread only
        self._workers = workers
        self._tcp_workers = tcp_workers
        self._pending = 0
        self._pending_lock = threading.Lock()
        self._udp: socket.socket | None = None
        self._tcp: socket.socket | None = None
        self._wake_r, self._wake_w = socket.socketpair()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._tcp_pool: ThreadPoolExecutor | None = None
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        self._event_clock = (-1, "")  # (whole second, its ISO text), replaced as one tuple: threads share it
        self._tick_event_clock()

    @property
    def block_ipv4(self) -> str:
        return self._block_ipv4

    @block_ipv4.setter
    def block_ipv4(self, address: str) -> None:
        self._block_ipv4 = address
        self._block_replies = None  # rebuilt for the new address on the next block

    @property
    def block_ipv6(self) -> str:
        return self._block_ipv6

    @block_ipv6.setter
    def block_ipv6(self, address: str) -> None:
        self._block_ipv6 = address
        self._block_replies = None

    # ---- life cycle -------------------------------------------------------------------------------------
    def start(self) -> DnsFilterServer:
        host, port = self.listen
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        for _attempt in range(20):
            udp = socket.socket(family, socket.SOCK_DGRAM)
            with contextlib.suppress(OSError):
                udp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
            if self.reuse_port:
                udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            udp.bind((host, port))
            bound = udp.getsockname()[1]
            tcp = socket.socket(family, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if self.reuse_port:
                tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            try:
                tcp.bind((host, bound))
            except OSError:
                udp.close()
                tcp.close()
                if port:  # a fixed port taken for TCP is the caller's problem to hear about
                    raise
                continue  # port 0: the UDP port happened to be busy for TCP, pick another
            break
        else:
            raise OSError(f"no port free for both UDP and TCP on {host}")
        tcp.listen(128)
        udp.setblocking(False)
        tcp.setblocking(False)
        self._udp, self._tcp = udp, tcp
        self.listen = (host, bound)
        if self.batch_io:
            self._batch = UdpBatch(udp)
        sel = self._selector = selectors.DefaultSelector()
        sel.register(udp, selectors.EVENT_READ, "udp")
        sel.register(tcp, selectors.EVENT_READ, "tcp")
        sel.register(self._wake_r, selectors.EVENT_READ, "wake")
        self._forwarder = LoopForwarder(self.upstreams, sel, _max_in_flight(self.max_pending))
        self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="dns-upstream")
        self._tcp_pool = ThreadPoolExecutor(self._tcp_workers, thread_name_prefix="dns-tcp")
        self._thread = threading.Thread(target=self._loop, name="dns-loop", daemon=True)
        self._thread.start()
        return self

    @property
    def address(self) -> tuple[str, int]:
        return self.listen

    def stop(self, timeout: float = 5.0) -> None:
        """Stop taking queries, let in-flight upstream questions finish (each is time-bounded), close sockets."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")
        if self._thread is not None:
            self._thread.join(timeout)
        with self._conns_lock:
            for conn in self._conns:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        for pool in (self._pool, self._tcp_pool):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        for sock in (self._udp, self._tcp, self._wake_r, self._wake_w):
            if sock is not None:
                sock.close()

    def __enter__(self) -> DnsFilterServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def set_classifier(self, classifier: Classifier) -> None:
        """Swap the rules (a new policy) without a restart; cached upstream answers stay valid."""
        self.classifier = classifier

    # ---- the loop ---------------------------------------------------------------------------------------
    def _loop(self) -> None:
        sel, forwarder = self._selector, self._forwarder
        assert sel is not None and forwarder is not None
        clock = self.upstreams.clock
        try:
            while not self._stopping.is_set():
                wait = forwarder.next_timeout(clock())
                for key, _mask in sel.select(timeout=1.0 if wait is None else min(1.0, wait)):
                    data = key.data
                    if data == "udp":
                        self._drain_udp()
                    elif data == "tcp":
                        self._accept()
                    elif data != "wake":
                        forwarder.readable(data)
                forwarder.expire(clock())
                if self._rows:  # blocks found off a drain (a forwarded answer's CNAME that ends on a listed name)
                    self._hand_over_rows()
        finally:
            forwarder.close()
            sel.close()
            if self._rows:
                self._hand_over_rows()

    def _drain_udp(self) -> None:
        if self._batch is not None:
            self._drain_udp_batched(self._batch)
            return
        try:
            self._drain_udp_singly()
        finally:
            if self._rows:
                self._hand_over_rows()

    def _drain_udp_singly(self) -> None:
        """One datagram per call (where there is no recvmmsg)."""
        assert self._udp is not None
        recvfrom_into, sendto = self._udp.recvfrom_into, self._udp.sendto
        buffer = self._receive_buffer  # one buffer, not a 64 KiB allocation shrunk for every datagram
        view = memoryview(buffer)
        fast, stats = self._fast_udp, self.stats
        self._tick_event_clock()
        for _ in range(256):  # a burst at a time, then let TCP accepts and the stop flag be seen
            try:
                size, addr = recvfrom_into(buffer)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return  # e.g. ICMP port unreachable from an earlier reply surfacing here
            data = view[:size].tobytes()
            stats["udp"] += 1
            try:
                # Blocks, canaries and cached answers are answered right here from bytes; allowed names are
                # forwarded from the loop; rewrites, odd shapes and junk take the dnslib path.
                packet = fast(data)
                if packet.__class__ is bytes:
                    try:  # noqa: SIM105 - not contextlib.suppress: an object per packet is measurable here
                        sendto(packet, addr)
                    except OSError:
                        pass  # a vanished client is not our problem
                elif packet is None:
                    self._serve_udp(data, addr)
                else:
                    self._submit_forward(data, addr, packet)
            except Exception:  # one bad packet must never end the loop that serves the whole house
                stats["malformed"] += 1
                log.exception("unexpected error on a UDP query from %s", addr)

    def _drain_udp_batched(self, batch: UdpBatch) -> None:
        """The same as the one-by-one loop, a recvmmsg batch at a time, replies sent with one sendmmsg."""
        fast, stats = self._fast_udp, self.stats
        for _ in range(8):  # up to 8 batches, then let TCP accepts and the stop flag be seen
            datagrams = batch.receive()
            if not datagrams:
                return
            stats["udp"] += len(datagrams)
            self._tick_event_clock()
            replies = []
            for slot, data in enumerate(datagrams):
                try:
                    packet = fast(data)
                    if packet.__class__ is bytes:
                        replies.append((slot, packet))
                    elif packet is None:
                        self._serve_udp(data, batch.address(slot))
                    else:
                        self._submit_forward(data, batch.address(slot), packet)
                except Exception:  # one bad packet must never end the loop that serves the whole house
                    stats["malformed"] += 1
                    log.exception("unexpected error on a UDP query (%d bytes)", len(data))
            batch.send(replies)
            if self._rows:
                self._hand_over_rows()
            if len(datagrams) < batch.slots:
                return  # the socket is drained

    def _fast_udp(self, data: bytes) -> bytes | tuple[str, int, int, bool, int] | None:
        """A UDP query of the fast path's shape, answered without dnslib: blocks and cached answers as reply
        bytes; an allowed name not in the cache as (name, qtype, question end, EDNS, reply size limit) for
        `_submit_forward`. None: the dnslib path decides (rewrites, odd shapes, junk)."""
        parsed = parse_query(data)
        if parsed is None:
            return None
        name, qtype, qend, edns = parsed
        decision = self.classifier.classify_wire(name)
        verdict = decision.verdict
        if verdict in (BLOCK, NXDOMAIN):
            replies = self._block_replies or self._replies()
            if replies is None:
                return None
            self.stats["blocked"] += 1
            rows = self._rows
            if rows is not None:
                rows.append((self._event_clock[1], verdict, name, decision.category, decision.reason,
                             _QTYPE_NAMES[qtype]))
            on_event = self.on_event
            if on_event is not None:
                # what _emit sends, with the loop's clock (read once per batch) and a name already normalised
                event = {"time": self._event_clock[1], "domain": name, "category": decision.category,
                         "reason": decision.reason, "verdict": verdict, "qtype": _QTYPE_NAMES[qtype]}
                try:
                    on_event(event)
                except Exception:  # the listener's bug must not turn a block into a SERVFAIL
                    log.exception("on_event listener failed")
            return replies.build(data, qtype, qend, edns, verdict == NXDOMAIN)
        if verdict == REWRITE:
            return None
        if decision.category in self.watch_categories:
            self._watched(name, decision.category)
        limit = max(512, min((data[qend + 3] << 8) | data[qend + 4], MAX_UDP_REPLY)) if edns else 512
        hit = self.cache.get_raw((name, qtype))
        if hit is not None:
            return self._relay(data, name, qtype, qend, edns, limit, *hit)
        return name, qtype, qend, edns, limit

    def _submit_forward(self, data: bytes, addr: Any, question: tuple[str, int, int, bool, int]) -> None:
        """Forward an allowed name from the loop (forwarder.py); the reply is relayed when it comes."""
        name, qtype, qend, edns, limit = question
        forwarder = self._forwarder
        if forwarder is None:  # a server never started (tests calling in directly): the pool's way
            self._submit_to_pool(data, addr, question)
            return

        def done(reply: RawReply | None, why: str) -> None:
            self._forwarded(data, addr, name, qtype, qend, edns, limit, reply, why)

        if forwarder.ask(data[12:qend], done):
            self.stats["upstream"] += 1
        else:
            self.stats["dropped_busy"] += 1  # the client retries; better than an unbounded queue

    def _forwarded(self, data: bytes, addr: Any, name: str, qtype: int, qend: int, edns: bool, limit: int,
                   reply: RawReply | None, why: str) -> None:
        try:
            if reply is not None and reply.tc:  # too big for UDP upstream: the pool asks again, then over TCP
                self.stats["upstream"] -= 1  # counted again there
                self._submit_to_pool(data, addr, (name, qtype, qend, edns, limit))
                return
            self._send_udp(self._upstream_packet(data, name, qtype, qend, edns, limit, reply, why), addr)
        except Exception:  # one odd reply must never end the loop that serves the whole house
            log.exception("unexpected error answering %s", name)

    def _upstream_packet(self, data: bytes, name: str, qtype: int, qend: int, edns: bool, limit: int,
                         reply: RawReply | None, why: str) -> bytes:
        """The client's reply to an upstream's answer (cached when it is one), or SERVFAIL when none came."""
        if reply is None:
            self.stats["servfail"] += 1
            log.warning("upstream failed for %s %s: %s", name, _qtype_name(qtype), why)
            return self._relay(data, name, qtype, qend, edns, limit, RCODE.SERVFAIL, 0, 0, b"", ())
        if reply.rcode in (RCODE.NOERROR, RCODE.NXDOMAIN):
            self.cache.put_raw((name, qtype), reply.rcode, reply.ancount, reply.nscount, reply.body,
                               reply.ttls, reply.cnames, reply.cache_ttl)
        return self._relay(data, name, qtype, qend, edns, limit, reply.rcode, reply.ancount, reply.nscount,
                           reply.body, reply.cnames)

    def _submit_to_pool(self, data: bytes, addr: Any, question: tuple[str, int, int, bool, int]) -> None:
        """Hand an allowed name to the thread pool, which asks upstream (UDP, then TCP) and replies itself."""
        self._to_pool(self._forward_raw, data, addr, *question)

    def _to_pool(self, work: Callable[..., None], *args: Any) -> None:
        """Run work(*args) on the thread pool, counted in _pending (work takes itself off when done), unless
        max_pending are waiting there already."""
        with self._pending_lock:
            if self._pending >= self.max_pending:
                self.stats["dropped_busy"] += 1
                return  # the client retries; better than an unbounded queue
            self._pending += 1
        assert self._pool is not None
        try:
            self._pool.submit(work, *args)
        except RuntimeError:  # shutting down
            with self._pending_lock:
                self._pending -= 1

    def _forward_raw(self, data: bytes, addr: Any, name: str, qtype: int, qend: int, edns: bool,
                     limit: int) -> None:
        """Ask upstream with the query's own question bytes and relay the records as bytes (the pool's work)."""
        try:
            self.stats["upstream"] += 1
            reply: RawReply | None = None
            why = ""
            try:
                reply = self.upstreams.resolve_raw(data[12:qend])
            except UpstreamError as exc:
                why = str(exc)
            self._send_udp(self._upstream_packet(data, name, qtype, qend, edns, limit, reply, why), addr)
        except Exception:
            log.exception("unexpected error answering %s", name)
        finally:
            with self._pending_lock:
                self._pending -= 1

    def _relay(self, data: bytes, name: str, qtype: int, qend: int, edns: bool, limit: int, rcode: int,
               ancount: int, nscount: int, body: bytes, cnames: tuple[str, ...]) -> bytes:
        """The client's reply around upstream records kept as bytes: what _answer + _finish build for it (the
        question as the client sent it, so compression pointers in the records stay valid)."""
        for target in cnames:
            decision = self.classifier.classify(target)
            if decision.verdict in (BLOCK, NXDOMAIN):
                cloaked = Decision(BLOCK, decision.category, None, f"cname:{decision.reason}")
                packet = self._block_packet(data, name, cloaked, qtype, qend, edns)
                if packet is None:  # block addresses only the dnslib path can deal with
                    request = DNSRecord.parse(data)
                    packet = self._finish(request, self._blocked(request, cloaked, name), limit)
                return packet
        flags = 0x8080 | rcode | (((data[2] << 8) | data[3]) & 0x0110)
        opt = _OUR_OPT if edns else b""
        packet = b"".join((data[:2], flags.to_bytes(2, "big"), struct.pack("!HHHH", 1, ancount, nscount, edns),
                           data[12:qend], body, opt))
        if len(packet) > limit:
            self.stats["truncated"] += 1
            packet = b"".join((data[:2], (flags | 0x0200).to_bytes(2, "big"), struct.pack("!HHHH", 1, 0, 0, edns),
                               data[12:qend], opt))
        return packet

    def _fast_reply(self, data: bytes) -> bytes | None:
        """The reply bytes for a plain A/AAAA/HTTPS query whose name is blocked or a canary, built by hand; None
        for everything else (the dnslib path answers it, exactly as if this method did not exist)."""
        parsed = parse_query(data)
        if parsed is None:
            return None
        name, qtype, qend, edns = parsed
        decision = self.classifier.classify_wire(name)
        verdict = decision.verdict
        if verdict != BLOCK and verdict != NXDOMAIN:
            return None
        return self._block_packet(data, name, decision, qtype, qend, edns)

    def _replies(self) -> BlockReplies | None:
        replies = self._block_replies
        if replies is None:
            try:
                replies = BlockReplies(self.block_ipv4, self.block_ipv6, BLOCK_TTL, OUR_EDNS_SIZE, _SOA_RDATA)
            except (OSError, ValueError, TypeError):
                return None  # an address the slow path must deal with (and report) itself
            self._block_replies = replies
        return replies

    def _block_packet(self, data: bytes, name: str, decision: Decision, qtype: int, qend: int,
                      edns: bool) -> bytes | None:
        replies = self._block_replies or self._replies()
        if replies is None:
            return None
        self.stats["blocked"] += 1
        if self.on_event is not None or self.on_events is not None:
            # `name` is already what normalize_qname makes of it: lower case, no trailing dot, valid (a name that
            # is not valid is never blocked), so the event is built without normalising it again.
            self._emit(name, decision, qtype, normalized=True)
        return replies.build(data, qtype, qend, edns, decision.verdict == NXDOMAIN)

    def _serve_udp(self, data: bytes, addr: Any) -> None:
        request = self._parse(data)
        if not isinstance(request, DNSRecord):
            if request is not None:
                self._send_udp(request, addr)
            return
        limit = _udp_limit(request)
        reply, _block = self._answer(request, allow_upstream=False)
        if reply is not None:
            self._send_udp(self._finish(request, reply, limit), addr)
            return
        self._to_pool(self._upstream_udp, data, request, addr, limit)

    def _upstream_udp(self, data: bytes, request: DNSRecord, addr: Any, limit: int) -> None:
        try:
            reply, _block = self._answer(request, allow_upstream=True)
            assert reply is not None
            self._send_udp(self._finish(request, reply, limit), addr)
        except Exception:
            log.exception("unexpected error answering %s", request.q.qname)
        finally:
            with self._pending_lock:
                self._pending -= 1

    def _send_udp(self, packet: bytes, addr: Any) -> None:
        assert self._udp is not None
        with contextlib.suppress(OSError):  # a vanished client is not our problem
            self._udp.sendto(packet, addr)

    def _accept(self) -> None:
        assert self._tcp is not None and self._tcp_pool is not None
        for _ in range(64):
            try:
                conn, _addr = self._tcp.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            conn.setblocking(True)
            conn.settimeout(self.tcp_idle_timeout)
            with self._conns_lock:
                if len(self._conns) >= self._tcp_workers * 4:
                    conn.close()  # too many open connections: shed load rather than queue forever
                    continue
                self._conns.add(conn)
            try:
                self._tcp_pool.submit(self._serve_tcp, conn)
            except RuntimeError:
                self._drop_conn(conn)

    def _drop_conn(self, conn: socket.socket) -> None:
        with self._conns_lock:
            self._conns.discard(conn)
        conn.close()

    def _serve_tcp(self, conn: socket.socket) -> None:
        try:
            while not self._stopping.is_set():
                head = _recv_exact(conn, 2)
                if head is None:
                    return
                size = struct.unpack("!H", head)[0]
                data = _recv_exact(conn, size) if size else b""
                if data is None:
                    return
                self.stats["tcp"] += 1
                out = self.handle(data, tcp=True)
                if out is not None:
                    conn.sendall(struct.pack("!H", len(out)) + out)
        except (OSError, TimeoutError):
            return  # idle timeout, reset, or shutdown: close quietly
        except Exception:
            log.exception("unexpected error on a TCP connection")
        finally:
            self._drop_conn(conn)

    # ---- answering --------------------------------------------------------------------------------------
    def handle(self, data: bytes, *, tcp: bool = False, fast: bool = True) -> bytes | None:
        """Answer one raw query synchronously (the TCP connections, tests, benchmarks): the reply bytes, or None
        when dropped. fast=False skips the hand-built path for blocks (tests compare the two)."""
        if fast:
            packet = self._fast_reply(data)
            if packet is not None:
                return packet
        request = self._parse(data)
        if not isinstance(request, DNSRecord):
            return request
        reply, _block = self._answer(request, allow_upstream=True)
        assert reply is not None
        return self._finish(request, reply, limit=None if tcp else _udp_limit(request))

    def _parse(self, data: bytes) -> DNSRecord | bytes | None:
        """The query, or FORMERR bytes for a query we cannot read, or None for what must not be answered."""
        if len(data) < 12:
            self.stats["malformed"] += 1
            return None
        qid, flags = struct.unpack("!HH", data[:4])
        if flags & 0x8000:  # a response: answering it could loop two servers into each other
            self.stats["malformed"] += 1
            return None
        try:
            request = DNSRecord.parse(data)
        except Exception:  # dnslib raises DNSError, but junk also surfaces as struct/Index/Unicode errors
            self.stats["malformed"] += 1
            return _error_packet(qid, flags, RCODE.FORMERR)
        opcode = (flags >> 11) & 0xF
        if opcode != 0:
            return _error_packet(qid, flags, RCODE.NOTIMP)
        if len(request.questions) != 1:
            self.stats["malformed"] += 1
            return _error_packet(qid, flags, RCODE.FORMERR)
        labels = request.q.qname.label
        if any(len(label) > 63 for label in labels) or sum(len(label) + 1 for label in labels) + 1 > 255:
            # No real name is this long (RFC 1035 §2.3.4); dnslib reads it anyway, an upstream might too.
            self.stats["malformed"] += 1
            return _error_packet(qid, flags, RCODE.REFUSED)
        opts = [rr for rr in request.ar if rr.rtype == QTYPE.OPT]
        if len(opts) > 1:
            self.stats["malformed"] += 1
            return _error_packet(qid, flags, RCODE.FORMERR)
        if opts and (opts[0].ttl >> 16) & 0xFF != 0:
            reply = _reply_header(request, 0)
            reply.add_ar(EDNS0(udp_len=OUR_EDNS_SIZE, ext_rcode=BADVERS >> 4))
            return reply.pack()
        return request

    def _answer(self, request: DNSRecord, *, allow_upstream: bool) -> tuple[DNSRecord | None, Decision | None]:
        """(reply, the block decision if it was a block); the reply is None when it needs an upstream and
        that is not allowed here."""
        q = request.q
        name = str(q.qname)
        decision = self.classifier.classify(name)
        if decision.verdict in (BLOCK, NXDOMAIN):
            return self._blocked(request, decision, name), decision
        if decision.verdict == REWRITE:
            return self._rewritten(request, decision, allow_upstream), None
        if decision.category in self.watch_categories:
            self._watched(normalize_qname(name) or name.rstrip("."), decision.category)
        got = self._resolve(q.qname, q.qtype, q.qclass, allow_upstream)
        if got is None:
            return None, None
        rcode, answer, authority = got
        cloaked = self._cloaked_target(answer)
        if cloaked is not None:
            return self._blocked(request, cloaked, name), cloaked
        reply = _reply_header(request, rcode)
        for rr in answer:
            reply.add_answer(rr)
        for rr in authority:
            reply.add_auth(rr)
        return reply, None

    def _resolve(self, qname: Any, qtype: int, qclass: int, allow_upstream: bool) -> tuple[int, list, list] | None:
        key = self.cache.key(str(qname), qtype, qclass)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        if not allow_upstream:
            return None
        self.stats["upstream"] += 1
        question = DNSRecord(DNSHeader(id=secrets.randbelow(65536), rd=1), q=DNSQuestion(qname, qtype, qclass))
        try:
            reply = self.upstreams.resolve(question)
        except UpstreamError as exc:
            self.stats["servfail"] += 1
            log.warning("upstream failed for %s %s: %s", qname, _qtype_name(qtype), exc)
            return RCODE.SERVFAIL, [], []
        answer = list(reply.rr)
        authority = list(reply.auth)
        rcode = reply.header.rcode
        if rcode in (RCODE.NOERROR, RCODE.NXDOMAIN):
            self.cache.put(key, rcode, answer, authority)
        return rcode, answer, authority

    def _cloaked_target(self, answer: list[RR]) -> Decision | None:
        """A CNAME chain that ends on a blocked name is blocked too (trackers and mirrors hide behind them)."""
        for rr in answer:
            if rr.rtype == QTYPE.CNAME:
                decision = self.classifier.classify(str(rr.rdata.label))
                if decision.verdict in (BLOCK, NXDOMAIN):
                    return Decision(BLOCK, decision.category, None, f"cname:{decision.reason}")
        return None

    def _blocked(self, request: DNSRecord, decision: Decision, name: str) -> DNSRecord:
        q = request.q
        self.stats["blocked"] += 1
        self._emit(name, decision, q.qtype)
        if decision.verdict == NXDOMAIN:
            reply = _reply_header(request, RCODE.NXDOMAIN)
            reply.add_auth(_soa(q.qname))
            return reply
        reply = _reply_header(request, RCODE.NOERROR)
        if q.qtype == QTYPE.A and self.block_ipv4:
            reply.add_answer(RR(q.qname, QTYPE.A, rdata=A(self.block_ipv4), ttl=BLOCK_TTL))
        elif q.qtype == QTYPE.AAAA and self.block_ipv6:
            reply.add_answer(RR(q.qname, QTYPE.AAAA, rdata=AAAA(self.block_ipv6), ttl=BLOCK_TTL))
        else:
            reply.add_auth(_soa(q.qname))  # NODATA: HTTPS/SVCB/MX/TXT/... learn nothing
        return reply

    def _rewritten(self, request: DNSRecord, decision: Decision, allow_upstream: bool) -> DNSRecord | None:
        q = request.q
        assert decision.target is not None
        cname = RR(q.qname, QTYPE.CNAME, rdata=CNAME(decision.target), ttl=300)
        if q.qtype in _NO_EXTRA_TYPES:
            # The browser then asks A/AAAA, which we rewrite too; an HTTPS record of the engine's own could
            # carry address hints that skip the rewrite.
            reply = _reply_header(request, RCODE.NOERROR)
            reply.add_answer(cname)
            return reply
        got = self._resolve(decision.target, q.qtype, q.qclass, allow_upstream)
        if got is None:
            return None
        rcode, answer, authority = got
        reply = _reply_header(request, rcode)
        if rcode != RCODE.SERVFAIL:
            reply.add_answer(cname)
            for rr in answer:
                reply.add_answer(rr)
            for rr in authority:
                reply.add_auth(rr)
        return reply

    def _finish(self, request: DNSRecord, reply: DNSRecord, limit: int | None) -> bytes:
        """Pack with the client's EDNS, and over UDP set TC instead of sending more than the client can take."""
        edns = any(rr.rtype == QTYPE.OPT for rr in request.ar)
        if edns:
            reply.add_ar(EDNS0(udp_len=OUR_EDNS_SIZE))
        try:
            packet = reply.pack()
        except Exception:  # e.g. an upstream record dnslib cannot re-encode
            log.exception("cannot encode the reply for %s", request.q.qname)
            packet = _error_packet(request.header.id, request.header.bitmap, RCODE.SERVFAIL)
        if limit is not None and len(packet) > limit:
            self.stats["truncated"] += 1
            short = _reply_header(request, reply.header.rcode)
            short.header.tc = 1
            if edns:
                short.add_ar(EDNS0(udp_len=OUR_EDNS_SIZE))
            packet = short.pack()
        return packet

    def _emit(self, name: str, decision: Decision, qtype: int, *, normalized: bool = False) -> None:
        """A block's event off the fast UDP path (dnslib path, TCP, cloaking CNAMEs): to each listener at once."""
        if self.on_event is None and self.on_events is None:
            return
        event = {
            "time": self._tick_event_clock(),
            "domain": name if normalized else normalize_qname(name) or name.rstrip("."),
            "category": decision.category,
            "reason": decision.reason,
            "verdict": decision.verdict,
            "qtype": _QTYPE_NAMES.get(qtype) or _qtype_name(qtype),
        }
        if self.on_events is not None:
            row = (event["time"], event["verdict"], event["domain"], event["category"], event["reason"],
                   event["qtype"])
            if self._rows is not None and threading.current_thread() is self._thread:
                self._rows.append(row)  # in its batch's order (the dnslib path runs on the loop too)
            else:
                try:
                    self.on_events([row])
                except Exception:  # the listener's bug must not turn a block into a SERVFAIL
                    log.exception("on_events listener failed")
        if self.on_event is not None:
            try:
                self.on_event(event)
            except Exception:  # the listener's bug must not turn a block into a SERVFAIL
                log.exception("on_event listener failed")

    def _hand_over_rows(self) -> None:
        """The fast UDP path's block events of one batch, to `on_events` (the loop thread's only)."""
        rows, self._rows = self._rows, []
        assert self.on_events is not None and rows is not None
        try:
            self.on_events(rows)
        except Exception:  # the listener's bug must not stop the loop
            log.exception("on_events listener failed")

    def _watched(self, name: str, category: str) -> None:
        on_watched = self.on_watched
        if on_watched is None:
            return
        try:
            on_watched(name, category)
        except Exception:  # the listener's bug must not turn an allowed name into a SERVFAIL
            log.exception("on_watched listener failed")

    def _tick_event_clock(self) -> str:
        """The current whole second as events show it (the UDP loops call this once per batch)."""
        second = int(time.time())
        clock = self._event_clock
        if clock[0] != second:  # formatting the time is a good part of an event's cost: once a second will do
            clock = self._event_clock = (second, datetime.fromtimestamp(second, UTC).isoformat(timespec="seconds"))
        return clock[1]

    def classify(self, host: str) -> Decision:
        """The current rules' decision for a host (the block page asks which category to show)."""
        return self.classifier.classify(host)


def _max_in_flight(max_pending: int) -> int:
    """Questions forwarded at once: each holds a socket, so at most half the descriptors this process may open."""
    try:
        import resource
    except ImportError:  # Windows: no descriptor limit of this kind
        return max_pending
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return max_pending
    return max(16, min(max_pending, soft // 2))


def _udp_limit(request: DNSRecord) -> int:
    for rr in request.ar:
        if rr.rtype == QTYPE.OPT:
            return max(512, min(rr.rclass, MAX_UDP_REPLY))
    return 512


def _reply_header(request: DNSRecord, rcode: int) -> DNSRecord:
    h = request.header
    return DNSRecord(DNSHeader(id=h.id, qr=1, opcode=0, rd=h.rd, ra=1, cd=h.cd, rcode=rcode), q=request.q)


def _error_packet(qid: int, flags: int, rcode: int) -> bytes:
    """A bare header-only error reply, built by hand because the query could not be parsed."""
    opcode = flags & 0x7800
    rd = flags & 0x0100
    return struct.pack("!HHHHHH", qid, 0x8000 | opcode | rd | 0x0080 | rcode, 0, 0, 0, 0)


def _soa(qname: Any) -> RR:
    # A synthetic SOA so resolvers downstream cache the negative answer for BLOCK_TTL seconds only.
    return RR(qname, QTYPE.SOA, ttl=BLOCK_TTL, rdata=SOA(SOA_MNAME, SOA_RNAME, SOA_TIMES))


def _recv_exact(conn: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)
