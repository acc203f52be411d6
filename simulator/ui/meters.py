"""Strip charts of the trainee's live pace, loudness and pitch, each with its target band shaded and the
call's markers (interruption, taboo phrase, dead air) drawn as vertical lines.

Painted with QPainter rather than pyqtgraph: with PySide6 6.12 every pyqtgraph data or range update emits
a bool through a Signal(object), and each such emit drops a reference to True (a PySide bug), so a chart
updated ten times a second aborts the interpreter within minutes. A paint-only widget emits nothing."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from simulator.core.live_meters import Band, LiveMeters
from simulator.ui.timeline_view import MARKER_STYLE

WINDOW_SECONDS = 30.0   # how much of the call a strip chart shows
IN_BAND, OUT_OF_BAND, LINE = QColor("#2f6fb7"), QColor("#c0392b"), QColor("#9aa7b8")
BAND_FILL = QColor(39, 174, 96, 60)
METERS = ("pace", "loudness", "pitch")
MAX_REACH = 1.5        # band widths the y axis may reach beyond the band
MARGIN_LEFT, MARGIN_TOP, MARGIN_BOTTOM, MARGIN_RIGHT = 44, 20, 16, 8


def meter_title(name: str, language: str) -> str:
    unit = {"pace": QCoreApplication.translate("Meters", "chars/min") if language == "zh"
            else QCoreApplication.translate("Meters", "words/min"),
            "loudness": QCoreApplication.translate("Meters", "dB vs. your normal level"),
            "pitch": QCoreApplication.translate("Meters", "semitones vs. your usual pitch")}[name]
    label = {"pace": QCoreApplication.translate("Meters", "Pace"),
             "loudness": QCoreApplication.translate("Meters", "Loudness"),
             "pitch": QCoreApplication.translate("Meters", "Pitch")}[name]
    return f"{label} ({unit})"


class StripChart(QWidget):
    """One measure over the last WINDOW_SECONDS of the call; points inside the band blue, outside red."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.title = title
        self.band: Band | None = None
        self.times: list[float] = []
        self.values: list[float] = []        # NaN marks a silence (a gap in the line)
        self.markers: list[tuple[str, float]] = []
        self.now = 0.0
        self.setObjectName(f"{name}Chart")
        self.setAccessibleName(title)
        self.setMinimumHeight(110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # ------------------------------------------------------------ data

    def set_title(self, title: str) -> None:
        self.title = title
        self.setAccessibleName(title)
        self.update()

    def set_band(self, band: Band) -> None:
        self.band = band
        self.update()

    def clear(self) -> None:
        self.times, self.values, self.markers, self.now = [], [], [], 0.0
        self.update()

    def add_point(self, time: float, value: float | None) -> None:
        self.now = max(self.now, time)
        if value is None:
            if self.values and not math.isnan(self.values[-1]):   # one gap per silence
                self.times.append(time)
                self.values.append(math.nan)
        else:
            self.times.append(time)
            self.values.append(value)
        keep = next((i for i, t in enumerate(self.times) if t >= self.now - WINDOW_SECONDS), len(self.times))
        self.times, self.values = self.times[keep:], self.values[keep:]
        self.update()

    def add_marker(self, kind: str, time: float) -> None:
        self.markers.append((kind, time))
        self.update()

    def shown_values(self) -> list[float]:
        return [v for v in self.values if not math.isnan(v)]

    def y_range(self) -> tuple[float, float]:
        """The band with room around it, widened to the values on screen but never so far that the band
        shrinks to a sliver (values beyond are drawn at the edge)."""
        band = self.band or Band(0.0, 1.0)
        span = band.high - band.low
        shown = self.shown_values()
        low = max(band.low - MAX_REACH * span, min([band.low - 0.6 * span, *shown]))
        high = min(band.high + MAX_REACH * span, max([band.high + 0.6 * span, *shown]))
        return low, high

    def x_range(self) -> tuple[float, float]:
        return max(0.0, self.now - WINDOW_SECONDS), max(WINDOW_SECONDS, self.now)

    # ------------------------------------------------------------ painting

    def _plot_rect(self) -> QRectF:
        return QRectF(MARGIN_LEFT, MARGIN_TOP, max(1, self.width() - MARGIN_LEFT - MARGIN_RIGHT),
                      max(1, self.height() - MARGIN_TOP - MARGIN_BOTTOM))

    def _point(self, rect: QRectF, time: float, value: float) -> QPointF:
        (x0, x1), (y0, y1) = self.x_range(), self.y_range()
        value = min(max(value, y0), y1)
        return QPointF(rect.left() + (time - x0) / (x1 - x0) * rect.width(),
                       rect.bottom() - (value - y0) / (y1 - y0) * rect.height())

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        rect = self._plot_rect()
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        painter.setFont(small)
        painter.setPen(QColor("#333333"))
        painter.drawText(QRectF(0, 0, self.width(), MARGIN_TOP), Qt.AlignmentFlag.AlignCenter, self.title)
        (x0, x1), (y0, y1) = self.x_range(), self.y_range()
        if self.band is not None:
            top = self._point(rect, x0, min(self.band.high, y1)).y()
            bottom = self._point(rect, x0, max(self.band.low, y0)).y()
            painter.fillRect(QRectF(rect.left(), top, rect.width(), bottom - top), BAND_FILL)
            painter.setPen(QColor("#555555"))
            for value in (self.band.low, self.band.high):
                y = self._point(rect, x0, value).y()
                painter.drawText(QRectF(0, y - 8, MARGIN_LEFT - 4, 16),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{value:g}")
        painter.setPen(QPen(QColor("#999999"), 1))
        painter.drawRect(rect)
        painter.setClipRect(rect)
        for kind, time in self.markers:
            colour = QColor(MARKER_STYLE.get(kind, ("#555555", "o"))[0])
            painter.setPen(QPen(colour, 2))
            x = self._point(rect, time, y0).x()
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        self._paint_series(painter, rect)
        painter.end()

    def _paint_series(self, painter: QPainter, rect: QRectF) -> None:
        path = QPainterPath()
        pen_down = False
        for time, value in zip(self.times, self.values):
            if math.isnan(value):
                pen_down = False
                continue
            point = self._point(rect, time, value)
            if pen_down:
                path.lineTo(point)
            else:
                path.moveTo(point)
                pen_down = True
        painter.setPen(QPen(LINE, 1.5))
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        for time, value in zip(self.times, self.values):
            if not math.isnan(value):
                inside = self.band is None or self.band.contains(value)
                painter.setBrush(IN_BAND if inside else OUT_OF_BAND)
                painter.drawEllipse(self._point(rect, time, value), 2.6, 2.6)


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
            chart.clear()
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
