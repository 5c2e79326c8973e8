"""Journey: the parent presses "lock now" — the real `sprout-agent run`, the real `sprout-console`, the child's real
companion window (offscreen), in Vietnamese and in English.

The parent locks the PC for 90 minutes from the command line; the companion shows the kind notice with the end
time (and, because this machine's session cannot really be locked, covers the screen with "time for a break");
the child stops the agent and starts it again: still locked (the lock is in the sealed store, not in memory); a
rogue program sends an unlock from a key nobody paired, and the paired console's own channel carries an unlock
signed by the wrong key: both refused, and the parent's console receives an alert for each. The parent's real
unlock ends it, and the child reads that the computer is open again.
"""

from __future__ import annotations

import time

import pytest
import requests

from agent.companion.app import Companion
from agent.companion.cover_window import CoverWindow
from agent.companion.ipc_client import IpcClient
from agent.protocol import messages
from agent.protocol.envelope import Channel
from agent.protocol.identity import Identity
from app.family import Family
from app.link_client import DeviceLink, LinkError
from tests.support.journeys import BIN, run, shooter, start_agent

LOCKED = {"vi": "Đã khóa máy", "en": "Locked"}
UNLOCKED = {"vi": "Đã mở khóa máy", "en": "Unlocked"}
PAUSED_TITLE = {"vi": "Bố mẹ cho máy nghỉ đến", "en": "Your parents paused the computer until"}
BREAK = {"vi": "Đến giờ nghỉ rồi", "en": "Time for a break"}
OPEN_AGAIN = {"vi": "Máy đã mở lại rồi", "en": "The computer is open again"}


@pytest.fixture(params=["vi", "en"])
def lang(request):
    return request.param


def console_cli(state, lang, *args, ok=True):
    return run(BIN / "sprout-console", "--state", state, "--lang", lang, *args, ok=ok)


def paired(tmp_path, agent, lang):
    state = tmp_path / "console"
    console_cli(state, lang, "pair", "--code", agent.pairing_code(), "--host", agent.host)
    fam = Family(state, name="mom")
    device = fam.devices()[0]
    fam.close()
    return state, device


def alerts(state, kind):
    fam = Family(state, name="mom")
    try:
        DeviceLink(fam, fam.devices()[0]["device_id"]).fetch()
        return [i["payload"] for i in fam.items(kind="alert") if i["payload"].get("kind") == kind]
    finally:
        fam.close()


def status(agent):
    client = IpcClient(agent.socket)
    try:
        return client.status(reconnect_for=20)
    finally:
        client.close()


def test_lock_now_survives_a_restart_refuses_forged_unlocks_and_ends_on_the_parents_unlock(qtbot, tmp_path, lang):
    shot = shooter(tmp_path)
    runs = start_agent(tmp_path, lang)
    agent = next(runs)
    state, device = paired(tmp_path, agent, lang)
    companion = Companion(agent.socket, lang=lang, tray=False, watch=True)
    try:
        qtbot.waitUntil(lambda: companion.watcher.cursor is not None, timeout=30_000)  # notices from now on
        out = console_cli(state, lang, "lock", device["name"], "--minutes", "90").stdout
        assert LOCKED[lang] in out and (" until " in out or " đến " in out), out
        st = status(agent)
        assert st["locked_reason"] == "parent_lock" and st["parent_lock"]["active"]
        until_text = st["parent_lock"]["until_text"]
        assert until_text and until_text in out
        qtbot.waitUntil(lambda: any(n.kind == "parent_lock" for n in companion.notices), timeout=30_000)
        note = next(n for n in companion.notices if n.kind == "parent_lock")
        assert note.title.text().startswith(PAUSED_TITLE[lang]) and until_text in note.title.text()
        assert "111" in note.help.text()  # the helpline, as on every notice
        assert note.report_button.isVisible()
        shot(note, f"lock-now-notice-{lang}")
        # this machine's session cannot really be locked: the companion covers the screen, worded as a break
        qtbot.waitUntil(lambda: isinstance(companion.windows.get("cover"), CoverWindow), timeout=30_000)
        cover = companion.windows["cover"]
        assert cover.title.text() == BREAK[lang] and until_text in cover.until.text()
        shot(cover, f"lock-now-cover-{lang}")
    finally:
        companion.shutdown()
    assert [a["kind"] for a in alerts(state, "parent_lock")] == ["parent_lock"]

    # the child stops the agent and starts it again: the lock is still there
    for _ in runs:  # SIGTERM, as the child stopping it would
        pass
    assert not (agent.state / "link.address").exists()  # a stopped agent leaves no address to be mistaken
    runs = start_agent(tmp_path, lang)
    agent = next(runs)
    st = status(agent)
    assert st["locked_reason"] == "parent_lock" and st["parent_lock"]["until_text"] == until_text
    fam = Family(state, name="mom")
    fam.add_device(fam.peer_keys(device["device_id"]), agent.host)  # its new port, as LAN discovery finds it
    fam.close()

    # a rogue program's unlock from a key no parent paired: refused, and the parent hears of it
    fam = Family(state, name="mom")
    agent_keys = fam.peer_keys(device["device_id"])
    fam.close()
    rogue = Identity.generate("not a parent")
    payload = messages.sign_control(rogue, agent_keys.device_id, "lock_now", "unlock", None, time.time())
    wire = Channel(rogue, agent_keys).seal("lock_now", payload, 1)
    reply = requests.post(f"http://{agent.host}/v1/msg", data=wire, timeout=10)
    assert reply.status_code == 403 and reply.json()["error"] == "unknown_peer"
    # the paired console's own channel, with an unlock signed by another key: refused too
    fam = Family(state, name="mom")
    try:
        link = DeviceLink(fam, device["device_id"])
        forged = messages.sign_control(rogue, agent_keys.device_id, "lock_now", "unlock", None, time.time())
        forged["signer"] = fam.identity.device_id
        with pytest.raises(LinkError) as refused:
            link.call("lock_now", forged)
        assert refused.value.code == "bad_signature"
    finally:
        fam.close()
    assert status(agent)["locked_reason"] == "parent_lock"
    told = alerts(state, "control_refused")
    assert {a["error"] for a in told} == {"unknown_peer", "bad_signature"}, told

    # the parent's real unlock
    out = console_cli(state, lang, "unlock", device["name"]).stdout
    assert UNLOCKED[lang] in out
    st = status(agent)
    assert st["parent_lock"] is None and st["locked_reason"] != "parent_lock"
    client = IpcClient(agent.socket)
    try:
        kinds = [n["kind"] for n in client.notices_since(0)]
    finally:
        client.close()
    assert kinds.count("parent_unlock") == 1
    assert [a["kind"] for a in alerts(state, "parent_unlock")] == ["parent_unlock"]
    for _ in runs:  # SIGTERM, as the child stopping it would
        pass
