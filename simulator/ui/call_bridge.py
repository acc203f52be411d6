"""Turns LiveCall callbacks (from worker threads) into Qt signals delivered on the GUI thread.

These signals are the live call's public face: the call screen and a projector view both listen to them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from simulator.core.dialogue.engine import CustomerLine, Ending
from simulator.core.events import TurnAssessment
from simulator.core.live_meters import LiveMarker
from simulator.core.timeline import Turn
from simulator.ui.recording_problem import shown_problem


class CallBridge(QObject):
    customerSaid = Signal(str, float, float, float)   # text, mood, start, end
    partialHeard = Signal(str)
    traineeSaid = Signal(str, list)                  # text, event names
    traineeHeard = Signal(object)                    # the trainee's Turn with its recognised words (confidence)
    markerAdded = Signal(str, float, str)            # kind (interruption/taboo/dead_air), call time, text
    callEnded = Signal(str, str)                     # kind, reason
    problemRaised = Signal(object)                   # str, mostly a Message (translated where shown)
    callStarted = Signal(str, str)                   # persona display name, scenario title
    paused = Signal(bool)

    def customer_line(self, line: CustomerLine, start: float, end: float) -> None:
        self.customerSaid.emit(line.text, float(line.mood), start, end)

    def partial(self, text: str) -> None:
        self.partialHeard.emit(text)

    def trainee_turn(self, assessment: TurnAssessment) -> None:
        self.traineeSaid.emit(assessment.text, sorted(str(e) for e in assessment.events))
        self.traineeHeard.emit(Turn("trainee", assessment.start, assessment.end, assessment.text,
                                    list(assessment.words) or None))

    def marker(self, marker: LiveMarker) -> None:
        self.markerAdded.emit(marker.kind, float(marker.time), marker.text)

    def ended(self, ending: Ending) -> None:
        self.callEnded.emit(ending.kind, ending.reason)

    def problem(self, message: str) -> None:
        self.problemRaised.emit(shown_problem(message))
