"""A rate limit on the monotonic clock, for what the child's account (or a forger) may call again and again."""

from __future__ import annotations


class RateLimit:
    """A token bucket on the monotonic clock: `burst` at once, then one every 1/per_s seconds."""

    def __init__(self, *, burst: int, per_s: float) -> None:
        self.burst = burst
        self.per_s = per_s
        self._tokens = float(burst)
        self._at: float | None = None

    def take(self, now: float) -> bool:
        if self._at is not None:
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.per_s)
        self._at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False
