"""The facilitator's projector view: a separate full-screen window for the training-room screen.

Large high-contrast text sized to be read from the back of the room (simulator.core.facilitation), the
customer's current line, the last few lines of the transcript (speakers by role only, never a name), the
trainee's words while they are recognised (large, dimmer), the mood meter and the trainee's pace/loudness/pitch. It is driven from the keyboard: S or Ctrl+Return start
the customer chosen here, P pauses/resumes, E or Esc ends, M marks a teachable moment (kept in the attempt's
timeline), R replays the last exchange from the recording, F11 toggles full screen, Ctrl+W closes.

Starting: the projector has its own customer chooser; `starter(persona_id, scenario_id)` is how it starts a
call (pass MainWindow.start_call so the trainee's window gets ready too; default: the controller directly).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPainter, QPalette, QScreen
from PySide6.QtWidgets import (
    QComboBox, QGridLayout, QHBoxLayout, QLabel, QProgressBar, QSizePolicy, QVBoxLayout, QWidget,
)

from simulator.core.analysis.audio import AnalysisInputError
from simulator.core.facilitation import (
    BACKGROUND, MOOD_COLOURS, TEXT_COLOURS, TeachableMoment, last_exchange, mark_moment,
    projector_font_px, projector_screen, redact, timeline_now,
)
from simulator.core.live_meters import METER_BY_NAME, METERS, Band, LiveMeters
from simulator.core.personas.loader import PickerEntry, picker_entries
from simulator.core.personas.model import band_of
from simulator.ui.assets import app_icon
from simulator.ui.call_controller import CallController, CallOutcome, Capabilities
from simulator.ui.messages import text_of
from simulator.ui.meter_text import meter_title
from simulator.ui.meters import Readings
from simulator.ui.timeline_view import clock

POLL_MS = 100
TRANSCRIPT_LINES = 4
MOMENTS_SHOWN = 3
STRIP_SECONDS = 30.0
ARROWS = {"low": "▼", "high": "▲", "in": "✓"}


class MeterStrip(pg.PlotWidget):
    """A thin chart of one meter's recent values: thick bright line, band shaded, no axis text to squint at."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=BACKGROUND)
        for axis in ("left", "bottom"):
            self.hideAxis(axis)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.band_item = pg.LinearRegionItem(orientation="horizontal", movable=False,
                                             brush=pg.mkBrush(92, 242, 92, 70), pen=pg.mkPen(None))
        self.addItem(self.band_item)
        self.curve = self.plot([], [], pen=pg.mkPen(TEXT_COLOURS["text"], width=4), connect="finite")
        self.band: Band | None = None
        self.readings = Readings()

    def reset(self) -> None:
        self.readings.clear()
        self.curve.setData([], [])

    def add(self, time: float, value: float | None, band: Band) -> None:
        if band != self.band:
            self.band = band
            span = band.high - band.low
            self.band_item.setRegion((band.low, band.high))
            self.setYRange(band.low - 0.6 * span, band.high + 0.6 * span, padding=0)
        if not self.readings.add(time, value):
            return
        self.curve.setData(*self.readings.held())
        self.setXRange(max(0.0, time - STRIP_SECONDS), max(STRIP_SECONDS, time), padding=0)


TITLE_LINES = 2  # the header's customer and scenario wrap to this many lines before they are cut


class ElidedLabel(QLabel):
    """A label of up to TITLE_LINES lines that ends in "…" only when its text does not fit in them (text()
    keeps the whole text): a long scenario title wraps to a second line before anything is cut."""

    def shown_lines(self) -> list[str]:
        metrics, width = self.fontMetrics(), max(1, self.contentsRect().width())
        rest, lines = self.text(), []
        while len(lines) < TITLE_LINES - 1 and metrics.horizontalAdvance(rest) > width:
            cut = self._fitting(rest, width)
            space = rest.rfind(" ", 0, cut + 1)
            cut = space if space > cut // 2 else cut   # break between words when there is a space near the end
            lines.append(rest[:cut].rstrip())
            rest = rest[cut:].lstrip()
        return lines + [metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)]

    def _fitting(self, text: str, width: int) -> int:
        """The most leading characters of `text` that fit in `width` (at least one)."""
        low, high = 1, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self.fontMetrics().horizontalAdvance(text[:middle]) <= width:
                low = middle
            else:
                high = middle - 1
        return low

    def shown_text(self) -> str:
        return "\n".join(self.shown_lines())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fit_height()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt name)
        super().setText(text)
        self._fit_height()

    def _fit_height(self) -> None:
        margins = self.contentsMargins()
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * len(self.shown_lines()) + margins.top() + margins.bottom())

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment()), self.palette(),
                                  self.isEnabled(), self.shown_text(), QPalette.ColorRole.WindowText)
        painter.end()


class LatestLines(QLabel):
    """The transcript's last lines, as many as fit whole in the label's height: on a small projector screen the
    oldest give way, instead of being cut through the middle at the top."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[str] = []

    def set_rows(self, rows: list[str]) -> None:
        self.rows = rows
        self._fit()

    def _fit(self) -> None:
        shown = list(self.rows)
        self.setText("".join(shown))
        while len(shown) > 1 and self.heightForWidth(self.width()) > self.height():
            shown.pop(0)
            self.setText("".join(shown))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fit()


class ProjectorWindow(QWidget):
    def __init__(self, controller: CallController, language: str = "zh", parent: QWidget | None = None,
                 starter: Callable[[str, str], None] | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.controller = controller
        self.starter = starter or self._start_here
        self.setObjectName("projectorWindow")
        self.setWindowTitle(self.tr("Call simulator — projector"))
        self.setWindowIcon(app_icon())
        self.call = None                      # the LiveCall shown (kept after it ends, for replay)
        self.recording: Path | None = None    # the finished call's recording
        self.moments: list[TeachableMoment] = []
        self.lines: list[tuple[str, str]] = []    # (speaker role, text)
        self.language = language
        self.clip_player = None
        self._build_widgets()
        self._build_layout()
        self._build_actions()
        self._style()

        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self.poll)
        bridge = controller.bridge
        bridge.callStarted.connect(self._started)
        bridge.customerSaid.connect(self._customer_said)
        bridge.traineeSaid.connect(self._trainee_said)
        bridge.partialHeard.connect(self._partial_heard)
        bridge.callEnded.connect(self._ended)
        bridge.paused.connect(self._paused)
        bridge.problemRaised.connect(self._problem_reported)
        controller.callFinished.connect(self._finished)
        if starter is None:
            controller.capabilitiesChecked.connect(self._voice_check)
        self._show_idle()
        self.select(controller.settings.last_persona, controller.settings.last_scenario)

    def _problem_reported(self, _message: str) -> None:
        """The message itself may hold paths or names: the room only learns that something happened."""
        self.show_message(self.tr("A problem was reported on the trainee's screen."))

    def select(self, persona_id: str | None, scenario_id: str | None = None) -> bool:
        """Choose a customer in the projector's chooser (False when it is not listed)."""
        for index, entry in enumerate(self.entries):
            if entry.persona_id == persona_id and scenario_id in (None, "", entry.scenario_id):
                self.chooser.setCurrentIndex(index)
                return True
        return False

    # ------------------------------------------------------------ building

    def _label(self, name: str, role: str, tip: str = "", wrap: bool = False, kind: type[QLabel] = QLabel) -> QLabel:
        label = kind(objectName=name, wordWrap=wrap, textFormat=Qt.TextFormat.PlainText)
        label.setProperty("textRole", role)
        if tip:
            label.setToolTip(tip)
        return label

    def _build_widgets(self) -> None:
        self.status = self._label("projectorStatus", "label", self.tr("Call state and call time"))
        self.status.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        self.title = self._label("projectorTitle", "label", self.tr("The customer and the situation"),
                                 kind=ElidedLabel)
        self.chooser = QComboBox(objectName="projectorChooser")
        self.chooser.setProperty("textRole", "label")
        self.chooser.setToolTip(self.tr("The customer to call; S or Ctrl+Return starts the call"))
        self.chooser.setAccessibleName(self.tr("Customer"))
        self.entries: list[PickerEntry] = []
        for language in dict.fromkeys((self.language, "zh", "en")):
            for entry in picker_entries(self.controller.library, language):
                self.entries.append(entry)
                self.chooser.addItem(f"{entry.name} — {entry.title} ({entry.type_label})")
        self.customer_line = self._label("projectorCustomerLine", "customer",
                                         self.tr("What the customer is saying now"), wrap=True)
        self.transcript = LatestLines(objectName="projectorTranscript", wordWrap=True,
                                      textFormat=Qt.TextFormat.RichText)
        self.transcript.setProperty("textRole", "transcript")
        self.transcript.setToolTip(self.tr("The last lines of the call"))
        self.transcript.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.transcript.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.partial = self._label("projectorPartial", "partial", self.tr("What the recogniser is hearing right now"),
                                   wrap=True)
        self.mood_caption = self._label("projectorMoodCaption", "label")
        self.mood_caption.setText(self.tr("Customer mood"))
        self.mood_value = self._label("projectorMoodValue", "meter", self.tr("0 = calm, 100 = furious"))
        self.mood_band = self._label("projectorMoodBand", "label")
        self.mood = QProgressBar(minimum=0, maximum=100, objectName="projectorMood", textVisible=False)
        self.mood.setToolTip(self.tr("The customer's mood: 0 = calm, 100 = furious"))
        self.meter_captions = {name: self._label(f"projector_{name}_caption", "label") for name in METERS}
        self.meter_values = {name: self._label(f"projector_{name}_value", "meter") for name in METERS}
        self.strips = {name: MeterStrip() for name in METERS}
        tips = {"pace": self.tr("The trainee's speaking pace in this turn"),
                "loudness": self.tr("The trainee's loudness against their normal level"),
                "pitch": self.tr("The trainee's pitch against their usual pitch")}
        for name in METERS:
            for widget in (self.meter_captions[name], self.meter_values[name], self.strips[name]):
                widget.setToolTip(tips[name])
        self.moments_label = self._label("projectorMoments", "label", self.tr("Teachable moments marked with M"),
                                         wrap=True)
        self.message = self._label("projectorMessage", "label", wrap=True)
        self.help = self._label("projectorHelp", "label", wrap=True)
        self.help.setText(self.tr("S start · P pause · E end · M mark · R replay · F11 full screen"))

    def _build_layout(self) -> None:
        """Header; the customer's line and transcript beside the mood; the three meters in a row; messages and keys.
        Fonts scale with the height, so the proportions hold on any screen."""
        self.header = header = QHBoxLayout()
        header.addWidget(self.status)
        header.addWidget(self.title, 1)
        header.addWidget(self.chooser, 1)
        left = QVBoxLayout()
        left.addWidget(self.customer_line)
        left.addWidget(self.transcript, 1)
        left.addWidget(self.partial)
        mood_row = QHBoxLayout()
        mood_row.addWidget(self.mood_value)
        mood_row.addWidget(self.mood_band, 1)
        right = QVBoxLayout()
        right.addWidget(self.mood_caption)
        right.addLayout(mood_row)
        right.addWidget(self.mood)
        right.addWidget(self.moments_label, 1, Qt.AlignmentFlag.AlignTop)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        meters = QGridLayout()
        for column, name in enumerate(METERS):
            meters.addWidget(self.meter_captions[name], 0, 2 * column, 1, 2)
            meters.addWidget(self.meter_values[name], 1, 2 * column)
            meters.addWidget(self.strips[name], 1, 2 * column + 1)
            meters.setColumnStretch(2 * column + 1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        layout.addLayout(meters)
        layout.addWidget(self.message)
        layout.addWidget(self.help)
        for widget in (self.title, self.customer_line, self.partial, self.moments_label, self.message, self.help,
                       *self.meter_captions.values()):
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setMinimumContentsLength(8)

    def _action(self, name: str, text: str, keys: tuple[str, ...], slot) -> QAction:
        action = QAction(text, self, objectName=name)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{text} ({', '.join(keys)})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.start_action = self._action("start", self.tr("Start the call"), ("Ctrl+Return", "Ctrl+Enter", "S"),
                                         self.start_call)
        self.pause_action = self._action("pause", self.tr("Pause or resume"), ("P",), self.toggle_pause)
        self.end_action = self._action("end", self.tr("End the call"), ("E", "Esc"), self.end_call)
        self.mark_action = self._action("mark", self.tr("Mark a teachable moment"), ("M",), self.mark_moment)
        self.replay_action = self._action("replay", self.tr("Replay the last exchange"), ("R",),
                                          self.replay_last_exchange)
        self.full_screen_action = self._action("fullScreen", self.tr("Full screen"), ("F11",),
                                               self.toggle_full_screen)
        self.close_action = self._action("close", self.tr("Close the projector view"), ("Ctrl+W",), self.close)

    def _style(self) -> None:
        self.setAutoFillBackground(True)
        text = TEXT_COLOURS["text"]
        self.setStyleSheet(
            f"#projectorWindow, QWidget {{ background: {BACKGROUND}; color: {text}; }}"
            f"#projectorCustomerLine {{ color: {TEXT_COLOURS['customer']}; }}"
            f"#projectorMessage {{ color: {TEXT_COLOURS['customer']}; }}"
            f"#projectorPartial {{ color: {TEXT_COLOURS['muted']}; }}"
            f"QComboBox {{ border: 2px solid {text}; padding: 0.1em; }}"
            f"QComboBox QAbstractItemView {{ selection-background-color: {text}; selection-color: {BACKGROUND}; }}"
            f"QProgressBar {{ border: 3px solid {text}; }}")
        self._mood_colour("calm")

    def apply_sizes(self) -> None:
        """Font sizes for the window's height, readable from the back of the room."""
        height = max(1, self.height())
        for widget in self.findChildren(QWidget):
            role = widget.property("textRole")
            if role:
                font = widget.font()
                font.setPixelSize(projector_font_px(height, role))
                font.setBold(role in ("customer", "meter"))
                font.setItalic(role == "partial")
                widget.setFont(font)
        big = projector_font_px(height, "meter")
        self.mood.setFixedHeight(big)
        self.header.setSpacing(projector_font_px(height, "label"))
        for strip in self.strips.values():
            strip.setFixedHeight(big)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self.apply_sizes()
        super().resizeEvent(event)

    # ------------------------------------------------------------ screen

    def show_on(self, screen: QScreen | None = None) -> None:
        """Full screen on `screen`; by default the second screen when there is one, else the primary."""
        screen = screen or projector_screen(QGuiApplication.screens(), QGuiApplication.primaryScreen())
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.apply_sizes()
        self.activateWindow()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    # ------------------------------------------------------------ commands

    def live(self) -> bool:
        """A call shown here is still running."""
        return self.call is not None and self.controller.call is self.call

    def start_call(self) -> None:
        if self.controller.busy:
            self.show_message(self.tr("A call is already running: end it first (E)."))
            return
        index = self.chooser.currentIndex()
        if not 0 <= index < len(self.entries):
            self.show_message(self.tr("No customer to call: no persona files could be loaded."))
            return
        entry = self.entries[index]
        self.starter(entry.persona_id, entry.scenario_id)

    def _start_here(self, persona_id: str, scenario_id: str) -> None:
        """Start through the controller alone (no trainee window attached)."""
        self.controller.start_call(persona_id, scenario_id)

    def _voice_check(self, caps: Capabilities) -> None:
        if not caps.audio or caps.model_path is None:
            self.show_message(self.tr("Voice replies are off: replies are typed."))

    def toggle_pause(self) -> None:
        if self.live():
            self.controller.set_paused(not self.call.paused)

    def end_call(self) -> None:
        if self.live() or self.controller.starting:
            self.controller.end_call()
            self._show_ended(self.tr("Call ended"))

    def mark_moment(self) -> TeachableMoment | None:
        """Record a teachable moment at the current call time in the call's timeline (saved with the attempt)."""
        if not self.live():
            self.show_message(self.tr("No call in progress: nothing to mark."))
            return None
        moment = mark_moment(self.call.session.timeline, self.call_time())
        self.moments.append(moment)
        self._show_moments()
        self.show_message(self.tr("Teachable moment marked at %1.").replace("%1", clock(moment.time)))
        return moment

    def call_time(self) -> float:
        """Now on the shown call's timeline (ahead of its clock in a typed-only call)."""
        call = self.call
        return timeline_now(call.session.timeline, call.clock.now(), played=call.player is not None)

    def replay_last_exchange(self) -> None:
        """Play the last customer line and the trainee's reply from the recording (pausing a live call)."""
        from simulator.speech.audio_devices import AudioUnavailable
        from simulator.speech.clip_player import ClipPlayer

        span = last_exchange(self.call.session.timeline) if self.call is not None else None
        if span is None:
            self.show_message(self.tr("Nothing to replay yet."))
            return
        path = self._recording_path()
        if path is None:
            self.show_message(self.tr("There is no recording of this call to replay (the call is typed only, "
                                      "or recording failed)."))
            return
        if self.live() and not self.call.paused:
            self.controller.set_paused(True)
        if self.clip_player is None:
            self.clip_player = ClipPlayer(device=self.controller.settings.output_device)
        try:
            self.clip_player.load(path)
            self.clip_player.play_from(span[0], span[1] - span[0])
        except AnalysisInputError:
            self.show_message(self.tr("The recording of this call could not be read."))
            return
        except AudioUnavailable as exc:
            self.show_message(text_of(exc))
            return
        self.show_message(self.tr("Replaying %1–%2.").replace("%1", clock(span[0])).replace("%2", clock(span[1])))

    def _recording_path(self) -> Path | None:
        if self.live():
            recorder = self.call.recorder
            return recorder.partial_path if recorder is not None and recorder.partial_path.exists() else None
        return self.recording

    # ------------------------------------------------------------ showing the call

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def poll(self) -> None:
        if not self.live():
            if self.call is not None and self.timer.isActive():   # ended from the trainee's window
                self._show_ended(self.tr("Call ended"))
            return
        now = self.call_time()
        state = self.tr("Paused") if self.call.paused else self.tr("In call")
        self.status.setText(f"{state} {clock(now)}")
        self.show_meters(self.controller.meters())

    def show_meters(self, meters: LiveMeters | None) -> None:
        for name in METERS:
            value = meters.value(name) if meters is not None else None
            label = self.meter_values[name]
            if value is None:
                label.setText("—")
                label.setStyleSheet(f"color: {TEXT_COLOURS['muted']};")
            else:
                band = meters.bands[name]
                state = band.state(value)
                label.setText(f"{METER_BY_NAME[name].format(value)} {ARROWS[state]}")
                label.setStyleSheet(f"color: {TEXT_COLOURS['in_band' if state == 'in' else 'out_of_band']};")
            if meters is not None:
                self.strips[name].add(meters.time, value, meters.bands[name])

    def _captions(self, language: str) -> None:
        for name, caption in self.meter_captions.items():
            caption.setText(meter_title(name, language, short=True))

    def _show_idle(self) -> None:
        self.status.setText(self.tr("Ready"))
        self.title.clear()
        self._show_chooser(True)
        self.customer_line.setText(self.tr("Choose a customer and press S to start."))
        self._captions(self.language)
        self.show_meters(None)
        self._show_mood(None)
        self._show_transcript()
        self._show_moments()

    def _show_chooser(self, shown: bool) -> None:
        """Between calls the header offers the next customer instead of naming the current one."""
        self.chooser.setVisible(shown)
        self.title.setVisible(not shown)
        if shown:
            self.chooser.setFocus()

    def _started(self, persona_name: str, scenario_title: str) -> None:
        self.call = self.controller.call
        self.recording = None
        self.moments, self.lines = [], []
        self.title.setText(self.public(f"{persona_name} — {scenario_title}" if scenario_title else persona_name))
        self._show_chooser(False)
        self.customer_line.clear()
        self.partial.clear()
        self.message.clear()
        language = self.call.session.persona.language if self.call is not None else self.language
        self._captions(language)
        for strip in self.strips.values():
            strip.reset()
        self.show_meters(None)
        self._show_transcript()
        self._show_moments()
        self.timer.start()
        self.poll()

    def public(self, text: str) -> str:
        """Text as the room may see it: the trainee's name from the settings masked. Without one nothing is
        masked: the computer's login is no person's name on a shared training laptop, and masking it would
        cut words ("ed" in "called")."""
        return redact(text, (self.controller.settings.trainee_name,))

    def _customer_said(self, text: str, mood: float, _start: float, _end: float) -> None:
        text = self.public(text)
        self.customer_line.setText(text)
        self.lines.append(("customer", text))
        self._show_transcript()
        self._show_mood(mood)

    def _partial_heard(self, text: str) -> None:
        """The trainee's words while they are recognised, dimmer than what has been said."""
        self.partial.setText(self.public(text))

    def _trainee_said(self, text: str, _events: list) -> None:
        self.partial.clear()
        self.lines.append(("trainee", self.public(text)))
        self._show_transcript()

    def _ended(self, kind: str, _reason: str) -> None:
        labels = {"resolved": self.tr("Call ended: resolved"), "escalated": self.tr("Call ended: the customer hung up"),
                  "turn_limit": self.tr("Call ended: turn limit reached")}
        self._show_ended(labels.get(kind, self.tr("Call ended")))

    def _show_ended(self, text: str) -> None:
        self.timer.stop()
        self.status.setText(text)
        self.partial.clear()
        self._show_chooser(True)
        self.show_meters(None)

    def _finished(self, outcome: CallOutcome | None) -> None:
        recorder = self.call.recorder if self.call is not None else None
        if outcome is not None and recorder is not None and outcome.recording in (recorder.path, recorder.partial_path):
            self.recording = outcome.recording

    def _paused(self, paused: bool) -> None:
        self.poll()
        if not paused and self.clip_player is not None:
            self.clip_player.stop()

    def _show_mood(self, mood: float | None) -> None:
        if mood is None:
            self.mood.setValue(0)
            self.mood_value.setText("—")
            self.mood_band.clear()
            return
        band = band_of(mood)
        names = {"calm": self.tr("calm"), "annoyed": self.tr("annoyed"), "angry": self.tr("angry"),
                 "furious": self.tr("furious")}
        self.mood.setValue(round(mood))
        self.mood_value.setText(f"{round(mood)}")
        self.mood_band.setText(names[band])
        self.mood_band.setStyleSheet(f"color: {MOOD_COLOURS[band]};")
        self._mood_colour(band)

    def _mood_colour(self, band: str) -> None:
        self.mood.setStyleSheet(f"QProgressBar::chunk {{ background: {MOOD_COLOURS[band]}; }}")

    def role_label(self, speaker: str) -> str:
        return self.tr("Customer") if speaker == "customer" else self.tr("Trainee")

    def _show_transcript(self) -> None:
        """The lines before the one shown large above: the customer's current line is not repeated."""
        lines = self.lines
        if lines and lines[-1] == ("customer", self.customer_line.text()):
            lines = lines[:-1]
        rows = []
        for speaker, text in lines[-TRANSCRIPT_LINES:]:
            colour = TEXT_COLOURS["customer"] if speaker == "customer" else TEXT_COLOURS["text"]
            rows.append(f"<p><b style='color:{colour}'>{html.escape(self.role_label(speaker))}:</b> "
                        f"{html.escape(text)}</p>")
        self.transcript.set_rows(rows)

    def _show_moments(self) -> None:
        if not self.moments:
            self.moments_label.setText(self.tr("Teachable moments: none yet (M marks one)"))
            return
        shown = [f"★ {clock(m.time)} {self.public(m.note)}" for m in self.moments[-MOMENTS_SHOWN:]]
        self.moments_label.setText(self.tr("Teachable moments (%1): ").replace("%1", str(len(self.moments)))
                                   + "   ".join(shown))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self.timer.stop()
        if self.clip_player is not None:
            self.clip_player.close()
            self.clip_player = None
        super().closeEvent(event)
