"""The parts of "lock now" and "pause internet until …" one at a time, each with what a child (or a broken
console) would send: the signed control and its checks, the agent's link handler with a phone's rights, the
refusal of ends the PC cannot honour, the flood of forged controls folded into few alerts, the paused DNS rules,
the block page's words and the child's notices — in Vietnamese and English."""

from __future__ import annotations

import json
import time

import pytest

from agent.dns.blockpage import render_page
from agent.dns.classifier import Decision
from agent.dns.filter_setup import build_filter
from agent.dns.pause import PAUSED, PausedFilter
from agent.protocol import messages
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity
from app.controls import ControlTimeError, alert_line, until_from
from tests.support.agent_core import core  # noqa: F401 - the fixture: an agent core as the service assembles it

PARENT = Identity.generate("mom")
CHILD_PC = Identity.generate("pc")


def test_a_control_verifies_only_as_what_and_for_whom_it_was_signed():
    payload = messages.sign_control(PARENT, CHILD_PC.device_id, "lock_now", "lock", 2_000_000_000, 1)
    assert messages.verify_control(payload, PARENT.public, CHILD_PC.device_id, "lock_now") == {
        "action": "lock", "until": 2_000_000_000, "at": 1}
    with pytest.raises(ProtocolError) as exc:  # a signed lock replayed as a pause
        messages.verify_control(payload, PARENT.public, CHILD_PC.device_id, "pause_internet")
    assert exc.value.code == "bad_payload" and "control.kind" in exc.value.reason
    with pytest.raises(ProtocolError) as exc:  # for another child's PC
        messages.verify_control(payload, PARENT.public, Identity.generate().device_id, "lock_now")
    assert exc.value.code == "wrong_device"
    with pytest.raises(ProtocolError) as exc:  # signed by someone else
        messages.verify_control(payload, Identity.generate().public, CHILD_PC.device_id, "lock_now")
    assert exc.value.code == "bad_signature"
    with pytest.raises(ProtocolError) as exc:  # no signer the PC knows
        messages.verify_control(payload, None, CHILD_PC.device_id, "lock_now")
    assert exc.value.code == "unknown_signer"
    tampered = json.loads(json.dumps(payload))
    tampered["control"]["until"] = 0  # "until I unlock" → the child would like "never", but the signature breaks
    with pytest.raises(ProtocolError):
        messages.verify_control(tampered, PARENT.public, CHILD_PC.device_id, "lock_now")
    with pytest.raises(ValueError):
        messages.sign_control(PARENT, CHILD_PC.device_id, "lock_now", "pause", 0, 1)  # not a lock's action
    odd = messages.sign_control(PARENT, CHILD_PC.device_id, "pause_internet", "pause", 5, 1)
    odd["control"]["action"] = "lock"
    odd["sig"] = messages.b64e(PARENT.sign(b"sprout control\x00" + messages._canonical(odd["control"])))
    with pytest.raises(ProtocolError) as exc:
        messages.verify_control(odd, PARENT.public, CHILD_PC.device_id, "pause_internet")
    assert "control.action" in exc.value.reason
    for bad in ({"control": "x"}, {}, None, {"control": {"kind": "lock_now"}}):
        with pytest.raises(ProtocolError):
            messages.verify_control(bad, PARENT.public, CHILD_PC.device_id, "lock_now")


def test_the_consoles_times_say_what_is_wrong():
    now = 1_780_000_000.0
    assert until_from(minutes=90, now=now) == now + 5400
    assert until_from(now=now) is None
    end = until_from(at="18:00", now=now)
    assert now < end <= now + 24 * 3600
    for kwargs, words in (({"minutes": 0}, "from 1 to"), ({"minutes": 24 * 60 + 1}, "from 1 to"),
                          ({"at": "25:00"}, "time of day"), ({"at": "18:00", "minutes": 5}, "not both")):
        with pytest.raises(ControlTimeError, match=words):
            until_from(now=now, **kwargs)
    assert alert_line({"kind": "parent_lock", "until_text": "18:00"}, "Minh Anh", 1) == \
        "Minh Anh's PC was locked by a parent until 18:00"
    assert alert_line({"kind": "internet_paused", "until_text": "18:00"}, "Minh Anh", 0) == \
        "Internet trên máy của Minh Anh đã tạm dừng đến 18:00"
    assert alert_line({"kind": "gap"}, "Minh Anh", 0) is None


class _Index:
    def lookup(self, name):
        return "games" if name.endswith("roblox.com") else None


def test_the_paused_rules_block_every_name_but_help_and_the_parents_allow_list():
    base = build_filter({"blocked_categories": ["games"], "allow": ["school.edu.vn"], "deny": ["bad.example"]},
                        _Index())
    paused = PausedFilter(base)
    for name in ("www.wikipedia.org", "youtube.com", "roblox.com", "a.b.c.example.net"):
        d = paused.classify(name)
        assert d.verdict == "block" and d.reason == PAUSED, name
        assert paused.classify_wire(name).reason == PAUSED
    for name in ("tongdai111.vn", "www.tongdai111.vn", "canhbao.khonggianmang.vn", "lop6.school.edu.vn"):
        assert paused.classify(name).verdict == "allow", name
        assert paused.classify_wire(name).verdict == "allow", name
    assert paused.classify("-junk.example").verdict == "nxdomain"  # junk stays junk
    assert paused.rules is base.rules  # whoever reads the policy's rules still finds them


@pytest.mark.parametrize("until", ["18:00", ""])
def test_the_block_page_says_the_internet_is_paused_kindly(until):
    page = render_page("www.wikipedia.org", Decision("block", None, None, PAUSED), paused_until=until,
                       ask_token="t")
    if until:
        assert "Internet đang tạm nghỉ đến 18:00" in page and "The internet is resting until 18:00" in page
    else:
        assert "cho đến khi bố mẹ mở lại" in page and "until your parents turn it back on" in page
    assert "Bố mẹ đã tạm dừng Internet" in page and "Your parents paused the internet" in page
    assert "111" in page and "canhbao.khonggianmang.vn" in page
    assert "Category" not in page and "Ask my parents to open it" not in page  # no site to ask for: it all comes back
    normal = render_page("roblox.com", Decision("block", "games", None, "list"), ask_token="t")
    assert "Your parents chose not to open this site" in normal and "Category" in normal


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_childs_notices_for_the_controls_are_kind(qtbot, lang, tmp_path):
    import os

    from agent.companion.i18n import Language
    from agent.companion.notice_window import NoticeWindow

    language = Language()
    language.switch(lang)
    words = {"vi": ("Bố mẹ cho máy nghỉ đến 18:00", "Máy đã mở lại rồi", "Internet đang nghỉ đến 18:00",
                    "Internet đã trở lại"),
             "en": ("Your parents paused the computer until 18:00", "The computer is open again",
                    "The internet is resting until 18:00", "The internet is back")}[lang]
    folder = os.environ.get("SPROUT_JOURNEY_SHOTS")
    for kind, title in zip(("parent_lock", "parent_unlock", "internet_paused", "internet_resumed"), words, strict=True):
        win = NoticeWindow({"kind": kind, "until": "18:00", "target": "screen", "at": time.time()}, "11-13")
        qtbot.addWidget(win)
        assert win.kind == kind and win.title.text() == title
        text = " ".join((win.title.text(), win.body.text())).lower()
        assert not any(w in text for w in ("error", "lỗi", "failed", "denied", "cấm")), text
        assert "111" in win.help.text() and not win.ask_button.isVisible()
        if folder and kind == "internet_paused":
            win.adjustSize()
            win.grab().save(f"{folder}/internet-paused-notice-{lang}.png")
    language.switch("en")


def _alerts(core, kind):
    rows = core.store.outbox_since(0, 500)
    out = []
    for r in rows:
        payload = json.loads(r.payload) if isinstance(r.payload, bytes | str) else r.payload
        if r.kind == "alert" and payload.get("kind") == kind:
            out.append(payload)
    return out


def test_the_agent_refuses_ends_it_cannot_honour_and_keeps_nothing_of_them(core):
    now = core.ledger.trusted_time(core.clock.now())
    for kind, action, until, words in (("lock_now", "lock", now - 60, "must be after now"),
                                       ("lock_now", "lock", now + 25 * 3600, "at most 24 hours"),
                                       ("pause_internet", "pause", 0, "needs an end"),
                                       ("pause_internet", "pause", now + 2 * 86400, "at most 24 hours")):
        with pytest.raises(ValueError, match=words):
            core.parent_control(kind, action, int(until), "console")
    assert core.controls_status() == {"lock": None, "pause": None}
    assert core.internet_paused() is None
    view = core.parent_control("lock_now", "lock", 0, "console")  # until the parent unlocks
    assert view["active"] and view["until"] is None and core.status()["locked_reason"] == "parent_lock"
    assert core.status()["parent_lock"]["until_text"] is None  # the child reads "until your parents open it"


def test_a_flood_of_forged_controls_reaches_the_parent_as_a_few_alerts(core):
    for i in range(200):
        core.control_refused("lock_now", "unknown_peer", f"rogue{i}", "this console is not paired")
    told = _alerts(core, "control_refused")
    assert 1 <= len(told) <= 5, len(told)
    core._refused_rate._tokens = 1.0  # a minute later
    core.control_refused("lock_now", "bad_signature", "rogue", "the signature does not verify")
    last = _alerts(core, "control_refused")[-1]
    assert last["error"] == "bad_signature" and last["more_refused"] >= 190
