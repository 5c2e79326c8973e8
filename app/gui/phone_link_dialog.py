"""The console window's "Link a phone" dialog (docs/phone-linking.md): the QR code and the short code for the parent's
phone, what happened, the linked phones and a Remove button. The linking itself is app.phone_link, run on a worker
thread; words are Vietnamese and English here (pick), like the resources' texts."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent.protocol import phone_link
from app.gui.i18n import pick
from app.gui.worker import run_async
from common_qt.qr import qr_pixmap

T = {
    "title": {"vi": "Liên kết điện thoại", "en": "Link a phone"},
    "intro": {"vi": "Mở ứng dụng Sprout dành cho cha mẹ trên điện thoại và quét mã này. Mã dùng một lần, trong 5 phút.",
              "en": "Open Sprout's parent app on your phone and scan this code. It works once, for 5 minutes."},
    "or_type": {"vi": "Không quét được? Gõ mã này vào điện thoại:", "en": "Cannot scan? Type this code on the phone:"},
    "waiting": {"vi": "Đang chờ điện thoại…", "en": "Waiting for the phone…"},
    "connecting": {"vi": "Đang kết nối máy chủ chuyển tiếp…", "en": "Connecting to the relay broker…"},
    "linked": {"vi": "Đã liên kết “{name}”. Các máy của con đã được báo.",
               "en": "Linked “{name}”. The children's PCs have been told."},
    "linked_untold": {"vi": "Đã liên kết “{name}”. Sẽ báo {n} máy của con khi kết nối được.",
                      "en": "Linked “{name}”. {n} of the children's PCs will be told when they can be reached."},
    "wrong_code": {"vi": "Mã bị nhập sai quá nhiều lần nên đã bị huỷ. Hãy bấm “Mã mới”.",
                   "en": "The code was typed wrong too many times and is burnt. Press “New code”."},
    "expired": {"vi": "Mã đã hết hạn. Hãy bấm “Mã mới”.", "en": "The code expired. Press “New code”."},
    "no_slot": {"vi": "Máy chủ chuyển tiếp chưa có tài khoản trống cho điện thoại (sprout-relay setup --phones N).",
                "en": "The relay broker has no free account for a phone (sprout-relay setup --phones N)."},
    "no_relay": {"vi": "Điện thoại kết nối với gia đình qua máy chủ chuyển tiếp, mà bảng điều khiển này chưa có "
                       "(sprout-console relay import TỆP).",
                 "en": "A phone reaches the family through the relay broker, and this console has none yet "
                       "(sprout-console relay import FILE)."},
    "failed": {"vi": "Không liên kết được: {why}", "en": "Not linked: {why}"},
    "phones": {"vi": "Điện thoại đã liên kết", "en": "Linked phones"},
    "none": {"vi": "Chưa có điện thoại nào.", "en": "No phone yet."},
    "since": {"vi": "từ {when}", "en": "since {when}"},
    "remove": {"vi": "Gỡ điện thoại này", "en": "Remove this phone"},
    "removed": {"vi": "Đã gỡ “{name}”: từ giờ mọi máy của con đều từ chối nó.",
                "en": "Removed “{name}”: every child's PC refuses it from now on."},
    "new_code": {"vi": "Mã mới", "en": "New code"},
    "close": {"vi": "Đóng", "en": "Close"},
}



class _Ready(QObject):
    """The worker says the link topic is subscribed; Qt delivers it on the window's thread."""

    ready = Signal(object)


class PhoneLinkDialog(QDialog):
    def __init__(self, family: Any, parent: QWidget | None = None, *, settings: Any = None,
                 autostart: bool = True) -> None:
        super().__init__(parent)
        from app.phone_link import PhoneBook

        self.family = family
        self.book = PhoneBook(family)
        self.settings = settings
        self.autostart = autostart
        self.link: Any = None
        self._stop = threading.Event()
        self._closed = False
        self._ready = _Ready(self)
        self._ready.ready.connect(self._show_ticket)
        self.setWindowTitle(pick(T["title"]))
        self.setMinimumWidth(460)
        lay = QVBoxLayout(self)
        self.intro = QLabel(pick(T["intro"]), wordWrap=True)
        lay.addWidget(self.intro)
        self.qr = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.qr.setAccessibleName(pick(T["title"]))
        lay.addWidget(self.qr)
        self.or_type = QLabel(pick(T["or_type"]), wordWrap=True)
        lay.addWidget(self.or_type)
        self.code = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        font = QFont("DejaVu Sans Mono")
        font.setPointSize(18)
        font.setBold(True)
        self.code.setFont(font)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.code)
        self.status = QLabel(wordWrap=True)
        lay.addWidget(self.status)

        box = QGroupBox(pick(T["phones"]))
        v = QVBoxLayout(box)
        self.phones = QListWidget()
        self.phones.setAccessibleName(pick(T["phones"]))
        self.phones.setMaximumHeight(110)
        v.addWidget(self.phones)
        self.remove_btn = QPushButton(pick(T["remove"]))
        self.remove_btn.setAccessibleName(pick(T["remove"]))
        self.remove_btn.clicked.connect(self.remove_selected)
        v.addWidget(self.remove_btn, alignment=Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(box)

        row = QHBoxLayout()
        self.new_btn = QPushButton(pick(T["new_code"]))
        self.new_btn.clicked.connect(self.new_code)
        close = QPushButton(pick(T["close"]))
        close.clicked.connect(self.accept)
        row.addWidget(self.new_btn)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.fill_phones()
        self.new_code()

    # ---- the code ----------------------------------------------------------------------------------------
    def new_code(self) -> None:
        from app.phone_link import ConsoleLink

        self._stop.set()
        self._stop = threading.Event()
        if self.settings is None:
            self.qr.clear()
            self.code.clear()
            self.status.setText(pick(T["no_relay"]))
            self.new_btn.setEnabled(False)
            return
        self.link = ConsoleLink(self.book, self.settings)
        self.qr.clear()
        self.code.clear()
        if not self.autostart:
            self._show_ticket(self.link)
            return
        # the code is shown only once the console listens on its link topic: a phone that scans at once is heard
        self.status.setText(pick(T["connecting"]))
        link, stop = self.link, self._stop
        run_async(lambda: self._serve(link, stop), self._done, self._failed)

    def _show_ticket(self, link: Any) -> None:
        if self._closed or link is not self.link:
            return
        self.qr.setPixmap(qr_pixmap(link.ticket.qr_text(), box=5))
        self.code.setText(phone_link.display_code(link.ticket.code))
        self.status.setText(pick(T["waiting"]))

    def _serve(self, link: Any, stop: threading.Event) -> tuple[Any, Any, dict[str, str]]:
        from app.phone_link import serve

        outcome = serve(link, phone_link.LINK_TTL_S, on_ready=lambda: self._ready.ready.emit(link), stop=stop)
        told = self.book.tell() if outcome.phone is not None else {}
        return link, outcome, told

    def _done(self, result: tuple[Any, Any, dict[str, str]]) -> None:
        link, outcome, told = result
        if self._closed or link is not self.link:  # closed, or an older code's answer after "New code"
            return
        self.show_outcome(outcome, told)

    def _failed(self, exc: Exception) -> None:
        if self._closed:
            return
        self.status.setText(pick(T["failed"]).format(why=getattr(exc, "reason", str(exc))))

    def show_outcome(self, outcome: Any, told: dict[str, str]) -> None:
        if outcome.phone is not None:
            untold = sum(1 for why in told.values() if why != "ok")
            key = "linked_untold" if untold else "linked"
            self.status.setText(pick(T[key]).format(name=outcome.phone.name, n=untold))
            self.qr.clear()
            self.code.clear()
            self.fill_phones()
        elif outcome.error in ("wrong_code", "expired", "no_slot"):
            self.status.setText(pick(T[outcome.error]))
            self.qr.clear()
            self.code.clear()

    # ---- the phones --------------------------------------------------------------------------------------
    def fill_phones(self) -> None:
        self.phones.clear()
        phones = self.book.phones()
        for p in phones:
            when = dt.datetime.fromtimestamp(p["added_at"]).strftime("%Y-%m-%d %H:%M")
            item = QListWidgetItem(f"{p['name']}  —  {pick(T['since']).format(when=when)}")
            item.setData(Qt.ItemDataRole.UserRole, p["device_id"])
            self.phones.addItem(item)
        if not phones:
            self.phones.addItem(pick(T["none"]))
        else:
            self.phones.setCurrentRow(0)
        self.remove_btn.setEnabled(bool(phones))

    def remove_selected(self) -> None:
        item = self.phones.currentItem()
        device = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not device:
            return
        name = next(p["name"] for p in self.book.phones() if p["device_id"] == device)
        self.book.remove(device)
        self.status.setText(pick(T["removed"]).format(name=name))
        self.fill_phones()
        run_async(self.book.tell)  # each PC now, or when it can next be reached

    def done(self, result: int) -> None:  # closing the dialog ends the wait for a phone
        self._closed = True
        self._stop.set()
        super().done(result)
