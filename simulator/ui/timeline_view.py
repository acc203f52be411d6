"""A recorded call on one time axis: both voices as waveforms (customer above, trainee below), the turns
as coloured spans with their text, the markers, and a playhead. Clicking or the keyboard asks to seek.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPen
from PySide6.QtWidgets import QFrame, QGraphicsRectItem, QLabel, QVBoxLayout

from simulator.core.review import Envelope, Marker, next_marker, turns_at
from simulator.core.review.call_audio import CallAudio
from simulator.core.timeline import Timeline
from simulator.ui.fit import follow_width

LANE_CENTER = {"customer": 2.0, "trainee": -2.0}
LANE_HALF = 0.95
MARKER_Y = 3.45
Y_RANGE = (-3.1, 3.8)
SPEAKER_COLOUR = {"customer": "#d9622b", "trainee": "#2f6fb7"}
MARKER_STYLE = {  # kind: (colour, scatter symbol)
    "interruption": ("#c0392b", "t"),
    "taboo": ("#8e44ad", "x"),
    "empathy": ("#27ae60", "o"),
    "dead_air": ("#7f8c8d", "s"),
    "advice": ("#e6a100", "d"),
    "praise": ("#16a085", "star"),
}
STEP_SECONDS, BIG_STEP_SECONDS = 1.0, 5.0


def clock(seconds: float) -> str:
    """m:ss of a call time."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


EMPTY_SECONDS = 30.0  # the time axis of a call with nothing to draw: whole seconds, not 0:00 at every tick


class _TimeAxis(pg.AxisItem):
    def tickStrings(self, values, scale, spacing):  # noqa: N802 (Qt naming)
        if spacing < 1.0:  # zoomed in below a second: tenths, or every tick would read the same m:ss
            return [f"{int(max(0.0, v)) // 60}:{max(0.0, v) % 60:04.1f}" for v in values]
        return [clock(v) for v in values]


class TimelineView(QFrame):
    """set_call() draws a call; seekRequested(seconds) when the user clicks or steps; set_playhead() moves
    the playhead (the owner calls it while playing)."""

    seekRequested = Signal(float)
    playToggleRequested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setFocusPolicy(Qt.StrongFocus)
        self.setFrameShape(QFrame.StyledPanel)
        self.setStyleSheet("#timeline:focus { border: 2px solid palette(highlight); }")
        self.setToolTip(self.tr("Click to play from there. Keys: Left/Right step 1 s (Shift: 5 s), "
                                "PgUp/PgDn previous/next marker, Home/End, +/- zoom, Space play/stop."))
        self.duration = 0.0
        self.playhead_time = 0.0
        self.markers: list[Marker] = []
        self.turn_items: list[QGraphicsRectItem] = []
        self.marker_items: list[pg.InfiniteLine] = []
        self.wave_items: dict[str, pg.PlotDataItem] = {}
        self._timeline: Timeline | None = None

        self.plot = pg.PlotWidget(background="w", axisItems={"bottom": _TimeAxis("bottom")})
        self.plot.setFocusPolicy(Qt.NoFocus)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.setYRange(*Y_RANGE, padding=0)
        self.plot.setXRange(0.0, EMPTY_SECONDS, padding=0.01)
        self.plot.setMinimumHeight(100)
        left = self.plot.getAxis("left")
        left.setTicks([[(LANE_CENTER["customer"], self.tr("Customer")), (LANE_CENTER["trainee"], self.tr("Trainee"))]])
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setTextPen("#333333")
            self.plot.getAxis(axis).setPen("#999999")
        self.playhead = pg.InfiniteLine(0.0, angle=90, movable=False, pen=pg.mkPen("#111111", width=2))
        self.plot.scene().sigMouseClicked.connect(self._clicked)

        self.caption = QLabel(wordWrap=True)
        self.caption.setTextFormat(Qt.PlainText)
        self.legend = QLabel(self._legend_html(), wordWrap=True)   # wraps in a narrow pane instead of widening it
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.caption)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return False   # the minimum height follows the width instead (simulator.ui.fit): see resizeEvent

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        follow_width(self, event.size().width())   # the plot's minimum and the legend as it wraps

    # ------------------------------------------------------------ drawing

    def kind_label(self, kind: str) -> str:
        return {
            "interruption": self.tr("Interruption"), "taboo": self.tr("Taboo phrase"),
            "empathy": self.tr("Empathy"), "dead_air": self.tr("Dead air"),
            "advice": self.tr("Advice"), "praise": self.tr("Well done"),
        }.get(kind, kind)

    def speaker_label(self, speaker: str) -> str:
        return self.tr("Customer") if speaker == "customer" else self.tr("Trainee")

    def _legend_html(self) -> str:
        return "&nbsp; ".join(   # a plain space between entries: the legend may wrap there
            f"<span style='color:{colour}'>&#9646;</span>&nbsp;{self.kind_label(kind)}"
            for kind, (colour, _) in MARKER_STYLE.items())

    def set_call(self, timeline: Timeline, audio: CallAudio | tuple[np.ndarray, np.ndarray, int] | None,
                 markers: list[Marker]) -> None:
        """Draw a call; audio is the decoded recording (its envelopes computed on a worker), (customer, trainee,
        sample rate), or None (turns and markers only)."""
        if audio is not None and not isinstance(audio, CallAudio):
            audio = CallAudio.of(*audio)
        self.plot.clear()
        self._timeline = timeline
        self.markers = sorted(markers, key=lambda m: m.time)
        audio_seconds = 0.0 if audio is None else audio.seconds
        self.duration = max(timeline.duration, audio_seconds, max((m.end or m.time for m in markers), default=0.0))
        self.wave_items = {}
        if audio is not None:
            for speaker, env in audio.envelopes.items():
                self.wave_items[speaker] = self._draw_wave(speaker, env)
        self.turn_items = [self._draw_turn(t) for t in timeline.turns]
        self.marker_items = [self._draw_marker_line(m) for m in self.markers]
        self._draw_marker_symbols()
        self.plot.addItem(self.playhead)
        end = max(self.duration, 1.0) if self.duration > 0 else EMPTY_SECONDS
        self.plot.getViewBox().setLimits(xMin=0.0, xMax=end, minXRange=min(2.0, end))
        self.plot.setXRange(0.0, end, padding=0.01)
        self.set_playhead(0.0)

    def _draw_wave(self, speaker: str, env: Envelope) -> pg.PlotDataItem:
        x, y = env.curve()
        scale = LANE_HALF / env.peak if env.peak > 0 else 0.0
        item = pg.PlotDataItem(x, LANE_CENTER[speaker] + y * scale, pen=pg.mkPen(SPEAKER_COLOUR[speaker], width=1))
        item.setZValue(5)
        self.plot.addItem(item)
        return item

    def _draw_turn(self, turn) -> QGraphicsRectItem:
        centre = LANE_CENTER[turn.speaker]
        rect = QGraphicsRectItem(QRectF(turn.start, centre - LANE_HALF, max(turn.duration, 0.01), 2 * LANE_HALF))
        colour = QColor(SPEAKER_COLOUR[turn.speaker])
        colour.setAlpha(45)
        rect.setBrush(QBrush(colour))
        edge = QPen(QColor(SPEAKER_COLOUR[turn.speaker]))
        edge.setCosmetic(True)
        rect.setPen(edge)
        rect.setToolTip(f"{self.speaker_label(turn.speaker)} {clock(turn.start)}–{clock(turn.end)}\n{turn.text}")
        rect.setZValue(1)
        self.plot.addItem(rect)
        return rect

    def _draw_marker_line(self, marker: Marker) -> pg.InfiniteLine:
        colour = MARKER_STYLE.get(marker.kind, ("#555555", "o"))[0]
        line = pg.InfiniteLine(marker.time, angle=90, movable=False,
                               pen=pg.mkPen(colour, width=1, style=Qt.DashLine))
        line.setToolTip(self.marker_tip(marker))
        line.setZValue(8)
        self.plot.addItem(line)
        if marker.end is not None and marker.end > marker.time:
            fill = QColor(colour)
            fill.setAlpha(40)
            span = pg.LinearRegionItem((marker.time, marker.end), movable=False, brush=QBrush(fill), pen=pg.mkPen(None))
            span.setZValue(0)
            self.plot.addItem(span)
        return line

    def _draw_marker_symbols(self) -> None:
        spots = [{"pos": (m.time, MARKER_Y), "symbol": MARKER_STYLE.get(m.kind, ("", "o"))[1],
                  "brush": MARKER_STYLE.get(m.kind, ("#555555", ""))[0], "size": 11, "data": i}
                 for i, m in enumerate(self.markers)]
        if spots:
            scatter = pg.ScatterPlotItem(spots=spots, pen=pg.mkPen("#ffffff"), hoverable=True,
                                         tip=lambda x, y, data: self.marker_tip(self.markers[data]))
            scatter.setZValue(9)
            self.plot.addItem(scatter)

    def marker_tip(self, marker: Marker) -> str:
        head = f"{clock(marker.time)} {self.kind_label(marker.kind)}"
        if marker.kind == "dead_air" and marker.end is not None:
            head += " " + self.tr("%.1f s") % (marker.end - marker.time)
        return f"{head}\n{marker.text}" if marker.text else head

    # ------------------------------------------------------------ playhead and seeking

    def set_playhead(self, seconds: float) -> None:
        """Move the playhead (scrolling a zoomed view to keep it visible) and show what is said there."""
        self.playhead_time = min(max(0.0, seconds), self.duration)
        self.playhead.setValue(self.playhead_time)
        lo, hi = self.plot.getViewBox().viewRange()[0]
        if not lo <= self.playhead_time <= hi:
            width = hi - lo
            self.plot.setXRange(self.playhead_time - 0.1 * width, self.playhead_time + 0.9 * width, padding=0)
        self.caption.setText(self._caption())

    def _caption(self) -> str:
        turns = turns_at(self._timeline.turns, self.playhead_time) if self._timeline else []
        said = "   ".join(f"{self.speaker_label(t.speaker)}: {t.text}" for t in turns if t.text)
        return f"{clock(self.playhead_time)}  {said}"

    def seek(self, seconds: float) -> None:
        """Move the playhead and ask the owner to play from there."""
        self.set_playhead(seconds)
        self.seekRequested.emit(self.playhead_time)

    def _clicked(self, event) -> None:
        if event.button() != Qt.LeftButton:
            return
        box = self.plot.getViewBox()
        scene_pos = event.scenePos()
        if not box.sceneBoundingRect().contains(scene_pos):
            return
        self.setFocus(Qt.MouseFocusReason)
        self.seek(box.mapSceneToView(scene_pos).x())

    def x_to_widget(self, seconds: float) -> QPointF:
        """Where a call time is drawn, in the plot's viewport coordinates (middle height)."""
        box = self.plot.getViewBox()
        scene = box.mapViewToScene(QPointF(seconds, 0.0))
        return QPointF(self.plot.mapFromScene(scene))

    def zoom(self, factor: float) -> None:
        """Scale the visible time span around the playhead (factor < 1 zooms in)."""
        self.plot.getViewBox().scaleBy(x=factor, y=1.0, center=QPointF(self.playhead_time, 0.0))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        key = event.key()
        step = BIG_STEP_SECONDS if event.modifiers() & Qt.ShiftModifier else STEP_SECONDS
        if key in (Qt.Key_Left, Qt.Key_Right):
            self.seek(self.playhead_time + (step if key == Qt.Key_Right else -step))
        elif key in (Qt.Key_Home, Qt.Key_End):
            self.seek(0.0 if key == Qt.Key_Home else self.duration)
        elif key in (Qt.Key_PageDown, Qt.Key_PageUp):
            found = next_marker(self.markers, self.playhead_time, forward=key == Qt.Key_PageDown)
            if found is not None:
                self.seek(found.time)
        elif key in (Qt.Key_Plus, Qt.Key_Equal, Qt.Key_Minus):
            self.zoom(0.5 if key != Qt.Key_Minus else 2.0)
        elif key == Qt.Key_Space:
            self.playToggleRequested.emit()
        else:
            super().keyPressEvent(event)
