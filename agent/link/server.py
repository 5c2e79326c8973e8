"""The agent's HTTP endpoint for paired consoles (stdlib ThreadingHTTPServer; bodies bounded, sockets timed out).

Floods (a child's account or a LAN device holding a thousand slow connections) must never cost enforcement:
- connections are capped in total and per address; beyond, a new connection is closed at once (no thread, no read),
  except that when the total is full, the connection that has waited longest without sending a whole request is
  closed to make room (a paired console sends its request at once; a flood's half-sent requests go first);
- each request must arrive whole within REQUEST_DEADLINE_S (a reaper closes it otherwise: a client trickling one
  byte every few seconds does not get a fresh timeout per byte);
- the total cap is also a share of the process's descriptor limit, so the link sheds load long before the store,
  the DNS filter or the companion channel run out of descriptors.
"""

from __future__ import annotations

import contextlib
import logging
import resource
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from agent.link.handler import LinkService
from agent.protocol.envelope import MAX_ENVELOPE_BYTES

log = logging.getLogger("sprout.link")

READ_TIMEOUT_S = 10.0
REQUEST_DEADLINE_S = 10.0  # the whole request line, headers and body; then the connection is closed
MAX_CONNECTIONS = 64
MAX_PER_ADDRESS = 8  # a family has a few consoles; a phone through the relay is not on this socket
FD_SHARE = 4  # the link may use at most 1/FD_SHARE of the process's descriptor limit
EVICT_SLACK = 16  # evicted connections still closing, beyond the cap


def connection_cap(limit: int = MAX_CONNECTIONS) -> int:
    try:
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (OSError, ValueError):
        return limit
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return limit
    return max(4, min(limit, soft // FD_SHARE))


class _Handler(BaseHTTPRequestHandler):
    server_version = "sprout-link/1"
    sys_version = ""
    timeout = READ_TIMEOUT_S  # a slow or silent client loses its socket, not a thread forever
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # headers and body leave in two writes; without this, Nagle + delayed ACK add ~40 ms to every reply
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle_one_request(self) -> None:
        srv: LinkHTTPServer = self.server  # type: ignore[assignment]
        srv.reading(self.connection, True)  # the next request (or keep-alive idleness) is on the clock
        super().handle_one_request()

    def _serve(self, method: str) -> None:
        srv: LinkHTTPServer = self.server  # type: ignore[assignment]
        service: LinkService = srv.link_service
        length_text = self.headers.get("Content-Length", "0" if method == "GET" else "")
        try:
            length = int(length_text)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_ENVELOPE_BYTES:
            self._reply(411 if length < 0 else 413, b'{"error":"bad_length","reason":"Content-Length missing or '
                                                     b'too large"}', close=True)
            return
        try:
            body = self.rfile.read(length) if length else b""
        except OSError:
            body = b""
        if len(body) != length:
            self._reply(400, b'{"error":"truncated","reason":"the body ended early"}', close=True)
            return
        srv.reading(self.connection, False)  # read whole: answering (a long-poll) is not on the read clock
        status, data = service.handle(method, self.path, body)
        self._reply(status, data)

    def _reply(self, status: int, data: bytes, close: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        with contextlib.suppress(OSError):  # closed by the reaper or the client meanwhile
            self.wfile.write(data)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def log_message(self, format: str, *args: object) -> None:  # request lines would flood the service log
        pass


class LinkHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 16

    def __init__(self, address: tuple[str, int], *, max_connections: int | None = None,
                 max_per_address: int = MAX_PER_ADDRESS, deadline_s: float = REQUEST_DEADLINE_S) -> None:
        # Everything is set before binding: a failed bind calls server_close() from inside __init__.
        self.link_service: Any = None
        self.max_connections = max_connections or connection_cap()
        self.max_per_address = max_per_address
        self.deadline_s = deadline_s
        self._lock = threading.Lock()
        self._open: dict[socket.socket, str] = {}  # connection → peer address
        self._per_address: dict[str, int] = {}
        self._deadlines: dict[socket.socket, float] = {}
        self.shed = 0  # connections closed at once because of the caps
        self._stop = threading.Event()
        self._reaper = threading.Thread(target=self._reap, name="sprout-link-reaper", daemon=True)
        super().__init__(address, _Handler)

    # ---- admission --------------------------------------------------------------------------------------
    def verify_request(self, request: Any, client_address: Any) -> bool:
        host = str(client_address[0]) if isinstance(client_address, tuple) else "?"
        evict = None
        with self._lock:
            full = len(self._open) >= self.max_connections
            if full and self._per_address.get(host, 0) < self.max_per_address and self._deadlines:
                # Full of connections: the one that has waited longest without sending a whole request makes
                # room (a flood's half-sent requests go first; a console sends its request at once). Evicted
                # sockets free their slot when their thread ends: EVICT_SLACK bounds the overlap.
                oldest = min(self._deadlines, key=self._deadlines.__getitem__)
                if len(self._open) < self.max_connections + EVICT_SLACK:
                    evict = oldest
                    self._deadlines.pop(oldest, None)
                    full = False
            if full or self._per_address.get(host, 0) >= self.max_per_address:
                self.shed += 1
                if self.shed in (1, 10, 100, 1000) or self.shed % 10000 == 0:
                    log.warning("link: %d connections shed (cap %d total, %d per address; last from %s)",
                                self.shed, self.max_connections, self.max_per_address, host)
                return False  # socketserver closes it: no thread, no read
            self._open[request] = host
            self._per_address[host] = self._per_address.get(host, 0) + 1
            self._deadlines[request] = time.monotonic() + self.deadline_s
        if evict is not None:
            self.shed += 1
            with contextlib.suppress(OSError):
                evict.shutdown(socket.SHUT_RDWR)
        return True

    def shutdown_request(self, request: Any) -> None:
        with self._lock:
            host = self._open.pop(request, None)
            self._deadlines.pop(request, None)
            if host is not None:
                left = self._per_address.get(host, 1) - 1
                if left > 0:
                    self._per_address[host] = left
                else:
                    self._per_address.pop(host, None)
        super().shutdown_request(request)

    def reading(self, conn: socket.socket, on: bool) -> None:
        with self._lock:
            if conn in self._open:
                if on:
                    self._deadlines[conn] = time.monotonic() + self.deadline_s
                else:
                    self._deadlines.pop(conn, None)

    def open_connections(self) -> int:
        with self._lock:
            return len(self._open)

    # ---- the whole-request deadline ---------------------------------------------------------------------
    def _reap(self) -> None:
        while not self._stop.wait(0.5):
            now = time.monotonic()
            with self._lock:
                late = [c for c, d in self._deadlines.items() if d <= now]
                for c in late:
                    self._deadlines.pop(c, None)
            for c in late:
                with contextlib.suppress(OSError):
                    c.shutdown(socket.SHUT_RDWR)  # the handler's read ends; its thread closes the socket

    def start_reaper(self) -> None:
        self._reaper.start()

    def server_close(self) -> None:
        self._stop.set()
        super().server_close()


class LinkServer:
    """Serve a LinkService on host:port in a background thread; port 0 picks a free port."""

    def __init__(self, service: LinkService, host: str = "127.0.0.1", port: int = 0, *,
                 max_connections: int | None = None, max_per_address: int = MAX_PER_ADDRESS,
                 deadline_s: float = REQUEST_DEADLINE_S) -> None:
        self.httpd = LinkHTTPServer((host, port), max_connections=max_connections, max_per_address=max_per_address,
                                    deadline_s=deadline_s)
        self.httpd.link_service = service
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="sprout-link", daemon=True)

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.httpd.server_address[:2]
        return str(host), int(port)

    def start(self) -> LinkServer:
        self.httpd.start_reaper()
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)
