"""The call window: pick a customer, talk (or type), see the customer's mood, get a result."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QMainWindow, QProgressBar, QPushButton,
    QTextBrowser, QVBoxLayout, QWidget,
)

from simulator.core.personas.loader import picker_entries
from simulator.ui.call_controller import CallController
from simulator.ui.result_view import render_result


class MainWindow(QMainWindow):
    def __init__(self, controller: CallController, language: str = "zh") -> None:
        super().__init__()
        self.controller = controller
        self.language = language
        self.setWindowTitle(self.tr("Difficult-customer call simulator"))
        self.entries = picker_entries(controller.library, language)

        self.picker = QComboBox()
        for entry in self.entries:
            self.picker.addItem(f"{entry.name} · {entry.type_label} · {'★' * entry.difficulty}")
        self.situation = QLabel(wordWrap=True)
        self.start_button = QPushButton(self.tr("Start call"))
        self.end_button = QPushButton(self.tr("End call"), enabled=False)
        self.problems = QLabel(wordWrap=True, visible=False)
        self.problems.setObjectName("problems")
        self.transcript = QListWidget()
        self.partial = QLabel()
        self.mood = QProgressBar(minimum=0, maximum=100, format=self.tr("Customer mood: %v"))
        self.reply = QLineEdit(placeholderText=self.tr("Type your reply and press Enter"), enabled=False)
        self.send_button = QPushButton(self.tr("Send"), enabled=False)
        self.result = QTextBrowser(visible=False)
        for name, widget in (("personaPicker", self.picker), ("startButton", self.start_button),
                             ("endButton", self.end_button), ("transcript", self.transcript),
                             ("partialText", self.partial), ("moodMeter", self.mood), ("replyEdit", self.reply),
                             ("sendButton", self.send_button), ("resultView", self.result)):
            widget.setObjectName(name)

        top = QHBoxLayout()
        top.addWidget(self.picker, 1)
        top.addWidget(self.start_button)
        top.addWidget(self.end_button)
        typed = QHBoxLayout()
        typed.addWidget(self.reply, 1)
        typed.addWidget(self.send_button)
        layout = QVBoxLayout()
        for item in (top, self.situation, self.problems, self.mood, self.transcript, self.partial, typed, self.result):
            layout.addLayout(item) if isinstance(item, QHBoxLayout) else layout.addWidget(item)
        body = QWidget()
        body.setLayout(layout)
        self.setCentralWidget(body)
        self.resize(900, 640)

        self.picker.currentIndexChanged.connect(self._show_situation)
        self.start_button.clicked.connect(self.start_call)
        self.end_button.clicked.connect(self.controller.end_call)
        self.send_button.clicked.connect(self.send_reply)
        self.reply.returnPressed.connect(self.send_reply)
        bridge = controller.bridge
        bridge.customerSaid.connect(self._customer_said)
        bridge.traineeSaid.connect(self._trainee_said)
        bridge.partialHeard.connect(self.partial.setText)
        bridge.callEnded.connect(self._call_ended)
        bridge.problemRaised.connect(self.show_problem)
        controller.analysisReady.connect(self._show_result)
        self._show_situation(self.picker.currentIndex())

    def start_call(self) -> None:
        if not self.entries:
            self.show_problem(self.tr("No persona files could be loaded."))
            return
        entry = self.entries[self.picker.currentIndex()]
        self.transcript.clear()
        self.result.hide()
        self.problems.hide()
        caps = self.controller.start_call(entry.persona_id, entry.scenario_id)
        for message in caps.problems:
            self.show_problem(message)
        if not caps.audio or caps.model_path is None:
            self.show_problem(self.tr("Voice replies are off: type your replies instead."))
        self._set_in_call(True)

    def send_reply(self) -> None:
        text = self.reply.text().strip()
        if text:
            self.controller.send_text(text)
            self.reply.clear()

    def _set_in_call(self, active: bool) -> None:
        self.start_button.setEnabled(not active)
        self.picker.setEnabled(not active)
        self.end_button.setEnabled(active)
        self.reply.setEnabled(active)
        self.send_button.setEnabled(active)
        if active:
            self.reply.setFocus()

    def _show_situation(self, index: int) -> None:
        if 0 <= index < len(self.entries):
            self.situation.setText(self.entries[index].situation)

    def _customer_said(self, text: str, mood: float, _start: float, _end: float) -> None:
        self.transcript.addItem(self.tr("Customer: %1").replace("%1", text))
        self.transcript.scrollToBottom()
        self.mood.setValue(round(mood))

    def _trainee_said(self, text: str, _events: list) -> None:
        self.partial.clear()
        self.transcript.addItem(self.tr("You: %1").replace("%1", text))
        self.transcript.scrollToBottom()

    def _call_ended(self, kind: str, reason: str) -> None:
        self.transcript.addItem(self.tr("Call ended (%1): %2").replace("%1", kind).replace("%2", reason))
        self._set_in_call(False)

    def show_problem(self, message: str) -> None:
        lines = [l for l in self.problems.text().split("\n") if l]
        if message not in lines:
            lines.append(message)
        self.problems.setText("\n".join(lines))
        self.problems.show()

    def _show_result(self, analysis: object) -> None:
        self._set_in_call(False)
        self.result.setHtml(render_result(analysis))
        self.result.show()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.key() == Qt.Key.Key_Escape and self.end_button.isEnabled():
            self.controller.end_call()
        else:
            super().keyPressEvent(event)
