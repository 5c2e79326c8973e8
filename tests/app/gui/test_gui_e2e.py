"""The console's widgets (offscreen) against a REAL agent: `sprout-agent run --user-mode` on loopback, its companion
socket for the child's "ask for more time", and `sprout-agent status` to see what the agent applied."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QWizard

from app.gui import i18n
from app.gui.main_window import MainWindow
from app.gui.notify import Notifier
from app.gui.session import Session
from app.gui.wizard import FirstRunWizard

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
CODE_RE = re.compile(r"\b([0-9A-Z]{4}-[0-9A-Z]{4})\b")
ENV = dict(os.environ, PYTHONPATH=str(ROOT), LANG="en_US.UTF-8")


def run(*args: object) -> str:
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=60, env=ENV, cwd=ROOT)
    assert p.returncode == 0, (args, p.stdout, p.stderr)
    return p.stdout


def agent_events(state: Path) -> list[dict]:
    out = run(BIN / "sprout-agent", "status", "--user-mode", "--state", state, "--events", "200", "--json")
    return json.loads(out)["events"]


@pytest.fixture()
def agent(tmp_path):
    state = tmp_path / "agent"
    log = open(tmp_path / "agent.log", "w")  # noqa: SIM115 - open for the agent's whole life
    proc = subprocess.Popen([str(BIN / "sprout-agent"), "run", "--user-mode", "--state", str(state), "--link",
                             "127.0.0.1:0", "--lang", "en"], stdout=log, stderr=log, env=ENV, cwd=ROOT)
    deadline = time.monotonic() + 30
    addr = state / "link.address"
    while not (addr.exists() and addr.read_text().strip()):
        assert proc.poll() is None, (tmp_path / "agent.log").read_text()
        assert time.monotonic() < deadline, "agent did not start"
        time.sleep(0.1)
    yield {"state": state, "host": addr.read_text().strip(), "log": tmp_path / "agent.log"}
    proc.send_signal(signal.SIGTERM)
    proc.wait(15)
    log.close()


@pytest.fixture()
def session(tmp_path):
    i18n.switch("en")
    s = Session(tmp_path / "console", use_keyring=False, name="mom")
    yield s
    QThreadPool.globalInstance().waitForDone(15_000)
    s.close()


def wizard_through(qtbot, session: Session, host: str, code: str) -> FirstRunWizard:
    wiz = FirstRunWizard(session, lan_search=False)
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.pages[0].en.setChecked(True)
    wiz.next()
    pin = wiz.pages[1]
    qtbot.keyClicks(pin.pin, "2468")
    qtbot.keyClicks(pin.again, "2467")
    wiz.next()
    assert wiz.currentPage() is pin and "not the same" in pin.error.text()  # shown beside the field
    pin.again.clear()
    qtbot.keyClicks(pin.again, "2468")
    wiz.next()
    kid = wiz.currentPage()
    wiz.next()
    assert wiz.currentPage() is kid and "name" in kid.error.text()
    qtbot.keyClicks(kid.name, "Minh Anh")
    kid.year.setValue(time.localtime().tm_year - 12)
    assert "11-13" in kid.band.text()
    wiz.next()
    pair = wiz.currentPage()
    pair.found.setEditText(host)
    qtbot.keyClicks(pair.code, "bad")
    qtbot.mouseClick(pair.pair_btn, Qt.MouseButton.LeftButton)
    assert "8 letters" in pair.result.text()
    pair.code.setText(code)
    qtbot.mouseClick(pair.pair_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Rules applied" in pair.result.text() or "Not paired" in pair.result.text(),
                    timeout=30_000)
    assert "Rules applied" in pair.result.text(), pair.result.text()
    wiz.next()
    assert wiz.currentPage() is wiz.pages[-1]
    wiz.accept()
    assert wiz.result() == QWizard.DialogCode.Accepted
    return wiz


def test_wizard_pairs_edit_push_and_grant_against_real_agent(qtbot, agent, session):
    code = CODE_RE.search(run(BIN / "sprout-agent", "pair", "--state", agent["state"])).group(1)
    wizard_through(qtbot, session, agent["host"], code)
    assert session.store.check_pin("2468") and session.store.is_set_up()
    kid = session.store.children()[0]
    assert kid.name == "Minh Anh" and len(kid.devices) == 1
    first_version = session.store.applied(kid.devices[0])["version"]
    assert any(e["kind"] == "policy_applied" and e["version"] == first_version for e in agent_events(agent["state"]))

    win = MainWindow(session, notifier=Notifier(tray=False))
    qtbot.addWidget(win)
    win.show()
    win.overview.refresh()
    card = win.overview.cards[kid.id]
    qtbot.waitUntil(lambda: "online" in next(iter(card.device_labels.values())).text(), timeout=15_000)
    assert card.screen.format() == "not known yet"  # nobody agreed yet: no minutes reach the parent (docs/privacy.md)
    # The parent agrees to the age's list and the child agrees in the companion (tests/agent/service/test_consent_e2e.py)
    from agent.companion.ipc_client import IpcClient

    session.link(kid.devices[0]).give_consent(["time_totals"])
    child = IpcClient(agent["state"] / "companion.sock")
    try:
        assert child.consent_answer(True, reconnect_for=10)["state"] == "both"
    finally:
        child.close()
    win.overview.refresh()
    qtbot.waitUntil(lambda: "of" in card.screen.format(), timeout=15_000)  # "0 of 120 min" against today's limit

    # invalid input is shown beside the field, nothing is sent
    rules = win.rules
    rules.blocked.setPlainText("Zalo.exe")
    qtbot.mouseClick(rules.push_btn, Qt.MouseButton.LeftButton)
    assert not rules.errors["apps.blocked"].isHidden()
    assert rules.errors["apps.blocked"].text().startswith("Line 1: ") and "Zalo" in rules.errors["apps.blocked"].text()
    assert "nothing was sent" in rules.status.text()
    assert session.store.applied(kid.devices[0])["version"] == first_version

    # a real edit: Monday 45 minutes, two windows (one across midnight), blocked apps; pushed and applied
    rules.blocked.setPlainText("zalo\ntiktok")
    rules.day_spins["mon"].setValue(45)
    rules.timeline.windows["mon"] = [[7 * 60, 8 * 60], [22 * 60, 60]]
    qtbot.mouseClick(rules.push_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Applied on" in rules.status.text() or "Not applied" in rules.status.text(),
                    timeout=20_000)
    assert "Applied on" in rules.status.text(), rules.status.text()
    assert rules.errors["apps.blocked"].isHidden()
    new_version = session.store.applied(kid.devices[0])["version"]
    assert new_version == first_version + 1
    assert any(e["kind"] == "policy_applied" and e["version"] == new_version for e in agent_events(agent["state"]))
    got = session.link(kid.devices[0]).current_policy()
    assert got["screen"]["daily_minutes"]["mon"] == 45 and got["apps"]["blocked"] == ["zalo", "tiktok"]
    assert got["screen"]["windows"]["mon"] == [{"start": "07:00", "end": "08:00"}, {"start": "22:00", "end": "01:00"}]

    # the child asks for more time through the companion socket; the overview shows it and a notice window opens
    from agent.companion.ipc_client import IpcClient

    client = IpcClient(agent["state"] / "companion.sock")
    rid = client.submit_request(30, "bài tập toán", "screen", reconnect_for=10)["id"]
    client.close()
    win.overview.refresh()
    qtbot.waitUntil(lambda: any(i["payload"]["id"] == rid for i in session.open_requests()), timeout=15_000)
    win.overview.show_requests()
    assert win.notifier.last_path == "window" and win.notifier.notices[-1].isVisible()
    assert "Minh Anh asks for 30" in win.notifier.notices[-1].label.text()
    req_card = win.overview.request_cards[rid]
    assert win.overview.no_requests.isHidden()
    assert "bài tập toán" in req_card.label.text()
    qtbot.mouseClick(req_card.buttons["15"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Granted" in req_card.label.text() or "Could not" in req_card.label.text(),
                    timeout=15_000)
    assert "Granted 15" in req_card.label.text(), req_card.label.text()
    qtbot.waitUntil(lambda: any(e["kind"] == "grant" and e["reason"] == "parent_grant" and e["left_s"] == 900
                                for e in agent_events(agent["state"])), timeout=10_000)
    assert rid not in {i["payload"]["id"] for i in session.open_requests()}
    win.overview.show_requests()  # a refresh after the answer keeps the answered card readable
    assert "Granted 15" in win.overview.request_cards[rid].label.text()
