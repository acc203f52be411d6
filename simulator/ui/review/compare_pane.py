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
from simulator.ui.score_bars import filling, score_bar, show_score, style_score_box
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
        style_score_box(self.scores_box, BAND_COLOUR)
        self._row_cells: list[tuple[QLabel, QProgressBar, QLabel, QLabel]] = []   # made once, then reused
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
        with filling(self.scores_box):
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
        """One row per criterion: its name (bold where this side did better), its bar (a dash: not scored)
        and the change; the row widgets are made once and reused for every comparison."""
        self.criterion_rows = {}
        cells = self._row_cells
        for i, row in enumerate(rows):
            if i == len(cells):
                cells.append((QLabel(textFormat=Qt.RichText), score_bar(), QLabel("—", alignment=Qt.AlignCenter),
                              QLabel(alignment=Qt.AlignRight | Qt.AlignVCenter, minimumWidth=36)))
                for widget, column in zip(cells[i], (0, 1, 1, 2)):   # the dash takes the bar's place
                    self.scores_grid.addWidget(widget, i, column)
            label, bar, dash, change = cells[i]
            value = (row.first, row.second)[side]
            name = escape(self.criterion_label(row.name))
            label.setText(f"<b>{name}</b>" if row.better == side else name)
            bar.setVisible(value is not None)
            dash.setVisible(value is None)
            if value is not None:
                bar.setAccessibleName(self.criterion_label(row.name))
                show_score(bar, value)
            change.setText(_change_html(row) if side == 1 else "")
            label.show()
            change.show()
            self.criterion_rows[row.name] = (bar if value is not None else None, change)
        for widgets in cells[len(rows):]:
            for widget in widgets:
                widget.hide()


def _change_html(row: ScoreDelta) -> str:
    if row.delta is None:
        return "—"
    colour = "#555555" if row.delta == 0 else UP if row.delta > 0 else DOWN
    return f"<span style='color:{colour}; font-weight:bold'>{row.delta:+d}</span>"


def header_html(title: str, fields: list[tuple[str, str]]) -> str:
    """`title` in bold, then "field: value" pairs, one line each."""
    lines = "".join(f"<br>{escape(name)}: {escape(value)}" for name, value in fields)
    return f"<b>{escape(title)}</b>{lines}"

