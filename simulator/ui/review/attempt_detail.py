"""One attempt in review: a header, the scorecard with the timeline of both voices (click to play from
there), the transcript (with its correction: play a turn, edit, save, revert) and the manager's notes. The
call is analysed again in the background for its markers; the scores shown are the stored ones
(simulator.core.review.stored.review_analysis), re-scored when the transcript is corrected. Every read and
change goes through the review service on a worker thread (simulator.ui.service_jobs)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from simulator.core.review.report import clock
from simulator.core.review.correction import latest
from simulator.core.review.stored import StandInPersona, recognised_timeline, record_timeline
from simulator.app import AttemptRecord, ReviewedCall, ReviewService
from simulator.ui.heard_html import said_html
from simulator.ui.recording_problem import shown_problem
from simulator.ui.review.attempts_model import AttemptsModel
from simulator.ui.review.correction_editor import CorrectionEditor
from simulator.ui.review.notes_editor import NotesEditor
from simulator.ui.review.reviewer import ask_reviewer
from simulator.ui.scorecard_view import ScorecardView
from simulator.ui.service_jobs import ServiceJobs


class AttemptDetail(QWidget):
    """show_attempt(id) fills it; `shown(id)` once the scorecard and timeline are drawn."""

    shown = Signal(int)
    corrected = Signal(int, object)   # id and new overall score of an attempt whose transcript was corrected


    def __init__(self, service: ReviewService, labels: AttemptsModel, jobs: ServiceJobs, parent=None) -> None:
        super().__init__(parent)
        self.service = service
        self.jobs = jobs
        self.labels = labels   # names, titles and words as the attempts list shows them
        self.personas = labels.personas
        self.record: AttemptRecord | None = None
        self.analysis: Any = None
        self.wanted: int | None = None   # the attempt asked for last

        self.header = QLabel(wordWrap=True)
        self.header.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.message = QLabel(wordWrap=True)
        self.scorecard = ScorecardView()
        self.scorecard.retry_button.hide()  # a manager reviews; retrying is the trainee's
        self.transcript = QTextBrowser()
        self.transcript.setAccessibleName(self.tr("Transcript"))
        self.transcript.setOpenLinks(False)
        self.transcript.anchorClicked.connect(self._turn_link)
        self.corrector = CorrectionEditor()
        self.corrector.playRequested.connect(lambda start, seconds: self.scorecard.play_from(start, seconds))
        self.corrector.saveRequested.connect(self._save_correction)
        self.corrector.revertRequested.connect(self._revert_correction)
        self.reviewer: Callable[[], str | None] = lambda: ask_reviewer(self)   # who signs a correction
        transcript_pane = QWidget()
        transcript_layout = QVBoxLayout(transcript_pane)
        transcript_layout.setContentsMargins(0, 0, 0, 0)
        transcript_layout.addWidget(self.transcript, 1)
        transcript_layout.addWidget(self.corrector)
        self.notes = NotesEditor()
        self.notes.saveRequested.connect(self._save_notes)
        tabs = QTabWidget()
        tabs.addTab(transcript_pane, self.tr("Tra&nscript"))
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
        self.record, self.analysis, self.wanted = None, None, None
        self.jobs.cancel("attempt")
        self.jobs.cancel("analysis")
        self.scorecard.stop()
        self.header.setText(self.tr("Select an attempt in the list to review it."))
        self.message.setText("")
        self.transcript.clear()
        self.corrector.set_turns([], [], [])
        self.scorecard.set_corrected(None)
        self.notes.set_attempt(None, "")
        self.scorecard.setEnabled(False)

    def stop_loading(self) -> None:
        """The attempt asked for last is no longer wanted (the manager selected two to compare): stop reading
        and analysing it; one already shown stays."""
        if self.wanted is not None and (self.record is None or self.analysis is None):
            self.clear()

    def show_attempt(self, attempt_id: int) -> None:
        """Read the attempt in the background; it is shown when it arrives, then analysed with its recording."""
        self.scorecard.stop()
        self.wanted = attempt_id
        self.message.setText(self.tr("Reading the attempt…"))
        self.jobs.run("attempt", lambda _cancel: self.service.attempt(attempt_id), self._read,
                      lambda text: self._not_read(attempt_id, text))

    def _not_read(self, attempt_id: int, text: str) -> None:
        if attempt_id == self.wanted:
            self.clear()
            self.message.setText(text)

    def _read(self, record: AttemptRecord) -> None:
        if record.id != self.wanted:
            return
        self.record, self.analysis = record, None
        self.header.setText(self._header_html(record))
        self.transcript.setHtml(self._transcript_html(record))
        self.corrector.set_turns(recognised_timeline(record).turns, record_timeline(record).turns,
                                 record.corrections, self._speakers())
        self.corrector.set_busy(False)
        last = latest(record.corrections)
        self.scorecard.set_corrected(last.reviewer if last else None, last.corrected_at if last else None)
        self.notes.set_attempt(record.id, record.notes)
        self.message.setText(self.tr("Analysing the call…"))
        self.jobs.run("analysis", lambda cancel: self.service.reviewed_call(record, cancel), self._analysed,
                      lambda text, r=record: self._failed(r, text))

    def _analysed(self, call: ReviewedCall) -> None:
        record = call.record
        if self.record is None or record.id != self.record.id:
            return  # the manager moved on to another attempt meanwhile
        self.analysis = call.analysis
        self.scorecard.setEnabled(True)
        self.scorecard.set_result(call.analysis, self.persona_for(record), call.audio, call.problem)
        self.message.setText(shown_problem(record.recording_error) if record.recording_error else "")
        self.shown.emit(record.id)

    def _failed(self, record: AttemptRecord, text: str) -> None:
        if self.record is not None and record.id == self.record.id:
            self.message.setText(self.tr("This call cannot be analysed: %s") % text)

    def _save_notes(self, attempt_id: int, text: str) -> None:
        self.jobs.run(None, lambda _cancel: self.service.save_notes(attempt_id, text),
                      lambda _: self.notes.saved_as(attempt_id, text),
                      lambda problem: self.notes.not_saved(attempt_id, problem))

    def _header_html(self, r: AttemptRecord) -> str:
        score = self.tr("not scored") if r.overall is None else str(r.overall)
        duration = clock(r.duration) if r.duration is not None else "—"
        trainee = f"{r.trainee} ({r.group})" if r.group else r.trainee
        parts = [self.tr("Attempt %s") % r.id, trainee, self.persona_for(r).display_name,
                 self.labels.scenario_label(r.persona_id, r.scenario_id), f"{r.started_at:%Y-%m-%d %H:%M} UTC",
                 duration, self.labels.word(r.ending or r.status), self.tr("score %s") % score]
        return "<b>" + escape(parts[0]) + "</b> · " + " · ".join(escape(p) for p in parts[1:])

    def _speakers(self) -> dict[str, str]:
        return {"customer": self.tr("Customer"), "trainee": self.tr("Trainee")}

    def _transcript_html(self, r: AttemptRecord) -> str:
        recognised = recognised_timeline(r).turns
        was = {c.turn: self.tr("recognised: %s") % recognised[c.turn].text for c in r.corrections
               if c.turn < len(recognised)}
        return transcript_html(record_timeline(r).turns, self._speakers(),
                               self.tr("No turns were saved for this attempt."),
                               doubt=self.tr("possibly misheard: recognised with confidence %s"), links=True, was=was)

    # -- correcting the transcript ---------------------------------------------------------------------
    def _turn_link(self, url: QUrl) -> None:
        """A turn's time in the transcript: choose it for correction and play it."""
        if url.scheme() == TURN_SCHEME and url.path().isdigit():
            self.corrector.select_turn(int(url.path()))
            self.corrector.play_button.click()

    def _save_correction(self, turn: int, text: str) -> None:
        if self.record is None or (reviewer := self.reviewer()) is None:
            return
        self._change(lambda attempt_id: self.service.correct(attempt_id, turn, text, reviewer))

    def _revert_correction(self, turn: int) -> None:
        if self.record is not None:
            self._change(lambda attempt_id: self.service.revert(attempt_id, turn))

    def _change(self, job: Callable[[int], AttemptRecord]) -> None:
        """Store the change and score the call again in the background (with its recording: seconds), then
        show the attempt as it now is."""
        attempt_id = self.record.id
        self.scorecard.stop()
        self.corrector.set_busy(True)
        self.message.setText(self.tr("Scoring the call again with the corrected transcript…"))
        self.jobs.run(None, lambda _cancel: job(attempt_id), lambda outcome: self._changed(attempt_id, outcome),
                      lambda text: self._not_changed(attempt_id, text))

    def _changed(self, attempt_id: int, outcome: AttemptRecord) -> None:
        self.corrected.emit(attempt_id, outcome.overall)
        if self.record is not None and self.record.id == attempt_id:
            self.show_attempt(attempt_id)

    def _not_changed(self, attempt_id: int, text: str) -> None:
        if self.record is not None and self.record.id == attempt_id:
            self.corrector.set_busy(False)
            self.message.setText(self.tr("The correction was not saved: %s") % text)


TURN_SCHEME = "turn"


def transcript_html(turns: list[Any], names: dict[str, str], empty: str, hide: Callable[[str], str] = str,
                    doubt: str = "recognised with confidence %s", links: bool = False,
                    was: dict[int, str] | None = None) -> str:
    """The turns as a table of time, speaker and text; `hide` rewrites what was said (names left out); a word
    the recogniser was unsure of is dimmed and underlined, `doubt` (with its confidence) shown on hover.
    `links`: each time is a link to its turn (turn:N); `was`: a line under a corrected turn, by its index."""
    if not turns:
        return "<p>" + escape(empty) + "</p>"
    colours = {"customer": "#d9622b", "trainee": "#2f6fb7"}

    def when(i: int, t: Any) -> str:
        return f"<a href='{TURN_SCHEME}:{i}'>{clock(t.start)}</a>" if links else clock(t.start)

    def note(i: int) -> str:
        return f"<br><i style='color:#888888'>{escape(hide(was[i]))}</i>" if was and i in was else ""

    rows = "".join(
        f"<tr><td style='color:#666666'>{when(i, t)}</td>"
        f"<td style='color:{colours.get(t.speaker, '#333333')}'><b>{escape(names.get(t.speaker, t.speaker))}</b></td>"
        f"<td>{said_html(t, doubt, hide)}{note(i)}</td></tr>" for i, t in enumerate(turns))
    return f"<table cellpadding='3'>{rows}</table>"
