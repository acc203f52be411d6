"""Starts and ends calls for the window: picks what the machine can do (voice, typed only), and opens
the call and runs the analysis off the GUI thread. Widgets call this; they hold no call logic themselves."""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from simulator.app import AttemptStore, AttemptSummary, StorageError
from simulator.core.call_session import CallSession
from simulator.core.live_meters import LiveMeters
from simulator.core.messages import problem_of
from simulator.core.personas.loader import LoadResult, default_personas_dir, load_personas
from simulator.core.personas.model import Persona
from simulator.memory import release_freed_memory
from simulator.settings import Settings, set_trainee, tidy_name
from simulator.speech.audio_devices import AudioUnavailable
from simulator.speech.live_call import LiveCall, LiveCallOptions
from simulator.speech.tts import SpeechRenderer
from simulator.ui.call_bridge import CallBridge

log = logging.getLogger(__name__)


class CallInProgress(RuntimeError):
    """The trainee cannot be switched while a call is starting or live: its attempt is already theirs."""
ENDED_EARLY = "ended_early"  # the stored ending of a call the trainee ended before the customer did


@dataclass(frozen=True)
class Capabilities:
    """What this machine can do now, with a user-facing reason for what it cannot."""

    audio: bool
    model_path: Path | None
    problems: tuple[str, ...]


def detect_capabilities(language: str, settings: Settings) -> Capabilities:
    from simulator.speech.audio_io import audio_problem
    from simulator.speech.models import ModelError, find_model
    from simulator.speech.tts import tts_problem

    audio_issue = audio_problem(refresh=True)
    problems = [p for p in (tts_problem(), audio_issue) if p]
    model_path: Path | None = None
    try:
        model_path = find_model(language, settings.model_dirs.get(language) or None)
    except ModelError as exc:
        problems.append(problem_of(exc))
    return Capabilities(audio_issue is None, model_path, tuple(problems))


@dataclass
class _Attempt:
    """A call in progress and where it is stored; `store_error` when the database refused to start it
    (the call goes on in memory and is written to files at the end)."""

    call: LiveCall
    attempt_id: int | None
    files: Path | None = None       # the recording's path; the timeline goes beside it if the store fails
    store_error: str | None = None

    def audio(self) -> Path | None:
        """The recording file the call left, if any."""
        recorder = self.call.recorder
        if recorder is None:
            return None
        return next((p for p in (recorder.path, recorder.partial_path) if p.is_file()), None)


@dataclass
class _Start:
    """A call being opened on the worker thread; cancelled when it is ended before it goes live."""

    cancelled: threading.Event


@dataclass(frozen=True)
class CallOutcome:
    """A finished call as the scorecard needs it."""

    analysis: object             # simulator.core.analysis.call.CallAnalysis
    persona: Persona
    scenario_id: str
    recording: Path | None
    attempt_id: int | None
    audio: object = None         # simulator.core.review.call_audio.CallAudio: the recording decoded once


class CallController(QObject):
    analysisReady = Signal(object)     # simulator.core.analysis.call.CallAnalysis
    callFinished = Signal(object)      # CallOutcome
    attemptSaved = Signal(int)
    capabilitiesChecked = Signal(object)   # Capabilities of the call gone live, just after bridge.callStarted

    def __init__(self, personas_dir: Path | None = None, renderer: SpeechRenderer | None = None,
                 capabilities: Capabilities | None = None, store: AttemptStore | None = None,
                 settings: Settings | None = None) -> None:
        super().__init__()
        self.bridge = CallBridge()
        self.library: LoadResult = load_personas(personas_dir or default_personas_dir())
        self.renderer = renderer or SpeechRenderer()
        self.store = store
        self.settings = settings or Settings()
        self._capabilities = capabilities
        self._finishing: list[threading.Thread] = []
        self._attempt: _Attempt | None = None
        self._start: _Start | None = None
        self._starters: list[threading.Thread] = []
        self._lock = threading.RLock()          # the live call and the one starting change on two threads
        self.analysis_threads: list[str] = []   # where each analysis ran: never the GUI thread
        self.bridge.callEnded.connect(self._on_ended)

    def capabilities(self, language: str) -> Capabilities:
        """Checked at every call start, so a microphone plugged in since the last call is found."""
        return self._capabilities or detect_capabilities(language, self.settings)

    def persona(self, persona_id: str) -> Persona:
        return next(p for p in self.library.personas if p.id == persona_id)

    @property
    def call(self) -> LiveCall | None:
        return self._attempt.call if self._attempt else None

    @property
    def starting(self) -> bool:
        """A call is being opened on the worker thread and is not live yet."""
        return self._start is not None

    @property
    def busy(self) -> bool:
        """A call is starting or in progress."""
        return self._start is not None or self._attempt is not None

    @property
    def ends_early(self) -> bool:
        """Ending now would cut a live call short: the customer has not ended it (the attempt is stored as
        ended early). A call still being opened is cancelled, not stored, so it does not count."""
        call = self.call
        return call is not None and call.session.ending is None

    def start_call(self, persona_id: str, scenario_id: str | None, seed: int | None = None) -> None:
        """Returns at once: the device and voice checks, the attempt's row and opening the speaker and
        microphone (seconds on some machines) run on a worker thread, which announces the live call with
        bridge.callStarted then capabilitiesChecked; end_call() meanwhile cancels it.

        seed None: a fresh one per attempt, so the same scenario does not always open alike; the seed is kept
        in the timeline, which replays the call's lines."""
        self.end_call()
        if self.store is not None and not self.trainee():   # every stored attempt belongs to a named trainee
            self.bridge.problem(self.tr("Enter the trainee's name before the call: the attempt is saved under it."))
            self.callFinished.emit(None)
            return
        if seed is None:
            seed = secrets.randbits(32)
        session = CallSession(self.persona(persona_id), scenario_id, seed)
        start = _Start(threading.Event())
        thread = threading.Thread(target=self._open, args=(start, session), name="call-start", daemon=True)
        with self._lock:
            self._start = start
            self._starters = [t for t in self._starters if t.is_alive()] + [thread]
        thread.start()

    def _open(self, start: _Start, session: CallSession) -> None:
        """Worker thread: open the call, then make it the live one unless it was cancelled meanwhile."""
        persona = session.persona
        try:
            caps = self.capabilities(persona.language)
            if start.cancelled.is_set():      # ended before anything was opened
                self.callFinished.emit(None)
                return
            attempt, caps = self._open_call(session, caps)
        except Exception as exc:   # the window waits for this call: it must hear that it will not come
            log.exception("the call could not be started")
            with self._lock:
                if self._start is start:
                    self._start = None
            self.bridge.problem(self.tr("The call could not be started: %1").replace("%1", str(exc)))
            self.callFinished.emit(None)
            return
        with self._lock:
            live = self._start is start and not start.cancelled.is_set()
            if live:
                self._start = None
                self._attempt = attempt
                self.bridge.callStarted.emit(persona.display_name, session.scenario.title)
                self.capabilitiesChecked.emit(caps)
        if not live:
            attempt.call.stop()
            if self.store is not None and attempt.attempt_id is not None:
                self.store.delete_attempt(attempt.attempt_id)
            self.callFinished.emit(None)
            return
        attempt.call.begin()

    def _open_call(self, session: CallSession, caps: Capabilities) -> tuple[_Attempt, Capabilities]:
        from simulator.core.review.stored import BASELINE_KEY  # loads the analysis: on this worker, not at start-up

        persona = session.persona
        player = microphone = None
        if caps.audio:
            from simulator.speech.audio_io import CallClock, Microphone, Player

            clock = CallClock()
            player = Player(clock, device=self.settings.output_device)
            microphone = Microphone(clock, device=self.settings.input_device, backlog=False)  # subscribers only
        else:
            clock = None
        attempt_id = recording = store_error = None
        if self.store is not None:
            try:
                attempt_id, recording = self.store.begin_attempt(
                    self.trainee(), persona.id, persona.type, session.scenario.id, persona.language,
                    group=self.trainee_group())
            except StorageError as exc:
                recording = self.store.recordings_dir / f"unsaved-{datetime.now():%Y%m%d-%H%M%S}.flac"
                store_error = str(exc)
                self._store_failed(exc)
        session.timeline.extra[BASELINE_KEY] = self.settings.baseline_loudness_db  # scored, and re-scored, with it
        progress = self._progress_saver(attempt_id)
        options = LiveCallOptions(self.settings.end_of_turn_silence, self.settings.push_to_talk,
                                  recording if caps.audio else None, self.settings.baseline_loudness_db,
                                  end_of_turn_short=self.settings.end_of_turn_short)
        call = LiveCall(session, self.renderer, self.bridge, options, clock=clock, player=player,
                        microphone=microphone, model_path=caps.model_path if caps.audio else None,
                        on_progress=progress)
        try:
            call.open()
        except AudioUnavailable as exc:   # listed, but would not open (e.g. the saved headset is gone)
            call.stop()
            caps = Capabilities(False, None, caps.problems + (problem_of(exc),))
            options.recording = None
            call = LiveCall(session, self.renderer, self.bridge, options, on_progress=progress)
            call.open()
        except Exception:
            call.stop()                    # nothing stays open behind the error reported
            raise
        return _Attempt(call, attempt_id, recording, store_error), caps

    def trainee(self) -> str:
        """Who takes the calls: the name given in the app ("" until one is given; never the computer's
        user name, which says nothing about who sits at a shared laptop)."""
        return tidy_name(self.settings.trainee_name)

    def trainee_group(self) -> str | None:
        """The current trainee's class or team, None without one."""
        return tidy_name(self.settings.trainee_group) or None

    def switch_trainee(self, name: str, group: str = "") -> None:
        """Make (name, group) the trainee of the next calls. Raises CallInProgress during a call, ValueError
        for a blank name; the caller saves the settings."""
        if self.busy:
            raise CallInProgress("the trainee cannot be switched during a call")
        set_trainee(self.settings, name, group)

    def _progress_saver(self, attempt_id: int | None):
        """Save the timeline after every turn (call thread); a failing database is reported once and the
        call goes on: the whole timeline is saved again at the next turn and at the end."""
        store = self.store
        if store is None or attempt_id is None:
            return None

        reported = threading.Event()

        def save(data: dict) -> None:
            try:
                store.save_progress(attempt_id, data)
            except StorageError as exc:
                if not reported.is_set():
                    reported.set()
                    self._store_failed(exc)
        return save

    def _store_failed(self, exc: StorageError) -> None:
        self.bridge.problem(self.tr("The attempt cannot be saved now (%1); the call goes on and nothing is lost.")
                            .replace("%1", str(exc)))

    def recent_attempts(self, limit: int = 10) -> list[AttemptSummary]:
        """This trainee's latest attempts (none without a store or a trainee)."""
        if self.store is None or not self.trainee():
            return []
        return self.store.list_attempts(trainee=self.trainee(), limit=limit)

    def meters(self) -> LiveMeters | None:
        """The live pace/loudness/pitch reading of the call in progress (None: no call or no microphone)."""
        return self.call.meters() if self.call is not None else None

    def set_talk(self, held: bool) -> None:
        if self.call is not None:
            self.call.set_talk(held)

    def set_push_to_talk(self, enabled: bool) -> None:
        self.settings.push_to_talk = enabled
        if self.call is not None:
            self.call.set_push_to_talk(enabled)

    def set_paused(self, paused: bool) -> None:
        call = self.call
        if call is None or call.paused == paused:
            return
        if paused:
            call.pause()
        else:
            call.resume()
        self.bridge.paused.emit(paused)

    def send_text(self, text: str) -> None:
        if self.call is not None:
            self.call.submit_text(text)

    def end_call(self) -> None:
        """Ends the live call, or cancels the one being opened (what it opened is closed on its thread)."""
        with self._lock:
            start, self._start = self._start, None
        if start is not None:
            start.cancelled.set()
        self._close(drain=False)

    def _on_ended(self, _kind: str, _reason: str) -> None:
        self._close(drain=True)

    def _close(self, drain: bool) -> None:
        with self._lock:
            attempt, self._attempt = self._attempt, None
        if attempt is None:
            return
        thread = threading.Thread(target=self._finish, args=(attempt, drain), name="call-finish", daemon=True)
        self._finishing = [t for t in self._finishing if t.is_alive()] + [thread]
        thread.start()

    def wait_finished(self, timeout: float = 60.0) -> None:
        """Block until ended calls are scored and stored: closing the app must not lose an attempt."""
        for thread in list(self._starters) + list(self._finishing):
            thread.join(timeout)

    def _finish(self, attempt: _Attempt, drain: bool) -> None:
        from simulator.core.analysis.call import analyze_call
        from simulator.core.analysis.scoring import ENDING_KEY
        from simulator.core.review.call_audio import CallAudio
        from simulator.core.review.stored import stored_baseline

        self.analysis_threads.append(threading.current_thread().name)
        call = attempt.call
        if drain:
            call.wait_for_playback()
        recording = call.stop()
        release_freed_memory()   # the call's decoder, audio and threads are gone: before the analysis allocates
        session = call.session
        timeline = session.timeline
        timeline.extra.setdefault(ENDING_KEY, ENDED_EARLY)  # the session keeps the customer's ending; else the trainee's
        try:
            audio = CallAudio.read(recording) if recording is not None else None   # once: analysis, waveform, playback
            analysis = analyze_call(timeline, audio=audio, language=timeline.language,
                                    persona_type=session.persona.type, baseline_db=stored_baseline(timeline))
        except (ValueError, OSError) as exc:   # AnalysisInputError is a ValueError
            self.bridge.problem(self.tr("The call could not be scored: %1").replace("%1", str(exc)))
            self.callFinished.emit(None)
            return
        attempt_id = self._store_results(attempt, analysis) if self.store is not None else None
        release_freed_memory()
        self.analysisReady.emit(analysis)
        self.callFinished.emit(CallOutcome(analysis, session.persona, session.scenario.id, recording, attempt_id,
                                                 audio))

    def _store_results(self, attempt: _Attempt, analysis) -> int | None:
        """Store the finished attempt; if the database fails, write its timeline and results beside the
        recording and say where. Returns the stored attempt's id (None: not in the database)."""
        call, session = attempt.call, attempt.call.session
        ending, card = session.ending, analysis.scorecard
        results = {"ending": ending.kind if ending else ENDED_EARLY,
                   "ending_reason": ending.reason if ending else "ended by the trainee",
                   "overall": card.overall, "scores": dict(card.criteria),
                   "findings": [asdict(f) for f in card.findings]}
        error = attempt.store_error
        if attempt.attempt_id is not None:
            try:
                self.store.finish_attempt(attempt.attempt_id, results["ending"], results["ending_reason"],
                                          session.timeline.to_json(), results["overall"], results["scores"],
                                          results["findings"],
                                          recording_error=call.recorder.error if call.recorder else None)
                self.attemptSaved.emit(attempt.attempt_id)
                return attempt.attempt_id
            except StorageError as exc:
                error = str(exc)
        kept = self._keep_on_disk(attempt, results)
        self.bridge.problem(self.tr("The attempt could not be saved (%1); it is kept in %2.")
                            .replace("%1", error or "")
                            .replace("%2", ", ".join(str(p) for p in kept) or self.tr("this window only")))
        return None

    def _keep_on_disk(self, attempt: _Attempt, results: dict) -> list[Path]:
        """The timeline (interchange format, results as extra keys) as JSON beside the recording."""
        kept = [p for p in (attempt.audio(),) if p is not None]
        if attempt.files is None:
            return kept
        target = attempt.files.with_suffix(".timeline.json")
        try:
            with os.fdopen(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600), "w", encoding="utf-8") as f:
                json.dump({**attempt.call.session.timeline.to_json(), **results}, f, ensure_ascii=False, indent=1)
        except OSError:
            target.unlink(missing_ok=True)
            return kept
        return kept + [target]
