"""Consent before sharing (agent.service.consent) through the real service core: the real encrypted store, the
real ledger over a simulated day, the summary exactly as it goes to the parent's outbox."""

from __future__ import annotations

import pytest

from agent.service.consent import FIELDS, NEVER, ConsentBook, ConsentError, check_fields, default_fields
from agent.store import EncryptedStore
from tests.support.consent_core import KEY, make
from tests.support.scripted_processes import Proc, run_for


def summaries(core) -> list[dict]:
    return [o.payload for o in core.store.outbox_since(0, 1000) if o.kind == "daily_summary"]


def play_past_midnight(core, clock, procs) -> dict:
    procs.procs = [Proc(100, 1, "Minecraft.exe")]
    run_for(core, clock, 3600 + 5)  # 23:00 → 00:00: Minecraft until the 30-min cap closes it
    return summaries(core)[-1]


def test_nothing_agreed_sends_only_the_minimum(tmp_path):
    core, clock, procs = make(tmp_path)
    core.offer_consent()
    assert core.consent_view()["state"] == "none"
    s = play_past_midnight(core, clock, procs)
    assert s["limits_reached"] == {"screen": False, "games": True}
    assert s["consent"] == "none"
    assert set(s) == {"day", "requests", "limits_reached", "consent"}  # no minutes, no game or app names
    report = core.privacy_report()
    assert report["sent"]["time_totals"] is False and report["sent"]["apps_used"] is False
    assert set(report["example_today"]) == {"day", "requests", "limits_reached", "consent"}


def test_parent_alone_is_not_enough_for_a_child_of_seven_or_more(tmp_path):
    core, clock, procs = make(tmp_path, birth_year=2016)  # 10 in 2026
    core.offer_consent()
    view = core.parent_consent(default_fields(10), "console-1")
    assert view["state"] == "parent_agreed" and view["asks_child"] and view["in_force"] == []
    assert "per_game_s" not in play_past_midnight(core, clock, procs)


def test_both_agree_then_the_agreed_fields_flow(tmp_path):
    core, clock, procs = make(tmp_path, birth_year=2016)
    core.offer_consent()
    assert core.child_consent(True)["state"] == "child_agreed"
    view = core.parent_consent(default_fields(10), "console-1")
    assert view["state"] == "both" and view["in_force"] == list(FIELDS)
    s = play_past_midnight(core, clock, procs)
    assert s["per_game_s"] == {"minecraft": 1800} and s["games_s"] == 1800 and s["consent"] == "both"


def test_under_seven_the_parent_decides(tmp_path):
    core, _, _ = make(tmp_path, birth_year=2021)  # 5
    core.offer_consent()
    view = core.parent_consent(["time_totals"], "console-1")
    assert view["state"] == "both" and not view["child_needed"] and view["in_force"] == ["time_totals"]


def test_fourteen_and_over_get_categories_not_names_by_default(tmp_path):
    core, clock, procs = make(tmp_path, birth_year=2011)  # 15
    core.offer_consent()
    assert core.consent_view()["proposal"]["fields"] == ["time_totals", "web_categories_blocked", "lessons_finished"]
    core.child_consent(True)
    core.parent_consent(core.consent_view()["proposal"]["fields"], "console-1")
    s = play_past_midnight(core, clock, procs)
    assert s["games_s"] == 1800 and "per_game_s" not in s and "per_app_s" not in s


def test_widening_asks_again_and_the_old_agreement_keeps_flowing(tmp_path):
    core, clock, procs = make(tmp_path, birth_year=2016)
    core.offer_consent()
    core.child_consent(True)
    core.parent_consent(["time_totals"], "console-1")
    assert core.consent_view()["in_force"] == ["time_totals"]
    view = core.parent_consent(["time_totals", "games_by_name"], "console-1")
    assert view["state"] == "parent_agreed" and view["asks_child"]
    assert view["in_force"] == ["time_totals"]  # the wider ask waits for the child
    s = play_past_midnight(core, clock, procs)
    assert s["games_s"] == 1800 and "per_game_s" not in s
    assert core.child_consent(True)["in_force"] == ["time_totals", "games_by_name"]


def test_narrowing_needs_no_new_consent(tmp_path):
    core, _, _ = make(tmp_path, birth_year=2016)
    core.offer_consent()
    core.child_consent(True)
    core.parent_consent(list(FIELDS), "console-1")
    view = core.parent_consent(["time_totals"], "console-1")
    assert view["state"] == "both" and not view["asks_child"] and view["in_force"] == ["time_totals"]
    assert view["record"][-1]["what"] == "narrowed"


def test_the_policy_switch_narrows_at_once(tmp_path):
    core, _, _ = make(tmp_path, birth_year=2016)
    core.offer_consent()
    core.child_consent(True)
    core.parent_consent(list(FIELDS), "console-1")
    doc = dict(core.policy_doc, version=3, privacy=dict(core.policy_doc["privacy"], report_apps=False))
    core.apply_policy(doc)
    assert "apps_by_name" not in core.consent_view()["in_force"]


def test_talk_about_it_leaves_it_waiting(tmp_path):
    core, _, _ = make(tmp_path, birth_year=2012)
    core.offer_consent()
    core.parent_consent(default_fields(14), "console-1")
    view = core.child_consent(False)
    assert view["state"] == "parent_agreed" and view["child_answer"] == "talk" and view["in_force"] == []
    assert view["record"][-1] == {**view["record"][-1], "who": "child", "what": "wants_to_talk"}


def test_the_record_survives_a_restart_encrypted(tmp_path):
    core, _, _ = make(tmp_path, birth_year=2016)
    core.offer_consent()
    core.child_consent(True)
    core.parent_consent(["time_totals"], "console-1")
    core.save()
    core.store.close()
    raw = (tmp_path / "agent.db").read_bytes()
    assert b"time_totals" not in raw and b"wants_to_talk" not in raw and b"console-1" not in raw
    again = ConsentBook(EncryptedStore.open(tmp_path / "agent.db", KEY))
    assert again.data["agreed"] == ["time_totals"]
    assert [(r["who"], r["what"]) for r in again.data["record"]] == [("child", "agreed"), ("parent", "agreed")]


def test_every_change_reaches_the_parent_outbox(tmp_path):
    core, _, _ = make(tmp_path, birth_year=2016)
    core.offer_consent()
    core.child_consent(True)
    kinds = [o.kind for o in core.store.outbox_since(0, 100)]
    assert kinds.count("consent") == 2
    last = [o.payload for o in core.store.outbox_since(0, 100) if o.kind == "consent"][-1]
    assert last["state"] == "child_agreed" and last["record"][-1]["who"] == "child"


@pytest.mark.parametrize("bad", [["keystrokes"], ["screenshots"], ["full_web_addresses"], ["everything"], "all", [1]])
def test_what_can_never_be_agreed(bad):
    with pytest.raises(ConsentError):
        check_fields(bad)


def test_never_and_fields_do_not_overlap():
    assert not set(NEVER) & set(FIELDS)


def test_a_child_cannot_agree_before_anyone_is_paired(tmp_path):
    core, _, _ = make(tmp_path)
    with pytest.raises(ConsentError, match="no parent is paired"):
        core.child_consent(True)
