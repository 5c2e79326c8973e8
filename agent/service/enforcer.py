"""Carry out the ledger's decisions: close games, close blocked apps, lock or log out the session.

Closing is asked politely first (SIGTERM / WM_CLOSE) and forced after a grace period; that wait happens on a
worker thread so the 1-second tick never stalls. Only the child's own processes are ever touched: the OS adapter
checks the owner again right before each signal.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from agent.ledger.ledger import LedgerDecision

# The OS adapters' own interfaces (agent/os/), defined once there.
from agent.os.session import SessionControl
from agent.os.terminate import ProcessCloser as Closer

log = logging.getLogger(__name__)
__all__ = ["Closer", "Enforcer", "SessionControl"]

BLOCK_GRACE_S = 1.0  # a blocked app gets a second to close itself, so it is gone within 2 s of starting
SESSION_ACTION_EVERY_S = 10.0  # do not hammer lock/logout while the desktop takes its time


class Enforcer:
    def __init__(self, *, closer: Closer, session: SessionControl | None, child_uid: int | None,
                 grace_s: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.closer = closer
        self.session = session
        self.child_uid = child_uid
        self.grace_s = grace_s
        self.monotonic = monotonic
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sprout-close")
        self._closing: set[int] = set()
        self._lock = threading.Lock()
        self._last_session_action = -1e9
        self.results: list[dict[str, Any]] = []  # what was done, for events (drained by the service)

    def act(self, decisions: list[LedgerDecision], pids: dict[str, list[tuple[int, float | None]]]) -> None:
        for d in decisions:
            if d.kind in ("close", "block") and d.target:
                grace = self.grace_s if d.kind == "close" else min(self.grace_s, BLOCK_GRACE_S)
                for pid, created in pids.get(d.target, []):
                    self._close(pid, created, d, grace)
            elif d.kind in ("lock", "logout"):
                self._session(d.kind)

    def _close(self, pid: int, created: float | None, decision: LedgerDecision, grace: float) -> None:
        with self._lock:
            if pid in self._closing:
                return
            self._closing.add(pid)

        def work() -> None:
            try:
                result = self.closer(pid, allowed_uid=self.child_uid, grace_s=grace, create_time=created)
                outcome = getattr(result, "outcome", None) or getattr(result, "action", None) or str(result)
                with self._lock:
                    self.results.append({"pid": pid, "target": decision.target, "kind": decision.kind,
                                         "outcome": str(outcome)})
            except Exception:
                log.exception("closing pid %s for %s failed", pid, decision.target)
            finally:
                with self._lock:
                    self._closing.discard(pid)

        self._pool.submit(work)

    def _session(self, action: str) -> None:
        """Lock (or log out) the session; when that fails, the next way (lock → log out), and when every way
        fails, a result of kind "session_failed" tells the service to cover the screen and alert the parent."""
        now = self.monotonic()
        if self.session is None or now - self._last_session_action < SESSION_ACTION_EVERY_S:
            return
        self._last_session_action = now
        tried: list[str] = []
        for way in (action, "logout") if action == "lock" else (action,):
            ok, detail = self._try_session(way)
            tried.append(f"{way}: {detail}")
            if ok:
                with self._lock:
                    self.results.append({"kind": way, "target": "screen", "outcome": "done", "detail": detail,
                                         "after_failures": tried[:-1]})
                return
        with self._lock:
            self.results.append({"kind": "session_failed", "target": "screen", "outcome": "failed",
                                 "tried": tried})

    def _try_session(self, way: str) -> tuple[bool, str]:
        try:
            result = getattr(self.session, way)()
        except Exception as exc:
            log.exception("session %s failed", way)
            return False, f"{type(exc).__name__}: {exc}"
        ok = getattr(result, "ok", True)  # an adapter that returns nothing and raises nothing did it
        return bool(ok), str(getattr(result, "detail", "") or ("done" if ok else "failed"))

    def drain_results(self) -> list[dict[str, Any]]:
        with self._lock:
            out, self.results = self.results, []
        return out

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
