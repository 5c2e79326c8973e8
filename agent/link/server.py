"""The agent's HTTP endpoint for paired consoles (stdlib ThreadingHTTPServer; bodies bounded, sockets timed out)."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from agent.link.service import LinkService
from agent.protocol.envelope import MAX_ENVELOPE_BYTES

READ_TIMEOUT_S = 10.0


class _Handler(BaseHTTPRequestHandler):
    server_version = "sprout-link/1"
    sys_version = ""
    timeout = READ_TIMEOUT_S  # a slow or silent client loses its socket, not a thread forever
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # headers and body leave in two writes; without this, Nagle + delayed ACK add ~40 ms to every reply
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _serve(self, method: str) -> None:
        service: LinkService = self.server.link_service  # type: ignore[attr-defined]
        length_text = self.headers.get("Content-Length", "0" if method == "GET" else "")
        try:
            length = int(length_text)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_ENVELOPE_BYTES:
            self._reply(411 if length < 0 else 413, b'{"error":"bad_length","reason":"Content-Length missing or '
                                                     b'too large"}', close=True)
            return
        body = self.rfile.read(length) if length else b""
        if len(body) != length:
            self._reply(400, b'{"error":"truncated","reason":"the body ended early"}', close=True)
            return
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
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def log_message(self, format: str, *args: object) -> None:  # request lines would flood the service log
        pass


class LinkServer:
    """Serve a LinkService on host:port in a background thread; port 0 picks a free port."""

    def __init__(self, service: LinkService, host: str = "127.0.0.1", port: int = 0) -> None:
        self.httpd = ThreadingHTTPServer((host, port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.link_service = service  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="sprout-link", daemon=True)

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.httpd.server_address[:2]
        return str(host), int(port)

    def start(self) -> LinkServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)
