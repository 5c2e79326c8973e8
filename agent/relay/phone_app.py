"""`sprout-relay phone-app`: serve the parent's phone app (the static files in resources/phone) over HTTPS, on the
family's broker host beside its WebSockets listener (docs/relay.md, "The parent's phone app").

The files are static and public: everything secret lives on the phone (its keys, in the browser's storage) and
everything it exchanges is sealed end to end, so this server holds nothing. It sends the headers a PWA needs (a
JavaScript MIME type for the service worker, which Mosquitto's own http_dir does not send) and strict ones (CSP,
nosniff, no referrer). Plain HTTP only on a loopback address (a browser treats http://127.0.0.1 as secure, which the
demo and the tests use); anything else needs --cert and --key.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import ssl
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from agent.resources import resource_path

TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".webmanifest": "application/manifest+json",
         ".json": "application/json", ".png": "image/png", ".svg": "image/svg+xml"}
CSP = ("default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; media-src 'self' blob: mediastream:; "
       "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'none'")


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = TYPES
    server_version = "sprout-phone-app"
    sys_version = ""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-cache")  # the service worker keeps the offline copy
        super().end_headers()

    def list_directory(self, path: Any) -> None:  # type: ignore[override]
        self.send_error(404, "not found")
        return None

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no access log: a parent's IP address and times are nobody's business here


class _AppHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a phone that closes the page mid-download is no error of ours; anything else is logged, one line
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError | ssl.SSLError | TimeoutError):
            print(f"sprout-relay phone-app: {type(exc).__name__}: {exc}", file=sys.stderr)


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class PhoneAppServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, cert: Path | None = None, key: Path | None = None,
                 folder: Path | None = None) -> None:
        if (cert is None) != (key is None):
            raise ValueError("--cert and --key go together")
        if cert is None and not is_loopback(host):
            raise ValueError(f"{host}: plain HTTP only on a loopback address; give --cert and --key")
        self.folder = Path(folder or resource_path("phone"))
        if not (self.folder / "index.html").exists():
            raise ValueError(f"{self.folder}: no phone app here (index.html missing)")
        self.httpd = _AppHTTPServer((host, port), partial(_Handler, directory=str(self.folder)))
        self.tls = cert is not None
        if cert is not None:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.load_cert_chain(str(cert), str(key))
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host}:{port}/"

    def start(self) -> PhoneAppServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="sprout-phone-app", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="sprout-relay phone-app", description="serve the parent's phone app")
    p.add_argument("--listen", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8443)
    p.add_argument("--cert", type=Path, help="the TLS certificate (chain) a phone's browser trusts")
    p.add_argument("--key", type=Path)
    args = p.parse_args(argv)
    try:
        server = PhoneAppServer(args.listen, args.port, args.cert, args.key)
    except (ValueError, OSError, ssl.SSLError) as exc:
        print(f"sprout-relay phone-app: {exc}", file=sys.stderr)
        return 2
    print(f"the phone app: {server.url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.httpd.serve_forever()
    return 0
