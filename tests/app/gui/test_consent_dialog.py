"""The parent's side in the console window, offscreen in vi and en, over the real agent process: the consent dialog
shows the same list the child sees and records the parent's agreement; the guide for parents per age, linked from
a waiting request, an alert and blocked sites."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from app.gui import i18n
from app.gui.consent_dialog import ConsentDialog
from app.gui.help import GuideWindow, band_of, guide, guide_link, open_guide, section_html, sections
from tests.support.consent_family import family, stop  # noqa: F401 — the real agent, paired, with a 10-year-old's policy


@pytest.fixture
def lang(qapp):
    def switch(code: str) -> None:
        i18n.switch(code)
        qapp.processEvents()

    yield switch
    i18n.switch("en")


@pytest.fixture
def session(family):
    from app.gui.session import Session

    s = Session(family["mom"], use_keyring=False)
    yield s
    s.close()


def test_the_parent_sees_the_same_list_and_records_consent(qtbot, family, session, lang):
    lang("vi")
    family["child"].status(reconnect_for=10)
    dlg = ConsentDialog(session, session.devices()[0]["device_id"], "PC của Bông")
    qtbot.addWidget(dlg)
    assert dlg.state.text() == "Chưa ai đồng ý: chỉ gửi những điều tối thiểu"
    assert all(box.isChecked() for box in dlg.boxes.values())  # a 10-year-old's defaults: every field, asked
    assert dlg.boxes["games_by_name"].text() == "Tên từng trò chơi và số phút chơi"
    assert "111" not in dlg.problem.text() and dlg.problem.text() == ""
    dlg.boxes["apps_by_name"].setChecked(False)
    qtbot.mouseClick(dlg.agree_button, Qt.MouseButton.LeftButton)
    assert dlg.state.text() == "Bố mẹ đã đồng ý; đang chờ con"
    assert "apps_by_name" not in family["child"].consent()["proposal"]["fields"]
    family["child"].consent_answer(True)
    dlg.load()
    assert dlg.state.text() == "Cả hai đã đồng ý"
    assert "Con: đồng ý" in dlg.record.text() and "Bố mẹ: đồng ý" in dlg.record.text()

    # Unticking applies at once, without asking the child again.
    dlg.boxes["games_by_name"].setChecked(False)
    qtbot.mouseClick(dlg.agree_button, Qt.MouseButton.LeftButton)
    assert dlg.state.text() == "Cả hai đã đồng ý" and "thu hẹp" in dlg.record.text()
    assert not family["child"].consent()["asks_child"]

    # The child's PC is off: the console shows its own sealed copy and says so.
    stop(family["proc"])
    dlg.load()
    assert "bản đã lưu" in dlg.problem.text() and dlg.state.text() == "Cả hai đã đồng ý"
    lang("en")
    dlg.retranslate()
    assert dlg.state.text() == "Both have agreed"


@pytest.mark.parametrize("code", ["vi", "en"])
def test_the_guide_has_every_age_and_moment_in_both_languages(qtbot, lang, code):
    lang(code)
    ids = [sid for sid, _ in sections()]
    assert ids == ["age:6-8", "age:9-11", "age:12-14", "age:15-17", "block", "request", "tamper", "help"]
    for sid in ids:
        html = section_html(sid)
        assert "111" in html and len(html) > 300, sid
    win = GuideWindow("help")
    qtbot.addWidget(win)
    assert win.list.count() == 8 and win.list.currentRow() == 7
    text = win.text.toPlainText()
    assert ("Tổng đài" in text) if code == "vi" else ("child protection hotline" in text)
    win.list.setCurrentRow(2)
    assert win.section == "age:12-14"
    assert [band_of(y, __import__("datetime").date(2026, 1, 1)) for y in (2020, 2016, 2013, 2010, None)] == [
        "6-8", "9-11", "12-14", "15-17", "9-11"]
    for a in guide()["ages"]:
        for key in ("talk", "on_block", "on_request", "watch"):
            assert a[key]["vi"] and a[key]["en"] and a[key]["vi"] != a[key]["en"]


def test_links_open_the_guide_where_the_parent_meets_the_moment(qtbot, family, session, lang):
    from app.gui.overview import OverviewPage

    lang("en")
    link = guide_link("tamper", "link_tamper")
    qtbot.addWidget(link)
    link.linkActivated.emit("tamper")
    win = open_guide("block")
    assert win.section == "block" and win.isVisible()

    # A waiting request and an alert: the overview shows the guide's links beside them.
    family["child"].submit_request(20, "homework", "screen")
    device = session.devices()[0]["device_id"]
    session.fetch_all()
    session.family.store_items(device, [{"seq": 10_000, "kind": "alert", "at": time.time(),
                                         "payload": {"kind": "clock_change", "at": time.time()}}])
    kid = session.add_child("Bông", 2016, True)
    session.store.link_device(kid.id, device)
    page = OverviewPage(session)
    qtbot.addWidget(page)
    page.show()
    assert [lab.text() for lab in next(iter(page.cards.values())).consent_labels.values()] == [
        "Nobody has agreed yet: only the minimum is sent"]  # both sides see the state
    assert page.request_cards and page.request_help.isVisible()
    assert page.request_help.text().endswith("How to answer a request for time</a>")
    links = [w.text() for w in page.alerts_box.findChildren(type(link))]
    assert any("After an alert" in t for t in links)
    page.timer.stop()


def test_the_main_window_opens_the_guide_at_the_childs_age(qtbot, tmp_path, lang):
    from app.gui.main_window import MainWindow
    from app.gui.notify import Notifier
    from app.gui.session import Session

    lang("vi")
    s = Session(tmp_path / "console", use_keyring=False)
    try:
        s.add_child("Lan", 2011, True)  # 15 in 2026
        win = MainWindow(s, notifier=Notifier(tray=False))
        qtbot.addWidget(win)
        assert win.guide_button.text() == "Hướng dẫn cho bố mẹ"
        open_guide("help")  # somewhere else first: the button must move it to the child's age
        qtbot.mouseClick(win.guide_button, Qt.MouseButton.LeftButton)
        assert open_guide.__globals__["_open"]["guide"].section == "age:15-17"
        win.overview.timer.stop()
    finally:
        s.close()
