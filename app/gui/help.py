"""The console's help: a short guide for parents per age band (what to talk about, how to react to a block or a
request, signs to watch for) and per moment (a first block, a first request, a tamper alert, calling 111 and
reporting harmful content). The text is data (resources/guide/parent_guide.json, vi and en), like the categories'
names, so it follows the console's language through i18n.pick and a device maker or school can replace it.

guide_link(section) is the small link the overview and the reports put where a parent meets those moments.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from html import escape
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from agent.resources import resource_path
from app.gui import i18n

BANDS = ("6-8", "9-11", "12-14", "15-17")


@cache
def guide() -> dict[str, Any]:
    return json.loads(resource_path("guide", "parent_guide.json").read_text("utf-8"))


def ui(key: str) -> str:
    return i18n.pick(guide()["ui"][key])


def band_of(birth_year: int | None, today: dt.date | None = None) -> str:
    if not birth_year:
        return "9-11"
    age = (today or dt.date.today()).year - birth_year
    return "6-8" if age <= 8 else "9-11" if age <= 11 else "12-14" if age <= 14 else "15-17"


def sections() -> list[tuple[str, str]]:
    """(id, title) in the order shown: the four ages, then the moments."""
    out = [(f"age:{a['band']}", ui("age").replace("{band}", a["band"].replace("-", "–"))) for a in guide()["ages"]]
    out += [(m["id"], i18n.pick(m["title"])) for m in guide()["moments"]]
    return out


def _paras(texts: Any) -> str:
    items = i18n.pick(texts)
    if isinstance(items, str):
        items = [items]
    return "".join(f"<p>{escape(t)}</p>" for t in items)


def section_html(section: str) -> str:
    g = guide()
    if section.startswith("age:"):
        band = section.removeprefix("age:")
        a = next(x for x in g["ages"] if x["band"] == band)
        parts = [f"<h2>{escape(ui('age').replace('{band}', band.replace('-', '–')))}</h2>"]
        for key, title in (("talk", "talk"), ("on_block", "on_block"), ("on_request", "on_request"),
                           ("watch", "watch")):
            parts.append(f"<h3>{escape(ui(title))}</h3>{_paras(a[key])}")
    else:
        m = next(x for x in g["moments"] if x["id"] == section)
        parts = [f"<h2>{escape(i18n.pick(m['title']))}</h2>{_paras(m['text'])}"]
    parts.append(f"<p><b>{escape(ui('help_line'))}</b></p>")
    return "".join(parts)


class GuideWindow(QWidget):
    def __init__(self, section: str = "age:9-11", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setMinimumSize(760, 520)
        self.list = QListWidget()
        self.list.setMaximumWidth(280)
        self.list.setSpacing(3)
        self.list.setWordWrap(True)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        self.list.currentRowChanged.connect(self._show_row)
        row = QHBoxLayout()
        row.addWidget(self.list)
        row.addWidget(self.text, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.addLayout(row, 1)
        lay.addLayout(bottom)
        self.section = section
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(ui("title"))
        self.list.setAccessibleName(ui("sections"))
        self.close_button.setText(ui("close"))
        self.close_button.setAccessibleName(ui("close"))
        self.list.blockSignals(True)
        self.list.clear()
        for sid, title in sections():
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, sid)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.show_section(self.section)

    def show_section(self, section: str) -> None:
        ids = [sid for sid, _ in sections()]
        if section not in ids:
            section = ids[0]
        self.section = section
        self.list.blockSignals(True)
        self.list.setCurrentRow(ids.index(section))
        self.list.blockSignals(False)
        self.text.setHtml(section_html(section))

    def _show_row(self, row: int) -> None:
        ids = [sid for sid, _ in sections()]
        if 0 <= row < len(ids):
            self.show_section(ids[row])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


_open: dict[str, GuideWindow] = {}


def open_guide(section: str) -> GuideWindow:
    """One guide window for the console; a second link brings it up at the new section."""
    win = _open.get("guide")
    if win is None:
        win = _open["guide"] = GuideWindow(section)
    else:
        win.show_section(section)
    win.show()
    win.raise_()
    win.activateWindow()
    return win


def guide_link(section: str, key: str) -> QLabel:
    """A link to the guide at `section`, worded by ui(key) (link_request, link_block, link_tamper)."""
    label = QLabel(f'<a href="{escape(section)}">{escape(ui(key))}</a>')
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                  | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
    label.setAccessibleName(ui(key))
    label.linkActivated.connect(open_guide)
    return label
