"""The child's side of consent (agent.service.consent): exactly what the parent asks to see, in words for the child's
age, what is always sent for safety, what is never collected, and the child's answer — "I agree" or "I want to talk
about it". Under 7 the parent decides, and the window shows the same list in pictures with a single "I've seen it".

The words for each kind of information are data (resources/consent/words.json, shared with the parent's console, so
both see the same list); this window's own words are Qt translations like every other companion window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from agent.companion.common import Page, button, fit_height, help_label, set_text
from agent.companion.look import sprout_pixmap
from agent.companion.wording import hotline
from agent.protocol.consent import field_text, plain_text, word_group, words

# A bare name, so pyside6-lupdate finds every string (it does not follow other aliases).
translate = QCoreApplication.translate


def ui_lang() -> str:
    """The companion's language right now: the installed translation says which (its "en" reads "vi" in Vietnamese),
    so data-worded text follows a language switch like every translated string."""
    lang = translate("Language", "en")
    return lang if lang in ("vi", "en") else "en"


# ---- pictures for the youngest (and beside every line for everyone) -------------------------------------------
INK, LEAF, SKY = QColor("#3E7A34"), QColor("#6BB35A"), QColor("#8EC5E8")


def field_picture(name: str, size: int = 44) -> QPixmap:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 44.0
    p.setPen(QPen(INK, 2.5 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.setBrush(QColor("#FFFFFF"))
    if name == "clock":
        p.drawEllipse(QRectF(4 * s, 4 * s, 36 * s, 36 * s))
        p.drawLine(QPointF(22 * s, 22 * s), QPointF(22 * s, 11 * s))
        p.drawLine(QPointF(22 * s, 22 * s), QPointF(30 * s, 26 * s))
    elif name == "gamepad":
        p.setBrush(LEAF)
        p.drawRoundedRect(QRectF(3 * s, 12 * s, 38 * s, 22 * s), 10 * s, 10 * s)
        p.setBrush(QColor("#FFFFFF"))
        p.drawLine(QPointF(11 * s, 23 * s), QPointF(19 * s, 23 * s))
        p.drawLine(QPointF(15 * s, 19 * s), QPointF(15 * s, 27 * s))
        p.drawEllipse(QRectF(27 * s, 18 * s, 5 * s, 5 * s))
        p.drawEllipse(QRectF(32 * s, 24 * s, 5 * s, 5 * s))
    elif name == "window":
        p.drawRoundedRect(QRectF(4 * s, 7 * s, 36 * s, 30 * s), 4 * s, 4 * s)
        p.setBrush(SKY)
        p.drawRect(QRectF(4 * s, 7 * s, 36 * s, 8 * s))
    elif name == "globe":
        p.setBrush(SKY)
        p.drawEllipse(QRectF(4 * s, 4 * s, 36 * s, 36 * s))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(QRectF(14 * s, 4 * s, 16 * s, 36 * s))
        p.drawLine(QPointF(4 * s, 22 * s), QPointF(40 * s, 22 * s))
    elif name == "book":
        p.setBrush(LEAF)
        p.drawRect(QRectF(5 * s, 9 * s, 17 * s, 26 * s))
        p.drawRect(QRectF(22 * s, 9 * s, 17 * s, 26 * s))
    else:  # shield: what is always sent, for safety
        p.setBrush(LEAF)
        p.drawRoundedRect(QRectF(9 * s, 5 * s, 26 * s, 32 * s), 8 * s, 8 * s)
    p.end()
    return pix


# ---- words ----------------------------------------------------------------------------------------------------
def heading(age: int | None) -> str:
    group = word_group(age)
    if group == "0-6":
        return translate("Consent", "What Mum and Dad will see")
    if group == "7-10":
        return translate("Consent", "Your parents would like to see this. Is that OK?")
    if group == "11-13":
        return translate("Consent", "Before anything is shared, we ask you")
    return translate("Consent", "Your consent: what your parents would see")


def intro(age: int | None) -> str:
    group = word_group(age)
    if group == "0-6":
        return translate("Consent", "Your parents decide. Here is what they will see.")
    if group == "7-10":
        return translate("Consent", "Nothing on this list is sent until you and your parents both say yes. "
                                    "You can always talk about it first.")
    if group == "11-13":
        return translate("Consent", "The law says information about you is shared only when you and your parents "
                                    "both agree. Until then, only what keeps you safe is sent.")
    return translate("Consent", "Under Vietnamese law your consent is needed. Until you and your parents both "
                                "agree, only the safety minimum below is sent. Less detail is never asked again.")


def state_line(state: str) -> str:
    return {
        "none": translate("Consent", "Nobody has agreed yet, so only the safety minimum is sent."),
        "child_agreed": translate("Consent", "You agreed. Waiting for your parents."),
        "parent_agreed": translate("Consent", "Your parents agreed. Now it is your turn."),
        "both": translate("Consent", "You and your parents both agreed."),
    }.get(state, state)


def record_html(view: dict[str, Any], lang: str) -> str:
    """The record of who agreed to what and when, for the consent and privacy windows."""
    if not view or not view.get("record"):
        nobody = translate("Consent", "Nobody has answered yet.")
        return f"<p>{escape(nobody)}</p>"
    who = {"child": translate("Consent", "You"), "parent": translate("Consent", "Your parents")}
    what = {"agreed": translate("Consent", "agreed to"), "wants_to_talk": translate("Consent", "want to talk about"),
            "narrowed": translate("Consent", "asked to see less:")}
    rows = []
    for r in view["record"][-8:]:
        when = dt.datetime.fromtimestamp(float(r.get("at") or 0)).strftime("%d/%m/%Y %H:%M")
        items = ", ".join(field_text(f, lang, age=view.get("age"), for_child=True) for f in r.get("fields", []))
        rows.append(f"<li>{escape(when)} — {escape(who.get(r.get('who'), str(r.get('who'))))} "
                    f"{escape(what.get(r.get('what'), str(r.get('what'))))} {escape(items or '—')}</li>")
    return "<ul>" + "".join(rows) + "</ul>"


def privacy_section(view: dict[str, Any] | None) -> str:
    """The consent part of "What my parents can see" (agent/companion/privacy_window.py)."""
    if not view:
        return ""
    lang = ui_lang()
    label = translate("Consent", "Consent:")
    who = translate("Consent", "Who agreed, and when:")
    return (f"<p><b>{escape(label)}</b> {escape(state_line(view.get('state', 'none')))}</p>"
            f"<p>{escape(who)}</p>{record_html(view, lang)}")


class ConsentWindow(Page):
    answered = Signal(dict)

    def __init__(self, view: dict[str, Any], answer: Callable[[bool], dict[str, Any]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.view = view
        self.answer = answer
        self.setMinimumWidth(560)
        pic = QLabel(self)
        pic.setPixmap(sprout_pixmap(56))
        self.title = QLabel(self, objectName="title", wordWrap=True)
        self.intro = QLabel(self, objectName="body", wordWrap=True)
        self.list_label = QLabel(self, objectName="brand", wordWrap=True)
        self.grid = QGridLayout()
        self.rows: list[tuple[QLabel, QLabel, str]] = []
        for i, field in enumerate(view.get("proposal", {}).get("fields", [])):
            picture = QLabel(self)
            picture.setPixmap(field_picture(words()["fields"][field]["picture"], 44))
            picture.setFixedSize(44, 44)  # a picture is never squeezed to a sliver by a tall list
            text = QLabel(self, objectName="body", wordWrap=True)
            self.grid.addWidget(picture, i, 0)
            self.grid.addWidget(text, i, 1)
            self.rows.append((picture, text, field))
        self.grid.setColumnStretch(1, 1)
        self.minimum = QLabel(self, objectName="ask", wordWrap=True)
        self.never = QLabel(self, objectName="ask", wordWrap=True)
        self.state = QLabel(self, objectName="body", wordWrap=True)
        self.record = QLabel(self, objectName="ask", wordWrap=True)
        self.record.setTextFormat(Qt.TextFormat.RichText)
        self.help = help_label(self)
        self.talk_button = button(self)
        self.agree_button = button(self, primary=True)
        self.seen_button = button(self, primary=True)
        self.talk_button.clicked.connect(lambda: self._answer(False))
        self.agree_button.clicked.connect(lambda: self._answer(True))
        self.seen_button.clicked.connect(self.close)

        head = QHBoxLayout()
        head.addWidget(pic)
        words_box = QVBoxLayout()
        words_box.addWidget(self.title)
        words_box.addWidget(self.intro)
        head.addLayout(words_box, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.talk_button, self.agree_button, self.seen_button):
            buttons.addWidget(b)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 14)
        outer.addLayout(head)
        outer.addWidget(self.list_label)
        outer.addLayout(self.grid)
        outer.addWidget(self.minimum)
        outer.addWidget(self.never)
        outer.addWidget(self.state)
        outer.addWidget(self.record)
        outer.addWidget(self.help)
        outer.addLayout(buttons)
        QWidget.setTabOrder(self.talk_button, self.agree_button)
        self.retranslate()

    @property
    def age(self) -> int | None:
        return self.view.get("age")

    def _answer(self, agree: bool) -> None:
        if self.answer is None:
            return
        try:
            self.view = {**self.view, **self.answer(agree)}
        except Exception as exc:  # the service is away: say so kindly, keep the window
            from agent.companion.common import failure_text

            set_text(self.state, failure_text(exc))
            return
        self.answered.emit(self.view)
        self.retranslate()

    def retranslate(self) -> None:
        lang, age = ui_lang(), self.age
        young = not self.view.get("child_needed", True)
        self.setWindowTitle(translate("Consent", "What my parents would see"))
        set_text(self.title, heading(age))
        set_text(self.intro, intro(age))
        set_text(self.list_label, translate("Consent", "Your parents would see:"))
        for _, text, field in self.rows:
            set_text(text, field_text(field, lang, age=age, for_child=True))
        if not self.rows:
            set_text(self.list_label, translate("Consent", "Your parents would see nothing more than the minimum."))
        from agent.protocol.consent import MINIMUM, NEVER

        set_text(self.minimum, translate("Consent", "Always sent, to keep you safe: {items}.").format(
            items="; ".join(plain_text("minimum", m, lang) for m in MINIMUM)))
        set_text(self.never, translate("Consent", "Never collected: {items}.").format(
            items=", ".join(plain_text("never", n, lang) for n in NEVER)))
        set_text(self.state, state_line(self.view.get("state", "none")))
        self.record.setText(record_html(self.view, lang))
        set_text(self.talk_button, translate("Consent", "I want to &talk about it"))
        set_text(self.agree_button, translate("Consent", "&I agree"))
        set_text(self.seen_button, translate("Consent", "&OK, I've seen it"))
        asks = bool(self.view.get("asks_child"))
        self.talk_button.setVisible(not young and asks)
        self.agree_button.setVisible(not young and asks)
        self.seen_button.setVisible(young or not asks)
        set_text(self.help, hotline())
        if self.isVisible():
            fit_height(self)  # new words (a language switch, an answer) may need more lines

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        fit_height(self)
