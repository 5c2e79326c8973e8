"""The parent's side of consent: the same list the child's PC shows the child, with a tick per kind of information,
the state (who has agreed), the safety minimum, what is never collected, and the record of who agreed when.
"I agree" signs the ticked list and sends it over the link ("consent" message); unticking applies at once, ticking
more asks the child again (agent.service.consent). Words are data (resources/consent/words.json), shared with the
child's companion so both see the same list.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from agent.protocol.consent import FIELDS, MINIMUM, NEVER, field_text, plain_text, words
from app.gui import i18n
from app.gui.session import Session
from app.gui.worker import error_text


def ui(key: str) -> str:
    return i18n.pick(words()["console"][key])


def record_html(view: dict[str, Any]) -> str:
    lang = i18n.current()
    rows = []
    for r in view.get("record", [])[-10:]:
        when = dt.datetime.fromtimestamp(float(r.get("at") or 0)).strftime("%Y-%m-%d %H:%M")
        who = ui(f"who_{r.get('who')}") if r.get("who") in ("child", "parent") else str(r.get("who"))
        what_key = f"what_{r.get('what')}"
        what = ui(what_key) if what_key in words()["console"] else str(r.get("what"))
        items = ", ".join(field_text(f, lang) for f in r.get("fields", []))
        rows.append(f"<li>{escape(when)} — {escape(who)}: {escape(what)} — {escape(items)}</li>")
    return f"<p>{escape(ui('record'))}</p><ul>{''.join(rows)}</ul>" if rows else ""


def consent_state_line(session: Session, device_id: str) -> str:
    """The consent state as the PC last reported it (the "consent" items kept sealed here), for the overview."""
    items = session.family.items(device_id, kind="consent")
    state = (items[-1]["payload"] or {}).get("state", "none") if items else "none"
    return plain_text("states", state, i18n.current())


class ConsentDialog(QDialog):
    def __init__(self, session: Session, device_id: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.device_id, self.name = session, device_id, name
        self.view: dict[str, Any] = {}
        self.setMinimumWidth(620)
        self.intro = QLabel(wordWrap=True)
        self.state = QLabel(wordWrap=True)
        self.state.setStyleSheet("font-weight: bold;")
        self.asked = QLabel(wordWrap=True)
        self.boxes: dict[str, QCheckBox] = {f: QCheckBox() for f in FIELDS}
        self.in_force = QLabel(wordWrap=True)
        self.minimum = QLabel(wordWrap=True)
        self.never = QLabel(wordWrap=True)
        self.note = QLabel(wordWrap=True)
        self.record = QLabel(wordWrap=True)
        self.record.setTextFormat(Qt.TextFormat.RichText)
        self.problem = QLabel(wordWrap=True)
        self.agree_button = QPushButton()
        self.agree_button.setDefault(True)
        self.agree_button.clicked.connect(self.agree)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        lay = QVBoxLayout(self)
        for w in (self.intro, self.state, self.asked, *self.boxes.values(), self.note, self.in_force, self.minimum,
                  self.never, self.record, self.problem):
            lay.addWidget(w)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.agree_button)
        lay.addLayout(buttons)
        self.load()

    def load(self) -> None:
        """The agent's view; with the PC away, the copy this console keeps (sealed in family.sqlite)."""
        self.problem.clear()
        try:
            self.view = self.session.link(self.device_id).consent()
        except Exception as exc:  # the PC is off or away: show the stored record, say so
            stored = self.session.family.items(self.device_id, kind="consent")
            self.view = stored[-1]["payload"] if stored else {}
            self.problem.setText(ui("offline").replace("{why}", error_text(exc)))
        self.retranslate()

    def agree(self) -> None:
        fields = [f for f, box in self.boxes.items() if box.isChecked()]
        try:
            self.view = self.session.link(self.device_id).give_consent(fields)
            self.session.link(self.device_id).fetch()  # keep the agent's record here too
            self.problem.clear()
        except Exception as exc:
            self.problem.setText(ui("failed").replace("{why}", error_text(exc)))
        self.retranslate()

    def retranslate(self) -> None:
        lang = i18n.current()
        view = self.view
        self.setWindowTitle(ui("title").replace("{name}", self.name))
        self.intro.setText(ui("intro"))
        self.state.setText(plain_text("states", view.get("state", "none"), lang))
        self.asked.setText(ui("asked"))
        asked = set(view.get("proposal", {}).get("fields", []))
        for field, box in self.boxes.items():
            box.setText(field_text(field, lang))
            box.setAccessibleName(box.text())
            box.setChecked(field in asked)
        in_force = ", ".join(field_text(f, lang) for f in view.get("in_force", [])) or ui("nothing")
        self.in_force.setText(ui("in_force").replace("{items}", in_force))
        self.minimum.setText(ui("minimum").replace("{items}", "; ".join(plain_text("minimum", m, lang)
                                                                         for m in MINIMUM)))
        self.never.setText(ui("never").replace("{items}", ", ".join(plain_text("never", n, lang) for n in NEVER)))
        self.note.setText(ui("under7") if view.get("child_needed") is False else ui("narrow_note"))
        self.record.setText(record_html(view))
        self.agree_button.setText(ui("agree"))
        self.agree_button.setAccessibleName(ui("agree"))
        self.close_button.setText(i18n.qt_button_texts()[5])
        self.close_button.setAccessibleName(self.close_button.text())
