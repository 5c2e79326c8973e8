"""Journey: one source of truth for the rules — in Vietnamese and in English, against the real agent.

Rules pushed from elsewhere (a second parent's console on the command line) are what the console shows when it
opens: fetched from the PC with their version. A save based on an older version asks before replacing them
(No keeps the PC's rules and shows them; Yes replaces them). A PC that cannot be reached is said in the console's
language, not as "cannot reach http://…: ConnectionError".
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.gui.main_window import MainWindow
from app.gui.notify import Notifier
from tests.support.journeys import (  # noqa: F401 - fixtures
    BIN,
    agent,
    close_console,
    console,
    english_in,
    lang,
    paired_console,
    run,
    shooter,
    start_agent,
    visible_texts,
)

IN_FORCE = {"vi": "Đang áp dụng trên", "en": "In force on"}
CHANGED = {"vi": "đã được đổi ở nơi khác", "en": "were changed elsewhere"}
OFFLINE = {"vi": "Không kết nối được với máy", "en": "The PC cannot be reached"}


def dad_pushes(tmp_path, agent, lang: str, monday: int) -> int:
    """The other parent pushes rules from the command line: the PC's current ones with Monday changed."""
    dad = tmp_path / "dad"
    if not (dad / "family.sqlite").exists():
        run(BIN / "sprout-console", "--state", dad, "--lang", lang, "--name", "dad", "pair", "--code",
            agent.pairing_code(), "--host", agent.host)
    doc = json.loads(run(BIN / "sprout-agent", "policy", "preset", "--age", "12", "--preset",
                         "vn-decree-147").stdout)
    doc["screen"]["daily_minutes"]["mon"] = monday
    path = tmp_path / f"dad-{monday}.json"
    path.write_text(json.dumps(doc))
    device = run(BIN / "sprout-console", "--state", dad, "--lang", "en", "devices").stdout.split()[0]
    out = run(BIN / "sprout-console", "--state", dad, "--lang", "en", "policy", "push", device, path).stdout
    return int(out.split("version ")[1].split()[0])


def test_the_console_shows_what_the_pc_enforces_and_asks_before_replacing(qtbot, tmp_path, lang, agent, console):
    shot = shooter(tmp_path)
    v_dad = dad_pushes(tmp_path, agent, lang, monday=45)
    win = MainWindow(console, notifier=Notifier(tray=False), lan_search=False)
    qtbot.addWidget(win)
    win.show()
    rules = win.rules
    win.tabs.setCurrentWidget(rules)
    qtbot.waitUntil(lambda: not rules.fetching, timeout=15_000)
    assert rules.day_spins["mon"].value() == 45  # not the console's old 120
    assert rules.base_version == v_dad and IN_FORCE[lang] in rules.status.text()
    assert str(v_dad) in rules.status.text()
    if lang == "vi":
        assert english_in(visible_texts(rules), {"vm"}) == []
    shot(win, f"policy-truth-1-fetched-{lang}")

    # dad pushes again while mom edits; mom's save asks first — No keeps dad's rules and shows them
    v_dad2 = dad_pushes(tmp_path, agent, lang, monday=50)
    rules.day_spins["mon"].setValue(30)
    qtbot.mouseClick(rules.push_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: rules.conflict is not None and rules.conflict.isVisible(), timeout=15_000)
    box = rules.conflict
    assert CHANGED[lang] in box.text() and str(v_dad2) in box.text()
    shot(box, f"policy-truth-2-asks-{lang}")
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: rules.conflict is None and rules.day_spins["mon"].value() == 50, timeout=5_000)
    pc = console.link(console.store.children()[0].devices[0]).current_policy()
    assert pc["screen"]["daily_minutes"]["mon"] == 50 and pc["version"] == v_dad2

    # again, and Yes: mom's rules replace dad's
    dad_pushes(tmp_path, agent, lang, monday=55)
    rules.day_spins["mon"].setValue(30)
    qtbot.mouseClick(rules.push_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: rules.conflict is not None and rules.conflict.isVisible(), timeout=15_000)
    qtbot.mouseClick(rules.conflict.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: rules.push_btn.isEnabled() and rules.conflict is None, timeout=15_000)
    pc = console.link(console.store.children()[0].devices[0]).current_policy()
    assert pc["screen"]["daily_minutes"]["mon"] == 30
    shot(win, f"policy-truth-3-replaced-{lang}")

    # the PC goes off: the reason is in the console's language
    agent.proc.terminate()
    agent.proc.wait(20)
    rules.day_spins["mon"].setValue(35)
    qtbot.mouseClick(rules.push_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: OFFLINE[lang] in rules.status.text(), timeout=30_000)
    if lang == "vi":
        assert english_in([rules.status.text()]) == [], rules.status.text()
    assert "ConnectionError" not in rules.status.text() and "http://" not in rules.status.text()
    shot(win, f"policy-truth-4-offline-{lang}")
