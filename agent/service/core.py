"""The service core: one tick = sample → ledger → decide → act → record. No Qt, no sockets, no threads of its own.

Everything the outside world touches (the companion's local channel, the parent's link, the loop's timer) calls the
thread-safe methods here. State that must survive a crash (the ledger, pending requests) is saved to the
encrypted store at least every `save_every_s` and on a clean stop.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from agent.ledger.clock import Clock
from agent.ledger.ledger import Ledger, LedgerDecision
from agent.link.backend import version_problem
from agent.oem import BrandLogo
from agent.policy import Policy, PolicyError, Problem, age_band, age_from_birth_year, load_policy_doc, preset
from agent.service import consent as consent_rules
from agent.service.consent import ConsentBook
from agent.service.controls import ControlsMixin
from agent.service.enforcer import Enforcer
from agent.service.new_apps import Candidate, NewAppWatch
from agent.service.notices import NoticeBoard
from agent.service.rates import RateLimit
from agent.service.sampler import Sampler

log = logging.getLogger(__name__)

LEDGER_KEY = "ledger"
REQUESTS_KEY = "requests"
BLOCKED_KEY = "web-blocked"
CONTENT_KEY = "catalog-content"  # fingerprints of games learned under their catalogued identity
NEW_APPS_KEY = "new-apps-told"  # unknown full-screen programs the parent has already heard of
NOTICE_KINDS = {"warn", "remind", "block", "close", "lock", "logout", "notify", "grant"}
TAMPER_KINDS = {"clock_change", "timezone_change", "gap", "lock_disagrees", "time_held"}


class AgentCore(ControlsMixin):
    def __init__(self, *, policy_doc: dict[str, Any], clock: Clock, sampler: Sampler, enforcer: Enforcer,
                 store: Any, notices: NoticeBoard | None = None, save_every_s: float = 15.0,
                 monotonic: Callable[[], float] = time.monotonic, lang: str = "vi") -> None:
        self.lang = lang
        self.policy_doc = load_policy_doc(policy_doc)
        self.policy = Policy.from_doc(self.policy_doc)
        self.clock = clock
        self.sampler = sampler
        self.enforcer = enforcer
        self.store = store
        self.notices = notices or NoticeBoard()
        self.save_every_s = save_every_s
        self.monotonic = monotonic
        self._lock = threading.RLock()
        self._last_save = monotonic()
        self._current_game: str | None = None
        self._day: str | None = None
        self.requests: dict[str, dict[str, Any]] = {}
        self.web_blocked_counts: dict[str, dict[str, int]] = {}  # day → category → blocked tries
        self.on_policy_change: list[Callable[[dict[str, Any]], None]] = []
        self.on_outbox: list[Callable[[], None]] = []  # wakes the parent link's long-polls at once
        self.vault: Any = None  # key custody, set by the runner; the parent link keeps its identity there
        # Set by the parent link: the pairing code to show on this PC while no console is paired, else None.
        self.pairing_offer: Callable[[], dict[str, Any] | None] | None = None
        self.show_pairing_code = True  # a device maker may turn the first-login pairing window off (oem.toml)
        self.brand: str | None = None  # the device maker's product name, shown by the companion instead of Sprout
        self.awaiting_child = False  # a service with no child account named yet: nothing is counted
        self.logo: BrandLogo | None = None  # the device maker's checked logo (runner.oem_logo); never changes later
        # When every way to end the session fails (no logind, no screen locker): the companion covers the screen
        # until time is allowed again or the parent's PIN lifts it (guard: agent.service.protect.Guard).
        self.cover: dict[str, Any] | None = None
        self.cover_lifted_day: str | None = None
        self.guard: Any = None
        self._overrun_base: tuple[str, float] | None = None  # (day, overrun seconds when the lock first failed)
        # Write operations the companion channel may call, rate-limited (a script in the child's account must not
        # bury the parent's alerts): a few at once, then a steady trickle.
        self._harmful_rate = RateLimit(burst=5, per_s=1 / 60)
        self._harmful_seen: set[tuple[str, str]] = set()
        self._harmful_folded = self._harmful_refused = 0
        self._harmful_flood_told = False
        self._request_rate = RateLimit(burst=5, per_s=1 / 120)
        self.ledger = self._restore()
        self.new_apps = NewAppWatch(told=self._load_told())
        self._mark_content()
        # Who agreed to share what (agent.service.consent): summary() and the outbox send only that.
        self.consent = ConsentBook(store)
        self.lessons_done: dict[str, dict[str, Any]] = self._load_lessons()
        self._init_controls()  # the parent's lock now / pause internet, as saved (agent.service.controls)

    # ---- start, save -----------------------------------------------------------------------------------
    def _restore(self) -> Ledger:
        raw = self.store.kv_get(LEDGER_KEY)
        boot_id = getattr(self.clock, "boot_id", None)
        ledger = Ledger(self.policy)
        ledger.boot_id = boot_id
        if raw:
            try:
                ledger = Ledger.from_state(self.policy, json.loads(raw), boot_id=boot_id)
            except (ValueError, KeyError, TypeError) as exc:
                # Never silently start from zero without saying so: the parent sees this event.
                log.error("saved ledger unreadable (%s); starting the day's totals afresh", exc)
                self._record_event("state_reset", {"reason": f"saved ledger unreadable: {exc}"})
        blocked = self.store.kv_get(BLOCKED_KEY)
        if blocked:
            try:
                self.web_blocked_counts = json.loads(blocked)
            except ValueError:
                log.error("saved web block counts unreadable; counting afresh")
        reqs = self.store.kv_get(REQUESTS_KEY)
        if reqs:
            try:
                self.requests = json.loads(reqs)
            except ValueError:
                log.error("saved time requests unreadable; starting with none")
        content = getattr(self.sampler, "content", None)
        learned = self.store.kv_get(CONTENT_KEY) if content is not None else None
        if learned:
            try:
                content.load_state(json.loads(learned))
            except ValueError:
                log.error("learned program fingerprints unreadable; learning afresh")
        first = ledger.resume(self.clock.now())
        self._record(first)
        return ledger

    def _load_told(self) -> list[str]:
        raw = self.store.kv_get(NEW_APPS_KEY)
        try:
            told = json.loads(raw) if raw else []
            return [str(t) for t in told] if isinstance(told, list) else []
        except ValueError:
            log.error("the list of new programs already told to the parent is unreadable; starting afresh")
            return []

    def _mark_content(self) -> None:
        content = getattr(self.sampler, "content", None)
        if content is not None:
            content.set_marked(self.policy.games_by_content)

    def _new_app(self, front: Candidate | None, mono: float) -> None:
        """An unknown program full screen for long: one alert to the parent with a one-tap "count it as a game"."""
        p = self.policy
        if front is not None and (front.app_id in p.always_allowed or front.app_id in p.mark_as_school
                                  or front.app_id in p.mark_as_game or front.app_id in p.blocked):
            front = None
        alert = self.new_apps.observe(mono, front)
        if alert is None:
            return
        at = self.clock.now().wall
        self._record_event("new_fullscreen_app", alert, at=at)
        self._outbox("alert", {**alert, "at": at})
        self.store.kv_put(NEW_APPS_KEY, json.dumps(self.new_apps.told).encode())

    def save(self) -> None:
        with self._lock:
            now = self.clock.now()
            self.store.kv_put(LEDGER_KEY, json.dumps(self.ledger.to_state()).encode())
            self.store.kv_put(REQUESTS_KEY, json.dumps(self.requests).encode())
            keep = sorted(self.web_blocked_counts)[-self.policy.retention_days:]
            self.web_blocked_counts = {d: self.web_blocked_counts[d] for d in keep}
            self.store.kv_put(BLOCKED_KEY, json.dumps(self.web_blocked_counts).encode())
            content = getattr(self.sampler, "content", None)
            if content is not None and content.changed:
                self.store.kv_put(CONTENT_KEY, json.dumps(content.to_state()).encode())
            day = self.ledger.local_day(now)
            self.store.put_summary(day, self.day_totals(day))
            self._last_save = self.monotonic()

    # ---- the tick --------------------------------------------------------------------------------------
    def tick(self) -> list[LedgerDecision]:
        obs = self.sampler.observe()
        with self._lock:
            # The parent's "lock now": the session is locked as for a time limit, and nothing is counted meanwhile
            # (whether or not this PC's lock works: the child did not choose to stop).
            held = self.controls_tick(self.ledger.trusted_time(obs.sample.at))
            sample = dataclasses.replace(obs.sample, locked=True) if held else obs.sample
            decisions = self.ledger.observe(sample)
            self._new_app(obs.front, obs.sample.at.mono)
            fg = obs.sample.foreground
            self._current_game = fg.id if fg is not None and fg.is_game else None
            # Recorded before it is carried out: whoever sees a program closed finds the reason already stored.
            self._record(decisions)
            acts = decisions
            if self.cover_lifted_day is not None and self.cover_lifted_day == self.ledger.local_day(self.clock.now()):
                # the parent lifted the cover with the PIN: no more lock attempts today
                acts = [d for d in decisions if d.kind not in ("lock", "logout")]
            if held:  # its notice was posted when the parent pressed it: new=False, nothing recorded per tick
                parent = LedgerDecision("lock", "screen", "parent_lock", self.ledger.trusted_time(obs.sample.at), 0,
                                        new=False, detail={"until": held["until"] or None})
                acts = [d for d in acts if d.kind not in ("lock", "logout")] + [parent]
                decisions = [*decisions, parent]
            self.enforcer.act(acts, obs.pids)
            at = self.ledger.trusted_time(obs.sample.at)
            for outcome in self.enforcer.drain_results():
                self._record_event("enforced", outcome)
                if outcome.get("kind") == "session_failed":
                    self._session_failed(outcome, at)
                elif outcome.get("kind") in ("lock", "logout") and self.cover is not None:
                    self._end_cover("locked", at)
            if self.cover is not None and not any(d.kind in ("lock", "logout") for d in decisions):
                self._end_cover("time", at)  # a grant, a new window or a new day: time is allowed again
            day = self.ledger.local_day(obs.sample.at)
            if self._day is not None and day != self._day:
                self._close_day(self._day)
            self._day = day
            if self.monotonic() - self._last_save >= self.save_every_s:
                self.save()
        return decisions

    def _close_day(self, day: str) -> None:
        # A finished day's summary goes to the parent's outbox once, when the next day starts.
        self.store.put_summary(day, self.day_totals(day))
        self._outbox("daily_summary", self.summary(day))
        removed = self.store.sweep(self.policy.retention_days, self.ledger.local_day(self.clock.now()))
        if removed:
            log.info("retention: removed %d records older than %d days", removed, self.policy.retention_days)

    def _record(self, decisions: list[LedgerDecision]) -> None:
        for d in decisions:
            if d.enforces and not d.new:
                continue
            payload = {"target": d.target, "reason": d.reason, "left_s": d.left_s, **d.detail}
            self._record_event(d.kind, payload, at=d.at)
            if d.kind in NOTICE_KINDS:
                self.notices.post(self._notice(d))
            if d.kind in TAMPER_KINDS:
                self._outbox("alert", {**payload, "kind": d.kind, "at": d.at})

    def _outbox(self, kind: str, payload: dict[str, Any]) -> int:
        seq = self.store.outbox_put(kind, payload)
        for wake in self.on_outbox:
            wake()
        return seq

    def _record_event(self, kind: str, payload: dict[str, Any], at: float | None = None) -> None:
        at = self.clock.now().wall if at is None else at
        day = dt.datetime.fromtimestamp(at, self.policy.timezone).date().isoformat()
        self.store.add_event(kind, payload, day=day, at=at)

    def _notice(self, d: LedgerDecision) -> dict[str, Any]:
        until = None
        if d.kind in ("close", "lock", "block") and d.reason in ("game_limit", "games_daily_limit", "screen_limit"):
            until = "tomorrow"
        notice = {"kind": d.kind, "target": d.target, "reason": d.reason, "left_s": d.left_s, "until": until,
                  "at": d.at, "message": d.detail.get("message")}
        if d.detail.get("asked_day"):  # a late grant says plainly which day the time is for
            notice.update(asked_day=d.detail["asked_day"], day=d.detail.get("day"))
        return notice

    # ---- when the session cannot be ended ------------------------------------------------------------
    def _session_failed(self, outcome: dict[str, Any], at: float) -> None:
        if self.cover is not None:
            return  # one event and one alert for an episode, however often the lock is retried
        day = self.ledger.local_day(self.clock.now())
        totals = self.ledger.totals(day)
        self._overrun_base = (day, totals.extra_screen_s)
        self.cover = {"since": at, "tried": outcome.get("tried", [])}
        detail = {"tried": outcome.get("tried", []), "then": "cover"}
        self._record_event("lock_failed", detail, at=at)
        self._outbox("alert", {**detail, "kind": "lock_failed", "at": at})
        self.notices.post({"kind": "cover", "target": "screen", "reason": "lock_failed", "left_s": 0,
                           "until": None, "at": at})

    def _end_cover(self, why: str, at: float) -> None:
        self.cover = None
        self._record_event("cover_lifted", {"by": why}, at=at)
        self.notices.post({"kind": "cover", "target": "screen", "reason": f"lifted_{why}", "left_s": None,
                           "until": None, "at": at})

    def lift_cover(self, pin: str) -> dict[str, Any]:
        """The parent, at the child's PC, lifts the cover with their PIN (for the rest of today)."""
        if self.guard is None:
            raise ValueError("no parent PIN is set on this PC")
        decision = self.guard.verify_pin(str(pin), action="lift-cover")
        if not decision.allowed:
            raise ValueError(decision.reason)
        with self._lock:
            now = self.clock.now()
            self.cover_lifted_day = self.ledger.local_day(now)
            self.end_lock_by_pin()
            if self.cover is not None:
                self._end_cover("pin", self.ledger.trusted_time(now))
        return {"state": "lifted"}

    def _forgive_overrun(self, day: str) -> float:
        """Screen time counted while the lock did not work is not taken out of the parent's next grant."""
        if self._overrun_base is None or self._overrun_base[0] != day:
            return 0.0
        totals = self.ledger.totals(day)
        uncovered = totals.extra_screen_s - max(self._overrun_base[1], totals.grant_screen_s)
        self._overrun_base = (day, totals.extra_screen_s)
        if uncovered <= 0:
            return 0.0
        totals.grant_screen_s += uncovered
        return uncovered

    # ---- trusted time ----------------------------------------------------------------------------------
    @property
    def time_held(self) -> bool:
        return self.ledger.held

    def confirm_time(self, wall: float, source: str) -> None:
        """A time source the child cannot set (NTP, the parent's console) answered: trusted time follows it and a
        hold after a reboot ends. The parent hears how far the PC's own clock was off, when it was."""
        with self._lock:
            now = self.clock.now()
            before = self.ledger.trusted_time(now)
            was_held = self.ledger.held
            self.ledger.set_trusted_time(now, wall)
            detail = {"source": source, "trusted": wall, "wall": now.wall, "moved_s": round(wall - before),
                      "wall_off_s": round(now.wall - wall)}
            self._record_event("time_confirmed", detail)
            if was_held or abs(now.wall - wall) > 90:
                self._outbox("alert", {**detail, "kind": "time_confirmed", "at": wall})
            self.save()

    def console_time(self, wall: float, console: str) -> None:
        """A paired console's signed clock (agent.protocol.clock_proof): the child cannot set the parent's clock, so
        it ends a hold after a reboot as network time does. Outside a hold the boot clock already measures time
        (a parent's PC a few minutes off must not move the child's day back and forth), so it is not used then."""
        with self._lock:
            if self.ledger.held:
                self.confirm_time(wall, f"console {console[:12]}")

    # ---- tamper evidence ------------------------------------------------------------------------------
    def report_tamper(self, kind: str, detail: dict[str, Any]) -> None:
        """Something the parent should know about (an admin child, a moved time zone, a changed file)."""
        with self._lock:
            self._record_event(kind, detail)
            self._outbox("alert", {**detail, "kind": kind, "at": self.clock.now().wall})

    # ---- policy and grants (from the parent's link) ----------------------------------------------------
    def apply_policy(self, doc: dict[str, Any], signer: str | None = None) -> None:
        """Apply a new policy (raises PolicyError and keeps the current one if it is invalid or not newer)."""
        new_doc = load_policy_doc(doc)
        with self._lock:
            why = version_problem(new_doc["version"], self.policy_doc["version"])
            if why is not None:
                raise PolicyError([Problem("version", why)])
            self._put_in_force(new_doc)
            self.store.record_policy(new_doc["version"], json.dumps(new_doc).encode(), signer)
            self._record_event("policy_applied", {"version": new_doc["version"], "signer": signer})
            self.save()
        self._tell_parts(new_doc)

    def _put_in_force(self, new_doc: dict[str, Any]) -> None:
        self.policy_doc = new_doc
        self.policy = Policy.from_doc(new_doc)
        self.ledger.set_policy(self.policy)
        self._mark_content()
        # Limits moved (a game's cap raised, say): the "N minutes left" warnings count again towards the new end,
        # so nothing is closed or locked without them.
        totals = self.ledger.days.get(self.ledger.local_day(self.clock.now()))
        if totals is not None:
            totals.fired = {f for f in totals.fired if not f.startswith("warn:")}
        self.enforcer.grace_s = self.policy.grace_seconds

    def _tell_parts(self, new_doc: dict[str, Any]) -> None:
        for listener in self.on_policy_change:
            try:
                listener(new_doc)
            except Exception:
                log.exception("a part could not take the new policy")

    def withdraw_console(self, device_id: str, trusted: Callable[[str | None], bool]) -> dict[str, Any] | None:
        """A console was unpaired: what it set is withdrawn. The last policy from a source still trusted (a paired
        console, a local file) is in force again, or the family preset when there is none; the parent is told.
        Returns what changed, or None when nothing that console set was in force."""
        with self._lock:
            records = self.store.policies()
            if not any(r.signer == device_id for r in records):
                return None
            keep = None
            for r in reversed(records):
                if r.signer != device_id and trusted(r.signer):
                    keep = r
                    break
            if keep is not None and keep is records[-1]:
                return None  # a trusted source's later policy already replaced it
            restored = load_policy_doc(keep.blob) if keep is not None else preset(12, ["vn-decree-147"])
            removed = self.store.forget_policies_above(keep.version if keep is not None else 0)
            self._put_in_force(restored)
            detail = {"console": device_id, "withdrawn": removed, "restored_version": restored["version"],
                      "restored_from": keep.signer if keep is not None else "family preset"}
            self._record_event("policy_withdrawn", detail)
            self._outbox("alert", {**detail, "kind": "policy_withdrawn", "at": self.clock.now().wall})
            self.save()
        log.warning("console %s was unpaired: its policy is withdrawn, version %s is in force again",
                    device_id[:12], restored["version"])
        self._tell_parts(restored)
        return detail

    def web_blocked(self, domain: str, category: str | None, reason: str) -> None:
        """The DNS filter blocked a site: a notice for the child, an event (domain and category, never a URL)."""
        with self._lock:
            now = self.clock.now()
            at = self.ledger.trusted_time(now)
            report = self.policy_doc["privacy"]["report_web_categories"]
            counts = self.web_blocked_counts.setdefault(self.ledger.local_day(now), {})
            counts[category or "other"] = counts.get(category or "other", 0) + 1
            self._record_event("web_block", {"domain": domain, "category": category, "reason": reason}
                               if report else {"category": category}, at=at)
            self.notices.post({"kind": "web_block", "target": domain, "category": category, "reason": reason,
                               "left_s": None, "until": None, "at": at})

    def grant(self, seconds: int, *, scope: str = "screen", day: str | None = None,
              request_id: str | None = None, message: str = "", asked_day: str | None = None) -> LedgerDecision:
        with self._lock:
            forgiven = self._forgive_overrun(day or self.ledger.local_day(self.clock.now())) \
                if scope == "screen" else 0.0
            d = self.ledger.grant(seconds, self.clock.now(), scope=scope, day=day)
            if forgiven:
                d.detail["overrun_forgiven_s"] = round(forgiven)
            if message:
                d.detail["message"] = message
            if asked_day:
                d.detail["asked_day"] = asked_day
            self._record([d])
            if request_id and request_id in self.requests:
                self.requests[request_id].update(state="granted", granted_s=seconds, message=message)
            self.save()
            return d

    def decide_request(self, request_id: str, approve: bool, minutes: int, message: str) -> dict[str, Any]:
        """The parent's answer to a time request (raises KeyError for a request this PC never made)."""
        with self._lock:
            req = self.requests[request_id]
            if req["state"] != "queued":
                raise ValueError(f"request {request_id} was already answered ({req['state']})")
            if not approve:
                self.decline(request_id, message)
                return {"state": "declined"}
            if not 1 <= minutes <= 480:
                raise ValueError("a grant is 1 to 480 minutes")
            # Granted on a later day (asked in the evening, answered next morning): the time is for the day it is
            # granted on — a grant for a day that is over would change nothing, while both sides read "granted".
            today = self.ledger.local_day(self.clock.now())
            d = self.grant(minutes * 60, scope=req["scope"], day=today, request_id=request_id, message=message,
                           asked_day=req["day"] if req["day"] != today else None)
            return {"state": "granted", "minutes": minutes, "day": today, "asked_day": req["day"],
                    "applies_now": d.detail.get("applies_now", True)}

    def decline(self, request_id: str, message: str = "") -> None:
        with self._lock:
            req = self.requests.get(request_id)
            if req is None:
                raise KeyError(request_id)
            req.update(state="declined", message=message)
            self.notices.post({"kind": "decline", "target": req["scope"], "reason": "parent_declined",
                               "message": message, "left_s": None, "until": None, "at": self.clock.now().wall})
            self._record_event("request_declined", {"id": request_id, "message": message})
            self.save()

    # ---- the companion's view --------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        with self._lock:
            st = self.ledger.status(self.clock.now(), self._current_game)
            child = self.policy_doc["child"]
            today = dt.datetime.fromtimestamp(st["trusted_time"], self.policy.timezone).date()
            band = age_band(age_from_birth_year(child["birth_year"], today)) if child.get("birth_year") else "11-13"
            st.update(child_name=child.get("name", ""), age_band=band, lang=self.lang,
                      locked_reason=st["screen_reason"] if st["screen_left_s"] == 0 else None,
                      policy_version=self.policy_doc["version"],
                      # today so far, as the parent's reports read it (only what the privacy settings allow):
                      # the day's own summary is sent only when the day is over
                      summary=self.summary(st["day"]))
            ctl = self.controls_status(st["trusted_time"])
            st.update(parent_lock=ctl["lock"], internet_paused=ctl["pause"])
            if ctl["lock"] is not None:
                st["locked_reason"] = "parent_lock"
        view = self.consent_view()  # the companion opens the consent window while asks_child is true
        st["consent"] = {"state": view["state"], "asks_child": view["asks_child"], "proposal": view["proposal"]["id"],
                         "child_needed": view["child_needed"]}
        st["cover"] = bool(self.cover and st["locked_reason"]
                           and self.cover_lifted_day != st.get("day"))
        if self.awaiting_child:
            st["awaiting_child"] = True
            st["locked_reason"] = None  # nobody's session is stopped while there is no child account
        if self.brand:
            st["brand"] = self.brand
        if self.logo is not None:
            st["brand_logo"] = self.logo.describe()  # the bytes travel separately, by the brand_logo op
        if self.pairing_offer is not None and self.show_pairing_code:
            st["pairing"] = self.pairing_offer()
        return st

    def brand_logo(self) -> BrandLogo | None:
        """The device maker's logo for the companion's brand_logo op, or None (a family's own install)."""
        return self.logo

    def submit_request(self, minutes: int, reason: str, scope: str = "screen") -> dict[str, Any]:
        if scope not in ("screen", "games"):
            raise ValueError("scope must be screen or games")
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 5 <= minutes <= 240:
            raise ValueError("minutes must be a whole number from 5 to 240")
        reason = str(reason).strip()[:300]
        with self._lock:
            pending = [r for r in self.requests.values() if r["state"] == "queued"]
            for r in pending:  # the same ask again (a double click, a script): folded into the waiting one
                if (r["minutes"], r["scope"], r["reason"]) == (minutes, scope, reason):
                    return {"id": r["id"], "state": "queued"}
            if not self._request_rate.take(self.monotonic()):
                raise ValueError("many requests were sent just now; please wait for your parents' answer")
            if len(pending) >= 5:
                raise ValueError("five requests are already waiting for an answer")
            now = self.clock.now()
            req = {"id": secrets.token_hex(6), "minutes": minutes, "reason": reason, "scope": scope,
                   "day": self.ledger.local_day(now), "at": self.ledger.trusted_time(now), "state": "queued"}
            self.requests[req["id"]] = req
            self._outbox("time_request", dict(req))
            self._record_event("time_request", {"id": req["id"], "minutes": minutes, "scope": scope})
            self.save()
            return {"id": req["id"], "state": "queued"}

    def summary(self, day: str) -> dict[str, Any]:
        """The day as the parent receives it: only what both agreed to (consent) and the privacy settings allow."""
        with self._lock:
            full = self.day_totals(day)
            full["lessons"] = sorted(i for i, d in self.lessons_done.items() if d.get("day") == day)
            return consent_rules.summary_for_parent(
                full, self.consent.in_force(self.policy_doc["privacy"]),
                consent_rules.limits_reached(self.policy, day, self.ledger.days.get(day)),
                self.consent.state(self.child_age()))

    def day_totals(self, day: str) -> dict[str, Any]:
        """The day as counted on this PC (kept here, encrypted; what leaves is summary())."""
        privacy = self.policy_doc["privacy"]
        totals = self.ledger.days.get(day)
        out: dict[str, Any] = {"day": day, "screen_s": 0, "games_s": 0, "per_game_s": {}}
        if totals is not None:
            out.update(screen_s=round(totals.screen_s), games_s=round(totals.games_s),
                       per_game_s={k: round(v) for k, v in totals.per_game_s.items()},
                       grant_screen_s=totals.grant_screen_s, grant_games_s=totals.grant_games_s)
            if privacy["report_apps"]:
                out["per_app_s"] = {k: round(v) for k, v in totals.per_app_s.items()}
        out["requests"] = sum(1 for r in self.requests.values() if r["day"] == day)
        if privacy["report_web_categories"]:
            out["blocked"] = dict(self.web_blocked_counts.get(day, {}))
        return out

    def privacy_report(self) -> dict[str, Any]:
        privacy = self.policy_doc["privacy"]
        with self._lock:
            today = self.ledger.local_day(self.clock.now())
            agreed = self.consent.in_force(privacy)
            return {
                "consent": self.consent_view(),
                "sent": {
                    "time_totals": "time_totals" in agreed,
                    "apps_used": "apps_by_name" in agreed,
                    "window_titles": False,  # never, whatever the policy says (agent.service.consent.NEVER)
                    "full_web_addresses": False,
                    "web_categories_blocked": "web_categories_blocked" in agreed,
                    "time_requests": True,
                    "tamper_alerts": True,
                },
                "never_sent": ["screenshots", "keystrokes", "window_titles", "full_web_addresses", "messages",
                               "passwords", "camera", "microphone"],
                "example_today": self.summary(today),
                "retention_days": privacy["retention_days"],
                "recipients": "the parents' consoles paired with this PC, encrypted end to end; no company server",
            }

    def report_harmful(self, what: str, note: str) -> dict[str, Any]:
        """The child reports something harmful: it reaches the parent at once. The same report again is folded
        into the first; beyond a few a minute (a script, not a worried child) they are refused, and the parent
        gets one alert saying so instead of thousands of items burying the real ones."""
        item = {"what": str(what)[:300], "note": str(note)[:1000]}
        key = (item["what"].strip().casefold(), item["note"].strip().casefold())
        with self._lock:
            now = self.monotonic()
            if key in self._harmful_seen:
                self._harmful_folded += 1
                return {"state": "sent_to_parent", "hotline": "111"}
            if not self._harmful_rate.take(now):
                self._harmful_refused += 1
                if not self._harmful_flood_told:
                    self._harmful_flood_told = True
                    self.report_tamper("report_flood", {"op": "report_harmful", "accepted": len(self._harmful_seen),
                                                        "folded": self._harmful_folded})
                raise ValueError("many reports were sent just now and the first ones reached your parents; "
                                 "please try again in a few minutes, or call 111")
            self._harmful_flood_told = False
            if len(self._harmful_seen) >= 1000:
                self._harmful_seen.clear()
            self._harmful_seen.add(key)
            seq = self._outbox("harmful_report", item)
            self._record_event("harmful_report", {"seq": seq})
        return {"state": "sent_to_parent", "hotline": "111"}

    def notices_since(self, cursor: int) -> list[dict[str, Any]]:
        return self.notices.since(cursor)

    def wait_notices(self, cursor: int, timeout: float) -> list[dict[str, Any]]:
        """Long-poll for the companion: returns as soon as a notice newer than `cursor` exists."""
        return self.notices.wait(cursor, timeout)

    # ---- consent and the skills kit (the rules live in agent.service.consent) -----------------------------
    def child_age(self) -> int | None:
        year = self.policy_doc["child"].get("birth_year")
        if not year:
            return None
        today = dt.datetime.fromtimestamp(self.ledger.trusted_time(self.clock.now()), self.policy.timezone).date()
        return age_from_birth_year(year, today)

    def consent_view(self) -> dict[str, Any]:
        with self._lock:
            view = self.consent.view(self.child_age(), self.policy_doc["privacy"])
            view["age"] = self.child_age()
            return view

    def offer_consent(self) -> None:
        """After pairing: the age's defaults become the proposal both the child and the parent are shown."""
        with self._lock:
            if self.consent.data["proposal"] is None:
                self.consent.ensure_proposal(self.child_age(), self.clock.now().wall)
                self._consent_changed()

    def parent_consent(self, fields: Any, signer: str) -> dict[str, Any]:
        """The parent's signed ask to see `fields` (raises ConsentError, a ValueError, for unknown fields)."""
        with self._lock:
            self.consent.parent_asks(fields, self.child_age(), self.clock.now().wall, signer)
            return self._consent_changed()

    def child_consent(self, agree: bool) -> dict[str, Any]:
        with self._lock:
            self.consent.child_answers(bool(agree), self.child_age(), self.clock.now().wall)
            return self._consent_changed()

    def _consent_changed(self) -> dict[str, Any]:
        view = self.consent_view()
        self._record_event("consent", {"state": view["state"], "in_force": view["in_force"]})
        self._outbox("consent", {k: view[k] for k in ("state", "proposal", "in_force", "child_answer", "record",
                                                      "child_needed", "age")})
        return view

    def _load_lessons(self) -> dict[str, dict[str, Any]]:
        raw = self.store.kv_get("skills/finished")
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            log.error("saved finished lessons unreadable; starting with none")
            data = {}
        return data if isinstance(data, dict) else {}

    def lesson_done(self, lesson_id: str, right: int, total: int) -> dict[str, Any]:
        """The child finished a lesson of the skills kit; the parent hears of it only with consent (summary())."""
        with self._lock:
            if lesson_id not in self.lessons_done:
                now = self.clock.now()
                self.lessons_done[lesson_id] = {"day": self.ledger.local_day(now), "at": now.wall,
                                                "right": right, "total": total}
                self.store.kv_put("skills/finished", json.dumps(self.lessons_done).encode())
                self._record_event("lesson_done", {"id": lesson_id})
            return {"finished": sorted(self.lessons_done)}

    def skills(self) -> dict[str, Any]:
        from agent.skills.kit import band_for_age

        with self._lock:
            return {"band": band_for_age(self.child_age()), "finished": sorted(self.lessons_done),
                    "age": self.child_age()}
