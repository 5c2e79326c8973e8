"""`sprout-agent dns --listen 127.0.0.1:47853 [--upstream IP:PORT ...] [--policy FILE] [--index PATH]
[--blockpage 127.0.0.1:8080]`: run the filter in the foreground, one log line per block, Ctrl-C or SIGTERM to stop.

As a service the filter listens on port 53 and the block page on port 80 (browsers only ask port 80 for
http://site/); in user mode both sit on high loopback ports and the page is only reached by tests or by typing
its port.
"""

from __future__ import annotations

import argparse
import collections
import logging
import operator
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.dns.cli_classify import add_rule_options, build_classifier
from agent.dns.upstream import Upstream, parse_hostport
from agent.errors import CliError
from agent.os.port_sharing import can_share_port

if TYPE_CHECKING:
    from agent.dns.server import EventRow


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("dns", help="run the DNS web filter in the foreground",
                                   description="Run the local DNS filter (UDP and TCP) and its block page.")
    parser.add_argument("--listen", default="127.0.0.1:47853", metavar="IP:PORT",
                        help="address for DNS over UDP and TCP (default 127.0.0.1:47853; 53 as a service)")
    parser.add_argument("--upstream", action="append", default=[], metavar="IP:PORT",
                        help="upstream resolver, repeat for failover in order (default: /etc/resolv.conf)")
    parser.add_argument("--blockpage", default="127.0.0.1:8080", metavar="IP:PORT",
                        help="block page address; blocked names resolve to its IP (default 127.0.0.1:8080)")
    parser.add_argument("--no-blockpage", action="store_true", help="answer blocks with 0.0.0.0 / :: and no page")
    parser.add_argument("--timeout", type=float, default=1.5, metavar="SECONDS",
                        help="per-upstream timeout; a client gets SERVFAIL after at most twice this")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="processes answering on the same port (SO_REUSEPORT; the kernel spreads clients "
                             "over them; default 1)")
    parser.add_argument("--log-rate", type=int, default=100, metavar="N",
                        help="blocks logged one line each, up to N a second (per worker); past it one line every "
                             "10 s counts the rest with their top names (0: every block, however many; default 100)")
    add_rule_options(parser)
    parser.set_defaults(func=run)


def system_upstreams(listen: tuple[str, int], resolv_conf: Path = Path("/etc/resolv.conf")) -> list[Upstream]:
    """The system's nameservers, minus ourselves (a loop would answer every query with SERVFAIL, slowly)."""
    try:
        lines = resolv_conf.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "nameserver":
            try:
                host, port = parse_hostport(parts[1], 53, "nameserver")
            except ValueError:
                continue
            if (host, port) != listen:
                found.append(Upstream(host, port))
    return found


def run(args: argparse.Namespace) -> int:
    from agent.dns.filter_setup import filter_server

    listen = _address(args.listen, 53, "--listen")
    if args.upstream:
        upstreams = [Upstream(*_address(text, 53, "--upstream")) for text in args.upstream]
    else:
        upstreams = system_upstreams(listen)
        if not upstreams:
            raise CliError("--upstream: none given and /etc/resolv.conf names no other resolver")
    if not 0.05 <= args.timeout <= 10:
        raise CliError(f"--timeout {args.timeout}: must be between 0.05 and 10 seconds")
    page_host, page_port = _address(args.blockpage, 80, "--blockpage")
    if not 1 <= args.workers <= 64:
        raise CliError(f"--workers {args.workers}: must be between 1 and 64")
    if not 0 <= args.log_rate <= 1_000_000:
        raise CliError(f"--log-rate {args.log_rate}: must be between 0 (every block) and 1000000 lines a second")
    if args.workers > 1 and not can_share_port():
        raise CliError("--workers: this system has no SO_REUSEPORT; run with one worker")
    classifier = build_classifier(args)

    block_ipv4, block_ipv6 = "0.0.0.0", "::"
    if not args.no_blockpage:
        shown = "127.0.0.1" if page_host == "0.0.0.0" else page_host
        if ":" in shown:
            block_ipv6 = "::1" if shown == "::" else shown
        else:
            block_ipv4 = shown

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sink = LineSink(per_second=args.log_rate).start()

    on_events = sink.add_rows  # the events as rows, a batch at a time: the sink's thread makes the lines

    def on_view(host: str | None) -> None:
        # Proves the child's browser reached the page (plain http); still no path, only the site.
        sink.add(f"{datetime.now(UTC).isoformat(timespec='seconds')}\tpage\t{host or '-'}\n")

    server = filter_server(classifier, upstreams, listen, block_ipv4=block_ipv4, block_ipv6=block_ipv6,
                           on_events=on_events, timeout_s=args.timeout, reuse_port=args.workers > 1)
    page = None
    if not args.no_blockpage:
        # Imported only when a page is served: http.server brings ssl and email, 6 MB of a filter's memory.
        from agent.dns.blockpage import BlockPageServer

        try:
            page = BlockPageServer(page_host, page_port, describe=lambda host: server.classify(host),
                                   on_view=on_view).start()
        except OSError as exc:
            raise CliError(f"--blockpage {args.blockpage}: cannot listen: {_why(exc)}") from None
    try:
        server.start()
    except OSError as exc:
        if page is not None:
            page.stop()
        raise CliError(f"--listen {args.listen}: cannot listen: {_why(exc)}") from None

    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    host, port = server.address
    children = []
    if args.workers > 1:
        import multiprocessing

        spawn = multiprocessing.get_context("spawn")  # each worker binds its own SO_REUSEPORT sockets
        for _ in range(args.workers - 1):
            child = spawn.Process(target=_worker, args=(args, (host, port), upstreams, block_ipv4, block_ipv6,
                                                        os.getpid()), daemon=False)
            child.start()
            children.append(child)
    shown_page = "off" if page is None else "{}:{}".format(*page.address)
    print(f"sprout dns: listening on {host}:{port} (udp+tcp), upstream "
          f"{', '.join(str(u) for u in upstreams)}, block page {shown_page}", file=sys.stderr, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        for child in children:
            child.terminate()  # SIGTERM: the worker stops and writes its last lines
        server.stop()
        if page is not None:
            page.stop()
        for child in children:
            child.join(10)
            if child.is_alive():
                child.kill()
                child.join()
        sink.close()  # every line logged before the stop is written
    print("sprout dns: stopped", file=sys.stderr, flush=True)
    return 0


def _worker(args: argparse.Namespace, listen: tuple[str, int], upstreams: list[Upstream], block_ipv4: str,
            block_ipv6: str, parent: int) -> None:
    """One more `--workers` process: the same rules and upstreams on the parent's port (no block page of its
    own); stops on SIGTERM, Ctrl-C, or when the parent is gone."""
    from agent.dns.filter_setup import filter_server

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sink = LineSink(per_second=args.log_rate).start()

    on_events = sink.add_rows  # the events as rows, a batch at a time: the sink's thread makes the lines

    server = filter_server(build_classifier(args), upstreams, listen, block_ipv4=block_ipv4, block_ipv6=block_ipv6,
                           on_events=on_events, timeout_s=args.timeout, reuse_port=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server.start()
    try:
        while not stop.wait(0.5) and os.getppid() == parent:
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        sink.close()


class LineSink:
    """Log lines kept in memory and written to stdout at most every `interval` seconds by a background thread.

    Printing and flushing one line per block costs the loop several microseconds a query; `add` is one deque
    append (thread-safe without a lock) of a line or of a block event, and `add_rows` (the filter's `on_events`)
    one extend for a whole batch of blocks as rows; the sink's thread formats them. `close` writes whatever is
    left, so nothing logged is lost on a stop.

    Block rows follow the agent's rule for a flood (agent/service/web_filter.py): each block has its own line
    until `per_second` lines were logged within a second; the blocks past that are only counted, and once every
    `period_s` (and at close) one line tells them: "N more blocked tries, top names …". At a person's rate every
    block is one line; a flood of unique names costs the answering path one slice a batch and the log a bounded
    number of lines a second, and the counting keeps at most `max_names` names a period."""

    CHUNK = 4000  # whole lines per write, under PIPE_BUF: writes from several processes never interleave mid-line
    BACKLOG = 1024  # a flood of blocks wakes the writer early, so the queue never holds more than about this
    BACKLOG_BATCHES = 16  # a flood past the rate wakes the writer too: set-aside rows are memory until counted
    TOP = 5  # names in a summary line

    def __init__(self, interval: float = 0.5, stream: Any = None, *, per_second: int = 100,
                 period_s: float = 10.0, max_names: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._stream = stream
        self.per_second = per_second
        self.period_s = period_s
        self.max_names = max_names
        self.clock = clock
        self._lines: collections.deque[str | dict[str, Any] | EventRow] = collections.deque()
        self._rate = per_second if per_second > 0 else sys.maxsize  # 0: every block its line
        self._budget = self._rate  # lines left in this second
        self._second_ends = 0.0
        self._surplus: collections.deque[list[EventRow]] = collections.deque()  # past the rate: counted only
        self._more = 0  # blocks counted this period
        self._names: collections.Counter[str] = collections.Counter()
        self._period_start: float | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> LineSink:
        self._thread = threading.Thread(target=self._run, name="dns-log", daemon=True)
        self._thread.start()
        return self

    def add(self, item: str | dict[str, Any]) -> None:
        lines = self._lines
        lines.append(item)
        if len(lines) == self.BACKLOG:
            self._wake.set()

    def add_rows(self, rows: list[EventRow]) -> None:
        """The filter's `on_events`: a batch of block events as rows, kept as they are until the writer's turn
        (those past `per_second` in a second set aside whole, to be counted there)."""
        n = len(rows)
        if n > self._budget:
            now = self.clock()
            if now >= self._second_ends:  # the clock is read only when the second's lines run out
                self._second_ends = now + 1.0
                self._budget = self._rate
            if n > self._budget:
                keep = self._budget
                surplus = self._surplus
                surplus.append(rows[keep:] if keep else rows)  # one append, no work a row
                if len(surplus) == self.BACKLOG_BATCHES:
                    self._wake.set()  # a flood's rows are counted now, not held for the rest of the interval
                if not keep:
                    return
                rows = rows[:keep]
                n = keep
        self._budget -= n
        lines = self._lines
        before = len(lines)
        lines.extend(rows)
        if before < self.BACKLOG <= before + n:
            self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            self.flush()

    def flush(self, *, final: bool = False) -> None:
        lines, popleft = self._lines, self._lines.popleft
        with self._lock:
            taken = [popleft() for _ in range(len(lines))]
            summary = self._count_surplus(final)
            if not taken and not summary:
                return
            stream = self._stream if self._stream is not None else sys.stdout
            # One string, then cut at line ends: per line only the formatting is Python work (a flood of blocks
            # is formatted here, in this process, so its cost is the filter's too)
            text = "".join([f"{item[0]}\t{item[1]}\t{item[2]}\t{item[3] or '-'}\t{item[4]}\t{item[5]}\n"
                            if item.__class__ is tuple else item if item.__class__ is str else
                            f"{item['time']}\t{item['verdict']}\t{item['domain']}\t{item['category'] or '-'}\t"
                            f"{item['reason']}\t{item['qtype']}\n" for item in taken]) + summary
            start, size = 0, len(text)
            while start < size:
                end = start + self.CHUNK
                if end < size:
                    cut = text.rfind("\n", start, end)
                    end = cut + 1 if cut >= start else text.find("\n", end) + 1 or size  # a line over CHUNK: whole
                else:
                    end = size
                stream.write(text[start:end])
                stream.flush()
                start = end

    def _count_surplus(self, final: bool) -> str:
        """Count the blocks set aside since the last flush; the period's summary line when it is due, else ""."""
        surplus, popleft, names = self._surplus, self._surplus.popleft, self._names
        for batch in [popleft() for _ in range(len(surplus))]:  # what add_rows appends meanwhile waits its turn
            self._more += len(batch)
            if len(names) < self.max_names:  # past it only the count grows (a flood of unique names)
                names.update(map(_DOMAIN, batch))
        if not self._more:
            return ""
        now = self.clock()
        if self._period_start is None:
            self._period_start = now
        if not final and now - self._period_start < self.period_s:
            return ""
        more, self._more, self._period_start = self._more, 0, None
        top = ", ".join(f"{name} ({count})" for name, count in names.most_common(self.TOP))
        distinct = len(names) if len(names) < self.max_names else f"{self.max_names}+"
        names.clear()
        return (f"{datetime.now(UTC).isoformat(timespec='seconds')}\tsummary\t{more} more blocked tries "
                f"(over {self.per_second} a second, {distinct} names), top names: {top}\n")

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(5)
        self.flush(final=True)


_DOMAIN = operator.itemgetter(2)


def _why(exc: OSError) -> str:
    hint = " (ports below 1024 need root or CAP_NET_BIND_SERVICE)" if exc.errno == 13 else ""
    return f"{exc.strerror or exc}{hint}"


def _address(text: str, default_port: int, what: str) -> tuple[str, int]:
    try:
        return parse_hostport(text, default_port, what)
    except ValueError as exc:
        raise CliError(str(exc)) from None
