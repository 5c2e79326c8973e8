"""A reminder about private information (a first visit to a social or chat site, an app first using the camera or
the microphone): a NoticeWindow whose words come from resources/privacy-reminders as data, in the child's band
(6–8, 9–11, 12–14, 15–17) and the companion's language. Kind and short, with OK and "report something harmful";
never an error, never asking the child to do anything."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget

from agent.companion.common import set_text
from agent.companion.consent_window import ui_lang
from agent.companion.look import notice_picture
from agent.companion.notice_window import NoticeWindow
from agent.companion.wording import band_group, hotline
from agent.skills.reminders import Reminders, load_reminders

log = logging.getLogger(__name__)
_WORDS: list[Reminders] = []


def reminder_words() -> Reminders | None:
    if not _WORDS:
        try:
            _WORDS.append(load_reminders())
        except (OSError, ValueError):
            log.exception("companion: the reminders' words cannot be read")
            return None
    return _WORDS[0]


class ReminderWindow(NoticeWindow):
    def __init__(self, notice: dict[str, Any], age_band: str, parent: QWidget | None = None) -> None:
        self.reminder_kind = str(notice.get("reason") or "site")
        self.band = str(notice.get("band") or "9-11")
        super().__init__(notice, age_band, parent)
        self.kind = "privacy_reminder"
        # An app names itself (a process may call itself anything, markup included): shown as plain text, always.
        for label in (self.title, self.body, self.until):
            label.setTextFormat(Qt.TextFormat.PlainText)
        young = band_group(age_band) == "0-6" or self.band == "6-8"
        self.picture.setPixmap(notice_picture("web_block" if self.reminder_kind == "site" else "info",
                                              112 if young else 64))
        self.picture.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)

    def retranslate(self) -> None:
        super().retranslate()  # buttons, title bar, the hotline line
        words = reminder_words()
        target = str(self.notice.get("target") or "")
        if words is None:
            title, body, note = QCoreApplication.translate("Companion", "Sprout"), "", ""
        else:
            title, body, note = words.words(self.reminder_kind, self.band, ui_lang(), target)
        self.setAccessibleName(title)
        set_text(self.title, title)
        set_text(self.body, body)
        set_text(self.until, note)
        self.until.setVisible(bool(note))
        self.ask_hint.setVisible(False)
        set_text(self.help, hotline())
        self.picture.setAccessibleName(title)
