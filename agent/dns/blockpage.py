"""The block page: a tiny HTTP server on the address blocked names resolve to.

A browser that opens http://blocked.example/ lands here (the DNS filter answered the block address), so the
Host header says which site was stopped; the page asks the filter's current rules which category that is and
explains, kindly and in both languages, how to ask a parent. HTTPS sites cannot be served a page (the browser
would show a certificate error), so for those the companion shows a notice from the filter's event instead.

Any path gets the page with status 200 and no-store: it is not an error, and it must not be cached as if it
were the real site.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from string import Template
from typing import Any

from agent.dns.classifier import Decision, normalize_qname
from agent.resources import resource_path

Describe = Callable[[str], Decision | None]

_REASONS = {
    "denylist": ("Bố mẹ đã thêm trang này vào danh sách chặn.", "Your parents added this site to the blocked list."),
    "keyword": ("Tên trang này giống một nhóm trang bố mẹ đã chặn.",
                "This site's name looks like a kind of site your parents blocked."),
    "list": ("Trang này thuộc một nhóm bố mẹ đã chặn.", "This site belongs to a kind of site your parents blocked."),
    "canary": ("Đây là một cách đi vòng bộ lọc.", "This is a way around the filter."),
    "safesearch": ("Công cụ tìm kiếm này không giữ được chế độ tìm kiếm an toàn nên tạm dừng. Bạn cứ dùng Google, "
                   "Bing hoặc DuckDuckGo nhé.",
                   "This search engine cannot be kept in safe mode, so it is paused. Google, Bing or DuckDuckGo "
                   "work fine."),
}
_DEFAULT_REASON = ("Trang này đang được bộ lọc của gia đình tạm dừng.", "Your family's filter paused this site.")


@lru_cache(maxsize=1)
def _template() -> Template:
    return Template(resource_path("blockpage", "page.html").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _links() -> dict[str, Any]:
    path = resource_path("blockpage", "links.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    url = data.get("report_url")
    if not isinstance(url, str) or not url.startswith("https://"):
        raise ValueError(f"{path}: report_url: must be an https:// address")
    return data


@lru_cache(maxsize=1)
def _category_titles() -> dict[str, dict[str, str]]:
    try:
        from agent.dns.categories import load_categories

        return {name: cat.title for name, cat in load_categories().items()}
    except (ImportError, ValueError):
        return {}  # the page still explains the block, just without the category's friendly title


def render_page(host: str | None, decision: Decision | None, now: datetime | None = None) -> str:
    """The page for one host; every value that came from the request is escaped."""
    site = host or "trang này / this site"
    category = decision.category if decision else None
    titles = _category_titles().get(category or "", {})
    reason = decision.reason if decision else ""
    reason = "safesearch" if reason.startswith("safesearch:") else reason.split(":")[-1]
    reason_vi, reason_en = _REASONS.get(reason, _DEFAULT_REASON)
    values = {
        "site": site,
        "category_vi": titles.get("vi", category or "không thuộc nhóm nào"),
        "category_en": titles.get("en", category or "no category"),
        "reason_vi": reason_vi,
        "reason_en": reason_en,
        "report_url": _links()["report_url"],
        "time": (now or datetime.now()).strftime("%H:%M %d/%m/%Y"),
    }
    return _template().safe_substitute({k: html.escape(v, quote=True) for k, v in values.items()})


def host_from_header(value: str | None) -> str | None:
    """The site name from a Host header ("Example.com:80" → "example.com"), None when it is not a name."""
    if not value:
        return None
    text = value.strip()
    if text.startswith("["):
        return None  # an IPv6 literal: the child typed an address, there is no site name to show
    text = text.rsplit(":", 1)[0] if text.count(":") == 1 else text
    return normalize_qname(text)


class _Handler(BaseHTTPRequestHandler):
    server_version = "Sprout"
    sys_version = ""
    describe: Describe = staticmethod(lambda host: None)
    on_view: Callable[[str | None], None] | None = None

    def do_GET(self) -> None:
        self._page(with_body=True)

    def do_HEAD(self) -> None:
        self._page(with_body=False)

    def do_POST(self) -> None:
        self._page(with_body=True)

    def _page(self, with_body: bool) -> None:
        host = host_from_header(self.headers.get("Host"))
        if self.path.startswith("/favicon"):
            self.send_response(204)
            self.end_headers()
            return
        decision = None
        if host is not None:
            try:
                decision = type(self).describe(host)
            except Exception:  # the page must still show; the category is a nicety
                decision = None
        body = render_page(host, decision).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        if with_body:
            self.wfile.write(body)
        if type(self).on_view is not None:
            type(self).on_view(host)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the DNS filter already logs the block; paths may hold personal data


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        import socket

        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, handler)


class BlockPageServer:
    """Serves the page in a background thread until stop(). `describe(host)` gives the current decision."""

    def __init__(self, host: str = "127.0.0.1", port: int = 8080, describe: Describe | None = None,
                 on_view: Callable[[str | None], None] | None = None) -> None:
        handler = type("BlockPageHandler", (_Handler,), {
            "describe": staticmethod(describe or (lambda host: None)),
            "on_view": staticmethod(on_view) if on_view else None,
        })
        self._httpd = _Server((host, port), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="blockpage", daemon=True)

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._httpd.server_address[:2]
        return str(host), int(port)

    def start(self) -> BlockPageServer:
        _template()  # fail now, at start-up, if the page resource is missing, not on the child's first block
        _links()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(2.0)
