"""Clocks. Elapsed time comes from monotonic counters; the wall clock only names the day.

`mono` stops while the machine sleeps (Linux CLOCK_MONOTONIC); `boot` keeps counting through sleep
(CLOCK_BOOTTIME). Their difference tells sleep from use, and `boot` carries the agent's trusted notion of
real time between wall-clock readings that a child could have moved.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Instant:
    mono: float  # seconds, stops during sleep where the OS allows
    boot: float  # seconds, counts through sleep
    wall: float  # seconds since the Unix epoch, as the (possibly moved) system clock says


class Clock(Protocol):
    def now(self) -> Instant: ...


def current_boot_id() -> str | None:
    """What names this boot of the machine, so a restarted agent knows whether its boot clock kept counting:
    Linux's random boot id; elsewhere the boot time rounded to a minute (moving the wall clock changes it, which
    only ever makes the agent more careful)."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            return f.read().strip() or None
    except OSError:
        pass
    try:
        import psutil

        return f"boot@{round(psutil.boot_time() / 60)}"
    except Exception:
        return None


class SystemClock:
    """The real clocks of this machine."""

    def __init__(self) -> None:
        self._boot_id = getattr(time, "CLOCK_BOOTTIME", None)
        self.boot_id = current_boot_id()

    def now(self) -> Instant:
        mono = time.monotonic()
        # Where there is no boot-time clock (Windows, macOS), monotonic already counts through sleep there.
        boot = time.clock_gettime(self._boot_id) if self._boot_id is not None else mono
        return Instant(mono, boot, time.time())


class SimulatedClock:
    """A clock for tests and the simulator: advance it, sleep the machine, or move the wall clock."""

    def __init__(self, wall: float, mono: float = 1000.0, boot: float = 1000.0, boot_id: str | None = None) -> None:
        self._mono, self._boot, self._wall = mono, boot, wall
        self.boot_id = boot_id  # None: the ledger cannot tell a restart from a reboot (the old rules apply)

    def now(self) -> Instant:
        return Instant(self._mono, self._boot, self._wall)

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._boot += seconds
        self._wall += seconds

    def sleep(self, seconds: float) -> None:
        """The machine is suspended: real and wall time pass, the monotonic counter does not."""
        self._boot += seconds
        self._wall += seconds

    def set_wall(self, wall: float) -> None:
        self._wall = wall


class ScaledClock:
    """Real clocks running `factor` times faster from the moment it is made: for demos and tests that drive real
    processes through a whole day's limits in seconds."""

    def __init__(self, factor: float, base: Clock | None = None, start_wall: float | None = None) -> None:
        self.factor = factor
        self._base = base or SystemClock()
        self._origin = self._base.now()
        self._start_wall = self._origin.wall if start_wall is None else start_wall
        self.boot_id = None  # scaled counters are not comparable across processes

    def now(self) -> Instant:
        b, o, f = self._base.now(), self._origin, self.factor
        return Instant(o.mono + (b.mono - o.mono) * f, o.boot + (b.boot - o.boot) * f,
                       self._start_wall + (b.wall - o.wall) * f)
