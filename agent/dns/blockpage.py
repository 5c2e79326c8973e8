"""The block page: a tiny HTTP server on the address blocked names resolve to.

A browser that opens http://blocked.example/ lands here (the DNS filter answered the block address), so the
Host header says which site was stopped; the page asks the filter's current rules which category that is and
explains, kindly and in both languages, how to ask a parent. HTTPS sites cannot be served a page (the browser
would show a certificate error), so for those the companion shows a notice from the filter's event instead.

Any path gets the page with status 200 and no-store: it is not an error, and it must not be cached as if it
were the real site.

Served by the agent (`sprout-agent run`), the page has a button that asks the parents to open the site: a POST to
/ask, carrying a token only this page holds (another site cannot make the child's browser send requests to the
parents), handed to `ask(host, decision)`, which sends it through the agent to the paired consoles. The
standalone `sprout-agent dns` has no parents to ask, so its page says to talk to them.
"""

from __future__ import annotations

import hmac
import html
import json
import secrets
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
Ask = Callable[[str, Decision | None], str]  # (host, decision) -> "sent" | "already" | "busy"
MAX_FORM_BYTES = 2048

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
_HEADINGS = ("Bố mẹ đã chọn không mở trang này", "Your parents chose not to open this site")
# The parent's "pause internet until …" (agent/dns/pause.py): every site rests, none is judged
_PAUSED_HEADINGS = ("Bố mẹ đã tạm dừng Internet", "Your parents paused the internet")
_PAUSED_REASON = ("Internet đang tạm nghỉ đến {until}. Sau giờ đó, trang này sẽ mở lại như thường.",
                  "The internet is resting until {until}. After that, this site opens again as usual.")
_PAUSED_OPEN = ("Internet đang tạm nghỉ cho đến khi bố mẹ mở lại.",
                "The internet is resting until your parents turn it back on.")
_PAUSED_TALK = ("<p>Bạn không làm gì sai cả. Nếu bạn cần Internet cho bài tập, hãy nói với bố mẹ.</p>",
                "<p>You did nothing wrong. If you need the internet for homework, talk to your parents.</p>")
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


_ASK_TALK = ("<p>Bạn không làm gì sai cả. Nếu bạn cần trang này cho việc học hoặc nghĩ rằng nó bị chặn nhầm, hãy "
             "nói với bố mẹ, kèm tên trang ở trên.</p>",
             "<p>You did nothing wrong. If you need this site for school or think it was blocked by mistake, talk to "
             "your parents and tell them the site name above.</p>")
_ASK_BUTTON = ("<p>Bạn không làm gì sai cả. Nếu bạn cần trang này cho việc học hoặc nghĩ rằng nó bị chặn nhầm:</p>"
               "<form method=\"post\" action=\"/ask\"><input type=\"hidden\" name=\"site\" value=\"{site}\">"
               "<input type=\"hidden\" name=\"token\" value=\"{token}\">"
               "<button type=\"submit\">Xin bố mẹ mở trang này</button></form>"
               "<p>Bố mẹ sẽ thấy lời xin trên máy của bố mẹ. Bạn cũng có thể nói chuyện trực tiếp với bố mẹ.</p>",
               "<p>You did nothing wrong. If you need this site for school or think it was blocked by mistake:</p>"
               "<form method=\"post\" action=\"/ask\"><input type=\"hidden\" name=\"site\" value=\"{site}\">"
               "<input type=\"hidden\" name=\"token\" value=\"{token}\">"
               "<button type=\"submit\">Ask my parents to open it</button></form>"
               "<p>Your parents will see the request on their computer. You can also just talk to them.</p>")
_ASKED = {
    "sent": ("<p class=\"sent\">Đã gửi lời xin cho bố mẹ. Khi bố mẹ đồng ý, trang sẽ mở được.</p>",
             "<p class=\"sent\">Your request was sent to your parents. If they agree, the site will open.</p>"),
    "already": ("<p class=\"sent\">Bạn đã xin mở trang này rồi; bố mẹ sẽ xem sớm thôi.</p>",
                "<p class=\"sent\">You already asked for this site; your parents will look soon.</p>"),
    "busy": ("<p class=\"sent\">Bạn đã gửi nhiều lời xin; hãy chờ một lát hoặc nói chuyện với bố mẹ nhé.</p>",
             "<p class=\"sent\">You have sent many requests; wait a little or talk to your parents.</p>"),
}


def render_page(host: str | None, decision: Decision | None, now: datetime | None = None, *,
                ask_token: str | None = None, asked: str | None = None, paused_until: str | None = None) -> str:
    """The page for one host; every value that came from the request is escaped. ask_token: show the "ask my
    parents" button (the agent's page); asked: the answer to a request just sent; paused_until: the end of the
    parent's pause ("18:00", "" when open-ended) when the decision is the pause's."""
    site = host or "trang này / this site"
    category = decision.category if decision else None
    titles = _category_titles().get(category or "", {})
    reason = decision.reason if decision else ""
    reason = "safesearch" if reason.startswith("safesearch:") else reason.split(":")[-1]
    reason_vi, reason_en = _REASONS.get(reason, _DEFAULT_REASON)
    heading_vi, heading_en = _HEADINGS
    paused = reason == "paused"
    if paused:
        heading_vi, heading_en = _PAUSED_HEADINGS
        texts = _PAUSED_REASON if paused_until else _PAUSED_OPEN
        reason_vi, reason_en = (t.format(until=paused_until) for t in texts)
    values = {
        "site": site,
        "category_vi": titles.get("vi", category or "không thuộc nhóm nào"),
        "category_en": titles.get("en", category or "no category"),
        "reason_vi": reason_vi,
        "reason_en": reason_en,
        "heading_vi": heading_vi,
        "heading_en": heading_en,
        "report_url": _links()["report_url"],
        "time": (now or datetime.now()).strftime("%H:%M %d/%m/%Y"),
    }
    escaped = {k: html.escape(v, quote=True) for k, v in values.items()}
    lines = {"category_line_vi": "", "category_line_en": ""} if paused else {
        "category_line_vi": f"<p><b>Nhóm:</b> {escaped['category_vi']}</p>",
        "category_line_en": f"<p><b>Category:</b> {escaped['category_en']}</p>"}
    if paused and asked not in _ASKED:
        ask_vi, ask_en = _PAUSED_TALK  # nothing to ask per site: the whole internet comes back at once
    elif asked in _ASKED:
        ask_vi, ask_en = _ASKED[asked]
    elif ask_token is not None and host is not None:
        fill = {"site": html.escape(host, quote=True), "token": html.escape(ask_token, quote=True)}
        ask_vi, ask_en = (text.format(**fill) for text in _ASK_BUTTON)
    else:
        ask_vi, ask_en = _ASK_TALK
    return _template().safe_substitute(escaped, ask_vi=ask_vi, ask_en=ask_en, **lines)


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
    ask: Ask | None = None
    token: str | None = None
    paused: Callable[[], str | None] | None = None

    def do_GET(self) -> None:
        self._page(with_body=True)

    def do_HEAD(self) -> None:
        self._page(with_body=False)

    def do_POST(self) -> None:
        cls = type(self)
        if self.path.split("?", 1)[0] != "/ask" or cls.ask is None or cls.token is None:
            self._page(with_body=True)
            return
        try:
            size = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            size = -1
        if not 0 <= size <= MAX_FORM_BYTES:
            self._send(413, b"")
            return
        from urllib.parse import parse_qs

        form = parse_qs(self.rfile.read(size).decode("utf-8", "replace"))
        token = (form.get("token") or [""])[0]
        site = normalize_qname((form.get("site") or [""])[0])
        if site is None or not hmac.compare_digest(token.encode(), cls.token.encode()):
            self._send(403, b"")  # not from this page: a site cannot send requests to the parents
            return
        try:
            decision = cls.describe(site)
        except Exception:
            decision = None
        try:
            asked = cls.ask(site, decision)
        except Exception:
            asked = "busy"
        self._page(with_body=True, host=site, asked=asked)

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _page(self, with_body: bool, host: str | None = None, asked: str | None = None) -> None:
        host = host or host_from_header(self.headers.get("Host"))
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
        cls = type(self)
        token = cls.token if cls.ask is not None else None
        until = None
        if decision is not None and decision.reason == "paused" and cls.paused is not None:
            try:
                until = cls.paused()
            except Exception:
                until = None
        body = render_page(host, decision, ask_token=token, asked=asked, paused_until=until).encode("utf-8")
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
                 on_view: Callable[[str | None], None] | None = None, ask: Ask | None = None,
                 paused: Callable[[], str | None] | None = None) -> None:
        handler = type("BlockPageHandler", (_Handler,), {
            "describe": staticmethod(describe or (lambda host: None)),
            "on_view": staticmethod(on_view) if on_view else None,
            "ask": staticmethod(ask) if ask else None,
            "token": secrets.token_urlsafe(18),
            "paused": staticmethod(paused) if paused else None,
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
