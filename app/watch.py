"""Hearing the family's PCs as soon as something happens: one thread per paired device long-polls its outbox on the
link's poll lane (the agent answers within a tenth of a second of a new item), stores what arrives and hands it
on. A timer that asks every 30 s made a child wait 10–25 s before the parent even saw "more time, please".

No Qt here: the console bridges `on_items` to its widgets with a queued signal; a phone face could do the same.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from app.family import Family, FamilyError
from app.link_client import DeviceLink, LinkError

log = logging.getLogger("sprout.console")

WAIT_S = 8.0  # one long-poll; also the longest a closing console waits for its watchers
RETRY_S = (2.0, 5.0, 15.0, 30.0)  # an unreachable PC is asked again less and less often, never given up on


class Watcher:
    def __init__(self, family: Family, on_items: Callable[[str, list[dict[str, Any]]], None], *,
                 wait_s: float = WAIT_S) -> None:
        self.family = family
        self.on_items = on_items
        self.wait_s = wait_s
        self._stop = threading.Event()
        self._threads: dict[str, tuple[threading.Thread, threading.Event]] = {}
        self._lock = threading.Lock()

    def sync(self) -> None:
        """Watch exactly the devices paired now (call after pairing or unpairing)."""
        wanted = {d["device_id"] for d in self.family.devices()}
        with self._lock:
            if self._stop.is_set():
                return
            for did in set(self._threads) - wanted:
                self._threads.pop(did)[1].set()
            for did in wanted - set(self._threads):
                gone = threading.Event()
                t = threading.Thread(target=self._loop, args=(did, gone), name=f"sprout-watch-{did[:7]}",
                                     daemon=True)
                self._threads[did] = (t, gone)
                t.start()

    def _loop(self, device_id: str, gone: threading.Event) -> None:
        failures = 0
        while not (self._stop.is_set() or gone.is_set()):
            try:
                new = DeviceLink(self.family, device_id).fetch(wait_s=self.wait_s)
            except (LinkError, FamilyError) as exc:
                failures += 1
                log.debug("watching %s: %s", device_id[:7], exc)
                if self._stop.wait(RETRY_S[min(failures, len(RETRY_S)) - 1]):
                    return
                continue
            except Exception:  # a closed store at shutdown, a bug: this device's watch ends, the console goes on
                if not self._stop.is_set():
                    log.exception("watching %s stopped", device_id[:7])
                return
            failures = 0
            if new and not self._stop.is_set():
                self.on_items(device_id, new)

    def stop(self, timeout_s: float | None = None) -> None:
        """Stop every watch and wait for the long-polls in flight (each ends within wait_s)."""
        self._stop.set()
        with self._lock:
            threads = [t for t, _ in self._threads.values()]
            self._threads.clear()
        limit = self.wait_s + 20.0 if timeout_s is None else timeout_s
        for t in threads:
            t.join(limit)
