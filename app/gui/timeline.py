"""A weekly timeline of allowed windows: drag on an empty part of a day to draw a window, drag a window to move it,
drag its ends to resize, double-click (or Delete on the focused day) to remove it. A window may cross midnight: it is
kept as start > end and drawn on its day up to 24:00 and on the next day from 00:00. Keyboard: Up/Down pick the day,
Delete clears it."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from agent.policy import WEEKDAYS

SNAP = 15
DAY_MIN = 24 * 60
EDGE_PX = 6


def hhmm(m: int) -> str:
    m %= DAY_MIN
    return f"{m // 60:02d}:{m % 60:02d}"


def parse_hhmm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


class WeekTimeline(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.windows: dict[str, list[list[int]]] = {d: [] for d in WEEKDAYS}
        self.day_names = list(WEEKDAYS)
        self.focus_day = 0
        self._drag: tuple[str, int, str, int, list[int]] | None = None  # day, index, mode, press minute, original
        self.setMinimumSize(520, 7 * 24 + 24)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(640, 7 * 26 + 26)

    # ---- model -------------------------------------------------------------------------------------------
    def set_windows(self, windows: dict[str, list[dict[str, str]]]) -> None:
        self.windows = {d: [[parse_hhmm(w["start"]), parse_hhmm(w["end"])] for w in windows.get(d, [])
                            if isinstance(w, dict) and _valid(w)] for d in WEEKDAYS}
        self.update()

    def to_policy(self) -> dict[str, list[dict[str, str]]]:
        return {d: [{"start": hhmm(s), "end": hhmm(e)} for s, e in sorted(self.windows[d])] for d in WEEKDAYS}

    # ---- geometry ----------------------------------------------------------------------------------------
    def _label_w(self) -> int:
        return max(self.fontMetrics().horizontalAdvance(n) for n in self.day_names) + 12

    def _row_h(self) -> float:
        return (self.height() - 22) / 7

    def _x(self, minute: float) -> float:
        return self._label_w() + (self.width() - self._label_w() - 8) * minute / DAY_MIN

    def _minute(self, x: float) -> int:
        span = max(1.0, self.width() - self._label_w() - 8)
        m = (x - self._label_w()) / span * DAY_MIN
        return max(0, min(DAY_MIN, round(m / SNAP) * SNAP))

    def _day_at(self, y: float) -> int:
        return max(0, min(6, int((y - 20) // self._row_h())))

    def _segments(self, day_i: int) -> list[tuple[int, int, str, int]]:
        """(start, end, owner day, index) drawn on this row, including the night part of yesterday's window."""
        d = WEEKDAYS[day_i]
        segs = []
        for i, (s, e) in enumerate(self.windows[d]):
            segs.append((s, e if e > s else DAY_MIN, d, i))
        prev = WEEKDAYS[day_i - 1]
        for i, (s, e) in enumerate(self.windows[prev]):
            if e < s and e > 0:
                segs.append((0, e, prev, i))
        return segs

    # ---- painting ----------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        p.fillRect(self.rect(), pal.base())
        rh = self._row_h()
        p.setPen(pal.text().color())
        for h in range(0, 25, 3):
            x = self._x(h * 60)
            p.drawText(QRectF(x - 20, 0, 40, 18), Qt.AlignmentFlag.AlignCenter, f"{h:02d}")
        for i in range(7):
            y = 20 + i * rh
            if i == self.focus_day and self.hasFocus():
                p.fillRect(QRectF(0, y, self.width(), rh), pal.alternateBase())
            p.setPen(pal.text().color())
            p.drawText(QRectF(4, y, self._label_w(), rh), Qt.AlignmentFlag.AlignVCenter, self.day_names[i])
            p.setPen(QPen(QColor(200, 200, 200)))
            p.drawLine(QPointF(self._label_w(), y + rh), QPointF(self.width() - 8, y + rh))
            for s, e, _d, _j in self._segments(i):
                r = QRectF(self._x(s), y + 3, self._x(e) - self._x(s), rh - 6)
                p.setBrush(QColor(76, 160, 90))
                p.setPen(QPen(QColor(40, 110, 55)))
                p.drawRoundedRect(r, 4, 4)
                if r.width() > 70:
                    p.setPen(Qt.GlobalColor.white)
                    p.drawText(r, Qt.AlignmentFlag.AlignCenter, f"{hhmm(s)}–{hhmm(e)}")
        p.end()

    # ---- mouse -------------------------------------------------------------------------------------------
    def _hit(self, pos: QPointF) -> tuple[str, int, str] | None:
        day_i = self._day_at(pos.y())
        for s, e, d, j in self._segments(day_i):
            x0, x1 = self._x(s), self._x(e)
            if abs(pos.x() - x0) <= EDGE_PX and d == WEEKDAYS[day_i]:
                return d, j, "start"
            if abs(pos.x() - x1) <= EDGE_PX:
                return d, j, "end"
            if x0 < pos.x() < x1:
                return d, j, "move"
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position()
        self.focus_day = self._day_at(pos.y())
        m = self._minute(pos.x())
        hit = self._hit(pos)
        if hit is None:
            day = WEEKDAYS[self.focus_day]
            self.windows[day].append([m, min(DAY_MIN, m + SNAP)])
            hit = (day, len(self.windows[day]) - 1, "end")
        d, j, mode = hit
        self._drag = (d, j, mode, m, list(self.windows[d][j]))
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            hit = self._hit(event.position())
            shape = Qt.CursorShape.ArrowCursor if hit is None else (
                Qt.CursorShape.SizeHorCursor if hit[2] != "move" else Qt.CursorShape.OpenHandCursor)
            self.setCursor(shape)
            return
        d, j, mode, m0, (s0, e0) = self._drag
        m = self._minute(event.position().x())
        w = self.windows[d][j]
        if mode == "move":
            delta = m - m0
            length = (e0 - s0) % DAY_MIN or DAY_MIN
            w[0] = (s0 + delta) % DAY_MIN
            w[1] = (w[0] + length) % DAY_MIN
        elif mode == "start":
            w[0] = min(m, DAY_MIN - SNAP)
        else:
            # dragging the end past 24:00 is not possible on one row; an end left of the start means "next day"
            w[1] = m % DAY_MIN
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        d, j, *_ = self._drag
        self._drag = None
        s, e = self.windows[d][j]
        if s == e:
            del self.windows[d][j]
        self.update()
        self.changed.emit()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self._hit(event.position())
        if hit is not None:
            del self.windows[hit[0]][hit[1]]
            self._drag = None
            self.update()
            self.changed.emit()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key == Qt.Key.Key_Up:
            self.focus_day = (self.focus_day - 1) % 7
        elif key == Qt.Key.Key_Down:
            self.focus_day = (self.focus_day + 1) % 7
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.windows[WEEKDAYS[self.focus_day]] = []
            self.changed.emit()
        else:
            super().keyPressEvent(event)
            return
        self.update()


def _valid(w: dict[str, str]) -> bool:
    try:
        return all(0 <= parse_hhmm(w[k]) < DAY_MIN for k in ("start", "end"))
    except (KeyError, ValueError, AttributeError):
        return False
