"""The rule editor: one child's policy as a form. Every field carries a policy path; agent.policy.validate's
problems are shown in red beside the widget whose path is the longest prefix of the problem's path."""

from __future__ import annotations

import copy
import re
import time
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agent.policy import WEEKDAYS, validate
from agent.policy.safesearch_scope import safesearch_scope
from agent.policy.schema import AT_LIMIT_GAMES, AT_LIMIT_SCREEN, SAFESEARCH_ENGINES, YOUTUBE_LEVELS
from app.gui import i18n
from app.gui.session import PolicyConflict, Session, load_catalog_games, load_categories
from app.gui.timeline import WeekTimeline
from app.gui.worker import error_text, run_async

NO_LIMIT = -1


def _lines(edit: QPlainTextEdit) -> list[str]:
    return [s.strip() for s in edit.toPlainText().splitlines() if s.strip()]


def _minutes_spin(name: str, maximum: int = 1440, *, nullable: bool = True) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(NO_LIMIT if nullable else 0, maximum)
    spin.setSingleStep(15)
    spin.setAccessibleName(name)
    return spin


class RuleEditor(QWidget):
    pushed = Signal(str)  # "applied on …" text

    def __init__(self, session: Session, child_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.child_id = child_id
        self.doc: dict[str, Any] = session.policy(child_id)
        self.errors: dict[str, QLabel] = {}
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Rule sections"))
        self.tabs.addTab(self._screen_tab(), self.tr("Screen time"))
        self.tabs.addTab(self._games_tab(), self.tr("Games"))
        self.tabs.addTab(self._apps_tab(), self.tr("Apps"))
        self.tabs.addTab(self._web_tab(), self.tr("Web"))
        self.tabs.addTab(self._limit_privacy_tab(), self.tr("At the limit and privacy"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Result of sending the rules"))
        self.push_btn = QPushButton(self.tr("Save and send to the child's PC"))
        self.push_btn.setAccessibleName(self.push_btn.text())
        self.push_btn.clicked.connect(self.push)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.push_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(bottom)
        self.load(self.doc)
        # What the PC enforces is the truth: fetched (with its version) so a push from elsewhere is shown, and a
        # save based on an older version asks before replacing it.
        self.base_version = int(self.doc.get("version", 0))
        self.conflict: QMessageBox | None = None
        self.fetching = True
        run_async(lambda: session.fetch_policy(child_id), self._fetched, self._fetch_failed)

    def _fetched(self, newest: dict[str, Any] | None) -> None:
        self.fetching = False
        if newest is None or self.session.closed:
            return
        if newest["version"] > self.base_version:
            self.doc = newest["doc"]
            self.load(self.doc)
        self.base_version = max(self.base_version, newest["version"])
        self.status.setText(self.tr("In force on %1: version %2.").replace("%1", newest["device"])
                            .replace("%2", str(newest["version"])))

    def _fetch_failed(self, exc: Exception) -> None:
        self.fetching = False
        self.status.setText(self.tr("Could not read the rules in force on the PC: %1").replace("%1", error_text(exc)))

    # ---- building --------------------------------------------------------------------------------------
    def _and(self, names: tuple[str, ...]) -> str:
        """'A, B and C' in the console's language."""
        if len(names) < 2:
            return "".join(names)
        return self.tr("%1 and %2").replace("%1", ", ".join(names[:-1])).replace("%2", names[-1])

    def _err(self, path: str) -> QLabel:
        label = QLabel()
        label.setStyleSheet("color: #b00020;")
        label.setWordWrap(True)
        label.hide()
        self.errors[path] = label
        return label

    def _screen_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        box = QGroupBox(self.tr("Screen time allowed each day (minutes)"))
        grid = QGridLayout(box)
        names = self.day_names()
        self.day_spins: dict[str, QSpinBox] = {}
        for i, d in enumerate(WEEKDAYS):
            spin = _minutes_spin(self.tr("Screen minutes on %1").replace("%1", names[i]))
            spin.setSpecialValueText(self.tr("No limit"))
            self.day_spins[d] = spin
            grid.addWidget(QLabel(names[i]), 0, i)
            grid.addWidget(spin, 1, i)
            grid.addWidget(self._err(f"screen.daily_minutes.{d}"), 2, i)
        lay.addWidget(box)
        box = QGroupBox(self.tr("When the PC may be used (drag to draw, move or resize; double-click removes)"))
        v = QVBoxLayout(box)
        self.timeline = WeekTimeline()
        self.timeline.day_names = names
        self.timeline.setAccessibleName(self.tr("Weekly allowed times"))
        v.addWidget(self.timeline)
        v.addWidget(self._err("screen.windows"))
        lay.addWidget(box)
        form = QFormLayout()
        self.holiday_spin = _minutes_spin(self.tr("Screen minutes on public holidays"))
        self.holiday_spin.setSpecialValueText(self.tr("Same as the weekday"))
        form.addRow(self.tr("Public holidays (Vietnam)"), self.holiday_spin)
        form.addRow("", self._err("screen.holiday_minutes"))
        lay.addLayout(form)
        lay.addStretch(1)
        return w

    def _games_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.games_total = _minutes_spin(self.tr("Game minutes per day"))
        self.games_total.setSpecialValueText(self.tr("No limit"))
        form.addRow(self.tr("All games together, per day"), self.games_total)
        form.addRow("", self._err("games.daily_minutes"))
        self.games_each = _minutes_spin(self.tr("Minutes per game"))
        self.games_each.setSpecialValueText(self.tr("No limit"))
        form.addRow(self.tr("Each game, per day"), self.games_each)
        form.addRow("", self._err("games.per_game_minutes"))
        self.games_reminder = _minutes_spin(self.tr("Reminder every so many minutes"), 240)
        self.games_reminder.setSpecialValueText(self.tr("No reminder"))
        form.addRow(self.tr("Remind the child every"), self.games_reminder)
        self.game_pick = QComboBox()
        self.game_pick.setEditable(True)
        self.game_pick.setAccessibleName(self.tr("Game from the catalog"))
        for gid, title in load_catalog_games():
            self.game_pick.addItem(title, gid)
        self.game_minutes = _minutes_spin(self.tr("Minutes for this game"), nullable=False)
        self.game_minutes.setValue(30)
        add = QPushButton(self.tr("Set limit"))
        add.setAccessibleName(self.tr("Set a limit for this game"))
        add.clicked.connect(self._add_game)
        row = QHBoxLayout()
        row.addWidget(self.game_pick, 1)
        row.addWidget(self.game_minutes)
        row.addWidget(add)
        form.addRow(self.tr("One game's own limit"), row)
        self.per_game = QListWidget()
        self.per_game.setAccessibleName(self.tr("Games with their own limit"))
        remove = QPushButton(self.tr("Remove selected"))
        remove.setAccessibleName(self.tr("Remove the selected game limit"))
        remove.clicked.connect(lambda: [self.per_game.takeItem(self.per_game.row(i))
                                        for i in self.per_game.selectedItems()])
        form.addRow(self.tr("Games with their own limit"), self.per_game)
        form.addRow("", remove)
        form.addRow("", self._err("games.per_game"))
        return w

    def _add_game(self) -> None:
        gid = self.game_pick.currentData() or self.game_pick.currentText().strip().lower()
        if not gid:
            return
        for i in range(self.per_game.count()):
            if self.per_game.item(i).data(Qt.ItemDataRole.UserRole)[0] == gid:
                self.per_game.takeItem(i)
                break
        self._game_item(gid, self.game_minutes.value())

    def _game_item(self, gid: str, minutes: int) -> None:
        title = next((self.game_pick.itemText(i) for i in range(self.game_pick.count())
                      if self.game_pick.itemData(i) == gid), gid)
        item = QListWidgetItem(self.tr("%1 — %2 min").replace("%1", title).replace("%2", str(minutes)))
        item.setData(Qt.ItemDataRole.UserRole, (gid, minutes))
        self.per_game.addItem(item)

    def _apps_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        hint = QLabel(self.tr("One app per line: its catalog id (minecraft) or its program name without .exe (zalo)."))
        hint.setWordWrap(True)
        form.addRow(hint)
        self.always = QPlainTextEdit()
        self.always.setAccessibleName(self.tr("Always allowed apps"))
        self.always.setMaximumHeight(140)
        form.addRow(self.tr("Always allowed (school, calls)"), self.always)
        form.addRow("", self._err("apps.always_allowed"))
        self.blocked = QPlainTextEdit()
        self.blocked.setAccessibleName(self.tr("Blocked apps"))
        self.blocked.setMaximumHeight(140)
        form.addRow(self.tr("Blocked"), self.blocked)
        form.addRow("", self._err("apps.blocked"))
        return w

    def _web_tab(self) -> QWidget:
        inner = QWidget()
        lay = QVBoxLayout(inner)
        box = QGroupBox(self.tr("Block these kinds of websites"))
        v = QVBoxLayout(box)
        self.cat_checks: dict[str, QCheckBox] = {}
        for name, texts in load_categories().items():
            cb = QCheckBox(i18n.pick(texts["title"]))
            cb.setAccessibleName(i18n.pick(texts["title"]))
            cb.setAccessibleDescription(i18n.pick(texts["description"]))
            desc = QLabel(i18n.pick(texts["description"]))
            desc.setWordWrap(True)
            desc.setStyleSheet("color: #4a4a4a; margin-left: 24px;")
            self.cat_checks[name] = cb
            v.addWidget(cb)
            v.addWidget(desc)
        v.addWidget(self._err("web.blocked_categories"))
        lay.addWidget(box)
        form = QFormLayout()
        self.allow = QPlainTextEdit()
        self.allow.setAccessibleName(self.tr("Sites always allowed"))
        self.allow.setMaximumHeight(70)
        form.addRow(self.tr("Always allow (one site per line)"), self.allow)
        form.addRow("", self._err("web.allow"))
        self.deny = QPlainTextEdit()
        self.deny.setAccessibleName(self.tr("Sites always blocked"))
        self.deny.setMaximumHeight(70)
        form.addRow(self.tr("Always block (one site per line)"), self.deny)
        form.addRow("", self._err("web.deny"))
        # The engines named here are read from the filter's own SafeSearch tables: the box says what is enforced
        scope = safesearch_scope()
        self.safesearch = QCheckBox(self.tr("SafeSearch on %1").replace("%1", self._and(scope.forced)))
        self.safesearch.setAccessibleName(self.safesearch.text())
        form.addRow(self.safesearch)
        self.safesearch_blocked = QLabel(self.tr(
            "While it is on, %1 are blocked: their safe mode cannot be forced.").replace("%1",
                                                                                      self._and(scope.blocked)))
        self.safesearch_blocked.setWordWrap(True)
        self.safesearch_blocked.setStyleSheet("color: #555;")
        self.safesearch_blocked.setVisible(bool(scope.blocked))
        form.addRow(self.safesearch_blocked)
        self.youtube = QComboBox()
        self.youtube.setAccessibleName(self.tr("YouTube restriction"))
        for level, text in zip(YOUTUBE_LEVELS, (self.tr("Off"), self.tr("Moderate"), self.tr("Strict")), strict=True):
            self.youtube.addItem(text, level)
        form.addRow(self.tr("YouTube restricted mode"), self.youtube)
        lay.addLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    def _limit_privacy_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.at_screen = QComboBox()
        self.at_screen.setAccessibleName(self.tr("When screen time is up"))
        for key, text in zip(AT_LIMIT_SCREEN, (self.tr("Lock the PC"), self.tr("Log out"),
                                               self.tr("Only tell the child")), strict=True):
            self.at_screen.addItem(text, key)
        form.addRow(self.tr("When screen time is up"), self.at_screen)
        self.at_games = QComboBox()
        self.at_games.setAccessibleName(self.tr("When game time is up"))
        for key, text in zip(AT_LIMIT_GAMES, (self.tr("Close the game"), self.tr("Only tell the child")), strict=True):
            self.at_games.addItem(text, key)
        form.addRow(self.tr("When game time is up"), self.at_games)
        self.grace = QSpinBox()
        self.grace.setRange(0, 600)
        self.grace.setSuffix(self.tr(" s"))
        self.grace.setAccessibleName(self.tr("Seconds to save work before acting"))
        form.addRow(self.tr("Time to save work first"), self.grace)
        form.addRow("", self._err("at_limit"))
        self.p_apps = QCheckBox(self.tr("Which apps were used and for how long"))
        self.p_titles = QCheckBox(self.tr("Window titles"))
        self.p_urls = QCheckBox(self.tr("Full web addresses"))
        self.p_cats = QCheckBox(self.tr("Blocked website categories"))
        for cb in (self.p_apps, self.p_titles, self.p_urls, self.p_cats):
            cb.setAccessibleName(cb.text())
        form.addRow(QLabel(self.tr("What the child's PC reports to you:")))
        for cb in (self.p_apps, self.p_titles, self.p_urls, self.p_cats):
            form.addRow(cb)
        self.retention = QSpinBox()
        self.retention.setRange(1, 400)
        self.retention.setSuffix(self.tr(" days"))
        self.retention.setAccessibleName(self.tr("Keep reports for"))
        form.addRow(self.tr("Keep reports for"), self.retention)
        form.addRow("", self._err("privacy"))
        return w

    def day_names(self) -> list[str]:
        return [self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"), self.tr("Sat"),
                self.tr("Sun")]

    # ---- doc <-> form ----------------------------------------------------------------------------------
    def load(self, doc: dict[str, Any]) -> None:
        def num(v: Any) -> int:
            return NO_LIMIT if v is None else int(v)

        s, g, a, web, lim, priv = (doc["screen"], doc["games"], doc["apps"], doc["web"], doc["at_limit"],
                                   doc["privacy"])
        for d, spin in self.day_spins.items():
            spin.setValue(num(s["daily_minutes"].get(d)))
        self.timeline.set_windows(s.get("windows") or {})
        self.holiday_spin.setValue(num(s.get("holiday_minutes")))
        self.games_total.setValue(num(g.get("daily_minutes")))
        self.games_each.setValue(num(g.get("per_game_minutes")))
        self.games_reminder.setValue(num(g.get("reminder_minutes")))
        self.per_game.clear()
        for gid, minutes in sorted((g.get("per_game") or {}).items()):
            self._game_item(gid, minutes)
        self.always.setPlainText("\n".join(a.get("always_allowed", [])))
        self.blocked.setPlainText("\n".join(a.get("blocked", [])))
        for name, cb in self.cat_checks.items():
            cb.setChecked(name in web.get("blocked_categories", []))
        self.allow.setPlainText("\n".join(web.get("allow", [])))
        self.deny.setPlainText("\n".join(web.get("deny", [])))
        self.safesearch.setChecked(all((web.get("safesearch") or {}).get(e, False) for e in SAFESEARCH_ENGINES))
        self.youtube.setCurrentIndex(max(0, self.youtube.findData(web.get("youtube", "off"))))
        self.at_screen.setCurrentIndex(max(0, self.at_screen.findData(lim.get("screen"))))
        self.at_games.setCurrentIndex(max(0, self.at_games.findData(lim.get("games"))))
        self.grace.setValue(int(lim.get("grace_seconds", 60)))
        self.p_apps.setChecked(priv["report_apps"])
        self.p_titles.setChecked(priv["report_window_titles"])
        self.p_urls.setChecked(priv["report_full_urls"])
        self.p_cats.setChecked(priv["report_web_categories"])
        self.retention.setValue(int(priv["retention_days"]))

    def to_doc(self) -> dict[str, Any]:
        def val(spin: QSpinBox) -> int | None:
            return None if spin.value() == NO_LIMIT else spin.value()

        doc = copy.deepcopy(self.doc)
        doc["screen"]["daily_minutes"] = {d: val(s) for d, s in self.day_spins.items()}
        doc["screen"]["windows"] = self.timeline.to_policy()
        doc["screen"]["holiday_minutes"] = val(self.holiday_spin)
        doc["games"].update(daily_minutes=val(self.games_total), per_game_minutes=val(self.games_each),
                            reminder_minutes=val(self.games_reminder),
                            per_game={gid: m for gid, m in (self.per_game.item(i).data(Qt.ItemDataRole.UserRole)
                                                           for i in range(self.per_game.count()))})
        doc["apps"].update(always_allowed=_lines(self.always), blocked=_lines(self.blocked))
        doc["web"].update(blocked_categories=[n for n, cb in self.cat_checks.items() if cb.isChecked()],
                          allow=_lines(self.allow), deny=_lines(self.deny),
                          safesearch={e: self.safesearch.isChecked() for e in SAFESEARCH_ENGINES},
                          youtube=self.youtube.currentData())
        doc["at_limit"].update(screen=self.at_screen.currentData(), games=self.at_games.currentData(),
                               grace_seconds=self.grace.value())
        doc["privacy"].update(report_apps=self.p_apps.isChecked(), report_window_titles=self.p_titles.isChecked(),
                              report_full_urls=self.p_urls.isChecked(), report_web_categories=self.p_cats.isChecked(),
                              retention_days=self.retention.value())
        return doc

    # ---- validation and push ---------------------------------------------------------------------------
    def show_problems(self, problems: list[Any]) -> int:
        for label in self.errors.values():
            label.hide()
            label.clear()
        shown = 0
        for p in problems:
            key = max((k for k in self.errors if p.path == k or p.path.startswith((k + ".", k + "["))),
                      key=len, default=None)
            label = self.errors.get(key) if key else None
            if label is None:
                self.status.setText(self.problem_text(p))
                continue
            label.setText((label.text() + "\n" if label.text() else "") + self.problem_text(p))
            label.show()
            shown += 1
        if problems:
            first = next((lbl for lbl in self.errors.values() if lbl.isVisible() or lbl.text()), None)
            if first is not None:
                page = first.parentWidget()
                while page is not None and self.tabs.indexOf(page) < 0:
                    page = page.parentWidget()
                if page is not None:
                    self.tabs.setCurrentWidget(page)
        return shown

    def problem_text(self, p: Any) -> str:
        """A field's problem in the console's language, shown beside the field (the path names only the line)."""
        line = re.search(r"\[(\d+)\]$", p.path)
        where = self.tr("Line %1: ").replace("%1", str(int(line.group(1)) + 1)) if line else ""
        reason = str(p.reason)
        for pattern, text in (
                (r"write the name without its extension: '(.*)'",
                 self.tr("write the name without its extension: %1")),
                (r"'(.*)' is also in \S+; choose one", self.tr("%1 is also in another list; choose one")),
                (r"overlaps window", self.tr("overlaps another time window")),
                (r"start and end are equal", self.tr("start and end are the same time")),
                (r"unknown category '(.*)'", self.tr("unknown web category %1")),
                (r"is not a valid app id", self.tr("not a valid app name (lower-case letters, digits, . _ + -)")),
                (r"has \d+ items; at most (\d+)", self.tr("too many lines (at most %1)")),
                (r"must be between (\d+) and (\d+)", self.tr("must be between %1 and %2")),
                (r"must be .*, got (.*)", self.tr("%1 is not accepted here"))):
            m = re.search(pattern, reason)
            if m:
                for i, g in enumerate(m.groups(), start=1):
                    text = text.replace(f"%{i}", g)
                return where + text
        return where + self.tr("this value is not accepted")

    def push(self) -> None:
        doc = self.to_doc()
        problems = validate(doc)
        if problems:
            self.show_problems(problems)
            self.status.setText(self.tr("Please fix the fields marked in red; nothing was sent."))
            return
        self.show_problems([])
        self.push_btn.setEnabled(False)
        self.status.setText(self.tr("Sending…"))
        self._send(doc, self.base_version)

    def _send(self, doc: dict[str, Any], base_version: int | None) -> None:
        run_async(lambda: self.session.push_policy(self.child_id, doc, base_version=base_version), self._pushed,
                  lambda exc: self._failed(exc, doc))

    def _pushed(self, applied: list[Any]) -> None:
        self.push_btn.setEnabled(True)
        self.doc = self.session.policy(self.child_id)
        self.base_version = int(self.doc.get("version", 0))
        if not applied:
            text = self.tr("Saved. No PC is paired with this child yet, so nothing was sent.")
        else:
            text = "; ".join(self.tr("Applied on %1 at %2 (version %3)").replace("%1", a.device)
                             .replace("%2", time.strftime("%H:%M", time.localtime(a.at))).replace("%3", str(a.version))
                             for a in applied)
        self.status.setText(text)
        self.pushed.emit(text)

    def _failed(self, exc: Exception, doc: dict[str, Any] | None = None) -> None:
        if isinstance(exc, PolicyConflict):
            self._conflict(exc, doc or self.to_doc())
            return
        self.push_btn.setEnabled(True)
        problems = getattr(exc, "problems", None)
        if problems:
            self.show_problems(problems)
        self.status.setText(self.tr("Not applied: %1").replace("%1", error_text(exc)))

    def _conflict(self, exc: PolicyConflict, doc: dict[str, Any]) -> None:
        """The PC's rules changed since this edit began: ask, never replace silently."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Rules changed on the PC"),
                          self.tr("The rules on %1 were changed elsewhere (now version %2) after you opened them. "
                                  "Replace them with yours?").replace("%1", exc.device).replace("%2", str(exc.version)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(_result: int) -> None:
            self.conflict = None
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                self.status.setText(self.tr("Sending…"))
                self._send(doc, None)
                return
            self.push_btn.setEnabled(True)
            self.doc, self.base_version = exc.doc, exc.version
            self.load(self.doc)
            self.status.setText(self.tr("Showing the rules in force on %1 (version %2); your changes were not "
                                        "sent.").replace("%1", exc.device).replace("%2", str(exc.version)))

        box.finished.connect(answered)
        self.conflict = box
        box.open()
