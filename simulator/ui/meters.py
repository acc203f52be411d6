"""Strip charts of the trainee's live pace, loudness and pitch (pyqtgraph), each with its target band shaded
and the call's markers (interruption, taboo phrase, dead air) drawn as vertical lines.

An update is cheap: each reading goes into fixed-length arrays that are handed to setData (about ten times
a second); nothing is rebuilt."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from simulator.core.live_meters import METER_BY_NAME, METERS, Band, LiveMeters
from simulator.ui.meter_text import meter_target, meter_title
from simulator.ui.timeline_view import MARKER_STYLE

WINDOW_SECONDS = 30.0   # how much of the call a strip chart shows
POINTS = 400            # readings kept: the window at the 10 Hz poll, with room to spare
IN_BAND, OUT_OF_BAND, LINE = "#2f6fb7", "#c0392b", "#9aa7b8"
BAND_FILL = (39, 174, 96, 60)
MAX_REACH = 1.5        # band widths the y axis may reach beyond the band


class Readings:
    """The latest readings of one meter, oldest first, in fixed-length arrays: an update shifts them by one
    and the chart gets views for setData, so nothing grows or is rebuilt during a call."""

    def __init__(self, size: int = POINTS) -> None:
        self.times = np.zeros(size)
        self.values = np.zeros(size)     # NaN: a silence (a gap in the line)
        self.count = 0                   # readings held, at the end of the arrays
        self.now = 0.0

    def clear(self) -> None:
        self.count, self.now = 0, 0.0

    def add(self, time: float, value: float | None) -> bool:
        """Keep a reading; one no later than the last (the same snapshot polled again) is skipped: False."""
        if self.count and time <= self.now:
            return False
        self.now = time
        self.times[:-1], self.values[:-1] = self.times[1:], self.values[1:]
        self.times[-1], self.values[-1] = time, math.nan if value is None else value
        self.count = min(self.count + 1, len(self.times))
        return True

    def held(self) -> tuple[np.ndarray, np.ndarray]:
        start = len(self.times) - self.count
        return self.times[start:], self.values[start:]


class StripChart(pg.PlotWidget):
    """One measure over the last WINDOW_SECONDS of the call; points inside the band blue, outside red, a
    silence a gap in the line. Values beyond the y range are drawn at its edge."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self.name = name
        self.title = ""
        self.band: Band | None = None
        self.markers: list[tuple[str, float]] = []
        self.readings = Readings()
        self.setObjectName(f"{name}Chart")
        self.setMinimumHeight(110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.hideAxis("bottom")
        self.getAxis("left").setTextPen("#333333")
        self.getAxis("left").setPen("#999999")
        self.band_item = pg.LinearRegionItem(orientation="horizontal", movable=False, brush=pg.mkBrush(*BAND_FILL),
                                             pen=pg.mkPen(None))
        self.addItem(self.band_item)
        self.line = self.plot([], [], pen=pg.mkPen(LINE, width=1.5), connect="finite")
        dots = {"symbol": "o", "symbolSize": 5, "symbolPen": None, "pen": None}
        self.inside = self.plot([], [], symbolBrush=IN_BAND, **dots)
        self.outside = self.plot([], [], symbolBrush=OUT_OF_BAND, **dots)
        self._marker_lines: list[pg.InfiniteLine] = []
        self.set_title(title)
        self._redraw()

    # ------------------------------------------------------------ data

    def set_title(self, title: str) -> None:
        self.title = title
        self.setAccessibleName(title)
        self.setTitle(title, color="#333333", size="9pt")

    def set_band(self, band: Band) -> None:
        self.band = band
        self.band_item.setRegion((band.low, band.high))
        spec = METER_BY_NAME[self.name]
        self.getAxis("left").setTicks([[(band.low, spec.format(band.low)), (band.high, spec.format(band.high))]])
        self.setAccessibleDescription(meter_target(self.name, band))
        self._redraw()

    def clear_readings(self) -> None:
        """For a new call. (Not named clear(): pg.PlotWidget binds PlotItem.clear on each instance, which would
        shadow it and remove the band and the lines from the plot.)"""
        self.readings.clear()
        for line in self._marker_lines:
            self.removeItem(line)
        self._marker_lines, self.markers = [], []
        self._redraw()

    def add_point(self, time: float, value: float | None) -> None:
        if self.readings.add(time, value):
            self._redraw()

    def add_marker(self, kind: str, time: float) -> None:
        self.markers.append((kind, time))
        line = pg.InfiniteLine(pos=time, angle=90, movable=False,
                               pen=pg.mkPen(MARKER_STYLE.get(kind, ("#555555", "o"))[0], width=2))
        self._marker_lines.append(line)
        self.addItem(line)

    def shown_values(self) -> list[float]:
        """The measured values inside the time window."""
        times, values = self.readings.held()
        return [float(v) for v in values[(times >= self.now - WINDOW_SECONDS) & np.isfinite(values)]]

    @property
    def now(self) -> float:
        return self.readings.now

    def y_range(self) -> tuple[float, float]:
        """The band with room around it, widened to the values on screen but never so far that the band
        shrinks to a sliver."""
        band = self.band or Band(0.0, 1.0)
        span = band.high - band.low
        shown = self.shown_values()
        low = max(band.low - MAX_REACH * span, min([band.low - 0.6 * span, *shown]))
        high = min(band.high + MAX_REACH * span, max([band.high + 0.6 * span, *shown]))
        return low, high

    def x_range(self) -> tuple[float, float]:
        return max(0.0, self.now - WINDOW_SECONDS), max(WINDOW_SECONDS, self.now)

    # ------------------------------------------------------------ drawing

    def _redraw(self) -> None:
        (x0, x1), (y0, y1) = self.x_range(), self.y_range()
        times, values = self.readings.held()
        shown = np.clip(values, y0, y1)                # NaN stays NaN: the gaps remain
        self.line.setData(times, shown)
        measured = np.isfinite(values)
        band = self.band or Band(-math.inf, math.inf)
        inside = measured & (values >= band.low) & (values <= band.high)
        outside = measured & ~inside
        self.inside.setData(times[inside], shown[inside])
        self.outside.setData(times[outside], shown[outside])
        self.setXRange(x0, x1, padding=0)
        self.setYRange(y0, y1, padding=0)


class MeterPanel(QWidget):
    """The three strip charts; update_meters() takes a LiveMeters snapshot, add_marker() a live marker."""

    def __init__(self, language: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.charts: dict[str, StripChart] = {}
        tips = {"pace": self.tr("Your speaking pace in this turn; the green band is the target"),
                "loudness": self.tr("How loud you are compared with your normal level; stay inside the green band"),
                "pitch": self.tr("Your pitch compared with your usual pitch; sharp rises sound argumentative")}
        for name in METERS:
            chart = StripChart(name, meter_title(name, language))
            chart.setToolTip(tips[name])
            self.charts[name] = chart
            layout.addWidget(chart)

    def reset(self, language: str) -> None:
        for name, chart in self.charts.items():
            chart.clear_readings()
            chart.set_title(meter_title(name, language))

    def set_bands(self, bands: dict[str, Band]) -> None:
        for name, chart in self.charts.items():
            chart.set_band(bands[name])

    def update_meters(self, meters: LiveMeters) -> None:
        for name, chart in self.charts.items():
            if chart.band != meters.bands[name]:
                chart.set_band(meters.bands[name])
            chart.add_point(meters.time, meters.value(name))

    def add_marker(self, kind: str, time: float) -> None:
        for chart in self.charts.values():
            chart.add_marker(kind, time)
