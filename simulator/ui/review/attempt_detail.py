"""One attempt in review: a header, the scorecard with the timeline of both voices (click to play from
there), the transcript and the manager's notes. The call is analysed again in the background for its
markers; the scores shown are the stored ones (simulator.core.review.stored.review_analysis)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from simulator.core.review.heard import heard_words
from simulator.core.review.report import clock
from simulator.core.review.stored import StandInPersona, record_timeline, review_analysis
from simulator.storage import AttemptRecord, AttemptStore, StorageError
from simulator.ui.background_task import RunningTasks
from simulator.ui.recording_problem import shown_problem
from simulator.ui.review.attempts_model import AttemptsModel
from simulator.ui.review.notes_editor import NotesEditor
from simulator.ui.scorecard_view import ScorecardView


class AttemptDetail(QWidget):
    """show_attempt(id) fills it; `shown(id)` once the scorecard and timeline are drawn."""

    shown = Signal(int)

    def __init__(self, store: AttemptStore, labels: AttemptsModel, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.labels = labels   # names, titles and words as the attempts list shows them
        self.personas = labels.personas
        self.record: AttemptRecord | None = None
        self.analysis: Any = None
        self._tasks = RunningTasks(self)

        self.header = QLabel(wordWrap=True)
        self.header.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.message = QLabel(wordWrap=True)
        self.scorecard = ScorecardView()
        self.scorecard.retry_button.hide()  # a manager reviews; retrying is the trainee's
        self.transcript = QTextBrowser()
        self.transcript.setAccessibleName(self.tr("Transcript"))
        self.notes = NotesEditor(store)
        tabs = QTabWidget()
        tabs.addTab(self.transcript, self.tr("Tra&nscript"))
        tabs.addTab(self.notes, self.tr("N&otes"))
        self.tabs = tabs
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.scorecard)
        split.addWidget(tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        self.clear()

    def persona_for(self, record: AttemptRecord) -> Any:
        return self.personas.get(record.persona_id) or StandInPersona(record.persona_id)

    def clear(self) -> None:
        self.record, self.analysis = None, None
        self.scorecard.stop()
        self.header.setText(self.tr("Select an attempt in the list to review it."))
        self.message.setText("")
        self.transcript.clear()
        self.notes.set_attempt(None, "")
        self.scorecard.setEnabled(False)

    def show_attempt(self, attempt_id: int) -> None:
        try:
            record = self.store.get_attempt(attempt_id)
            recording = self.store.recording_path(attempt_id)
        except StorageError as exc:
            self.clear()
            self.message.setText(str(exc))
            return
        self.scorecard.stop()
        self.record, self.analysis = record, None
        self.header.setText(self._header_html(record))
        self.transcript.setHtml(self._transcript_html(record))
        self.notes.set_attempt(record.id, record.notes)
        self.message.setText(self.tr("Analysing the call…"))
        self._tasks.start(lambda: review_analysis(record, recording),
                          lambda analysis, r=record, p=recording: self._analysed(r, analysis, p),
                          lambda text, r=record: self._failed(r, text))

    def _analysed(self, record: AttemptRecord, analysis: Any, recording) -> None:
        if self.record is None or record.id != self.record.id:
            return  # the manager moved on to another attempt meanwhile
        self.analysis = analysis
        self.scorecard.setEnabled(True)
        self.scorecard.set_result(analysis, self.persona_for(record), recording)
        self.message.setText(shown_problem(record.recording_error) if record.recording_error else "")
        self.shown.emit(record.id)

    def _failed(self, record: AttemptRecord, text: str) -> None:
        if self.record is not None and record.id == self.record.id:
            self.message.setText(self.tr("This call cannot be analysed: %s") % text)

    def wait(self) -> None:
        """Block until background analyses are done (closing the window, tests)."""
        self._tasks.wait()

    def _header_html(self, r: AttemptRecord) -> str:
        score = self.tr("not scored") if r.overall is None else str(r.overall)
        duration = clock(r.duration) if r.duration is not None else "—"
        trainee = f"{r.trainee} ({r.group})" if r.group else r.trainee
        parts = [self.tr("Attempt %s") % r.id, trainee, self.persona_for(r).display_name,
                 self.labels.scenario_label(r.persona_id, r.scenario_id), f"{r.started_at:%Y-%m-%d %H:%M} UTC",
                 duration, self.labels.word(r.ending or r.status), self.tr("score %s") % score]
        return "<b>" + escape(parts[0]) + "</b> · " + " · ".join(escape(p) for p in parts[1:])

    def _transcript_html(self, r: AttemptRecord) -> str:
        names = {"customer": self.tr("Customer"), "trainee": self.tr("Trainee")}
        return transcript_html(record_timeline(r).turns, names, self.tr("No turns were saved for this attempt."),
                               doubt=self.tr("possibly misheard: recognised with confidence %s"))


def transcript_html(turns: list[Any], names: dict[str, str], empty: str, hide: Callable[[str], str] = str,
                    doubt: str = "recognised with confidence %s") -> str:
    """The turns as a table of time, speaker and text; `hide` rewrites what was said (names left out); a word
    the recogniser was unsure of is dimmed and underlined, `doubt` (with its confidence) shown on hover."""
    if not turns:
        return "<p>" + escape(empty) + "</p>"
    colours = {"customer": "#d9622b", "trainee": "#2f6fb7"}
    rows = "".join(
        f"<tr><td style='color:#666666'>{clock(t.start)}</td>"
        f"<td style='color:{colours.get(t.speaker, '#333333')}'><b>{escape(names.get(t.speaker, t.speaker))}</b></td>"
        f"<td>{_said_html(t, hide, doubt)}</td></tr>" for t in turns)
    return f"<table cellpadding='3'>{rows}</table>"


def _said_html(turn: Any, hide: Callable[[str], str], doubt: str) -> str:
    words = heard_words(turn)
    if not words or not any(w.doubtful for w in words):
        return escape(hide(turn.text))
    return " ".join(
        f"<span style='color:#8a8a8a; text-decoration: underline' title='{escape(doubt % f'{w.confidence:.2f}')}'>"
        f"{escape(hide(w.text))}</span>"
        if w.doubtful else escape(hide(w.text)) for w in words)
