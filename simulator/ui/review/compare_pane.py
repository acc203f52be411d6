"""One side of a comparison: who, which customer and how it ended; the scorecard with each criterion's change
against the other attempt; the timeline of both voices with its markers (click to play from there); the
transcript. The comparison view owns the player both sides share."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea, QTextBrowser,
    QVBoxLayout, QWidget,
)

from simulator.core.review import call_markers, score_band
from simulator.core.review.compare import ScoreDelta
from simulator.core.review.stored import record_timeline
from simulator.app import AttemptRecord
from simulator.ui.fit import FitsWidth
from simulator.ui.review.attempt_detail import transcript_html
from simulator.ui.scorecard_view import BAND_COLOUR
from simulator.ui.timeline_view import TimelineView

UP, DOWN = "#27ae60", "#c0392b"


class ComparePane(QWidget):
    """fill() shows the record and its score rows at once; set_call() draws the timeline once the call is
    analysed. playRequested(seconds) on a click on the timeline or Play; stopRequested on Stop (Space toggles)."""

    playRequested = Signal(float)
    stopRequested = Signal()

    def __init__(self, criterion_label: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.criterion_label = criterion_label
        self.audio: Any = None
        self.header = QLabel(wordWrap=True)
        self.header.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.overall_label = QLabel(alignment=Qt.AlignCenter)
        self.scores_box = QGroupBox()
        self.scores_grid = QGridLayout(self.scores_box)
        self.scores_grid.setVerticalSpacing(2)
        self.criterion_rows: dict[str, tuple[QProgressBar | None, QLabel]] = {}
        self.play_button = QPushButton(self.tr("&Play"))
        self.play_button.setEnabled(False)
        self.play_button.clicked.connect(self._play_clicked)
        self.status = QLabel(wordWrap=True)
        self.timeline = TimelineView()
        self.timeline.seekRequested.connect(self.playRequested)
        self.timeline.playToggleRequested.connect(self._play_clicked)
        self.transcript = QTextBrowser()
        self.transcript.setAccessibleName(self.tr("Transcript"))

        scores = QHBoxLayout()
        scores.addWidget(self.overall_label)
        scores.addWidget(self.scores_box, 1)
        playback = QHBoxLayout()
        playback.addWidget(self.play_button)
        playback.addWidget(self.status, 1)
        content = FitsWidth()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addLayout(scores)
        layout.addLayout(playback)
        layout.addWidget(self.timeline, 2)
        layout.addWidget(self.transcript, 2)
        self.scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)   # a laptop screen
        self.scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)

    def fill(self, header: str, overall: ScoreDelta, rows: list[ScoreDelta], side: int) -> None:
        """Side 0 is the earlier attempt; the later one shows each change since the earlier."""
        self.header.setText(header)
        self._show_overall(overall, side)
        self._show_rows(rows, side)

    def show_transcript(self, record: AttemptRecord, names: dict[str, str], empty: str,
                        hide: Callable[[str], str]) -> None:
        self.transcript.setHtml(transcript_html(record_timeline(record).turns, names, empty, hide))

    def set_call(self, analysis: Any, audio: Any) -> None:
        """Draw the analysed call: audio is the decoded recording (CallAudio) or None (turns and markers only)."""
        self.audio = audio
        self.timeline.set_call(analysis.timeline, audio, call_markers(analysis))
        self.play_button.setEnabled(audio is not None)

    def set_playing(self, playing: bool) -> None:
        self.play_button.setText(self.tr("&Stop") if playing else self.tr("&Play"))

    def _play_clicked(self) -> None:
        if self.play_button.text() == self.tr("&Stop"):
            self.stopRequested.emit()
        elif self.audio is not None:
            start = self.timeline.playhead_time
            self.playRequested.emit(0.0 if start >= self.timeline.duration else start)

    def _show_overall(self, overall: ScoreDelta, side: int) -> None:
        value = (overall.first, overall.second)[side]
        colour = "#777777" if value is None else BAND_COLOUR[score_band(value)]
        change = _change_html(overall) if side == 1 else ""
        self.overall_label.setText(f"<div style='font-size:40pt; font-weight:bold; color:{colour}'>"
                                   f"{'—' if value is None else value}</div><div>{change}</div>")

    def _show_rows(self, rows: list[ScoreDelta], side: int) -> None:
        while self.scores_grid.count():
            self.scores_grid.takeAt(0).widget().deleteLater()
        self.criterion_rows = {}
        for i, row in enumerate(rows):
            value = (row.first, row.second)[side]
            label = QLabel(self.criterion_label(row.name))
            if row.better == side:
                label.setText(f"<b>{escape(self.criterion_label(row.name))}</b>")
            bar = None
            if value is None:
                self.scores_grid.addWidget(QLabel("—", alignment=Qt.AlignCenter), i, 1)
            else:
                bar = QProgressBar(minimum=0, maximum=100, value=value, format="%v", textVisible=True)
                bar.setMaximumHeight(16)
                bar.setAccessibleName(self.criterion_label(row.name))
                bar.setStyleSheet(f"QProgressBar::chunk {{ background: {BAND_COLOUR[score_band(value)]}; }}"
                                  "QProgressBar { text-align: center; }")
                self.scores_grid.addWidget(bar, i, 1)
            change = QLabel(_change_html(row) if side == 1 else "", alignment=Qt.AlignRight | Qt.AlignVCenter)
            change.setMinimumWidth(36)
            self.scores_grid.addWidget(label, i, 0)
            self.scores_grid.addWidget(change, i, 2)
            self.criterion_rows[row.name] = (bar, change)


def _change_html(row: ScoreDelta) -> str:
    if row.delta is None:
        return "—"
    colour = "#555555" if row.delta == 0 else UP if row.delta > 0 else DOWN
    return f"<span style='color:{colour}; font-weight:bold'>{row.delta:+d}</span>"


def header_html(title: str, fields: list[tuple[str, str]]) -> str:
    """`title` in bold, then "field: value" pairs, one line each."""
    lines = "".join(f"<br>{escape(name)}: {escape(value)}" for name, value in fields)
    return f"<b>{escape(title)}</b>{lines}"

