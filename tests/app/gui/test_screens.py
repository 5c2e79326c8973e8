"""Each console screen offscreen, without an agent: the timeline's mouse editing, reports with chart/table and CSV/PDF
export, settings (PIN change, runtime language switch), notices with and without a tray, an offline device."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QSpinBox

from app.gui import i18n
from app.gui.main_window import MainWindow
from app.gui.notify import Notifier
from app.gui.overview import alert_text
from app.gui.session import Session
from app.gui.timeline import WeekTimeline
from tests.support.console_window import session as session  # a fixture
from tests.support.console_window import window as window  # a fixture


def test_timeline_draw_move_resize_delete_across_midnight(qtbot):
    tl = WeekTimeline()
    qtbot.addWidget(tl)
    tl.resize(24 * 30 + tl._label_w() + 8, 7 * 30 + 20)
    tl.show()
    y_mon = int(20 + 0.5 * tl._row_h())
    x = lambda minute: int(tl._x(minute))  # noqa: E731

    qtbot.mousePress(tl, Qt.MouseButton.LeftButton, pos=QPoint(x(8 * 60), y_mon))
    qtbot.mouseMove(tl, QPoint(x(10 * 60), y_mon))
    qtbot.mouseRelease(tl, Qt.MouseButton.LeftButton, pos=QPoint(x(10 * 60), y_mon))
    assert tl.to_policy()["mon"] == [{"start": "08:00", "end": "10:00"}]
    # move it by two hours by dragging its middle
    qtbot.mousePress(tl, Qt.MouseButton.LeftButton, pos=QPoint(x(9 * 60), y_mon))
    qtbot.mouseMove(tl, QPoint(x(11 * 60), y_mon))
    qtbot.mouseRelease(tl, Qt.MouseButton.LeftButton, pos=QPoint(x(11 * 60), y_mon))
    assert tl.to_policy()["mon"] == [{"start": "10:00", "end": "12:00"}]
    # a second window that crosses midnight: drag its end left of its start
    qtbot.mousePress(tl, Qt.MouseButton.LeftButton, pos=QPoint(x(21 * 60), y_mon))
    qtbot.mouseMove(tl, QPoint(x(23 * 60), y_mon))
    qtbot.mouseRelease(tl, Qt.MouseButton.LeftButton, pos=QPoint(x(23 * 60), y_mon))
    qtbot.mousePress(tl, Qt.MouseButton.LeftButton, pos=QPoint(x(23 * 60), y_mon))
    qtbot.mouseMove(tl, QPoint(x(60), y_mon))
    qtbot.mouseRelease(tl, Qt.MouseButton.LeftButton, pos=QPoint(x(60), y_mon))
    assert tl.to_policy()["mon"] == [{"start": "10:00", "end": "12:00"}, {"start": "21:00", "end": "01:00"}]
    # the night part is drawn on Tuesday and can be grabbed there
    assert (0, 60, "mon", 1) in tl._segments(1)
    qtbot.mouseDClick(tl, Qt.MouseButton.LeftButton, pos=QPoint(x(11 * 60), y_mon))
    assert tl.to_policy()["mon"] == [{"start": "21:00", "end": "01:00"}]
    from agent.policy import validate

    assert validate({"screen": {"windows": tl.to_policy()}}) == []


def test_every_control_has_an_accessible_name_and_focus(window, qtbot):
    for page in range(window.tabs.count()):
        window.tabs.setCurrentIndex(page)
    for kind in (QLineEdit, QPlainTextEdit, QSpinBox, QComboBox):
        for w in window.findChildren(kind):
            if isinstance(w.parent(), QSpinBox | QComboBox):
                continue  # the line edit inside a spin box / combo box
            assert w.accessibleName(), f"{type(w).__name__} without accessibleName"
    for b in window.findChildren(QAbstractButton):
        if b.objectName().startswith("qt_"):
            continue  # Qt's own parts (a table's corner button)
        assert b.text() or b.accessibleName(), "a button with neither text nor accessibleName"
        if b.isVisible():
            assert b.focusPolicy() != Qt.FocusPolicy.NoFocus


def test_offline_device_and_alert_shown(window, session, qtbot):
    window.overview.refresh()
    label = next(iter(window.overview.cards[session.kid.id].device_labels.values()))
    qtbot.waitUntil(lambda: "offline" in label.text(), timeout=10_000)
    assert "cannot be reached" in label.text() and "ConnectionError" not in label.text()  # plain words
    texts = [w.text() for w in window.overview.alerts_box.findChildren(type(label))]
    assert any("time zone was changed" in t for t in texts)
    assert "Sprout noticed: weird" in alert_text({"payload": {"kind": "weird"}, "day": "2026-01-01"})


def test_reports_chart_table_csv_pdf(window, session, tmp_path, qtbot):
    page = window.reports
    page.period.setCurrentIndex(2)  # 30 days
    r = page.report
    assert len(r.days) == 30 and page.table.rowCount() == 30
    assert page.chart.series()[0].barSets()[0].count() == 30
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert page.table.item(1, 0).text() == yesterday and page.table.item(1, 1).text() == "60"
    assert "Microsoft Word" in page.summary.text() and "Minecraft" in page.summary.text()  # names, not IDs
    page.export_csv(tmp_path / "r.csv")
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Day,Screen (min)") and f"{yesterday},60,20" in text
    page.export_pdf(tmp_path / "r.pdf")
    pdf = (tmp_path / "r.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_settings_pin_change_and_runtime_language_switch(window, session, qtbot):
    st = window.settings
    st.old_pin.setText("9999")
    st.new_pin.setText("5678")
    st.change_pin()
    qtbot.waitUntil(lambda: st.pin_result.text() != "", timeout=10_000)
    assert st.pin_result.text() == "The current PIN is wrong."
    st.old_pin.setText("1234")
    st.change_pin()
    qtbot.waitUntil(lambda: st.pin_result.text() == "PIN changed.", timeout=10_000)
    assert session.store.check_pin("5678")
    # switch to Vietnamese at run time: every page is rebuilt in the new language, the current tab kept
    window.tabs.setCurrentIndex(3)
    st.lang.setCurrentIndex(st.lang.findData("vi"))
    qtbot.waitUntil(lambda: window.tabs.tabText(0) == "Tổng quan", timeout=5_000)
    assert [window.tabs.tabText(i) for i in range(4)] == ["Tổng quan", "Quy tắc", "Báo cáo", "Cài đặt"]
    assert window.tabs.currentIndex() == 3 and session.store.language == "vi"
    assert window.rules.push_btn.text() == "Lưu và gửi tới máy của con"
    assert "Nội dung người lớn" in [cb.text() for cb in window.rules.cat_checks.values()]


def test_rename_and_delete_history(window, session, qtbot, monkeypatch):
    st = window.settings
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Máy của Bảo", True))
    st.rename()
    assert session.devices()[0]["label"] == "Máy của Bảo"
    assert session.family.items(session.device_id)
    window.settings.forget()
    assert window.reports.render().total_screen_min == 0
    assert session.family.items(session.device_id) == []  # deleted from the file, not just hidden


def test_request_notice_with_and_without_tray(qtbot):
    item = {"payload": {"minutes": 20}}
    no_tray = Notifier(tray=False)
    assert no_tray.notify(no_tray.request_text(item, "An")) == "window"
    notice = no_tray.notices[-1]
    qtbot.addWidget(notice)
    assert notice.isVisible() and notice.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    with qtbot.waitSignal(no_tray.open_console, timeout=2000):
        notice.findChildren(QAbstractButton)[0].click() if notice.findChildren(QAbstractButton)[0].text() == \
            "Answer" else notice.findChildren(QAbstractButton)[1].click()
    with_tray = Notifier(tray=True)
    assert with_tray.tray is not None and with_tray.tray.isVisible()
    assert with_tray.notify("An asks for 20 more minutes") == "tray"
    with qtbot.waitSignal(with_tray.open_console, timeout=2000):
        with_tray.tray.messageClicked.emit()


def test_console_cli_gui_starts_wizard_then_main_window(tmp_path):
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[3]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root))
    state = tmp_path / "c"

    def gui(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())",
                               "--state", str(state), "--lang", "vi", "gui", *extra], capture_output=True, text=True,
                              env=env, timeout=60)

    p = gui("--help")
    assert p.returncode == 0 and "--no-lan-search" in p.stdout
    code = ("import sys; from pathlib import Path; from app.gui.app import run; "
            f"sys.exit(run(Path({str(state)!r}), lang='vi', quit_after_ms=300, lan_search=False))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0 and "Traceback" not in p.stderr  # first run: the wizard opened, then closed
    s = Session(state)  # the same key custody as run() uses
    s.store.set_pin("1234")
    s.add_child("An", None, True)
    s.close()
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0 and "Traceback" not in p.stderr  # set up: the main window opened, then quit


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overview_scrolls_a_busy_day_instead_of_squeezing_it(session, qtbot, lang, tmp_path):
    """More alerts than a laptop's window holds: every text keeps the height its words need, the page scrolls, and
    the child's card is still there below them."""
    from tests.support.journeys import clipped, shooter

    i18n.switch(lang)
    today = dt.date.today().isoformat()
    kinds = ["timezone_change", "clock_change", "gap", "lock_failed", "time_held"]
    items = [{"seq": 200 + n, "kind": "alert", "at": 0, "payload": {"kind": k, "day": today}}
             for n, k in enumerate(kinds)]
    items += [{"seq": 300 + n, "kind": "harmful_report", "at": 1_800_000_000 + n,
               "payload": {"what": f"một trang có hình ảnh đáng sợ số {n} làm con sợ hãi khi đang học bài",
                           "note": "con không muốn thấy lại trang này", "day": today}} for n in range(3)]
    session.family.store_items(session.device_id, items)
    win = MainWindow(session, notifier=Notifier(tray=False))
    qtbot.addWidget(win)
    win.resize(900, 600)
    win.show()
    win.overview.show_alerts()
    qtbot.waitUntil(lambda: len(win.overview.harmful_cards) == 3, timeout=10_000)
    scroll = win.overview.scroll
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0, timeout=10_000)
    assert clipped(win) == []
    card = win.overview.cards[session.kid.id]
    scroll.ensureWidgetVisible(card)
    qtbot.waitUntil(lambda: card.visibleRegion().boundingRect().height() > 0, timeout=10_000)
    assert clipped(win) == []
    shooter(tmp_path)(win, f"console-overview-busy-day-{lang}")
    win.close()
    win.deleteLater()
