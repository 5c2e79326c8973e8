"""Report something harmful: a short what and an optional note, sent to the parents through the service; the
hotline 111 is always shown, because some things should not wait for a parent."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from agent.companion.common import FormPage, failure_text, lay_out_form_page, set_text
from agent.companion.ipc_client import ServiceRefused, ServiceUnavailable
from agent.companion.look import sprout_pixmap

# A bare name, so pyside6-lupdate finds every string (it does not follow other aliases).
translate = QCoreApplication.translate


class HarmReporter(Protocol):
    def report_harmful(self, what: str, note: str) -> dict[str, Any]: ...


class ReportHarmfulWindow(FormPage):
    def __init__(self, reporter: HarmReporter, what: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Dialog | Qt.WindowType.WindowStaysOnTopHint)
        self.reporter = reporter
        self.answer: dict[str, Any] | None = None
        self.setMinimumWidth(440)
        pic = QLabel(self)
        pic.setPixmap(sprout_pixmap(56))
        self.title = QLabel(self, objectName="title", wordWrap=True)
        self.intro = QLabel(self, objectName="body", wordWrap=True)
        self.what = QLineEdit(self)
        self.what.setMaxLength(300)
        self.what.setText(what)
        self.what_label = QLabel(self)
        self.what_label.setBuddy(self.what)
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        self.note_label = QLabel(self)
        self.note_label.setBuddy(self.note)
        self.add_answer_and_buttons()

        form = QFormLayout()
        form.addRow(self.what_label, self.what)
        form.addRow(self.note_label, self.note)
        lay_out_form_page(self, pic, self.title, self.intro, form, self.result, self.help, self.close_button,
                          self.send_button)
        for a, b in ((self.what, self.note), (self.note, self.send_button), (self.send_button, self.close_button)):
            QWidget.setTabOrder(a, b)
        self.retranslate()
        self.what.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("Companion", "Report something harmful"))
        set_text(self.title, translate("Companion", "Report something harmful"))
        intro = translate("Companion", "Did you see something that scared or hurt you, or someone who made you "
                                       "feel unsafe? Tell your parents here. It is not your fault.")
        set_text(self.intro, intro)
        set_text(self.what_label, translate("Companion", "&What happened:"))
        self.what.setAccessibleName(translate("Companion", "What happened"))
        set_text(self.note_label, translate("Companion", "&More (optional):"))
        self.note.setAccessibleName(translate("Companion", "More details, optional"))
        self.word_answer_and_buttons()
        if self.answer is not None:
            set_text(self.result, self._thanks())

    def _thanks(self) -> str:
        # True to the letter: it is on its way to the parents' console, not necessarily read at once
        return translate("Companion", "Thank you for telling us. It has been sent to your parents; they will "
                                      "read it in their Sprout console.")

    def send(self) -> None:
        what = self.what.text().strip()
        if not what:
            self.show_answer(translate("Companion", "Write a few words about what happened."))
            self.what.setFocus()
            return
        try:
            self.answer = self.reporter.report_harmful(what, self.note.toPlainText().strip()[:2000])
        except (ServiceUnavailable, ServiceRefused) as exc:
            self.show_answer(failure_text(exc))
            return
        self.show_answer(self._thanks())
        self.send_button.setEnabled(False)
        self.close_button.setFocus()
