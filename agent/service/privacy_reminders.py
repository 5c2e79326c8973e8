"""Reminders where private information may go out: the first visit to a social or chat site, the first time an app
uses the camera or the microphone. The child's companion shows a short, kind reminder in words for the child's age
(resources/privacy-reminders); nothing is ever blocked by it, and nothing of what the child types is seen.

What is kept, in the agent's encrypted store (kv KEY): the registrable domains ("facebook.com", never a full name,
path or address) and the app names already reminded about, so each gets its reminder once — the last MAX_KEPT of
each. Nothing of it reaches the parent: no event, no outbox item, no field of the daily summary (docs/privacy.md).

Rate limits: a page load asks for several names of one site family at once (facebook.com, fbcdn.net …): a second
new name of the same category within `merge_s` of a reminder is remembered without a notice of its own. Beyond
that a token bucket (a few at once, then one every `per_s`) keeps a browsing spree calm; a reminder the bucket
refused is not remembered, so it comes on a later visit instead.
"""

from __future__ import annotations

import collections
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from agent.dns.registrable import registrable_domain
from agent.os.account import ACCOUNT
from agent.os.capture import CaptureSource
from agent.service.core import AgentCore, RateLimit
from agent.skills.kit import band_for_age

log = logging.getLogger(__name__)

KEY = "privacy-reminders"
MAX_KEPT = 2000


class ReminderBook:
    """Which sites and apps were already reminded about, in the store; the oldest go first past MAX_KEPT."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.sites: dict[str, None] = {}  # insertion-ordered sets
        self.apps: dict[str, None] = {}
        raw = store.kv_get(KEY)
        if raw:
            try:
                data = json.loads(raw)
                self.sites = dict.fromkeys(str(s) for s in data.get("sites", []))
                self.apps = dict.fromkeys(str(a) for a in data.get("apps", []))
            except (ValueError, AttributeError, TypeError):
                # Unreadable: every site may get its reminder once more — harmless, and said for support.
                log.error("the list of sites and apps already reminded about is unreadable; starting afresh")

    def seen(self, kind: str, key: str) -> bool:
        return key in (self.sites if kind == "site" else self.apps)

    def add(self, kind: str, key: str) -> None:
        book = self.sites if kind == "site" else self.apps
        book[key] = None
        while len(book) > MAX_KEPT:
            del book[next(iter(book))]
        self.store.kv_put(KEY, json.dumps({"sites": list(self.sites), "apps": list(self.apps)}).encode())


class PrivacyReminders:
    """Decides whether a site or an app gets its reminder now, and posts it to the companion's notices."""

    def __init__(self, core: AgentCore, *, burst: int = 3, per_s: float = 1 / 900, merge_s: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.core = core
        self.book = ReminderBook(core.store)
        self.rate = RateLimit(burst=burst, per_s=per_s)
        self.merge_s = merge_s
        self.clock = clock
        self._last: dict[str, float] = {}  # category or device → when its last reminder was shown
        self._lock = threading.Lock()

    def site(self, name: str, category: str) -> bool:
        """An allowed name of a watched category was asked for. True when a reminder was posted."""
        domain = registrable_domain(name)
        if domain is None:
            return False
        return self._remind("site", domain, category, {"category": category})

    def app(self, app: str, device: str) -> bool:
        """`app` uses the camera or the microphone (`device`). True when a reminder was posted."""
        app = str(app).strip()[:80]
        if not app or device not in ("camera", "microphone"):
            return False
        return self._remind(device, f"{device}:{app}", device, {})

    def _remind(self, kind: str, key: str, group: str, extra: dict[str, Any]) -> bool:
        book_kind = "site" if kind == "site" else "app"
        with self._lock:
            if self.book.seen(book_kind, key):
                return False
            now = self.clock()
            if now - self._last.get(group, -1e18) < self.merge_s:
                self.book.add(book_kind, key)  # the same site family in the same page load: one reminder
                return False
            if not self.rate.take(now):
                return False  # not remembered: a later visit brings it
            self._last[group] = now
            self.book.add(book_kind, key)
        target = key.split(":", 1)[1] if kind != "site" else key
        self.core.notices.post({"kind": "privacy_reminder", "reason": kind, "target": target,
                                "band": band_for_age(self.core.child_age()), "left_s": None, "until": None,
                                "at": self.core.clock.now().wall, **extra})
        log.info("privacy reminder shown (%s)", kind)  # never the site or app: the log is no history
        return True


def reminders_for(core: AgentCore) -> PrivacyReminders:
    """The one PrivacyReminders of an assembled agent, shared by the site and the camera/microphone watches (one
    book, one rate limit)."""
    found = getattr(core, "privacy_reminders", None)
    if found is None:
        found = PrivacyReminders(core)
        core.privacy_reminders = found  # type: ignore[attr-defined]
    return found


def start_capture_watch(core: AgentCore, opts: Any) -> Callable[[], None] | None:
    """The camera/microphone watch of `sprout-agent run`: the OS adapter for this platform, for the child's
    account (user mode: the current user). None when there is no child yet (nothing of anyone else is read)."""

    from agent.os.capture import make_capture_source

    if core.awaiting_child:
        return None
    uid = getattr(opts, "child_uid", None)
    if uid is None:
        uid = ACCOUNT.real_uid()
    source = make_capture_source(child_uid=uid, device_root=getattr(opts, "capture_device_root", None))
    watch = CaptureWatch(reminders_for(core), source, every_s=getattr(opts, "capture_every_s", 3.0)).start()
    return watch.stop


class SiteWatch:
    """The DNS filter's `on_watched` listener: one dict lookup on the answering path, the rest on a thread."""

    def __init__(self, reminders: PrivacyReminders, *, max_pending: int = 256) -> None:
        self.reminders = reminders
        self.max_pending = max_pending
        self._asked: dict[str, None] = {}  # names already handed over in this run (the book decides for good)
        self._pending: collections.deque[tuple[str, str]] = collections.deque()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, name: str, category: str) -> None:
        if name in self._asked or len(self._pending) >= self.max_pending:
            return
        if len(self._asked) >= 50_000:
            self._asked.clear()
        self._asked[name] = None
        self._pending.append((name, category))
        self._wake.set()

    def start(self) -> SiteWatch:
        self._thread = threading.Thread(target=self._run, name="privacy-reminders-sites", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(5.0)
            self._wake.clear()
            self.drain()

    def drain(self) -> None:
        while self._pending:
            name, category = self._pending.popleft()
            try:
                if not self.reminders.site(name, category):
                    # a refused one (rate limit) may come back on a later visit
                    self._asked.pop(name, None)
            except Exception:
                log.exception("a privacy reminder for a site failed")

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(5)


class CaptureWatch:
    """Asks the OS adapter (agent/os/capture.py) every `every_s` which of the child's apps use the camera or the
    microphone; a new one gets its reminder. An adapter that fails is logged once and asked again later."""

    def __init__(self, reminders: PrivacyReminders, source: CaptureSource, *, every_s: float = 3.0) -> None:
        self.reminders = reminders
        self.source = source
        self.every_s = every_s
        self._failing = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll(self) -> int:
        """One look; the number of reminders posted."""
        try:
            uses = self.source.in_use()
        except Exception as exc:
            if not self._failing:
                log.warning("camera/microphone use cannot be read (%s); asking again later", exc)
            self._failing = True
            return 0
        self._failing = False
        return sum(1 for use in uses if self.reminders.app(use.app, use.device))

    def start(self) -> CaptureWatch:
        self._thread = threading.Thread(target=self._run, name="privacy-reminders-capture", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self.poll()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
