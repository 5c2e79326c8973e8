"""The time ledger: counts screen, app and game seconds for the right local day and decides what to do.

Pure and deterministic: it is fed `Sample`s (with their clock readings) and returns `LedgerDecision`s; it performs
no I/O and reads no clock of its own. The rules (docs/time-rules.md):
- elapsed time is the difference of monotonic readings; a gap longer than `max_gap_s` is sleep or a stopped
  agent, never use;
- idle, locked and asleep seconds are never charged;
- the day a second belongs to comes from *trusted* time: the wall clock read when the ledger was anchored plus
  the boot-time clock's progress since. Moving the system clock or its time zone is detected and recorded but
  never moves the day, so it can never add allowance. Days are in the policy's time zone and never go back.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from agent.ledger.clock import Instant
from agent.ledger.sample import AppRef, Sample
from agent.policy import Policy

CLOCK_TOLERANCE_S = 90.0  # wall-clock disagreement with trusted time that counts as a clock change
LOCK_CLAIM_TOLERANCE_S = 60.0  # input under a "locked" hint beyond this is not someone typing a password
ENFORCE_KINDS = frozenset({"block", "close", "lock", "logout"})


@dataclass(frozen=True)
class LedgerDecision:
    kind: str  # warn | remind | block | close | lock | logout | notify | clock_change | sleep | gap | grant
    target: str | None  # "screen", "games", an app or game id, or None
    reason: str
    at: float  # trusted time (Unix seconds)
    left_s: int | None = None
    new: bool = True  # False when the same enforcement was already decided on the previous tick
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def enforces(self) -> bool:
        return self.kind in ENFORCE_KINDS


@dataclass
class DayTotals:
    screen_s: float = 0.0
    games_s: float = 0.0
    per_game_s: dict[str, float] = field(default_factory=dict)
    per_app_s: dict[str, float] = field(default_factory=dict)
    grant_screen_s: int = 0
    grant_games_s: int = 0
    fired: set[str] = field(default_factory=set)  # warnings, notifications already given today
    extra_screen_s: float = 0.0  # screen seconds used beyond the allowance or window, paid from grants

    def to_dict(self) -> dict[str, Any]:
        return {
            "screen_s": self.screen_s,
            "games_s": self.games_s,
            "per_game_s": dict(self.per_game_s),
            "per_app_s": dict(self.per_app_s),
            "grant_screen_s": self.grant_screen_s,
            "grant_games_s": self.grant_games_s,
            "fired": sorted(self.fired),
            "extra_screen_s": self.extra_screen_s,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DayTotals:
        return cls(float(d["screen_s"]), float(d["games_s"]), dict(d["per_game_s"]), dict(d["per_app_s"]),
                   int(d.get("grant_screen_s", 0)), int(d.get("grant_games_s", 0)), set(d.get("fired", ())),
                   float(d.get("extra_screen_s", 0.0)))


@dataclass(frozen=True)
class _DayContext:
    """What does not change within one local day, computed once at the day's first tick."""

    day: dt.date
    start: float  # trusted Unix time of local midnight
    end: float  # trusted Unix time of the next local midnight (23 or 25 h later on DST days)
    screen_allowance_s: int | None
    span_starts: tuple[float, ...]  # allowed-use spans (merged, Unix time) around this day; empty = none
    span_ends: tuple[float, ...]
    unrestricted: bool  # no windows anywhere near this day


class Ledger:
    def __init__(self, policy: Policy, *, max_gap_s: float = 10.0, keep_days: int = 45) -> None:
        self.policy = policy
        self.max_gap_s = max_gap_s
        self.keep_days = keep_days
        self.days: dict[str, DayTotals] = {}
        self._last: Instant | None = None
        self._anchor_boot = 0.0
        self._anchor_wall = 0.0
        self._reported_offset = 0.0  # wall-clock offset from trusted time last reported
        self._day_ctx: _DayContext | None = None
        self._needs_resume = False
        self._max_day: dt.date | None = None  # the latest local day seen: days never go back
        self._last_enforced: set[tuple[str, str | None]] = set()
        self._claim_active_s = 0.0  # input or play seen while the session claims to be locked
        self._claim_reported = False
        self.boot_id: str | None = None  # this boot's identity (clock.boot_id), saved with the state
        self._saved_boot: tuple[str | None, float] | None = None  # (boot id, boot clock) when the state was saved
        self.held = False  # trusted time held after a reboot until a trusted source agrees

    # ---- time -------------------------------------------------------------------------------------------
    def trusted_time(self, at: Instant) -> float:
        return self._anchor_wall + (at.boot - self._anchor_boot)

    def _anchor(self, at: Instant, not_before: float | None = None) -> None:
        wall = at.wall if not_before is None else max(at.wall, not_before)
        self._anchor_boot, self._anchor_wall = at.boot, wall
        self._reported_offset = at.wall - wall

    def set_trusted_time(self, at: Instant, trusted_wall: float) -> None:
        """Re-anchor to a time from a trusted source (NTP, the paired console's signed clock). It may move trusted
        time either way; the day still never goes back, so no day's allowance is replayed. Ends a hold."""
        self._anchor_boot, self._anchor_wall = at.boot, trusted_wall
        self._reported_offset = at.wall - trusted_wall
        self.held = False

    def set_policy(self, policy: Policy) -> None:
        self.policy = policy
        self._day_ctx = None  # allowances, windows and the time zone may have changed

    def _context(self, now: float) -> _DayContext:
        ctx = self._day_ctx
        if ctx is not None and ctx.start <= now < ctx.end:
            return ctx
        day = dt.datetime.fromtimestamp(now, self.policy.timezone).date()
        if self._max_day is not None and day < self._max_day:
            day = self._max_day  # a time-zone or trusted-time change must not replay an earlier day
        self._max_day = day
        if ctx is None or ctx.day != day:
            ctx = self._day_ctx = self._build_context(day)
        return ctx

    def _build_context(self, day: dt.date) -> _DayContext:
        tz = self.policy.timezone

        def at(d: dt.date, minute: int) -> float:
            d2 = d + dt.timedelta(days=minute // 1440)
            m = minute % 1440
            return dt.datetime(d2.year, d2.month, d2.day, m // 60, m % 60, tzinfo=tz).timestamp()

        spans: list[tuple[float, float]] = []
        unrestricted = True
        for k in (-1, 0, 1, 2):
            d = day + dt.timedelta(days=k)
            wins = self.policy.windows[d.weekday()]
            if wins is None:
                spans.append((at(d, 0), at(d, 1440)))
            else:
                unrestricted = False
                spans.extend((at(d, w.start), at(d, w.end)) for w in wins)
        spans.sort()
        merged: list[list[float]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        return _DayContext(
            day=day,
            start=at(day, 0),
            end=at(day, 1440),
            screen_allowance_s=self.policy.screen_allowance_s(day),
            span_starts=tuple(s for s, _ in merged),
            span_ends=tuple(e for _, e in merged),
            unrestricted=unrestricted,
        )

    def window_left_s(self, ctx: _DayContext, now: float) -> float | None:
        if ctx.unrestricted:
            return None
        i = bisect.bisect_right(ctx.span_starts, now) - 1
        if i >= 0 and now < ctx.span_ends[i]:
            return ctx.span_ends[i] - now
        return 0.0

    def local_day(self, at: Instant) -> str:
        return self._context(self.trusted_time(at)).day.isoformat()

    def totals(self, day: str) -> DayTotals:
        t = self.days.get(day)
        if t is None:
            t = self.days[day] = DayTotals()
            self._forget_old_days(day)
        return t

    def _forget_old_days(self, today: str) -> None:
        if len(self.days) <= self.keep_days:
            return
        for old in sorted(self.days)[: len(self.days) - self.keep_days]:
            if old != today:
                del self.days[old]

    # ---- the tick --------------------------------------------------------------------------------------
    def resume(self, at: Instant) -> list[LedgerDecision]:
        """Start (or restart after a stop) at this instant without charging the time in between.

        After a restart within the same boot, the boot clock measured the stop: trusted time goes on from the last
        trusted time by exactly that much, whatever the wall clock says. After a reboot the stop cannot be
        measured: if the wall clock claims more than CLOCK_TOLERANCE_S passed, trusted time is *held* at the last
        trusted time (the day's counters stay) until a source the child cannot set agrees (`set_trusted_time`)."""
        decisions: list[LedgerDecision] = []
        self._needs_resume = False
        saved, self._saved_boot = self._saved_boot, None
        if self._last is not None and saved is not None and saved[0] and self.boot_id:
            before = self.trusted_time(self._last)
            if saved[0] == self.boot_id and at.boot >= saved[1]:
                trusted = before + (at.boot - saved[1])
                self._anchor_boot, self._anchor_wall = at.boot, trusted
                self._reported_offset = 0.0  # the first tick reports a wall clock that disagrees
                gap = trusted - before
            elif at.wall - before > CLOCK_TOLERANCE_S:
                self._anchor_boot, self._anchor_wall = at.boot, before
                self._reported_offset = at.wall - before
                self.held = True
                decisions.append(LedgerDecision("time_held", None, "reboot_unverified", before, None,
                                          detail={"wall": at.wall, "claimed_ahead_s": round(at.wall - before)}))
                gap = 0.0
            else:
                self._anchor(at, not_before=before)
                gap = self._anchor_wall - before
            if gap > 1.5:
                decisions.append(LedgerDecision("gap", None, "agent_not_running", self._anchor_wall, int(gap),
                                          detail={"from": before}))
            self._last = at
            return decisions
        if self._last is not None:
            before = self.trusted_time(self._last)
            self._anchor(at, not_before=before)
            gap = self._anchor_wall - before
            # Any stop longer than a tick is worth telling the parent: killing the agent is the obvious trick.
            if gap > 1.5:
                decisions.append(LedgerDecision("gap", None, "agent_not_running", self._anchor_wall, int(gap),
                                          detail={"from": before}))
        else:
            self._anchor(at)
        self._last = at
        return decisions

    def observe(self, sample: Sample) -> list[LedgerDecision]:
        at = sample.at
        if self._last is None or self._needs_resume:
            self._needs_resume = False
            return self.resume(at)
        decisions: list[LedgerDecision] = []
        d_mono = at.mono - self._last.mono
        d_boot = at.boot - self._last.boot
        if d_mono < 0 or d_boot < 0:  # counters reset: the machine rebooted under a persisted ledger
            return self.resume(at)
        self._last = at
        now = self.trusted_time(at)
        self._check_wall_clock(at, now, decisions)
        slept = d_boot - d_mono
        charge = d_mono
        if slept > self.max_gap_s:
            decisions.append(LedgerDecision("sleep", None, "machine_asleep", now, int(slept)))
        if d_mono > self.max_gap_s:
            decisions.append(LedgerDecision("gap", None, "no_samples", now, int(d_mono)))
            charge = 0.0
        games = self._games_in_play(sample)
        # Input idleness pauses screen time only when no game is in play and no media plays: a gamepad, a
        # cut-scene or a video needs no keyboard. A (trusted) lock pauses screen time; games still running behind
        # it are charged.
        screen_counts = not sample.locked and (not sample.idle or bool(games) or sample.media_playing)
        self._check_lock_claim(sample, charge, screen_counts and not sample.idle, bool(games), now, decisions)
        remind = False
        if charge > 0 and (screen_counts or games):
            # A tick's seconds belong to the day they were spent in: the middle of the interval decides, so the
            # second before midnight stays on the old day.
            mid = now - charge / 2
            spent_ctx = self._context(mid)
            spent = self.totals(spent_ctx.day.isoformat())
            normal = self._normal_screen_left(spent_ctx, spent, mid)
            over = normal is not None and normal <= 0
            remind = self._charge(spent, sample, charge, over, screen=screen_counts, games=games)
        ctx = self._context(now)
        day = self.totals(ctx.day.isoformat())
        self._decide(ctx, day, sample, now, decisions, remind)
        return decisions

    def _check_lock_claim(self, sample: Sample, seconds: float, input_active: bool, playing: bool, now: float,
                          decisions: list[LedgerDecision]) -> None:
        """A session that says it is locked while someone types, clicks or plays in it is lying: once per claim,
        a tamper decision the parent hears of. A real lock screen takes a password (a few seconds of input), so
        only LOCK_CLAIM_TOLERANCE_S of activity under the claim is let pass."""
        if not sample.lock_claimed or sample.locked:
            self._claim_active_s = 0.0
            self._claim_reported = False
            return
        if input_active or playing:
            self._claim_active_s += seconds
        if self._claim_active_s > LOCK_CLAIM_TOLERANCE_S and not self._claim_reported:
            self._claim_reported = True
            decisions.append(LedgerDecision("lock_disagrees", None, "lock_hint_while_in_use", now, None,
                                      detail={"active_s": round(self._claim_active_s), "playing": playing}))

    def _check_wall_clock(self, at: Instant, now: float, decisions: list[LedgerDecision]) -> None:
        offset = at.wall - now
        if abs(offset - self._reported_offset) > CLOCK_TOLERANCE_S:
            decisions.append(LedgerDecision("clock_change", None, "wall_clock_moved", now, None,
                                      detail={"moved_s": round(offset - self._reported_offset),
                                              "wall": at.wall}))
            self._reported_offset = offset

    def _games_in_play(self, sample: Sample) -> list[AppRef]:
        if sample.foreground_known and not sample.locked:
            fg = sample.foreground
            return [fg] if fg is not None and self._is_game(fg) else []
        return [a for a in sample.running if self._is_game(a)]

    def _is_game(self, app: AppRef) -> bool:
        p = self.policy
        if app.id in p.mark_as_school or app.name in p.mark_as_school:
            return False
        return app.is_game or app.id in p.mark_as_game or app.name in p.mark_as_game

    def _free_of_screen_time(self, app: AppRef | None) -> bool:
        if app is None:
            return False
        p = self.policy
        return (app.id in p.always_allowed or app.name in p.always_allowed or app.kind == "school"
                or app.id in p.mark_as_school or app.name in p.mark_as_school)

    def _charge(self, day: DayTotals, sample: Sample, seconds: float, over_limit: bool, *, screen: bool,
                games: list[AppRef]) -> bool:
        """Add the seconds; True when game play just crossed a reminder mark (every N minutes of games)."""
        fg = sample.foreground
        if screen:
            if fg is not None:
                day.per_app_s[fg.id] = day.per_app_s.get(fg.id, 0.0) + seconds
            if not self._free_of_screen_time(fg):
                day.screen_s += seconds
                if over_limit:
                    day.extra_screen_s += seconds
        if games:
            before = day.games_s
            day.games_s += seconds
            for g in {g.id for g in games}:
                day.per_game_s[g] = day.per_game_s.get(g, 0.0) + seconds
            every = self.policy.reminder_minutes
            return bool(every) and int(day.games_s // (every * 60)) > int(before // (every * 60))
        return False

    # ---- decisions -------------------------------------------------------------------------------------
    def _normal_screen_left(self, ctx: _DayContext, day: DayTotals, now: float) -> float | None:
        """Seconds left before the allowance or the window ends, not counting grants; None = unlimited."""
        left: float | None = None
        if ctx.screen_allowance_s is not None:
            left = ctx.screen_allowance_s - (day.screen_s - day.extra_screen_s)
        window = self.window_left_s(ctx, now)
        if window is not None and (left is None or window < left):
            left = window
        return left

    def screen_left_s(self, ctx: _DayContext, day: DayTotals, now: float) -> tuple[float | None, str]:
        """Seconds of screen use left now, and why it would end. A grant is extra time from when the normal
        limits run out, whichever ran out first: "15 more minutes" is 15 minutes, past the window's end too."""
        normal = self._normal_screen_left(ctx, day, now)
        if normal is None:
            return None, "screen_limit"
        window = self.window_left_s(ctx, now)
        reason = "screen_limit"
        if window is not None and window <= normal:
            reason = "outside_window" if window <= 0 else "window_closing"
        granted = day.grant_screen_s - day.extra_screen_s
        return max(0.0, normal) + max(0.0, granted), reason

    def games_left_s(self, day: DayTotals, game_id: str | None = None) -> float | None:
        p = self.policy
        left: float | None = None
        if p.games_daily is not None:
            left = p.games_daily * 60 + day.grant_games_s - day.games_s
        if game_id is not None:
            cap = p.game_allowance_s(game_id)
            if cap is not None:
                per = cap + day.grant_games_s - day.per_game_s.get(game_id, 0.0)
                left = per if left is None else min(left, per)
        return left

    def app_left_s(self, day: DayTotals, app: AppRef) -> float | None:
        limit = self.policy.app_limits.get(app.id, self.policy.app_limits.get(app.name))
        return None if limit is None else limit * 60 - day.per_app_s.get(app.id, 0.0)

    def _decide(self, ctx: _DayContext, day: DayTotals, sample: Sample, now: float,
                decisions: list[LedgerDecision], remind: bool) -> None:
        p = self.policy
        enforced: set[tuple[str, str | None]] = set()

        def enforce(kind: str, target: str | None, reason: str, left: float | None) -> None:
            key = (kind, target)
            if key in enforced:
                return
            enforced.add(key)
            decisions.append(LedgerDecision(kind, target, reason, now, _secs(left), new=key not in self._last_enforced))

        def warn(target: str, left: float, reason: str) -> None:
            crossed = [m for m in p.warn_minutes if left <= m * 60]
            fresh = [m for m in crossed if f"warn:{target}:{m}" not in day.fired]
            if left > 0 and fresh:
                for m in crossed:
                    day.fired.add(f"warn:{target}:{m}")
                decisions.append(LedgerDecision("warn", target, reason, now, _secs(left),
                                                detail={"minutes": min(fresh)}))

        seen: dict[str, AppRef] = {a.id: a for a in sample.running}
        if sample.foreground is not None:
            seen[sample.foreground.id] = sample.foreground

        for app in seen.values():
            if app.id in p.blocked or app.name in p.blocked:
                enforce("block", app.id, "blocked_app", None)
                continue
            left = self.app_left_s(day, app)
            if left is not None:
                if left <= 0:
                    enforce("block", app.id, "app_limit", 0)
                elif app is sample.foreground:
                    warn(app.id, left, "app_limit")

        in_play = {g.id for g in self._games_in_play(sample)}
        for app in seen.values():
            if not self._is_game(app):
                continue
            left = self.games_left_s(day, app.id)
            if left is None:
                continue
            if left <= 0:
                reason = "game_limit" if self._per_game_exhausted(day, app.id) else "games_daily_limit"
                if p.at_limit_games == "close":
                    enforce("close", app.id, reason, 0)
                elif (app.id in in_play) and f"notify:{app.id}" not in day.fired:
                    day.fired.add(f"notify:{app.id}")
                    decisions.append(LedgerDecision("notify", app.id, reason, now, 0))
            elif app.id in in_play:
                warn(app.id, left, "game_limit")

        if remind:
            game = min(in_play) if in_play else None
            decisions.append(LedgerDecision("remind", game, "game_reminder", now, _secs(self.games_left_s(day, game)),
                                      detail={"played_s": int(day.games_s)}))

        if not sample.locked and not self._free_of_screen_time(sample.foreground):
            left, reason = self.screen_left_s(ctx, day, now)
            if left is not None:
                if left <= 0:
                    action = p.at_limit_screen
                    if action == "notify":
                        if "notify:screen" not in day.fired:
                            day.fired.add("notify:screen")
                            decisions.append(LedgerDecision("notify", "screen", reason, now, 0))
                    else:
                        enforce(action, "screen", reason, 0)
                else:
                    warn("screen", left, reason)
        self._last_enforced = enforced

    def _per_game_exhausted(self, day: DayTotals, game_id: str) -> bool:
        cap = self.policy.game_allowance_s(game_id)
        return cap is not None and cap + day.grant_games_s - day.per_game_s.get(game_id, 0.0) <= 0

    # ---- grants ----------------------------------------------------------------------------------------
    def grant(self, seconds: int, at: Instant, *, scope: str = "screen", day: str | None = None) -> LedgerDecision:
        """Extra time from the parent. `day` is the local day the request was made for (default: today);
        a grant for a day that has passed is recorded but changes nothing now."""
        if scope not in ("screen", "games"):
            raise ValueError(f"grant scope must be screen or games, got {scope!r}")
        now = self.trusted_time(at)
        today = self._context(now).day.isoformat()
        target_day = day or today
        totals = self.totals(target_day)
        if scope == "screen":
            totals.grant_screen_s += seconds
        else:
            totals.grant_games_s += seconds
        # Warnings fire again as the new end approaches.
        totals.fired = {f for f in totals.fired if not f.startswith(("warn:", "notify:"))}
        return LedgerDecision("grant", scope, "parent_grant", now, seconds,
                        detail={"day": target_day, "applies_now": target_day == today})

    # ---- status and persistence ------------------------------------------------------------------------
    def status(self, at: Instant, current_game: str | None = None) -> dict[str, Any]:
        now = self.trusted_time(at)
        ctx = self._context(now)
        day = self.totals(ctx.day.isoformat())
        screen_left, reason = self.screen_left_s(ctx, day, now)
        return {
            "day": ctx.day.isoformat(),
            "screen_used_s": int(day.screen_s),
            "screen_left_s": _secs(screen_left),
            "screen_reason": reason,
            "games_used_s": int(day.games_s),
            "games_left_s": _secs(self.games_left_s(day, current_game)),
            "current_game": current_game,
            "per_game_s": {k: int(v) for k, v in day.per_game_s.items()},
            "per_app_s": {k: int(v) for k, v in day.per_app_s.items()},
            "trusted_time": now,
        }

    def to_state(self) -> dict[str, Any]:
        last = self._last
        return {
            "format": 1,
            "days": {k: v.to_dict() for k, v in self.days.items()},
            "anchor_boot": self._anchor_boot,
            "anchor_wall": self._anchor_wall,
            "last": None if last is None else [last.mono, last.boot, last.wall],
            "trusted_last": None if last is None else self.trusted_time(last),
            "boot_id": self.boot_id,
            "held": self.held,
        }

    @classmethod
    def from_state(cls, policy: Policy, state: dict[str, Any], *, boot_id: str | None = None,
                   **kwargs: Any) -> Ledger:
        """Restore a saved ledger. Call `resume(now)` next: a restart's clocks are not comparable. `boot_id` names
        this boot (clock.boot_id): with it, a restart in the same boot is measured by the boot clock."""
        if state.get("format") != 1:
            raise ValueError(f"ledger state format {state.get('format')!r} is not supported")
        led = cls(policy, **kwargs)
        led.boot_id = boot_id
        led.days = {k: DayTotals.from_dict(v) for k, v in state["days"].items()}
        if state.get("last") is not None:
            # Re-anchor on resume from the last trusted time, so a clock moved while stopped can't go back.
            trusted = float(state["trusted_last"])
            led._last = Instant(0.0, 0.0, trusted)
            led._anchor_boot, led._anchor_wall = 0.0, trusted
            led._needs_resume = True
            led._saved_boot = (state.get("boot_id"), float(state["last"][1]))
            if state.get("held") and state.get("boot_id") == boot_id:
                led.held = True  # still unconfirmed in this boot
        if led.days:
            led._max_day = dt.date.fromisoformat(max(led.days))
        return led


def _secs(value: float | None) -> int | None:
    return None if value is None else max(0, round(value))
