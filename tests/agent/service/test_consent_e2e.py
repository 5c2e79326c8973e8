"""Consent through the assembled product: the real `sprout-agent run --user-mode` process, the parent's real
`sprout-console` (pair, policy push, consent show/agree), the child's answer over the real companion socket, and
what a paired console can read over the signed link before and after both agree; the record across a restart."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from agent.companion.ipc_client import IpcClient, ServiceRefused
from agent.protocol import messages
from agent.protocol.identity import Identity
from tests.support.agent_process import console
from tests.support.consent_family import family as family  # a fixture
from tests.support.consent_family import start_agent, stop


def parent_status(mom: Path, device: str) -> dict:
    from app.family import Family
    from app.link_client import DeviceLink

    fam = Family(mom, use_keyring=False)
    try:
        return DeviceLink(fam, fam.find_device(device)["device_id"]).status()
    finally:
        fam.close()


def show(mom: Path, device: str, ok: bool = True) -> subprocess.CompletedProcess:
    return console(mom, "consent", "show", device, ok=ok)


def test_a_paired_family_sends_only_the_minimum_until_both_agree(family):
    mom, device, child = family["mom"], family["device"], family["child"]
    seen = child.status(reconnect_for=10)
    assert seen["consent"]["state"] == "none" and seen["consent"]["asks_child"]
    out = show(mom, device).stdout
    assert "Nobody has agreed yet: only the minimum is sent" in out
    assert "Which games" not in out and "Each game's name and minutes played" in out  # the parent's wording
    # Only the minimum: a paired console reads whether a limit is reached, not minutes used or left, no game names.
    st = parent_status(mom, device)
    assert st["consent"] == "none" and st["limits_reached"] == {"screen": False, "games": False}
    assert not {"screen_used_s", "games_used_s", "screen_left_s", "games_left_s", "current_game"} & set(st)
    assert set(child.privacy_report()["example_today"]) == {"day", "requests", "limits_reached", "consent"}

    # The parent agrees to the list shown; the child still has to.
    out = console(mom, "consent", "agree", device).stdout
    assert "The parent agreed; waiting for the child" in out
    assert "screen_used_s" not in parent_status(mom, device)
    assert child.status()["consent"]["asks_child"]

    # The child agrees in the companion: now the agreed fields flow.
    view = child.consent_answer(True)
    assert view["state"] == "both"
    st = parent_status(mom, device)
    assert st["consent"] == "both" and "screen_used_s" in st and "games_used_s" in st
    example = child.privacy_report()["example_today"]
    assert "screen_s" in example and "per_game_s" in example
    out = show(mom, device).stdout
    assert "Both have agreed" in out and "child: agreed" in out and "parent: agreed" in out


def test_narrowing_needs_no_consent_and_widening_asks_again(family):
    mom, device, child = family["mom"], family["device"], family["child"]
    child.status(reconnect_for=10)
    console(mom, "consent", "agree", device)
    child.consent_answer(True)
    out = console(mom, "consent", "agree", device, "--fields", "time_totals").stdout
    assert "Both have agreed" in out
    view = child.consent()
    assert view["state"] == "both" and not view["asks_child"] and view["in_force"] == ["time_totals"]
    assert "games_used_s" in parent_status(mom, device) and "current_game" not in parent_status(mom, device)

    out = console(mom, "consent", "agree", device, "--fields", "time_totals,games_by_name").stdout
    assert "The parent agreed; waiting for the child" in out
    view = child.consent()
    assert view["asks_child"] and view["in_force"] == ["time_totals"]  # the wider ask waits for the child
    assert child.consent_answer(False)["child_answer"] == "talk"
    assert child.consent()["in_force"] == ["time_totals"]
    assert child.consent_answer(True)["in_force"] == ["time_totals", "games_by_name"]


def test_the_record_survives_restarts_and_is_shown_on_both_sides(family):
    mom, device, child, state = family["mom"], family["device"], family["child"], family["state"]
    child.status(reconnect_for=10)
    child.consent_answer(True)
    console(mom, "consent", "agree", device)
    before = json.loads(console(mom, "consent", "show", device, "--json").stdout)["record"]
    assert [(r["who"], r["what"]) for r in before] == [("child", "agreed"), ("parent", "agreed")]

    stop(family["proc"])
    off = show(mom, device)  # the child's PC is off: the console's own sealed copy
    assert "showing the stored copy" in off.stderr and "Both have agreed" in off.stdout
    assert b"time_totals" not in (mom / "family.sqlite").read_bytes()

    family["proc"] = start_agent(state, family["log"])
    child.close()
    again = IpcClient(state / "companion.sock", timeout=5.0)
    try:
        report = again.privacy_report(reconnect_for=15)  # what the child's privacy window shows
        assert [(r["who"], r["what"]) for r in report["consent"]["record"]] == [("child", "agreed"),
                                                                              ("parent", "agreed")]
        assert report["consent"]["state"] == "both"
    finally:
        again.close()
    after = json.loads(console(mom, "consent", "show", device, "--json").stdout)["record"]
    assert after == before


def test_a_child_cannot_consent_for_the_parent(family, tmp_path):
    """What a child could try: the companion socket has no parent op; a consent signed by any key but the paired
    console's is refused by the link; a field Sprout never collects is refused even from the parent."""
    mom, device, child = family["mom"], family["device"], family["child"]
    child.status(reconnect_for=10)
    child.consent_answer(True)
    with pytest.raises(ServiceRefused):
        child.call("consent_answer", {"agree": "yes"})
    assert child.consent()["state"] == "child_agreed"

    from app.family import Family
    from app.link_client import DeviceLink, LinkError

    fam = Family(mom, use_keyring=False)
    try:
        link = DeviceLink(fam, fam.find_device(device)["device_id"])
        forged = messages.sign_consent(Identity.generate("kid"), link.device_id, ["time_totals"], 0.0)
        forged["signer"] = fam.identity.device_id  # claims to be mom, signed by another key
        with pytest.raises(LinkError) as err:
            link.call("consent", forged)
        assert err.value.code == "bad_signature"
        with pytest.raises(LinkError) as err:
            link.give_consent(["keystrokes"])
        assert err.value.code == "consent_rejected" and "never collected" in err.value.reason
    finally:
        fam.close()
    assert child.consent()["state"] == "child_agreed"
    p = console(mom, "consent", "agree", device, "--fields", "screenshots", ok=False)
    assert p.returncode == 2 and "never collected by Sprout" in p.stderr and "Traceback" not in p.stderr
