"""Starting and ending calls, as plain Python: what the machine can do (voice, typed only), the attempt's row,
opening the speaker and microphone, the live call, and at its end the scoring and storing, each on a worker
thread of its own, so that no caller waits for devices, the recogniser or the database. Everything it learns
goes to a CallServiceListener, on the thread that learns it (the Qt controller turns it into signals)."""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Protocol

from simulator.app.call_results import CallAttempt, CallOutcome, score_call, store_results
from simulator.app.capabilities import Capabilities, detect_capabilities
from simulator.core.call_session import CallSession
from simulator.core.dialogue.engine import Ending
from simulator.core.live_meters import LiveMeters
from simulator.core.messages import Message, problem_of
from simulator.core.personas.loader import LoadResult, default_personas_dir, load_personas
from simulator.core.personas.model import Persona
from simulator.memory import release_freed_memory
from simulator.settings import Settings, set_trainee, tidy_name
from simulator.speech.audio_devices import AudioUnavailable
from simulator.speech.live_call import CallListener, LiveCall, LiveCallOptions
from simulator.speech.tts import SpeechRenderer
from simulator.storage import AttemptStore, AttemptSummary, StorageError

log = logging.getLogger(__name__)


class CallInProgress(RuntimeError):
    """The trainee cannot be switched while a call is starting or live: its attempt is already theirs."""


class CallServiceListener(CallListener, Protocol):
    """The live call's events (CallListener) and the service's own, each on the thread that learns it."""

    def started(self, persona_name: str, scenario_title: str, capabilities: Capabilities) -> None: ...
    def finished(self, outcome: CallOutcome | None) -> None: ...   # None: refused, cancelled or not scored
    def saved(self, attempt_id: int) -> None: ...
    def paused(self, paused: bool) -> None: ...


class _EndWatch:
    """What the live call hears, passed on to the listener; the customer's ending also closes the call."""

    def __init__(self, listener: CallServiceListener, on_ended: Callable[[], None]) -> None:
        self._listener = listener
        self._on_ended = on_ended

    def __getattr__(self, name: str) -> Any:
        return getattr(self._listener, name)

    def ended(self, ending: Ending) -> None:
        self._listener.ended(ending)
        self._on_ended()


@dataclass
class _Start:
    """A call being opened on the worker thread; cancelled when it is ended before it goes live."""

    cancelled: threading.Event


class CallService:
    def __init__(self, listener: CallServiceListener, personas_dir: Path | None = None,
                 renderer: SpeechRenderer | None = None, capabilities: Capabilities | None = None,
                 store: AttemptStore | None = None, settings: Settings | None = None) -> None:
        self.listener = listener
        self.library: LoadResult = load_personas(personas_dir or default_personas_dir())
        self.renderer = renderer or SpeechRenderer()
        self.store = store
        self.settings = settings or Settings()
        self._capabilities = capabilities
        self._live = _EndWatch(listener, lambda: self._close(drain=True))
        self._attempt: CallAttempt | None = None
        self._start: _Start | None = None
        self._workers: list[threading.Thread] = []   # calls starting and finishing: waited for at close
        self._lock = threading.RLock()          # the live call and the one starting change on several threads
        self.analysis_threads: list[str] = []   # where each analysis ran: never the caller's

    def capabilities(self, language: str) -> Capabilities:
        """Checked at every call start, so a microphone plugged in since the last call is found."""
        return self._capabilities or detect_capabilities(language, self.settings)

    def persona(self, persona_id: str) -> Persona:
        return next(p for p in self.library.personas if p.id == persona_id)

    @property
    def call(self) -> LiveCall | None:
        attempt = self._attempt
        return attempt.call if attempt else None

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

    # ------------------------------------------------------------ starting

    def start_call(self, persona_id: str, scenario_id: str | None, seed: int | None = None) -> None:
        """Returns at once: the device and voice checks, the attempt's row and opening the speaker and
        microphone (seconds on some machines) run on a worker thread, which announces the live call with
        listener.started; end_call() meanwhile cancels it.

        seed None: a fresh one per attempt, so the same scenario does not always open alike; the seed is kept
        in the timeline, which replays the call's lines."""
        self.end_call()
        if self.store is not None and not self.trainee():   # every stored attempt belongs to a named trainee
            self.listener.problem(Message("call.no_trainee"))
            self.listener.finished(None)
            return
        if seed is None:
            seed = secrets.randbits(32)
        session = CallSession(self.persona(persona_id), scenario_id, seed)
        start = _Start(threading.Event())
        with self._lock:
            self._start = start
        self._spawn("call-start", self._open, start, session)

    def _spawn(self, name: str, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        with self._lock:
            self._workers = [t for t in self._workers if t.is_alive()] + [thread]
        thread.start()

    def _open(self, start: _Start, session: CallSession) -> None:
        """Worker thread: open the call, then make it the live one unless it was cancelled meanwhile."""
        persona = session.persona
        try:
            caps = self.capabilities(persona.language)
            if start.cancelled.is_set():      # ended before anything was opened
                self.listener.finished(None)
                return
            attempt, caps = self._open_call(session, caps)
        except Exception as exc:   # the caller waits for this call: it must hear that it will not come
            log.exception("the call could not be started")
            with self._lock:
                if self._start is start:
                    self._start = None
            self.listener.problem(Message("call.start_failed", error=str(exc)))
            self.listener.finished(None)
            return
        with self._lock:
            live = self._start is start and not start.cancelled.is_set()
            if live:
                self._start = None
                self._attempt = attempt
                self.listener.started(persona.display_name, session.scenario.title, caps)
        if not live:
            attempt.call.stop()
            if self.store is not None and attempt.attempt_id is not None:
                self.store.delete_attempt(attempt.attempt_id)
            self.listener.finished(None)
            return
        attempt.call.begin()

    def _open_call(self, session: CallSession, caps: Capabilities) -> tuple[CallAttempt, Capabilities]:
        from simulator.core.review.stored import BASELINE_KEY  # loads the analysis: on this worker, not at start-up

        persona = session.persona
        player = microphone = None
        if caps.audio:
            from simulator.speech.audio_io import CALL_BLOCKSIZE, CallClock, Microphone, Player

            clock = CallClock()
            player = Player(clock, device=self.settings.output_device)
            microphone = Microphone(clock, device=self.settings.input_device, blocksize=CALL_BLOCKSIZE,
                                    backlog=False)  # subscribers only
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
        call = LiveCall(session, self.renderer, self._live, options, clock=clock, player=player,
                        microphone=microphone, model_path=caps.model_path if caps.audio else None,
                        on_progress=progress)
        try:
            call.open()
        except AudioUnavailable as exc:   # listed, but would not open (e.g. the saved headset is gone)
            call.stop()
            caps = Capabilities(False, None, caps.problems + (problem_of(exc),))
            options.recording = None
            call = LiveCall(session, self.renderer, self._live, options, on_progress=progress)
            call.open()
        except Exception:
            call.stop()                    # nothing stays open behind the error reported
            raise
        return CallAttempt(call, attempt_id, recording, store_error), caps

    def _progress_saver(self, attempt_id: int | None) -> Callable[[dict], None] | None:
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
        self.listener.problem(Message("call.store_failing", error=str(exc)))

    # ------------------------------------------------------------ the trainee

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

    def recent_attempts(self, limit: int = 10) -> list[AttemptSummary]:
        """This trainee's latest attempts (none without a store or a trainee); blocking: a worker's call."""
        trainee = self.trainee()
        if self.store is None or not trainee:
            return []
        return self.store.list_attempts(trainee=trainee, limit=limit)

    # ------------------------------------------------------------ the live call

    def meters(self) -> LiveMeters | None:
        """The live pace/loudness/pitch reading of the call in progress (None: no call or no microphone)."""
        call = self.call
        return call.meters() if call is not None else None

    def set_talk(self, held: bool) -> None:
        if (call := self.call) is not None:
            call.set_talk(held)

    def set_push_to_talk(self, enabled: bool) -> None:
        self.settings.push_to_talk = enabled
        if (call := self.call) is not None:
            call.set_push_to_talk(enabled)

    def set_paused(self, paused: bool) -> None:
        call = self.call
        if call is None or call.paused == paused:
            return
        if paused:
            call.pause()
        else:
            call.resume()
        self.listener.paused(paused)

    def send_text(self, text: str) -> None:
        if (call := self.call) is not None:
            call.submit_text(text)

    # ------------------------------------------------------------ ending

    def end_call(self) -> None:
        """Ends the live call, or cancels the one being opened (what it opened is closed on its thread)."""
        with self._lock:
            start, self._start = self._start, None
        if start is not None:
            start.cancelled.set()
        self._close(drain=False)

    def _close(self, drain: bool) -> None:
        """Take the live call (once, whoever ends it first) and score and store it on a worker thread."""
        with self._lock:
            attempt, self._attempt = self._attempt, None
        if attempt is not None:
            self._spawn("call-finish", self._finish, attempt, drain)

    def wait_finished(self, timeout: float = 60.0) -> None:
        """Block until the calls being started and ended are settled: closing the app must not lose an attempt."""
        with self._lock:
            workers = list(self._workers)
        for thread in workers:
            thread.join(timeout)

    def _finish(self, attempt: CallAttempt, drain: bool) -> None:
        self.analysis_threads.append(threading.current_thread().name)
        call = attempt.call
        if drain:
            call.wait_for_playback()
        recording = call.stop()
        release_freed_memory()   # the call's decoder, audio and threads are gone: before the analysis allocates
        try:
            analysis, audio = score_call(attempt, recording)
        except (ValueError, OSError) as exc:   # AnalysisInputError is a ValueError
            self.listener.problem(Message("call.not_scored", error=str(exc)))
            self.listener.finished(None)
            return
        attempt_id = None
        if self.store is not None:
            attempt_id, problem = store_results(self.store, attempt, analysis)
            if attempt_id is not None:
                self.listener.saved(attempt_id)
            else:
                self.listener.problem(problem)
        release_freed_memory()
        session = call.session
        self.listener.finished(CallOutcome(analysis, session.persona, session.scenario.id, recording, attempt_id,
                                           audio))
