"""The call service (simulator.app.call_service) for the widgets: what it reports from its worker threads
becomes Qt signals, delivered on the GUI thread; its operations are the controller's own (`controller.start_call`
is `controller.service.start_call`). The service already runs every blocking step off the caller's thread;
the window runs the remaining blocking reads (recent attempts) through its ServiceJobs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from simulator.app import AttemptStore
from simulator.app.call_results import CallOutcome
from simulator.app.call_service import CallInProgress, CallService
from simulator.app.capabilities import Capabilities
from simulator.settings import Settings
from simulator.speech.tts import SpeechRenderer
from simulator.ui.call_bridge import CallBridge

__all__ = ["CallController", "CallInProgress", "CallOutcome", "Capabilities"]


class _Relay:
    """The service's listener: the live call's events go to the bridge's signals, the service's own to the
    controller's (both emitted from worker threads, queued to the GUI thread by Qt)."""

    def __init__(self, controller: CallController) -> None:
        self._controller = controller
        self._bridge = controller.bridge

    def __getattr__(self, name: str) -> Any:   # customer_line, partial, trainee_turn, marker, ended, problem
        return getattr(self._bridge, name)

    def started(self, persona_name: str, scenario_title: str, capabilities: Capabilities) -> None:
        self._bridge.callStarted.emit(persona_name, scenario_title)
        self._controller.capabilitiesChecked.emit(capabilities)

    def finished(self, outcome: CallOutcome | None) -> None:
        self._controller.callFinished.emit(outcome)

    def saved(self, attempt_id: int) -> None:
        self._controller.attemptSaved.emit(attempt_id)

    def paused(self, paused: bool) -> None:
        self._bridge.paused.emit(paused)


class CallController(QObject):
    callFinished = Signal(object)          # CallOutcome, or None: refused, cancelled or not scored
    attemptSaved = Signal(int)
    capabilitiesChecked = Signal(object)   # Capabilities of the call gone live, just after bridge.callStarted

    def __init__(self, personas_dir: Path | None = None, renderer: SpeechRenderer | None = None,
                 capabilities: Capabilities | None = None, store: AttemptStore | None = None,
                 settings: Settings | None = None) -> None:
        super().__init__()
        self.bridge = CallBridge()
        self.service = CallService(_Relay(self), personas_dir, renderer, capabilities, store, settings)

    def __getattr__(self, name: str) -> Any:
        """The service's operations and state (start_call, call, busy, trainee, …), unchanged for the widgets."""
        if name == "service":   # not set yet (during __init__): no recursion
            raise AttributeError(name)
        return getattr(self.service, name)

    @property
    def settings(self) -> Settings:
        return self.service.settings

    @settings.setter
    def settings(self, settings: Settings) -> None:   # new settings (the set-up assistant) for the next calls
        self.service.settings = settings
