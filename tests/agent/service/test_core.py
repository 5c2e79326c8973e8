"""The service core over a simulated day: injected clock and process source, the real store, ledger and catalog."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from agent.ledger.apps import AppClassifier
from agent.ledger.clock import SimulatedClock
from agent.policy import PolicyError, load_policy_doc
from agent.service.core import AgentCore
from agent.service.enforcer import Enforcer
from agent.service.sampler import Sampler
from agent.store import EncryptedStore
from tests.support.scripted_processes import UID, Proc, RecordingCloser, ScriptedProcesses, run_for


def make(tmp_path, policy: dict, start: str = "2026-12-01T20:00:00+07:00"):
    clock = SimulatedClock(dt.datetime.fromisoformat(start).timestamp())
    procs = ScriptedProcesses()
    closer = RecordingCloser(procs)
    sampler = Sampler(clock=clock, processes=procs, foreground=None, idle=None, classifier=AppClassifier(),
                      child_uid=UID)
    enforcer = Enforcer(closer=closer, session=None, child_uid=UID, grace_s=0)
    store = EncryptedStore.open(tmp_path / "agent.db", os.urandom(32))
    core = AgentCore(policy_doc=load_policy_doc(policy), clock=clock, sampler=sampler, enforcer=enforcer,
                     store=store, monotonic=lambda: clock.now().mono)
    return core, clock, procs, closer


def both_agree(core) -> None:
    """The child and the parent agreed to every field (agent.service.consent; tests/agent/service/test_consent.py covers the rest)."""
    from agent.service.consent import FIELDS

    core.offer_consent()
    core.child_consent(True)
    core.parent_consent(list(FIELDS), "test-console")


def drain_enforcer(core):
    core.enforcer.shutdown()


def test_day_rollover_sends_the_summary_and_keeps_counting(tmp_path):
    policy = {"version": 3, "games": {"daily_minutes": 600}, "privacy": {"report_apps": False, "report_window_titles": False,
              "report_full_urls": False, "report_web_categories": True, "retention_days": 30}}
    core, clock, procs, _ = make(tmp_path, policy, "2026-12-01T23:30:00+07:00")
    both_agree(core)
    procs.procs = [Proc(100, 1, "Minecraft.exe")]
    run_for(core, clock, 3600)  # 23:30 → 00:30
    outbox = core.store.outbox_since(0, 100)
    summaries = [o for o in outbox if o.kind == "daily_summary"]
    assert len(summaries) == 1
    s = summaries[0].payload
    assert (s["day"], s["games_s"], s["per_game_s"]) == ("2026-12-01", 1800, {"minecraft": 1800})
    assert "per_app_s" not in s  # the parent chose not to receive app names
    assert core.status()["games_used_s"] == 1800  # the new day


def test_requests_grants_and_declines(tmp_path):
    core, clock, _procs, _ = make(tmp_path, {"version": 3, "screen": {"daily_minutes": dict.fromkeys(
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun"), 30)}})
    decisions = run_for(core, clock, 1800)
    assert any(d.kind == "lock" for d in decisions)
    with pytest.raises(ValueError, match="5 to 240"):
        core.submit_request(500, "film")
    req = core.submit_request(20, "finish my homework", "screen")
    assert req["state"] == "queued"
    queued = [o for o in core.store.outbox_since(0, 100) if o.kind == "time_request"]
    assert queued[0].payload["minutes"] == 20 and queued[0].payload["reason"] == "finish my homework"
    core.grant(20 * 60, request_id=req["id"])
    assert core.status()["screen_left_s"] == 1200
    assert core.requests[req["id"]]["state"] == "granted"
    second = core.submit_request(30, "one more game")
    core.decline(second["id"], "Bed time!")
    notes = core.notices_since(0)
    assert [n["kind"] for n in notes][-2:] == ["grant", "decline"]
    assert notes[-1]["message"] == "Bed time!"


def test_policy_updates_must_be_newer_and_valid(tmp_path):
    core, clock, procs, _ = make(tmp_path, {"version": 3})
    with pytest.raises(PolicyError, match="not newer"):
        core.apply_policy({"version": 3, "apps": {"blocked": ["tiktok"]}})
    with pytest.raises(PolicyError, match="web.youtube"):
        core.apply_policy({"version": 4, "web": {"youtube": "max"}})
    assert core.policy_doc["version"] == 3
    seen = []
    core.on_policy_change.append(seen.append)
    core.apply_policy({"version": 4, "apps": {"blocked": ["tiktok"]}})
    procs.procs = [Proc(200, 1, "TikTok")]
    decisions = run_for(core, clock, 2)
    assert [d.kind for d in decisions if d.new and d.enforces] == ["block"]
    drain_enforcer(core)
    assert core.enforcer.closer.calls == [(200, UID)]
    assert seen and seen[0]["version"] == 4
    assert core.store.latest_policy().version == 4


def test_privacy_report_shows_exactly_what_leaves(tmp_path):
    core, clock, procs, _ = make(tmp_path, {"version": 3})
    both_agree(core)
    procs.procs = [Proc(100, 1, "Minecraft.exe")]
    run_for(core, clock, 60)
    report = core.privacy_report()
    assert report["sent"]["window_titles"] is False and report["sent"]["full_web_addresses"] is False
    assert report["example_today"] == core.summary("2026-12-01")
    assert report["example_today"]["per_game_s"] == {"minecraft": 60}
    assert report["retention_days"] == 30


def test_a_broken_saved_ledger_is_reported_not_silently_reset(tmp_path):
    core, clock, _procs, _ = make(tmp_path, {"version": 3})
    run_for(core, clock, 10)
    core.save()
    core.store.kv_put("ledger", b"{not json")
    again = AgentCore(policy_doc=core.policy_doc, clock=clock, sampler=core.sampler, enforcer=core.enforcer,
                      store=core.store)
    assert any(e.kind == "state_reset" for e in again.store.events())


def test_an_admin_child_is_reported_to_the_parent(tmp_path):
    from agent.assembly import report_admin_child

    core, _clock, _procs, _ = make(tmp_path, {"version": 3})
    report_admin_child(core, 0)  # uid 0 is root: the most admin a child account can be
    alerts = [o.payload for o in core.store.outbox_since(0, 100) if o.kind == "alert"]
    assert alerts and alerts[-1]["kind"] == "child_is_admin" and alerts[-1]["user"] == "root"
    assert any(e.kind == "child_is_admin" for e in core.store.events())


def test_a_policy_file_the_child_could_write_is_refused_by_the_service(tmp_path):
    from agent.assembly import check_owned_by_service

    f = tmp_path / "policy.json"
    f.write_text("{}")
    os.chmod(f, 0o666)
    with pytest.raises(PolicyError, match="not writable by group or others"):
        check_owned_by_service(f)
    os.chmod(f, 0o644)
    check_owned_by_service(f)  # ours (root, or the service account) and writable by no one else
    if os.geteuid() == 0:
        os.chown(f, 65534, 65534)  # owned by another account, e.g. the child's
        with pytest.raises(PolicyError, match="owned by root or the service account"):
            check_owned_by_service(f)


def test_web_blocks_are_counted_per_category_in_the_summary(tmp_path):
    core, clock, _, _ = make(tmp_path, {"version": 3})
    both_agree(core)
    core.web_blocked("fb88.com", "gambling", "list")
    core.web_blocked("www.fb88.com", "gambling", "list")
    core.web_blocked("example.org", None, "denylist")
    assert core.summary("2026-12-01")["blocked"] == {"gambling": 2, "other": 1}
    assert [n["kind"] for n in core.notices_since(0)] == ["web_block"] * 3
    core.save()
    again = AgentCore(policy_doc=core.policy_doc, clock=clock, sampler=core.sampler, enforcer=core.enforcer,
                      store=core.store)
    assert again.summary("2026-12-01")["blocked"] == {"gambling": 2, "other": 1}
    # A parent who turned web reporting off receives no web figures.
    doc = dict(core.policy_doc, version=4)
    doc["privacy"] = dict(doc["privacy"], report_web_categories=False)
    again.apply_policy(doc)
    assert "blocked" not in again.summary("2026-12-01")


def test_device_maker_settings_set_the_language_and_the_pairing_window(tmp_path):
    from agent.assembly import ServiceOptions, build_core

    state = tmp_path / "state"
    state.mkdir()
    (state / "oem.json").write_text(json.dumps({"brand_name": "VinaPC", "language": "en", "show_pairing_code": False}))
    clock = SimulatedClock(dt.datetime.fromisoformat("2026-12-01T08:00:00+07:00").timestamp())
    procs = ScriptedProcesses()
    adapters = {"processes": procs, "foreground": None, "idle": None, "session": None,
                "closer": RecordingCloser(procs)}
    core = build_core(ServiceOptions(state_dir=state, user_mode=True), clock=clock, adapters=adapters)
    core.pairing_offer = lambda: {"code": "ABCD-EFGH", "expires_in_s": 600}
    status = core.status()
    assert status["lang"] == "en" and "pairing" not in status and status["brand"] == "VinaPC"
    (state / "oem.json").write_text("{broken")
    core2 = build_core(ServiceOptions(state_dir=state, user_mode=True), clock=clock, adapters=adapters,
                       store=core.store)
    core2.pairing_offer = core.pairing_offer
    assert core2.status()["lang"] == "vi" and core2.status()["pairing"]["code"] == "ABCD-EFGH"


def test_a_block_is_stored_before_the_program_is_closed(tmp_path):
    """Whoever sees a program closed (the parent's report, `sprout-agent status`, a test) finds its reason already
    stored: the decision is written before the closing starts, not raced by it."""
    core, clock, procs, closer = make(tmp_path, {"version": 2, "apps": {"blocked": ["tiktok"]}})
    seen_at_close: list[list[str]] = []
    inner = closer.__call__

    def closing(pid, **kw):
        seen_at_close.append([e.kind for e in core.store.events()])
        return inner(pid, **kw)

    core.enforcer.closer = closing
    procs.procs = [Proc(4242, 1, "TikTok")]
    run_for(core, clock, 2)
    drain_enforcer(core)
    assert seen_at_close and "block" in seen_at_close[0]
