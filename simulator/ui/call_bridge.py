"""Turns LiveCall callbacks (from worker threads) into Qt signals delivered on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from simulator.core.dialogue.engine import CustomerLine, Ending
from simulator.core.events import TurnAssessment


class CallBridge(QObject):
    customerSaid = Signal(str, float, float, float)   # text, mood, start, end
    partialHeard = Signal(str)
    traineeSaid = Signal(str, list)                  # text, event names
    callEnded = Signal(str, str)                     # kind, reason
    problemRaised = Signal(str)

    def customer_line(self, line: CustomerLine, start: float, end: float) -> None:
        self.customerSaid.emit(line.text, float(line.mood), start, end)

    def partial(self, text: str) -> None:
        self.partialHeard.emit(text)

    def trainee_turn(self, assessment: TurnAssessment) -> None:
        self.traineeSaid.emit(assessment.text, sorted(str(e) for e in assessment.events))

    def ended(self, ending: Ending) -> None:
        self.callEnded.emit(ending.kind, ending.reason)

    def problem(self, message: str) -> None:
        self.problemRaised.emit(message)
