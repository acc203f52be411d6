"""Starts and ends calls for the window: picks what the machine can do (voice, typed only) and
runs the analysis off the GUI thread. Widgets call this; they hold no call logic themselves."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from simulator.core.call_session import CallSession
from simulator.core.personas.loader import LoadResult, default_personas_dir, load_personas
from simulator.core.personas.model import Persona
from simulator.speech.live_call import LiveCall, LiveCallOptions
from simulator.speech.tts import SpeechRenderer
from simulator.ui.call_bridge import CallBridge


@dataclass(frozen=True)
class Capabilities:
    """What this machine can do now, with a user-facing reason for what it cannot."""

    audio: bool
    model_path: Path | None
    problems: tuple[str, ...]


def detect_capabilities(language: str) -> Capabilities:
    from simulator.speech.audio_io import audio_problem
    from simulator.speech.models import ModelError, find_model
    from simulator.speech.tts import tts_problem

    problems = [p for p in (tts_problem(), audio_problem()) if p]
    audio = audio_problem() is None
    model_path: Path | None = None
    try:
        model_path = find_model(language)
    except ModelError as exc:
        problems.append(str(exc))
    return Capabilities(audio, model_path, tuple(problems))


class CallController(QObject):
    analysisReady = Signal(object)     # simulator.core.analysis.call.CallAnalysis

    def __init__(self, personas_dir: Path | None = None, renderer: SpeechRenderer | None = None,
                 capabilities: Capabilities | None = None) -> None:
        super().__init__()
        self.bridge = CallBridge()
        self.library: LoadResult = load_personas(personas_dir or default_personas_dir())
        self.renderer = renderer or SpeechRenderer()
        self._capabilities = capabilities
        self.call: LiveCall | None = None
        self.bridge.callEnded.connect(self._on_ended)

    def capabilities(self, language: str) -> Capabilities:
        if self._capabilities is None:
            self._capabilities = detect_capabilities(language)
        return self._capabilities

    def persona(self, persona_id: str) -> Persona:
        return next(p for p in self.library.personas if p.id == persona_id)

    def start_call(self, persona_id: str, scenario_id: str | None, seed: int = 0,
                   recording: Path | None = None) -> Capabilities:
        self.end_call()
        persona = self.persona(persona_id)
        caps = self.capabilities(persona.language)
        player = microphone = None
        if caps.audio:
            from simulator.speech.audio_io import CallClock, Microphone, Player

            clock = CallClock()
            player, microphone = Player(clock), Microphone(clock)
        else:
            clock = None
        session = CallSession(persona, scenario_id, seed)
        self.call = LiveCall(session, self.renderer, self.bridge, LiveCallOptions(recording=recording),
                             clock=clock, player=player, microphone=microphone,
                             model_path=caps.model_path if caps.audio else None)
        self.call.start()
        return caps

    def send_text(self, text: str) -> None:
        if self.call is not None:
            self.call.submit_text(text)

    def end_call(self) -> None:
        self._close(drain=False)

    def _on_ended(self, _kind: str, _reason: str) -> None:
        self._close(drain=True)

    def _close(self, drain: bool) -> None:
        call, self.call = self.call, None
        if call is None:
            return
        threading.Thread(target=self._finish, args=(call, drain), name="call-finish", daemon=True).start()

    def _finish(self, call: LiveCall, drain: bool) -> None:
        from simulator.core.analysis.call import analyze_call

        if drain:
            call.wait_for_playback()
        recording = call.stop()
        timeline = call.session.timeline
        analysis = analyze_call(timeline, audio=recording, language=timeline.language,
                                persona_type=call.session.persona.type)
        self.analysisReady.emit(analysis)
