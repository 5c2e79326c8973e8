"""The digital-skills kit for the child: the lessons of the child's age band (resources/skills, data a school or
device maker can add to), each with a few questions. The lesson text comes from the kit in the companion's
language; the window's own words come from the Qt translations like every other companion window.

A child can open it any time. Answering every question marks the lesson finished (on_finished); a wrong answer is
shown kindly with the reason, never as a failure, and the child can simply try again.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from agent.companion.common import Page, button, help_label, set_text
from agent.companion.consent_window import ui_lang
from agent.companion.look import sprout_pixmap
from agent.companion.wording import hotline
from agent.skills.kit import Kit, score

# A bare name, so pyside6-lupdate finds every string (it does not follow other aliases).
translate = QCoreApplication.translate

FinishedSink = Callable[[str, int, int], None]
RewardAsk = Callable[[int, str], None]  # (minutes, reason): an ordinary time request the parent may grant
REWARD_MINUTES = 10


def topic_name(topic: str) -> str:
    names = {
        "internet": translate("Skills", "The Internet and social networks"),
        "security": translate("Skills", "Keeping accounts safe"),
        "personal_info": translate("Skills", "Protecting your information"),
        "abuse": translate("Skills", "Noticing when someone means harm"),
        "report": translate("Skills", "Where to get help (111)"),
    }
    return names.get(topic, topic)


def band_line(band: str) -> str:
    return translate("Skills", "Lessons for ages {band}").format(band=band.replace("-", "–"))


def result_line(right: int, total: int) -> str:
    if right == total:
        return translate("Skills", "Well done! You answered all {total} questions. Lesson finished."
                         ).format(total=total)
    return translate("Skills", "{right} of {total} right. Read why below, and try again whenever you like."
                     ).format(right=right, total=total)


class QuestionBox(QWidget):
    """One question: the question, its choices as radio buttons, and (after checking) why."""

    def __init__(self, question: dict[str, Any], lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.ask = QLabel(self, objectName="body", wordWrap=True)
        self.group = QButtonGroup(self)
        self.choices: list[QRadioButton] = []
        self.why = QLabel(self, objectName="ask", wordWrap=True)
        self.why.setVisible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 6)
        lay.addWidget(self.ask)
        for i, _ in enumerate(question["choices"]):
            rb = QRadioButton(self)
            rb.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.group.addButton(rb, i)
            self.choices.append(rb)
            lay.addWidget(rb)
        lay.addWidget(self.why)
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        set_text(self.ask, self.question["ask"][lang])
        for rb, choice in zip(self.choices, self.question["choices"], strict=True):
            rb.setText(choice["text"][lang])
            rb.setAccessibleName(choice["text"][lang])
        set_text(self.why, self.question["why"][lang])

    def answer(self) -> int:
        return self.group.checkedId()

    def choose(self, index: int) -> None:
        self.choices[index].setChecked(True)

    def reveal(self, lang: str) -> bool:
        """Show why, kindly marked; True if the chosen answer is the right one."""
        chosen = self.answer()
        right = 0 <= chosen < len(self.question["choices"]) and self.question["choices"][chosen]["right"]
        mark = translate("Skills", "Right!") if right else translate("Skills", "Not quite.")
        set_text(self.why, f"{mark} {self.question['why'][lang]}")
        self.why.setVisible(True)
        return bool(right)


class SkillsWindow(Page):
    def __init__(self, kit: Kit, band: str, lang: Callable[[], str] = ui_lang, *, finished: set[str] | None = None,
                 on_finished: FinishedSink | None = None, ask_reward: RewardAsk | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.kit = kit
        self.band = band
        self.lang = lang
        self.lessons = kit.for_band(band)
        self.finished = set(finished or ())
        self.on_finished = on_finished
        self.ask_reward = ask_reward
        self.rewarded: set[str] = set()
        self.current: dict[str, Any] | None = None
        self.boxes: list[QuestionBox] = []
        self.setMinimumSize(760, 600)

        pic = QLabel(self)
        pic.setPixmap(sprout_pixmap(48))
        self.title = QLabel(self, objectName="title", wordWrap=True)
        self.band_label = QLabel(self, objectName="ask", wordWrap=True)
        self.lesson_list = QListWidget(self)
        self.lesson_list.setMinimumWidth(260)
        self.lesson_list.setWordWrap(True)
        self.lesson_list.setSpacing(4)
        self.lesson_list.currentRowChanged.connect(self._show_row)
        self.lesson_title = QLabel(self, objectName="title", wordWrap=True)
        self.lesson_body = QLabel(self, objectName="body", wordWrap=True)
        self.lesson_body.setTextFormat(Qt.TextFormat.RichText)
        self.questions_label = QLabel(self, objectName="brand", wordWrap=True)
        self.questions_area = QWidget(self)
        self.questions_layout = QVBoxLayout(self.questions_area)
        self.questions_layout.setContentsMargins(0, 0, 0, 0)
        self.result = QLabel(self, objectName="body", wordWrap=True)
        self.check_button = button(self, primary=True)
        self.check_button.clicked.connect(self.check)
        # After a finished lesson the child may ask for a little extra time; the parent decides, as for any request.
        self.reward_button = button(self)
        self.reward_button.clicked.connect(self.ask_for_reward)
        self.reward_button.setVisible(False)
        self.help = help_label(self)
        self.close_button = button(self)
        self.close_button.clicked.connect(self.close)

        page = QWidget(self)
        page.setObjectName("companionPage")
        page.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        right = QVBoxLayout(page)
        right.addWidget(self.lesson_title)
        right.addWidget(self.lesson_body)
        right.addWidget(self.questions_label)
        right.addWidget(self.questions_area)
        right.addWidget(self.result)
        check_row = QHBoxLayout()
        check_row.addStretch(1)
        check_row.addWidget(self.reward_button)
        check_row.addWidget(self.check_button)
        right.addLayout(check_row)
        right.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        head = QHBoxLayout()
        head.addWidget(pic)
        words = QVBoxLayout()
        words.addWidget(self.title)
        words.addWidget(self.band_label)
        head.addLayout(words, 1)
        middle = QHBoxLayout()
        middle.addWidget(self.lesson_list)
        middle.addWidget(scroll, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.help, 1)
        bottom.addWidget(self.close_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 14)
        outer.addLayout(head)
        outer.addLayout(middle, 1)
        outer.addLayout(bottom)
        self.retranslate()
        if self.lessons:
            self.lesson_list.setCurrentRow(0)

    # ---- the lesson list ----------------------------------------------------------------------------------
    def _fill_list(self) -> None:
        lang = self.lang()
        row = self.lesson_list.currentRow()
        self.lesson_list.blockSignals(True)
        self.lesson_list.clear()
        for lesson in self.lessons:
            done = "✓ " if lesson["id"] in self.finished else ""
            item = QListWidgetItem(f"{done}{lesson['title'][lang]}")
            item.setToolTip(topic_name(lesson["topic"]))
            item.setData(Qt.ItemDataRole.UserRole, lesson["id"])
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{lesson['title'][lang]}, {topic_name(lesson['topic'])}")
            self.lesson_list.addItem(item)
        self.lesson_list.setCurrentRow(row)
        self.lesson_list.blockSignals(False)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.lessons):
            self.show_lesson(self.lessons[row]["id"])

    def show_lesson(self, lesson_id: str) -> None:
        lesson = next(lesson for lesson in self.lessons if lesson["id"] == lesson_id)
        self.current = lesson
        for box in self.boxes:
            box.setParent(None)
            box.deleteLater()
        self.boxes = [QuestionBox(q, self.lang(), self.questions_area) for q in lesson["questions"]]
        for box in self.boxes:
            self.questions_layout.addWidget(box)
        self.result.clear()
        self.result.setVisible(False)
        self.reward_button.setVisible(False)
        index = self.lessons.index(lesson)
        if self.lesson_list.currentRow() != index:
            self.lesson_list.setCurrentRow(index)
        self._word_lesson()

    def _word_lesson(self) -> None:
        lesson, lang = self.current, self.lang()
        if lesson is None:
            return
        set_text(self.lesson_title, lesson["title"][lang])
        self.lesson_body.setText("".join(f"<p>{escape(p)}</p>" for p in lesson["body"][lang]))
        self.lesson_body.setAccessibleName(" ".join(lesson["body"][lang]))
        set_text(self.questions_label, translate("Skills", "Questions"))
        for box in self.boxes:
            box.set_lang(lang)

    # ---- answering ----------------------------------------------------------------------------------------
    def check(self) -> tuple[int, int] | None:
        """Show why for each question; when every question has an answer, the lesson is finished."""
        if self.current is None:
            return None
        answers = [box.answer() for box in self.boxes]
        if any(a < 0 for a in answers):
            set_text(self.result, translate("Skills", "Choose an answer for each question first."))
            self.result.setVisible(True)
            return None
        for box in self.boxes:
            box.reveal(self.lang())
        right, total = score(self.current, answers)
        set_text(self.result, result_line(right, total))
        self.result.setVisible(True)
        if right == total and self.current["id"] not in self.finished:
            self.finished.add(self.current["id"])
            self._fill_list()
            if self.on_finished is not None:
                self.on_finished(self.current["id"], right, total)
        self.reward_button.setVisible(right == total and self.ask_reward is not None
                                      and self.current["id"] not in self.rewarded)
        return right, total

    def ask_for_reward(self) -> None:
        if self.current is None or self.ask_reward is None or self.current["id"] in self.rewarded:
            return
        title = self.current["title"][self.lang()]
        try:
            self.ask_reward(REWARD_MINUTES, translate("Skills", "I finished the lesson \u201c{title}\u201d"
                                                      ).format(title=title))
        except Exception as exc:  # the service is away: say so kindly, the child can try later
            from agent.companion.common import failure_text

            set_text(self.result, failure_text(exc))
            return
        self.rewarded.add(self.current["id"])
        self.reward_button.setVisible(False)
        set_text(self.result, translate("Skills", "Sent to your parents. They decide, and you will see their answer."))

    def retranslate(self) -> None:
        self.setWindowTitle(translate("Skills", "Digital skills"))
        set_text(self.title, translate("Skills", "Digital skills"))
        set_text(self.band_label, band_line(self.band))
        set_text(self.check_button, translate("Skills", "&Check my answers"))
        set_text(self.reward_button, translate("Skills", "Ask for {minutes} &extra minutes").format(
            minutes=REWARD_MINUTES))
        set_text(self.close_button, translate("Companion", "&Close"))
        set_text(self.help, hotline())
        self._fill_list()
        self._word_lesson()
