"""A trainee's overall score per attempt over time, with the running mean that shows the direction."""

from __future__ import annotations

import time

import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from simulator.core.review.trend import RUNNING_WINDOW, TrendSeries

SCORE_COLOUR, MEAN_COLOUR = "#2f6fb7", "#d9622b"
EMPTY_DAYS = 28  # the span an empty trend shows, ending today


class TrendChart(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Select an attempt or a trainee to see their progress."), wordWrap=True)
        self.plot = pg.PlotWidget(background="w", axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.plot.setMenuEnabled(False)
        self.plot.setYRange(0, 100, padding=0.05)
        self.plot.setLabel("left", self.tr("Overall score"))
        self.plot.addLegend(offset=(10, 10))
        self.plot.setToolTip(self.tr("One point per scored attempt; the line is the mean of the last %s")
                             % RUNNING_WINDOW)
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setTextPen("#333333")
        self.scores = self.plot.plot([], [], pen=pg.mkPen(SCORE_COLOUR, width=1), symbol="o", symbolSize=7,
                                     symbolBrush=SCORE_COLOUR, name=self.tr("Score"))
        self.mean = self.plot.plot([], [], pen=pg.mkPen(MEAN_COLOUR, width=3),
                                   name=self.tr("Mean of last %s") % RUNNING_WINDOW)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)
        self.series: TrendSeries | None = None
        self._show_recent()

    def _show_recent(self) -> None:
        """No scored attempt yet: the last weeks up to today, so the axis reads as dates (not 00.100 … 00.900)."""
        now = time.time()
        self.plot.setXRange(now - EMPTY_DAYS * 86400.0, now, padding=0)

    def set_trend(self, trainee: str, series: TrendSeries) -> None:
        self.series = series
        self.scores.setData(series.times, series.scores)
        self.mean.setData(series.times, series.running_mean)
        change = "" if series.change is None else " · " + self.tr("change %+.0f") % series.change
        self.title.setText(self.tr("%1: %2 scored attempt(s)").replace("%1", trainee)
                           .replace("%2", str(len(series.scores))) + change)
        if series.times:
            pad = max(3600.0, 0.03 * (series.times[-1] - series.times[0]))
            self.plot.setXRange(series.times[0] - pad, series.times[-1] + pad, padding=0)
        else:
            self._show_recent()

    def points(self) -> list[tuple[float, float]]:
        """The plotted (time, score) points, for tests and accessibility."""
        x, y = self.scores.getData()
        return [] if x is None else list(zip(x.tolist(), y.tolist()))
