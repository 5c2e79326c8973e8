"""A vertical scroll area for a page of wrapped text (cards, alerts): the page always gets the viewport's width and
the height that width needs. QScrollArea's widgetResizable sizes its page from sizeHint and never asks
heightForWidth, so a long page of wrapped labels was squeezed (each label shorter than its text) instead of
scrolled."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class WrappingScrollArea(QScrollArea):
    def __init__(self, page: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(False)  # the page is sized here, by heightForWidth
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(page)
        # a text change or a card added inside the page asks its layout again: fit the page to the new height
        page.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit_page()
        return super().eventFilter(watched, event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:  # the window's size, or the scroll bar came or went
            self.fit_page()
        return super().viewportEvent(event)

    def fit_page(self) -> None:
        page = self.widget()
        layout = page.layout() if page is not None else None
        if layout is None:
            return
        layout.activate()
        width = self.viewport().width()
        need = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        # never shorter than the view: the page's stretch fills what is left, as in an unscrolled window
        height = max(need, layout.totalMinimumSize().height(), self.viewport().height())
        if page.size().width() != width or page.size().height() != height:
            page.resize(width, height)
