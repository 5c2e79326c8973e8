"""The service's ~1 s tick on its own thread, the watch on the system time zone, and a clean stop (state saved).
Assembled and started by agent/assembly.py (serve)."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from agent.service.core import AgentCore

log = logging.getLogger("sprout.agent")


class TimezoneWatch:
    """Notices the system time zone being changed (the ledger uses the policy's zone, so this only informs)."""

    def __init__(self, every_s: float = 30.0) -> None:
        self.every_s = every_s
        self._next = 0.0
        self._zone = self._read()

    @staticmethod
    def _read() -> tuple[str, ...]:
        time.tzset()  # the C library caches the zone; re-read /etc/localtime and TZ
        return (*time.tzname, str(time.timezone))

    def changed(self) -> str | None:
        now = time.monotonic()
        if now < self._next:
            return None
        self._next = now + self.every_s
        zone = self._read()
        if zone != self._zone:
            self._zone = zone
            return zone[0]
        return None


class ServiceLoop:
    """The ~1 s tick on its own thread, plus clean shutdown (state saved) on SIGTERM/SIGINT."""

    def __init__(self, core: AgentCore, tick_s: float = 1.0, state_dir: Path | None = None) -> None:
        self.core = core
        self.zone_watch = TimezoneWatch()
        self.state_dir = state_dir
        self._next_protect_check = 0.0
        self.tick_s = tick_s
        self.stop_event = threading.Event()
        self.ticks = 0

    def run(self) -> None:
        next_at = time.monotonic()
        while not self.stop_event.is_set():
            try:
                self.core.tick()
                self.ticks += 1
                zone = self.zone_watch.changed()
                if zone:
                    self.core.report_tamper("timezone_change", {"timezone": zone})
                self._forward_protect_reports()
            except Exception:
                # One bad tick must not end enforcement; the next one starts clean.
                log.exception("tick failed")
            next_at += self.tick_s
            delay = next_at - time.monotonic()
            if delay < 0:  # fell behind (suspend, heavy load): don't burst to catch up
                next_at, delay = time.monotonic(), 0
            self.stop_event.wait(delay)
        self.core.save()
        self.core.enforcer.shutdown()

    def _forward_protect_reports(self) -> None:
        """Attempts to stop or remove Sprout (allowed or refused) are written by `sprout-agent unlock` and the
        package scripts as files; every one reaches the parent as an alert."""
        now = time.monotonic()
        if self.state_dir is None or now < self._next_protect_check:
            return
        self._next_protect_check = now + 5.0
        from agent.service.protect import drain_reports

        for report in drain_reports(self.state_dir):
            self.core.report_tamper("protected_action", report)

    def stop(self, *_: Any) -> None:
        self.stop_event.set()
