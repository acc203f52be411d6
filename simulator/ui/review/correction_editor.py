"""Correcting the transcript while listening: pick a turn (or click its time in the transcript), play it, edit
what was said, save; or revert a corrected turn to what the recogniser heard. The widget only edits and asks;
AttemptDetail stores the correction and re-scores through the review service (simulator.app)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from simulator.core.review.report import clock

PREVIEW_CHARS = 40


class CorrectionEditor(QWidget):
    """set_turns() fills it; playRequested(start, seconds), saveRequested(turn, text), revertRequested(turn)."""

    playRequested = Signal(float, float)
    saveRequested = Signal(int, str)
    revertRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._recognised: list[Any] = []
        self._current: list[Any] = []
        self._corrected: dict[int, Any] = {}
        self.turn_box = QComboBox()
        self.turn_box.setAccessibleName(self.tr("Turn to correct"))
        self.turn_box.currentIndexChanged.connect(self._turn_chosen)
        self.play_button = QPushButton(self.tr("Play t&urn"))
        self.play_button.setToolTip(self.tr("Listen to this turn of the recording"))
        self.play_button.clicked.connect(self._play)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setAccessibleName(self.tr("What was said"))
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMaximumHeight(80)
        self.text_edit.textChanged.connect(self._update_buttons)
        self.recognised_label = QLabel(wordWrap=True)
        self.recognised_label.setTextFormat(Qt.PlainText)
        self.recognised_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.save_button = QPushButton(self.tr("&Save correction"))
        self.save_button.setToolTip(self.tr("Keep this text for the turn and score the call again"))
        self.save_button.clicked.connect(self._save)
        self.revert_button = QPushButton(self.tr("&Revert to recognised"))
        self.revert_button.setToolTip(self.tr("Go back to what the recogniser heard, and its score"))
        self.revert_button.clicked.connect(lambda: self.revertRequested.emit(self.turn()))

        top = QHBoxLayout()
        top.addWidget(self.turn_box, 1)
        top.addWidget(self.play_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.recognised_label, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.text_edit)
        layout.addLayout(buttons)
        self.set_turns([], [], [])

    def set_turns(self, recognised: list[Any], current: list[Any], corrections: list[Any],
                  names: dict[str, str] | None = None) -> None:
        """The turns as recognised and as now corrected, and the corrections (TurnCorrection) standing."""
        keep = self.turn()
        self._recognised, self._current = recognised, current
        self._corrected = {c.turn: c for c in corrections}
        self.turn_box.blockSignals(True)
        self.turn_box.clear()
        for i, t in enumerate(current):
            text = t.text if len(t.text) <= PREVIEW_CHARS else t.text[:PREVIEW_CHARS] + "…"
            mark = " ✎" if i in self._corrected else ""
            self.turn_box.addItem(f"{clock(t.start)}  {(names or {}).get(t.speaker, t.speaker)}: {text}{mark}")
        self.turn_box.blockSignals(False)
        self.setEnabled(bool(current))
        self.select_turn(keep if 0 <= keep < len(current) else 0)

    def turn(self) -> int:
        return self.turn_box.currentIndex()

    def select_turn(self, index: int) -> None:
        if self.turn_box.currentIndex() == index:
            self._turn_chosen(index)
        else:
            self.turn_box.setCurrentIndex(index)

    def set_busy(self, busy: bool) -> None:
        """While a correction is stored and scored, nothing else can be asked."""
        for widget in (self.turn_box, self.text_edit, self.save_button, self.revert_button):
            widget.setEnabled(not busy)
        if not busy:
            self._update_buttons()

    def _turn_chosen(self, index: int) -> None:
        if not 0 <= index < len(self._current):
            self.text_edit.clear()
            self.recognised_label.clear()
            self._update_buttons()
            return
        self.text_edit.setPlainText(self._current[index].text)
        corrected = self._corrected.get(index)
        self.recognised_label.setText(
            self.tr("Recognised: %1 — corrected by %2 on %3").replace("%1", self._recognised[index].text)
            .replace("%2", corrected.reviewer).replace("%3", f"{corrected.corrected_at:%Y-%m-%d}")
            if corrected is not None else self.tr("As recognised"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        index = self.turn()
        valid = 0 <= index < len(self._current)
        text = " ".join(self.text_edit.toPlainText().split())
        self.save_button.setEnabled(valid and bool(text) and text != " ".join(self._current[index].text.split()))
        self.revert_button.setEnabled(valid and index in self._corrected)
        self.play_button.setEnabled(valid)

    def _play(self) -> None:
        turn = self._current[self.turn()]
        self.playRequested.emit(turn.start, max(turn.duration, 0.5))

    def _save(self) -> None:
        self.saveRequested.emit(self.turn(), self.text_edit.toPlainText())
