"""Reports: today / 7 / 30 days of one child — a bar chart of screen and game time by day with the table beside,
top apps, games, blocked web categories; export to CSV and to PDF (Qt's own PDF writer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMarginsF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui import i18n
from app.gui.help import guide_link
from app.gui.session import Session
from app.gui.worker import run_async
from app.reports import PERIODS, Report, to_csv


class ReportsPage(QWidget):
    def __init__(self, session: Session, child_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.child_id = session, child_id
        self.report: Report | None = None
        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Report period"))
        for key, text in zip(PERIODS, (self.tr("Today"), self.tr("Last 7 days"), self.tr("Last 30 days")),
                             strict=True):
            self.period.addItem(text, key)
        self.period.setCurrentIndex(1)
        self.period.currentIndexChanged.connect(lambda _i: self.render())
        self.csv_btn = QPushButton(self.tr("Export CSV…"))
        self.pdf_btn = QPushButton(self.tr("Export PDF…"))
        for b in (self.csv_btn, self.pdf_btn):
            b.setAccessibleName(b.text().rstrip("…"))
        self.csv_btn.clicked.connect(lambda: self._export("csv"))
        self.pdf_btn.clicked.connect(lambda: self._export("pdf"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Period")))
        top.addWidget(self.period)
        top.addStretch(1)
        top.addWidget(self.csv_btn)
        top.addWidget(self.pdf_btn)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setAccessibleName(self.tr("Chart of minutes by day"))
        self.table = QTableWidget()
        self.table.setAccessibleName(self.tr("Table of minutes by day"))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        split = QSplitter()
        split.addWidget(self.chart_view)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.table, 2)
        rl.addWidget(self.summary, 1)
        self.block_help = guide_link("block", "link_block")  # the parent's guide: reacting to a block
        self.block_help.setVisible(False)
        rl.addWidget(self.block_help)
        split.addWidget(right)
        split.setSizes([520, 480])
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        self.live: dict[str, Any] | None = None  # the agent's status with today's running summary
        self.names = display_names()
        self.render()
        self.refresh_live()

    def refresh_live(self) -> None:
        """Today as the PC counts it now (its daily summary is only sent when the day is over)."""
        devices = self.session.devices_of(self.child_id)
        if devices:
            did = devices[0]["device_id"]
            run_async(lambda: self.session.status(did), self._live, lambda _e: None)

    def _live(self, status: dict[str, Any]) -> None:
        if self.session.closed:
            return
        self.live = status
        self.render()

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Day"), self.tr("Screen (min)"), self.tr("Games (min)"), self.tr("Blocked tries"),
                self.tr("Requests"), self.tr("Alerts"))

    def render(self, days: int | None = None) -> Report:
        days = days or PERIODS[self.period.currentData()]
        self.report = r = self.session.report(self.child_id, days, live_today=self.live)
        # a fresh chart each time: re-using one leaves the old axes drawn under the new ones
        old, self.chart = self.chart, QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view.setChart(self.chart)
        old.deleteLater()
        screen, games = QBarSet(self.tr("Screen time")), QBarSet(self.tr("Games"))
        screen.append([d.screen_min for d in r.days])
        games.append([d.games_min for d in r.days])
        series = QBarSeries()
        series.append(screen)
        series.append(games)
        self.chart.addSeries(series)
        ax = QBarCategoryAxis()
        ax.append(day_labels([d.day for d in r.days]))
        if len(r.days) > 10:
            ax.setLabelsVisible(False)
            ax.setTitleText(f"{r.first_day[5:]} → {r.last_day[5:]}")
        ay = QValueAxis()
        top_min = max([10] + [max(d.screen_min, d.games_min) for d in r.days])
        step = nice_step(top_min)
        ay.setRange(0, step * -(-top_min // step))  # whole steps: 0, 30, 60 … not 0, 2, 5, 8, 11
        ay.setTickCount(int(-(-top_min // step)) + 1)
        ay.setLabelFormat("%d")
        ay.setTitleText(self.tr("minutes"))
        self.chart.addAxis(ax, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(ay, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(ax)
        series.attachAxis(ay)
        self.chart.setTitle(self.tr("Minutes by day, %1 to %2").replace("%1", r.first_day).replace("%2", r.last_day))
        self.table.setColumnCount(6)
        self.table.setHorizontalHeaderLabels(list(self.headers()))
        self.table.setRowCount(len(r.days))
        for row, d in enumerate(reversed(r.days)):
            for col, v in enumerate((d.day, d.screen_min, d.games_min, d.blocked, d.requests, d.alerts)):
                item = QTableWidgetItem(str(v))
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # headers in full, never "Cảnh b…"
        self.table.setMinimumWidth(sum(header.sectionSize(i) for i in range(self.table.columnCount())) +
                                   self.table.frameWidth() * 2 + self.table.verticalScrollBar().sizeHint().width())
        self.summary.setText(self.summary_text(r))
        self.block_help.setVisible(r.blocked_tries > 0)
        return r

    def summary_text(self, r: Report) -> str:
        def top(pairs: list[tuple[str, int]], unit: str) -> str:
            return ", ".join(f"{self.name(k)} {v} {unit}" for k, v in pairs[:5]) or self.tr("none")

        return "\n".join((
            self.tr("Total: %1 min on screen, %2 min of games").replace("%1", str(r.total_screen_min)).replace(
                "%2", str(r.total_games_min)),
            self.tr("Top apps: %1").replace("%1", top(r.top_apps, self.tr("min"))),
            self.tr("Games: %1").replace("%1", top(r.games, self.tr("min"))),
            self.tr("Blocked websites by category: %1").replace("%1", top(r.web_categories, self.tr("tries"))),
        ))

    def name(self, key: str) -> str:
        """A game's, app's or web category's name for people (vi/en), not its catalog ID."""
        entry = self.names.get(key)
        return i18n.pick(entry) if entry else key

    def _export(self, kind: str) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export report"), f"sprout-report.{kind}",
                                              "CSV (*.csv)" if kind == "csv" else "PDF (*.pdf)")
        if name:
            (self.export_csv if kind == "csv" else self.export_pdf)(Path(name))

    def export_csv(self, path: Path) -> None:
        assert self.report is not None
        path.write_text(to_csv(self.report, self.headers()), encoding="utf-8-sig")  # BOM: Excel reads the diacritics

    def export_pdf(self, path: Path) -> None:
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                         QMarginsF(12, 12, 12, 12)))
        writer.setResolution(96)
        writer.setTitle(self.chart.title())
        painter = QPainter(writer)
        page = painter.viewport()
        chart_h = int(page.height() * 0.55)
        self.chart_view.render(painter, target=page.adjusted(0, 0, 0, chart_h - page.height()))
        painter.drawText(page.adjusted(0, chart_h + 10, 0, 0), Qt.TextFlag.TextWordWrap,
                         self.summary.text() + "\n\n" + "  |  ".join(self.headers()) + "\n" +
                         "\n".join(f"{d.day}  |  {d.screen_min}  |  {d.games_min}  |  {d.blocked}"
                                   for d in self.report.days[-14:]))
        painter.end()


def day_labels(days: list[str]) -> list[str]:
    """Category labels: MM-DD. QtCharts elides labels wider than a bar group, so past ten days they are hidden and
    the axis title gives the range instead (the table beside has every day)."""
    return [d[5:] for d in days]


def nice_step(top: int) -> int:
    """A round step for the minutes axis that gives at most about six ticks."""
    for step in (2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 600):
        if top / step <= 6:
            return step
    return 60 * (1 + top // 360)


def display_names() -> dict[str, dict[str, str]]:
    """{id: {vi, en}} for every app and game in the catalog and every web category."""
    import json

    from agent.resources import resource_path
    from app.gui.session import load_categories

    out: dict[str, dict[str, str]] = {}
    data = json.loads(resource_path("catalog", "apps.json").read_text(encoding="utf-8"))
    for e in data["entries"]:
        title = e.get("title")
        if isinstance(title, str):
            out[e["id"]] = {"vi": title, "en": title}
        elif isinstance(title, dict):
            out[e["id"]] = title
    for key, cat in load_categories().items():
        out[key] = cat["title"]
    return out
