"""The child's card's "Lock now" and "Pause internet until …" (app.controls for the times; the agent's side is
agent.service.controls). One row of buttons under the child's bars, what is in force beside them, and a small dialog
to choose until when. The calls run in workers; a PC that is off or refuses says why in the row."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.controls import KINDS, MAX_HOURS, clock_of, family_zone
from app.gui import i18n
from app.gui.session import Session
from app.gui.worker import error_text, run_async

TEXTS = {
    "lock": {"vi": "Khóa máy ngay…", "en": "Lock now…"},
    "unlock": {"vi": "Mở khóa", "en": "Unlock"},
    "pause": {"vi": "Tạm dừng Internet…", "en": "Pause internet…"},
    "resume": {"vi": "Bật lại Internet", "en": "Resume internet"},
    "locked_until": {"vi": "Đã khóa đến {time}", "en": "Locked until {time}"},
    "locked_open": {"vi": "Đã khóa đến khi bạn mở", "en": "Locked until you unlock it"},
    "paused_until": {"vi": "Internet tạm dừng đến {time}", "en": "Internet paused until {time}"},
    "sending": {"vi": "Đang gửi…", "en": "Sending…"},
    "none_done": {"vi": "Chưa gửi được: {why}", "en": "Not sent: {why}"},
    "lock_title": {"vi": "Khóa máy của {name}", "en": "Lock {name}'s PC"},
    "pause_title": {"vi": "Tạm dừng Internet của {name}", "en": "Pause {name}'s internet"},
    "lock_intro": {"vi": "Máy sẽ khóa ngay. {name} sẽ thấy một lời nhắn nhẹ nhàng kèm giờ mở lại; thời gian "
                         "khóa không bị tính vào giờ dùng máy.",
                   "en": "The PC locks at once. {name} sees a kind note with the time it opens again; locked "
                         "time is not counted as screen time."},
    "pause_intro": {"vi": "Mọi trang web tạm nghỉ, trừ danh sách bạn cho phép và các trang trợ giúp (đường dây "
                          "111). Tối đa 24 giờ.",
                    "en": "Every website rests, except your allowed list and the help sites (the 111 helpline). "
                          "At most 24 hours."},
    "for": {"vi": "Trong", "en": "For"},
    "minutes": {"vi": " phút", "en": " minutes"},
    "until": {"vi": "Đến", "en": "Until"},
    "until_unlock": {"vi": "Đến khi tôi mở khóa", "en": "Until I unlock it"},
    "start_lock": {"vi": "Khóa ngay", "en": "Lock now"},
    "start_pause": {"vi": "Tạm dừng", "en": "Pause"},
    "cancel": {"vi": "Huỷ", "en": "Cancel"},
}


def t(key: str, **kw: Any) -> str:
    return i18n.pick(TEXTS[key]).format(**kw)


class ControlDialog(QDialog):
    """Until when: for N minutes, until a time of day (the next one), or — a lock only — until the parent unlocks."""

    def __init__(self, mode: str, name: str, parent: QWidget | None = None, tz: Any = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.tz = tz  # the family's time zone: "until 18:00" is 18:00 on the child's PC
        self.setWindowTitle(t(f"{mode}_title", name=name))
        lay = QVBoxLayout(self)
        intro = QLabel(t(f"{mode}_intro", name=name))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        grid = QGridLayout()
        self.choice = QButtonGroup(self)
        self.for_radio = QRadioButton(t("for"))
        self.minutes = QSpinBox()
        self.minutes.setRange(5, MAX_HOURS * 60)
        self.minutes.setSingleStep(15)
        self.minutes.setValue(60)
        self.minutes.setSuffix(t("minutes"))
        self.minutes.setAccessibleName(t("for") + t("minutes"))
        self.until_radio = QRadioButton(t("until"))
        import datetime as dt

        there = dt.datetime.now(tz) if tz is not None else dt.datetime.now()
        self.until_time = QTimeEdit(QTime(there.hour, there.minute).addSecs(3600))
        self.until_time.setDisplayFormat("HH:mm")
        self.until_time.setAccessibleName(t("until"))
        self.open_radio = QRadioButton(t("until_unlock"))
        grid.addWidget(self.for_radio, 0, 0)
        grid.addWidget(self.minutes, 0, 1)
        grid.addWidget(self.until_radio, 1, 0)
        grid.addWidget(self.until_time, 1, 1)
        if mode == "lock":
            grid.addWidget(self.open_radio, 2, 0, 1, 2)
        else:
            self.open_radio.hide()
        for i, r in enumerate((self.for_radio, self.until_radio, self.open_radio)):
            self.choice.addButton(r, i)
        self.for_radio.setChecked(True)
        self.minutes.valueChanged.connect(lambda _v: self.for_radio.setChecked(True))
        self.until_time.timeChanged.connect(lambda _v: self.until_radio.setChecked(True))
        lay.addLayout(grid)
        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton(t(f"start_{mode}"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(t("cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def until(self, now: float | None = None) -> float | None:
        from app.controls import until_from

        now = time.time() if now is None else now
        if self.open_radio.isChecked() and self.mode == "lock":
            return None
        if self.until_radio.isChecked():
            return until_from(at=self.until_time.time().toString("HH:mm"), now=now, tz=self.tz)
        return until_from(minutes=self.minutes.value(), now=now)


class ControlsRow(QWidget):
    """Lock now / Unlock, Pause internet / Resume, and what is in force on the child's PC."""

    sent = Signal(str)  # "lock", "unlock", "pause", "resume" once a PC did it

    def __init__(self, session: Session, child_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.child_id = session, child_id
        self.name = session.store.child(child_id).name
        self.dialog: ControlDialog | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key in ("lock", "unlock", "pause", "resume"):
            b = QPushButton(t(key))
            b.setAccessibleName(f"{t(key).rstrip('…')} — {self.name}")
            self.buttons[key] = b
            row.addWidget(b)
        row.addStretch(1)
        self.buttons["lock"].clicked.connect(lambda: self.open_dialog("lock"))
        self.buttons["pause"].clicked.connect(lambda: self.open_dialog("pause"))
        self.buttons["unlock"].clicked.connect(lambda: self.send("unlock"))
        self.buttons["resume"].clicked.connect(lambda: self.send("resume"))
        lay.addLayout(row)
        self.state = QLabel("")
        self.state.setObjectName("control_state")
        self.state.setWordWrap(True)
        lay.addWidget(self.state)
        self.locked: str | None = None  # the end as shown ("18:00"; "" open-ended), None when not locked
        self.paused: str | None = None
        self._show()

    def open_dialog(self, mode: str) -> ControlDialog:
        self.dialog = ControlDialog(mode, self.name, self, tz=self._zone())
        self.dialog.accepted.connect(lambda: self.send(mode, self.dialog.until() if self.dialog else None))
        self.dialog.show()
        return self.dialog

    def _zone(self) -> Any:
        return family_zone(self.session.policy(self.child_id))

    def send(self, command: str, until: float | None = None) -> None:
        kind, action = KINDS[command]
        for b in self.buttons.values():
            b.setEnabled(False)
        self.state.setText(t("sending"))
        run_async(lambda: self.session.control(self.child_id, kind, action, until),
                  lambda _done: self._done(command, until), self._failed)

    def _done(self, command: str, until: float | None) -> None:
        shown = clock_of(until, tz=self._zone()) if until else ""
        if command == "lock":
            self.locked = shown
        elif command == "unlock":
            self.locked = None
        elif command == "pause":
            self.paused = shown
        else:
            self.paused = None
        self._show()
        self.sent.emit(command)

    def _failed(self, exc: Exception) -> None:
        self._show()
        self.state.setText(t("none_done", why=error_text(exc)))

    def set_status(self, status: dict[str, Any] | None) -> None:
        """What the PC says is in force (its own clock's end times)."""
        if status is None:
            return
        lock, pause = status.get("parent_lock"), status.get("internet_paused")
        self.locked = None if not lock else (lock.get("until_text") or "")
        self.paused = None if not pause else (pause.get("until_text") or "")
        self._show()

    def _show(self) -> None:
        for b in self.buttons.values():
            b.setEnabled(True)
        self.buttons["unlock"].setVisible(self.locked is not None)
        self.buttons["resume"].setVisible(self.paused is not None)
        lines = []
        if self.locked is not None:
            lines.append(t("locked_until", time=self.locked) if self.locked else t("locked_open"))
        if self.paused is not None:
            lines.append(t("paused_until", time=self.paused))
        self.state.setText("\n".join(lines))
        self.state.setVisible(bool(lines))
