"""The call screen: the customer's line, the live transcript (grey partial text, then the final words), the
customer's mood, live pace/loudness/pitch charts with markers, push-to-talk, typed reply, pause and end.

Everything here reacts to the controller's bridge signals and polls the meter snapshot on a timer; no call
logic and no measurement happen in these widgets."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QProgressBar, QPushButton, QVBoxLayout,
    QWidget,
)

from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.live_meters import meter_bands
from simulator.core.personas.model import band_of
from simulator.core.timeline import Turn
from simulator.ui.call_controller import CallController
from simulator.ui.heard_html import doubtful, said_html
from simulator.ui.meters import MeterPanel
from simulator.ui.timeline_view import clock
from simulator.ui.transcript_list import TranscriptList

METER_POLL_MS = 100
MOOD_COLOUR = {"calm": "#27ae60", "annoyed": "#e6a100", "angry": "#e67e22", "furious": "#c0392b"}
PARTIAL_STYLE = "color: #888888; font-style: italic;"


class CallPage(QWidget):
    """endRequested when the trainee ends the call; the page itself only shows what the call does."""

    endRequested = Signal()

    def __init__(self, controller: CallController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.active = False
        self.is_paused = False
        self.talking = False
        self.language = "zh"
        self._thresholds = load_thresholds()

        self.title = QLabel(objectName="callTitle", textFormat=Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.status = QLabel(objectName="callStatus")
        self.customer_line = QLabel(wordWrap=True, objectName="customerLine", textFormat=Qt.TextFormat.PlainText)
        line_font = self.customer_line.font()
        line_font.setPointSizeF(line_font.pointSizeF() * 1.6)
        self.customer_line.setFont(line_font)
        self.customer_line.setMinimumHeight(70)
        self.customer_line.setToolTip(self.tr("What the customer is saying now"))
        self.mood = QProgressBar(minimum=0, maximum=100, objectName="moodMeter",
                                 format=self.tr("Customer mood: %v"))
        self.mood.setToolTip(self.tr("0 = calm, 100 = furious; the call is resolved when the mood falls low "
                                     "enough, and the customer hangs up when it gets too high"))
        self.transcript = TranscriptList(objectName="transcript")
        self.transcript.setToolTip(self.tr("Everything said in this call"))
        self.partial = QLabel(objectName="partialText", wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.partial.setStyleSheet(PARTIAL_STYLE)
        self.partial.setToolTip(self.tr("What the recogniser is hearing right now"))
        self.meters = MeterPanel()
        self.markers = QListWidget(objectName="markerList")
        self.markers.setToolTip(self.tr("Moments to look at: interruptions, taboo phrases, dead air"))
        self.markers.setMaximumHeight(110)

        self.push_to_talk = QCheckBox(self.tr("Push to &talk (hold Space)"), objectName="pushToTalk")
        self._push_to_talk_tip = self.tr("Hold Space while you speak; releasing it ends your turn. "
                                         "Off: your turn ends after a short silence.")
        self.push_to_talk.setToolTip(self._push_to_talk_tip)
        self.voice = False
        self.talk_light = QLabel(objectName="talkLight")
        self.reply = QLineEdit(objectName="replyEdit", placeholderText=self.tr("Type your reply and press Enter"))
        self.reply.setToolTip(self.tr("A typed reply is always possible"))
        self.send_button = QPushButton(self.tr("Send"), objectName="sendButton")
        self.send_button.setToolTip(self.tr("Send the typed reply (Enter)"))
        self.pause_button = QPushButton(self.tr("&Pause"), objectName="pauseButton")
        self.pause_button.setToolTip(self.tr("Pause the call: the customer stops and nothing is heard (Ctrl+P)"))
        self.end_button = QPushButton(self.tr("&End call"), objectName="endButton")
        self.end_button.setToolTip(self.tr("End the call and see the scorecard (Esc)"))
        self._build_layout()

        self.timer = QTimer(self, interval=METER_POLL_MS)
        self.timer.timeout.connect(self.poll_meters)
        self.send_button.clicked.connect(self.send_reply)
        self.reply.returnPressed.connect(self.send_reply)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.end_button.clicked.connect(self.endRequested)
        self.push_to_talk.toggled.connect(self._push_to_talk_toggled)
        bridge = controller.bridge
        bridge.callStarted.connect(self._started)
        bridge.customerSaid.connect(self._customer_said)
        bridge.traineeHeard.connect(self._trainee_heard)
        bridge.partialHeard.connect(self.partial.setText)
        bridge.markerAdded.connect(self._marker_added)
        bridge.callEnded.connect(self._call_ended)
        bridge.paused.connect(self._paused)
        self.set_active(False)

    def _build_layout(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.status)
        talk = QHBoxLayout()
        talk.addWidget(self.push_to_talk)
        talk.addWidget(self.talk_light, 1)
        typed = QHBoxLayout()
        typed.addWidget(self.reply, 1)
        typed.addWidget(self.send_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.end_button)

        left = QVBoxLayout()
        left.addWidget(self.customer_line)
        left.addWidget(self.mood)
        left.addWidget(self.transcript, 1)
        left.addWidget(self.partial)
        left.addLayout(talk)
        left.addLayout(typed)
        right_box = QGroupBox(self.tr("Your voice"))
        right = QVBoxLayout(right_box)
        right.addWidget(self.meters, 1)
        right.addWidget(QLabel(self.tr("Markers:")))
        right.addWidget(self.markers)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(right_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        order = [self.reply, self.send_button, self.push_to_talk, self.pause_button, self.end_button,
                 self.transcript, self.markers]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------ call state

    def begin(self, language: str, push_to_talk: bool) -> None:
        """Clear the screen for a new call."""
        self.language = language
        for widget in (self.transcript, self.markers):
            widget.clear()
        self.partial.clear()
        self.customer_line.clear()
        self.meters.reset(language)
        self.meters.set_bands(meter_bands(self._thresholds, language))
        self.push_to_talk.blockSignals(True)
        self.push_to_talk.setChecked(push_to_talk)
        self.push_to_talk.blockSignals(False)
        self.is_paused = False
        self.voice = False   # until the call's capabilities say voice replies are on
        self._show_talk(False)
        self.set_active(True)

    def show_connecting(self) -> None:
        """The call is being opened (devices, voice check): until it starts, it can only be ended."""
        for widget in (self.reply, self.send_button, self.pause_button, self.push_to_talk):
            widget.setEnabled(False)
        self.status.setText(self.tr("Connecting…"))

    def set_voice(self, on: bool) -> None:
        """Voice replies on (microphone and speech model) or off: push-to-talk means something only when on."""
        self.voice = on
        self.push_to_talk.setEnabled(self.active and on)
        self.push_to_talk.setToolTip(self._push_to_talk_tip if on else
                                     self.tr("Voice replies are off on this computer: type your replies"))

    def set_active(self, active: bool) -> None:
        self.active = active
        for widget in (self.reply, self.send_button, self.pause_button, self.end_button):
            widget.setEnabled(active)
        self.push_to_talk.setEnabled(active and self.voice)
        if active:
            self.timer.start()
            self.reply.setFocus()
        else:
            self.timer.stop()
            self.status.setText(self.tr("Call ended") if self.transcript.count() else "")

    def send_reply(self) -> None:
        text = self.reply.text().strip()
        if text and self.active and not self.is_paused:
            self.controller.send_text(text)
            self.reply.clear()

    def toggle_pause(self) -> None:
        if self.active:
            self.controller.set_paused(not self.is_paused)

    def set_talking(self, held: bool) -> None:
        """Space pressed or released while push-to-talk is on."""
        if self.active and self.push_to_talk.isChecked() and not self.is_paused:
            self.controller.set_talk(held)
            self._show_talk(held)

    def space_talks(self, focus: QWidget | None, release: bool) -> bool:
        """Whether Space is push-to-talk with `focus` focused: everywhere except a text field holding text.

        The empty reply box talks too, so a call starts ready both to talk and to type (a reply never starts
        with a space); once the trainee types, Space is a space. The release that ends talking always counts."""
        if release and self.talking:
            return True
        return not isinstance(focus, QLineEdit) or (focus is self.reply and not self.reply.text())

    def poll_meters(self) -> None:
        meters = self.controller.meters()
        if meters is not None:
            self.meters.update_meters(meters)

    # ------------------------------------------------------------ bridge

    def _started(self, persona_name: str, scenario_title: str) -> None:
        self.title.setText(f"{persona_name} — {scenario_title}" if scenario_title else persona_name)
        self.status.setText(self.tr("In call"))
        if self.active:
            self.set_active(True)

    def _customer_said(self, text: str, mood: float, _start: float, _end: float) -> None:
        self.customer_line.setText(text)
        self.transcript.add_line(self.tr("Customer: %1").replace("%1", text))
        self.mood.setValue(round(mood))
        colour = MOOD_COLOUR.get(band_of(mood), "#888888")
        self.mood.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }} "
                                "QProgressBar { text-align: center; }")

    def _trainee_heard(self, turn: Turn) -> None:
        """The reply as recognised; words heard with too little confidence for a penalty are marked, and the
        line's tooltip gives their confidence."""
        self.partial.clear()
        line = self.tr("You: %1")
        unsure = doubtful(turn)
        if not unsure:
            self.transcript.add_line(line.replace("%1", turn.text))
            return
        doubt = self.tr("possibly misheard: recognised with confidence %s")
        tip = "\n".join(f"{w.text}: {doubt % f'{w.confidence:.2f}'}" for w in unsure)
        self.transcript.add_line(line.replace("%1", turn.text), html=escape(line).replace("%1", said_html(turn, doubt)),
                                 tooltip=tip)

    def marker_label(self, kind: str) -> str:
        return {"interruption": self.tr("Interruption"), "taboo": self.tr("Taboo phrase"),
                "dead_air": self.tr("Dead air")}.get(kind, kind)

    def _marker_added(self, kind: str, time: float, text: str) -> None:
        self.markers.addItem(f"{clock(time)}  {self.marker_label(kind)}: {text}")
        self.markers.scrollToBottom()
        self.meters.add_marker(kind, time)

    def _call_ended(self, kind: str, reason: str) -> None:
        labels = {"resolved": self.tr("resolved"), "escalated": self.tr("the customer hung up"),
                  "turn_limit": self.tr("turn limit reached")}
        self.transcript.add_line(self.tr("Call ended (%1): %2").replace("%1", labels.get(kind, kind))
                                 .replace("%2", reason))
        self.set_active(False)
        self.status.setText(self.tr("Scoring the call…"))

    def _paused(self, paused: bool) -> None:
        self.is_paused = paused
        self.pause_button.setText(self.tr("&Resume") if paused else self.tr("&Pause"))
        self.pause_button.setToolTip(self.tr("Resume the call (Ctrl+P)") if paused
                                     else self.tr("Pause the call: the customer stops and nothing is heard (Ctrl+P)"))
        self.reply.setEnabled(not paused)
        self.send_button.setEnabled(not paused)
        self.status.setText(self.tr("Paused") if paused else self.tr("In call"))
        self._show_talk(False)

    def _push_to_talk_toggled(self, enabled: bool) -> None:
        self.controller.set_push_to_talk(enabled)
        self._show_talk(False)

    def _show_talk(self, held: bool) -> None:
        self.talking = held and self.push_to_talk.isChecked()
        if not self.push_to_talk.isChecked():
            self.talk_light.setText(self.tr("Your turn ends after a short silence"))
            self.talk_light.setStyleSheet("")
        elif held:
            self.talk_light.setText(self.tr("● Talking"))
            self.talk_light.setStyleSheet("color: #c0392b; font-weight: bold;")
        else:
            self.talk_light.setText(self.tr("Hold Space to talk"))
            self.talk_light.setStyleSheet("color: #555555;")
