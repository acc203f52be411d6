"""The scorecard after a call: overall and per-criterion scores, CLEAR steps, findings tied to their
moments (activating one replays it), praise, the persona's coping notes, the timeline, and "Try again".
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QLocale, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea, QTextBrowser,
    QVBoxLayout, QWidget,
)

from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.live_meters import METER_BY_NAME, METERS, call_readings
from simulator.core.review import call_markers, moment_window, next_time, score_band, split_findings
from simulator.core.review.call_audio import CallAudio
from simulator.speech.audio_devices import AudioUnavailable
from simulator.speech.clip_player import ClipPlayer, NoRecording
from simulator.ui.heard_html import said_html
from simulator.ui.score_bars import filling, score_bar, show_score, style_score_box
from simulator.ui.fit import FitsWidth
from simulator.ui.messages import text_of
from simulator.ui.meter_text import meter_reading, meter_summary
from simulator.ui.timeline_view import TimelineView, clock

BAND_COLOUR = {"good": "#27ae60", "fair": "#e6a100", "poor": "#c0392b"}
POLL_MS = 50
MOMENT_SCHEME = "moment"
METER_SEPARATOR = "   ·   "   # between the meters' readings on their one line
LIST_MIN_LINES = 2          # the advice, praise and coping lists scroll below this many lines


class ScorecardView(QWidget):
    """set_result() fills it; retryRequested when the trainee wants another go; seeked(seconds) whenever
    review moves to a moment (a finding, a click on the timeline, the keyboard)."""

    retryRequested = Signal()
    seeked = Signal(float)

    def __init__(self, player: ClipPlayer | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player = player or ClipPlayer()
        self.has_audio = False
        self.call_seconds = 0.0
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._follow_playback)

        self.persona_label = QLabel()
        self.persona_label.setTextFormat(Qt.PlainText)
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        self.persona_label.setFont(title_font)
        self.corrected_label = QLabel(wordWrap=True)   # whose correction of the transcript the scores rest on
        self.corrected_label.setTextFormat(Qt.PlainText)
        self.corrected_label.hide()
        self._turns: list[Any] = []
        self.retry_button = QPushButton(self.tr("&Try again"))
        self.retry_button.setToolTip(self.tr("Start a new call with the same customer"))
        self.retry_button.clicked.connect(self._retry)

        self.overall_label = QLabel(alignment=Qt.AlignCenter)
        self.overall_label.setToolTip(self.tr("Overall score out of 100"))
        self.criteria_box = QGroupBox(self.tr("Scores"))
        style_score_box(self.criteria_box, BAND_COLOUR)
        self._criterion_cells: list[tuple[QLabel, QProgressBar]] = []   # made once, reused for each call shown
        self.criteria_grid = QGridLayout(self.criteria_box)
        self.criteria_grid.setVerticalSpacing(2)
        self.not_measured_label = QLabel(wordWrap=True)
        self.criterion_rows: dict[str, QProgressBar] = {}
        self.meters_label = QLabel(wordWrap=True, objectName="meterReadings", textFormat=Qt.PlainText)
        self.clear_box = QGroupBox(self.tr("CLEAR steps"))
        self.clear_box.setToolTip(self.tr("Control, Listen, Establish, Apologize, Resolve"))
        clear_layout = QVBoxLayout(self.clear_box)
        self.clear_labels: dict[str, QLabel] = {}
        for step, (name, tip) in self._clear_steps().items():
            label = QLabel(toolTip=tip)
            self.clear_labels[step] = label
            clear_layout.addWidget(label)
        self.order_label = QLabel(wordWrap=True)
        clear_layout.addWidget(self.order_label)
        clear_layout.addStretch(1)

        self.play_button = QPushButton(self.tr("&Play"))
        self.play_button.setToolTip(self.tr("Play the recording from the playhead (Space on the timeline)"))
        self.play_button.clicked.connect(self.toggle_play)
        self.status_label = QLabel(wordWrap=True)
        self.timeline = TimelineView()
        self.timeline.setMaximumHeight(340)
        self.timeline.seekRequested.connect(self.play_from)
        self.timeline.playToggleRequested.connect(self.toggle_play)

        self.findings_list = self._moment_browser()
        self.all_findings_button = QPushButton(self.tr("Show all advice"), checkable=True)
        self.all_findings_button.setToolTip(self.tr("The full list of advice, in call order"))
        self.all_findings_button.toggled.connect(self._show_advice)
        self._advice: list[Any] = []
        self.praise_list = self._moment_browser()
        self._moments: list[float] = []
        self.coping_text = QTextBrowser()
        self.coping_text.setOpenLinks(False)
        for browser in (self.findings_list, self.praise_list, self.coping_text):
            browser.setMinimumHeight(LIST_MIN_LINES * browser.fontMetrics().lineSpacing() + 2 * browser.frameWidth())
        self._build_layout()

    # ------------------------------------------------------------ layout

    def _clear_steps(self) -> dict[str, tuple[str, str]]:
        return {
            "control": (self.tr("Control"), self.tr("Stay in control of yourself: no taboo words, no raised voice")),
            "listen": (self.tr("Listen"), self.tr("Let the customer finish without interrupting")),
            "establish": (self.tr("Establish"), self.tr("Show understanding: name the feeling, repeat their words")),
            "apologize": (self.tr("Apologize"), self.tr("A sincere apology, without \"but\"")),
            "resolve": (self.tr("Resolve"), self.tr("A concrete action with a time and a follow-up")),
        }

    def criterion_label(self, name: str) -> str:
        return {
            "pauses": self.tr("Pauses"), "pace": self.tr("Pace"), "loudness": self.tr("Loudness"),
            "intonation": self.tr("Intonation"), "interruptions": self.tr("Interruptions"),
            "empathy": self.tr("Empathy"), "courtesy": self.tr("Courtesy"), "apology": self.tr("Apology"),
            "resolution": self.tr("Resolution"), "taboo": self.tr("Taboo phrases"), "fillers": self.tr("Fillers"),
            "clear": self.tr("CLEAR order"), "persona": self.tr("Coping with this customer"),
        }.get(name, name)

    def _moment_browser(self) -> QTextBrowser:
        """Findings as wrapped text; each time is a link (mouse, or Tab then Enter) that replays the moment."""
        browser = QTextBrowser()
        browser.setOpenLinks(False)
        browser.setToolTip(self.tr("Click a time, or Tab to it and press Enter, to play that moment"))
        browser.anchorClicked.connect(self._moment_link)
        return browser

    def _build_layout(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.persona_label, 1)
        header.addWidget(self.retry_button)

        scores_row = FitsWidth()   # the score bars beside the wrapped CLEAR notes keep their height
        scores = QHBoxLayout(scores_row)
        scores.setContentsMargins(0, 0, 0, 0)
        scores.addWidget(self.overall_label)
        criteria_column = QVBoxLayout()
        criteria_column.addWidget(self.criteria_box)
        criteria_column.addWidget(self.not_measured_label)
        criteria_column.addWidget(self.meters_label)
        scores.addLayout(criteria_column, 3)
        scores.addWidget(self.clear_box, 1)

        playback = QHBoxLayout()
        playback.addWidget(self.play_button)
        playback.addWidget(self.status_label, 1)

        praise_box = QVBoxLayout()
        praise_box.addWidget(self.praise_list, 1)
        self.coping_box = QGroupBox()
        coping_layout = QVBoxLayout(self.coping_box)
        coping_layout.addWidget(self.coping_text)
        praise_box.addWidget(self.coping_box, 1)
        lists = QHBoxLayout()
        advice_box = QVBoxLayout()
        advice_box.addWidget(self.findings_list, 1)
        advice_box.addWidget(self.all_findings_button)
        lists.addLayout(advice_box, 3)
        lists.addLayout(praise_box, 2)

        card = FitsWidth()
        layout = QVBoxLayout(card)
        layout.addLayout(header)
        layout.addWidget(self.corrected_label)
        layout.addWidget(scores_row)
        layout.addLayout(playback)
        layout.addWidget(self.timeline, 3)
        layout.addLayout(lists, 4)
        # On a small screen (or the review's detail pane) the card scrolls instead of squeezing or clipping.
        self.scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        self.scroll.setWidget(card)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        order = [self.play_button, self.timeline, self.findings_list, self.all_findings_button, self.praise_list, self.coping_text,
                 self.retry_button]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------ filling

    def set_result(self, analysis: Any, persona: Any, audio: CallAudio | None, problem: str = "") -> None:
        """Show one attempt: a CallAnalysis, its Persona, and the recording as the analysis decoded it (None:
        no playback; `problem` says why a recording that exists cannot be played)."""
        self.stop()
        card = analysis.scorecard
        self._turns = list(analysis.timeline.turns)
        self.persona_label.setText(self.tr("Call with %s") % persona.display_name)
        self._show_overall(card.overall)
        self._show_criteria(card.criteria, card.not_measured if card.overall is not None else [])
        self._show_meters(analysis)
        self._show_clear(card.clear)
        advice, praise = split_findings(card.findings)
        self._moments = []
        self._advice, self._next = advice, next_time(card.findings)
        self.all_findings_button.setChecked(False)
        self.all_findings_button.setText(self.tr("Show all advice (%n)", "", len(advice)))
        self.all_findings_button.setEnabled(len(advice) > len(self._next))
        self._show_advice(False)
        self.praise_list.setHtml(self._findings_html(self.tr("What went well"), praise))
        self._show_coping(persona)
        self._use_audio(audio, problem)
        self.timeline.set_call(analysis.timeline, audio, call_markers(analysis))
        self.call_seconds = self.timeline.duration

    def _show_overall(self, overall: int | None) -> None:
        if overall is None:  # nothing to judge: a call ended before the trainee replied is not a 100 (nor a 0)
            title, caption = escape(self.tr("Not scored")), escape(self.tr("No reply before the call ended"))
            self.overall_label.setText(f"<div style='font-size:30pt; font-weight:bold; color:#888888'>{title}</div>"
                                       f"<div>{caption}</div>")
            return
        colour = BAND_COLOUR[score_band(overall)]
        caption = escape(self.tr("Overall score"))
        self.overall_label.setText(
            f"<div style='font-size:54pt; font-weight:bold; color:{colour}'>{overall}</div><div>{caption}</div>")

    def _show_criteria(self, criteria: dict[str, int], not_measured: list[str]) -> None:
        with filling(self.criteria_box):
            self.criterion_rows = {}
            cells = self._criterion_cells
            columns = 2
            for i, (name, score) in enumerate(criteria.items()):
                if i == len(cells):
                    row, col = divmod(i, columns)
                    cells.append((QLabel(), score_bar()))
                    self.criteria_grid.addWidget(cells[i][0], row, 2 * col)
                    self.criteria_grid.addWidget(cells[i][1], row, 2 * col + 1)
                label, bar = cells[i]
                label.setText(self.criterion_label(name))
                bar.setAccessibleName(self.criterion_label(name))
                show_score(bar, score)
                label.show()
                bar.show()
                self.criterion_rows[name] = bar
            for label, bar in cells[len(criteria):]:
                label.hide()
                bar.hide()
        names = QLocale().createSeparatedList([self.criterion_label(n) for n in not_measured])
        self.not_measured_label.setText(self.tr("Not measured: %s") % names if names else "")
        self.not_measured_label.setVisible(bool(names))   # its line goes to the meters' when all was measured

    def _show_meters(self, analysis: Any) -> None:
        """What the call page's meters measure, over the whole call, below the scores that judge it: named,
        written and banded by the one meter specification, as the call page and the projector show them (the
        names and units in full in the tooltip)."""
        language = analysis.timeline.language
        thresholds = load_thresholds()
        readings = call_readings(analysis.measures)
        bands = {name: METER_BY_NAME[name].band(thresholds, language) for name in METERS}
        self.meters_label.setText(METER_SEPARATOR.join(meter_summary(name, readings[name], bands[name], language)
                                                       for name in METERS))
        self.meters_label.setToolTip("\n".join(meter_reading(name, readings[name], bands[name], language)
                                               for name in METERS))

    def _show_clear(self, clear: Any) -> None:
        steps = clear.steps()
        for step, (name, _) in self._clear_steps().items():
            done = steps.get(step, False)
            if done is None:  # not measured (Listen on a typed call)
                self.clear_labels[step].setText(f"<span style='color:#888888'>–</span> {escape(name)}")
                self.clear_labels[step].setAccessibleName(self.tr("Not measured: %s") % name)
                continue
            colour = BAND_COLOUR["good" if done else "poor"]
            mark = "✓" if done else "✗"
            self.clear_labels[step].setText(f"<span style='color:{colour}; font-weight:bold'>{mark}</span> {escape(name)}")
            state = self.tr("done") if done else self.tr("missing")
            self.clear_labels[step].setAccessibleName(f"{name}: {state}")
        order = clear.emotion_before_solution
        if order is None:
            note = self.tr("No solution offered, so the order could not be judged.")
        elif order:
            note = self.tr("Feelings before facts: you acknowledged the emotion before the solution.")
        else:
            note = self.tr("The solution came before acknowledging the emotion: feelings first, then facts.")
        self.order_label.setText(note)

    def _show_advice(self, everything: bool) -> None:
        """The few things that cost most (with the words said and a better wording), or every piece of advice."""
        if everything or not self._next:
            self.findings_list.setHtml(self._findings_html(self.tr("All advice"), self._advice))
            return
        self.findings_list.setHtml(self._findings_html(self.tr("What to do next time"), self._next, detailed=True))

    def _findings_html(self, title: str, findings: list[Any], detailed: bool = False) -> str:
        rows = []
        for f in findings:
            when = "—"
            if f.time is not None:
                self._moments.append(f.time)
                when = f"<a href='{MOMENT_SCHEME}:{len(self._moments) - 1}'>▶&nbsp;{clock(f.time)}</a>"
            detail = ""
            if detailed and f.said.strip():
                quote = escape(self.tr("You said: %s")).replace("%s", f"“{self._said_html(f)}”")
                detail += "<br><span style='color:#555555'>" + quote + "</span>"
            if detailed and f.better:
                detail += "<br><b>" + escape(self.tr("Better: %s") % f.better) + "</b>"
            rows.append(f"<tr><td style='white-space:nowrap'>{when}</td>"
                        f"<td style='color:#555555; white-space:nowrap'>{escape(self.criterion_label(f.criterion))}</td>"
                        f"<td>{escape(f.message)}{detail}</td></tr>")
        body = "".join(rows) or "<tr><td>" + escape(self.tr("(none)")) + "</td></tr>"
        return f"<h3>{escape(title)}</h3><table cellspacing='0' cellpadding='3' width='100%'>{body}</table>"

    def _said_html(self, finding: Any) -> str:
        """What the finding quotes; when it is its turn's whole text, with the doubtful words marked."""
        turn = self._turns[finding.turn] if isinstance(finding.turn, int) and 0 <= finding.turn < len(self._turns) else None
        if turn is None or turn.text != finding.said:
            return escape(finding.said)
        return said_html(turn, self.tr("possibly misheard: recognised with confidence %s"))

    def set_corrected(self, reviewer: str | None, when: Any = None) -> None:
        """Say whose correction of the transcript the scores rest on (None: the transcript is as recognised)."""
        self.corrected_label.setVisible(reviewer is not None)
        if reviewer is not None:
            self.corrected_label.setText(self.tr("Transcript corrected by %1 on %2")
                                         .replace("%1", reviewer).replace("%2", f"{when:%Y-%m-%d}"))

    def _show_coping(self, persona: Any) -> None:
        coping = persona.coping
        self.coping_box.setTitle(self.tr("Coping with %s") % persona.display_name)

        def bullets(title: str, lines: tuple[str, ...]) -> str:
            items = "".join(f"<li>{escape(line)}</li>" for line in lines)
            return f"<b>{escape(title)}</b><ul style='margin-top:0'>{items}</ul>" if lines else ""

        notes = f"<p>{escape(coping.notes)}</p>" if coping.notes else ""
        self.coping_text.setHtml(bullets(self.tr("What works"), coping.works)
                                 + bullets(self.tr("What backfires"), coping.backfires) + notes)

    def _use_audio(self, audio: CallAudio | None, problem: str) -> None:
        """Hand the decoded channels to the player, or say why there is nothing to play."""
        self.has_audio = audio is not None
        if problem:
            self.status_label.setText(self.tr("The recording cannot be played: %s") % problem)
        elif audio is None:
            self.status_label.setText(self.tr("No recording of this call: the timeline shows turns and markers only."))
        else:
            self.player.set_audio(*audio.channels())
            self.status_label.setText(self.tr("Click a finding or the timeline to hear that moment."))
        self.play_button.setEnabled(self.has_audio)

    # ------------------------------------------------------------ playback

    def _moment_link(self, url: QUrl) -> None:
        if url.scheme() == MOMENT_SCHEME:
            self.play_moment(self._moments[int(url.path())])

    def play_moment(self, time: float) -> None:
        """Replay a finding's moment: from a second before it to a few seconds after."""
        start, end = moment_window(time, duration=self.call_seconds)
        self.play_from(start, end - start)

    def play_from(self, seconds: float, duration: float | None = None) -> None:
        """Move the playhead to `seconds` and, with a recording, play from there."""
        self.timeline.set_playhead(seconds)
        self.seeked.emit(seconds)
        if not self.has_audio:
            return
        try:
            self.player.play_from(seconds, duration)
        except (AudioUnavailable, NoRecording) as exc:
            self.status_label.setText(text_of(exc))
            return
        self.play_button.setText(self.tr("&Stop"))
        self._poll.start()

    def toggle_play(self) -> None:
        if self.player.is_playing():
            self.stop()
        elif self.has_audio:
            start = self.timeline.playhead_time
            self.play_from(0.0 if start >= self.call_seconds else start)

    def stop(self) -> None:
        self.player.stop()
        self._poll.stop()
        self.play_button.setText(self.tr("&Play"))

    def release_audio(self) -> None:
        """Stop and close the output stream (before the next live call opens its own)."""
        self.stop()
        self.player.close()

    def _follow_playback(self) -> None:
        self.timeline.set_playhead(self.player.position())
        if not self.player.is_playing():
            self.stop()

    def _retry(self) -> None:
        self.release_audio()
        self.retryRequested.emit()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self.release_audio()
        super().hideEvent(event)
