"""The console's main window: a child picker and four pages (overview, rules, reports, settings). A language switch
rebuilds the pages from their constructors, which is this console's retranslateUi."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMainWindow, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.gui import i18n
from app.gui.help import band_of, open_guide
from app.gui.help import ui as guide_ui
from app.gui.notify import Notifier, app_icon
from app.gui.overview import OverviewPage
from app.gui.reports_view import ReportsPage
from app.gui.rules import RuleEditor
from app.gui.session import Session
from app.gui.settings import SettingsPage


class _Arrivals(QObject):
    """Carries the watcher threads' news to the UI thread (a queued signal)."""

    items = Signal(str, list)


class MainWindow(QMainWindow):
    def __init__(self, session: Session, *, notifier: Notifier | None = None, lan_search: bool = True,
                 watch: bool = True) -> None:
        super().__init__()
        self.session = session
        self.lan_search = lan_search
        self.notifier = notifier or Notifier()
        self.notifier.open_console.connect(self.bring_up)
        self.setWindowIcon(app_icon())
        self.resize(1100, 720)
        self.seen: dict[str, Any] = {}  # what the parent was told about, across page rebuilds
        self.arrivals = _Arrivals(self)
        self.arrivals.items.connect(self.on_items)
        self.build()
        if watch:  # long-poll every paired PC: a request shows here within a moment of the child asking
            session.watch(self.arrivals.items.emit)

    def on_items(self, _device_id: str, _items: list[dict[str, Any]]) -> None:
        if self.session.closed:
            return
        self.overview.show_requests()
        self.overview.show_alerts()

    def build(self, tab: int = 0, child_id: str | None = None) -> None:
        self.setWindowTitle(self.tr("Sprout — parent console"))
        central = QWidget()
        lay = QVBoxLayout(central)
        top = QHBoxLayout()
        self.child_label = QLabel(self.tr("Child"))
        self.child_pick = QComboBox()
        self.child_pick.setAccessibleName(self.tr("Which child's rules and reports"))
        for kid in self.session.store.children():
            self.child_pick.addItem(kid.name, kid.id)
        if child_id is not None:
            self.child_pick.setCurrentIndex(max(0, self.child_pick.findData(child_id)))
        self.child_label.setBuddy(self.child_pick)
        top.addWidget(self.child_label)
        top.addWidget(self.child_pick)
        top.addStretch(1)
        self.guide_button = QPushButton(guide_ui("open"))  # the parent's guide, at the chosen child's age
        self.guide_button.setAccessibleName(self.guide_button.text())
        self.guide_button.clicked.connect(self.open_guide)
        top.addWidget(self.guide_button)
        lay.addLayout(top)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Console pages"))
        self.overview = OverviewPage(self.session, seen=self.seen)
        self.overview.new_requests.connect(self.on_new_requests)
        self.overview.new_harmful.connect(self.on_new_harmful)
        self.overview.requests_gone.connect(self.notifier.dismiss)
        self.overview.show_requests()
        self.overview.show_alerts()
        self.tabs.addTab(self.overview, self.tr("Overview"))
        self.rules: RuleEditor | None = None
        self.reports: ReportsPage | None = None
        self.settings = SettingsPage(self.session, lan_search=self.lan_search)
        self.settings.language_changed.connect(self.switch_language)
        self.settings.devices_changed.connect(lambda: self.build(self.tabs.currentIndex(), self.child_id()))
        self._child_pages()
        self.tabs.addTab(self.settings, self.tr("Settings"))
        lay.addWidget(self.tabs, 1)
        old = self.centralWidget()
        self.setCentralWidget(central)
        if old is not None:
            old.deleteLater()
        self.tabs.setCurrentIndex(tab)
        self.child_pick.currentIndexChanged.connect(lambda _i: self._child_pages(replace=True))
        self.setTabOrder(self.child_pick, self.tabs)

    def child_id(self) -> str | None:
        return self.child_pick.currentData()

    def _child_pages(self, replace: bool = False) -> None:
        kid = self.child_id()
        current = self.tabs.currentIndex()
        if replace:
            for page in (self.rules, self.reports):
                if page is not None:
                    self.tabs.removeTab(self.tabs.indexOf(page))
                    page.deleteLater()
        placeholder_rules: QWidget = QLabel(self.tr("Add a child first."))
        self.rules = RuleEditor(self.session, kid) if kid else None
        self.reports = ReportsPage(self.session, kid) if kid else None
        self.tabs.insertTab(1, self.rules or placeholder_rules, self.tr("Rules"))
        self.tabs.insertTab(2, self.reports or QLabel(self.tr("Add a child first.")), self.tr("Reports"))
        if replace:
            self.tabs.setCurrentIndex(current)

    def open_guide(self) -> None:
        kid = self.session.store.child(self.child_id()) if self.child_id() else None
        open_guide("age:" + band_of(kid.birth_year if kid else None))

    def switch_language(self, lang: str) -> None:
        i18n.switch(lang)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "tabs"):
            if self.isVisible():
                self.build(self.tabs.currentIndex(), self.child_id())
            else:  # hidden in the tray (or closed): rebuild when shown again
                self._stale = True
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        if getattr(self, "_stale", False):
            self._stale = False
            self.build(self.tabs.currentIndex(), self.child_id())
        super().showEvent(event)

    def on_new_requests(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            kid = self.session.store.child_of(item["device_id"])
            self.notifier.notify(self.notifier.request_text(item, kid.name if kid else item.get("label", "?")),
                                 key=(item.get("payload") or {}).get("id"))

    def on_new_harmful(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            self.notifier.notify(self.notifier.harmful_text(item, item.get("child", "?")),
                                 title=self.tr("Sprout: your child reported something"))

    def bring_up(self) -> None:
        self.tabs.setCurrentWidget(self.overview)
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        # with a tray, closing the window keeps the console watching for requests
        if self.notifier.tray is not None and self.notifier.tray.isVisible():
            self.hide()
            event.ignore()
            return
        super().closeEvent(event)

