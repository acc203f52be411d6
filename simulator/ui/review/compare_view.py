"""Two attempts side by side, the earlier on the left: each with its header, scorecard (the later one with the
change of every criterion), timeline of both voices with markers (click to play from there) and transcript.
What is compared and which did better comes from simulator.core.review.compare; both calls are analysed
again in the background for their markers, as in the attempt view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from simulator.core.review.compare import Comparison, hidden_name, trainee_numbers
from simulator.core.review.report import clock
from simulator.core.review.stored import record_timeline
from simulator.speech.audio_devices import AudioUnavailable
from simulator.speech.clip_player import ClipPlayer, NoRecording
from simulator.app import AttemptRecord, ReviewedCall, ReviewService
from simulator.ui.messages import text_of
from simulator.ui.review.compare_pane import ComparePane, header_html
from simulator.ui.service_jobs import ServiceJobs

POLL_MS = 50


class CompareView(QWidget):
    """set_comparison() fills both sides; `shown` once both calls are analysed and drawn. `labels` names
    personas, scenarios, endings and columns as the attempts list does."""

    shown = Signal()

    def __init__(self, labels: Any, criterion_label: Callable[[str], str], service: ReviewService,
                 jobs: ServiceJobs, player: ClipPlayer | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.jobs = service, jobs
        self.labels = labels
        self.criterion_label = criterion_label
        self.player = player or ClipPlayer()
        self.title = QLabel(self.tr("Select two attempts in the list and choose Compare (Ctrl+D)."), wordWrap=True)
        self.hide_names = QCheckBox(self.tr("&Hide names"))
        self.hide_names.toggled.connect(self._fill)
        self.sides = (ComparePane(criterion_label), ComparePane(criterion_label))
        split = QSplitter(Qt.Horizontal)
        for side in self.sides:
            side.playRequested.connect(lambda seconds, s=side: self.play_from(s, seconds))
            side.stopRequested.connect(self.stop)
            split.addWidget(side)
        self.summary = QLabel(wordWrap=True)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.hide_names)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)
        self.comparison: Comparison | None = None
        self.records: tuple[AttemptRecord, AttemptRecord] | None = None
        self.playing: ComparePane | None = None
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._follow_playback)
        self._round = 0
        self._waiting = 0

    # ------------------------------------------------------------ filling

    def set_comparison(self, first: AttemptRecord, second: AttemptRecord, comparison: Comparison) -> None:
        """`first` is the earlier attempt; each call's recording is decoded and analysed in the background."""
        self.stop()
        self._round += 1
        self.comparison, self.records = comparison, (first, second)
        self.title.setText(self.tr("Attempt %1 (%2) compared with attempt %3 (%4)")
                           .replace("%1", str(first.id)).replace("%2", f"{first.started_at:%Y-%m-%d}")
                           .replace("%3", str(second.id)).replace("%4", f"{second.started_at:%Y-%m-%d}"))
        for side, record in zip(self.sides, self.records):
            side.audio = None
            side.timeline.set_call(record_timeline(record), None, [])
            side.play_button.setEnabled(False)
            side.status.setText("")
        self._fill(later=True)
        better = QLocale().createSeparatedList([self.criterion_label(n) for n in comparison.improved]) or "—"
        worse = QLocale().createSeparatedList([self.criterion_label(n) for n in comparison.worse]) or "—"
        self.summary.setText(self.tr("Better: %1\nWorse: %2\nAdvice items: %3 → %4")
                             .replace("%1", better).replace("%2", worse)
                             .replace("%3", str(comparison.findings[0])).replace("%4", str(comparison.findings[1])))
        self._waiting = 2
        for index, (side, record) in enumerate(zip(self.sides, self.records)):
            self._analyse(index, side, record)

    def _fill(self, *_: Any, later: bool = False) -> None:
        """Headers, scores and transcripts (again when names are hidden or shown); `later`: the later side in
        the next pass of the event loop (a new pair: each side tens of milliseconds on the GUI thread)."""
        if self.records is None or self.comparison is None:
            return
        numbers = trainee_numbers(*self.records)
        for index, (side, record, number) in enumerate(zip(self.sides, self.records, numbers)):
            trainee = record.trainee
            hide: Callable[[str], str] = str
            if self.hide_names.isChecked():
                trainee = f"{self.labels.column_title('trainee')} {number}"
                hide = lambda text, name=record.trainee, label=trainee: hidden_name(text, name, label)  # noqa: E731
            persona = self.labels.persona_label(record.persona_id)
            fields = [(self.labels.column_title("trainee"), trainee), (self.labels.column_title("persona"), persona),
                      (self.labels.column_title("scenario"),
                       self.labels.scenario_label(record.persona_id, record.scenario_id)),
                      (self.labels.column_title("started_at"), f"{record.started_at:%Y-%m-%d %H:%M} UTC"),
                      (self.labels.column_title("duration"), clock(record.duration) if record.duration else "—"),
                      (self.labels.column_title("ending"), self.labels.word(record.ending or record.status))]
            header = header_html(self.tr("Attempt %s") % record.id, fields)
            names = {"customer": persona, "trainee": trainee}
            if index == 0 or not later:
                self._fill_side(side, record, header, names, hide, self._round)
            else:
                self.jobs.later(lambda args=(side, record, header, names, hide, self._round): self._fill_side(*args))

    def _fill_side(self, side: ComparePane, record: AttemptRecord, header: str, names: dict[str, str],
                   hide: Callable[[str], str], round_: int) -> None:
        if round_ != self._round or self.comparison is None:
            return   # another pair was chosen meanwhile
        side.fill(header, self.comparison.overall, self.comparison.criteria, self.sides.index(side))
        side.show_transcript(record, names, self.tr("No turns were saved for this attempt."), hide)

    def _analyse(self, index: int, side: ComparePane, record: AttemptRecord) -> None:
        self.jobs.run(f"compare{index}", lambda cancel: self.service.reviewed_call(record, cancel),
                      lambda call, s=side, n=self._round: self._analysed(s, n, call),
                      lambda text, s=side, n=self._round: self._analysed(s, n, None, text))

    def _analysed(self, side: ComparePane, round_: int, call: ReviewedCall | None, problem: str = "") -> None:
        if round_ != self._round:
            return  # another pair was chosen meanwhile
        if call is not None:
            side.set_call(call.analysis, call.audio)
            problem = call.problem or ("" if call.audio is not None else self.tr("No recording of this call."))
        side.status.setText(problem)
        self._waiting -= 1
        if self._waiting == 0:
            self.shown.emit()

    # ------------------------------------------------------------ playback

    def play_from(self, side: ComparePane, seconds: float) -> None:
        """Move that side's playhead and play its recording from there; the other side stops."""
        self.stop()
        side.timeline.set_playhead(seconds)
        if side.audio is None:
            return
        self.player.set_audio(*side.audio.channels())
        try:
            self.player.play_from(side.timeline.playhead_time)
        except (AudioUnavailable, NoRecording) as exc:
            side.status.setText(text_of(exc))
            return
        self.playing = side
        side.set_playing(True)
        self._poll.start()

    def stop(self) -> None:
        self.player.stop()
        self._poll.stop()
        self.playing = None
        for side in self.sides:
            side.set_playing(False)

    def release_audio(self) -> None:
        """Stop and close the output stream (before a live call opens its own)."""
        self.stop()
        self.player.close()

    def _follow_playback(self) -> None:
        if self.playing is not None:
            self.playing.timeline.set_playhead(self.player.position())
        if not self.player.is_playing():
            self.stop()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self.release_audio()
        super().hideEvent(event)

