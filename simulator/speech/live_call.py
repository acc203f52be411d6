"""Runs one call on real devices: plays the customer, listens to the trainee, feeds the dialogue.

Threads: the audio callbacks only fill buffers (Microphone, Player); a listening thread moves
microphone blocks to the recorder and the recogniser; a meter tap measures pace, loudness and pitch;
one dialogue thread owns the CallSession, so the session needs no locks. Results go to a CallListener
(the Qt bridge turns them into signals).

Speech onset and offset come from voice activity on the microphone blocks (simulator.speech.vad), not from the
recogniser: the trainee's turn starts at the onset (the moment the live dead-air marker, the latency and the
scorecard all measure from), and at each offset the recogniser is asked for its words at once; the turn then ends
after a short silence when they form a complete reply, a longer one when they stop mid-phrase, and always within
the cap (simulator.core.turn_taking).

A pause stops playback and listening. So that the pause is not the trainee's dead air, the customer
repeats its last line on resume (the reply is timed from that line), and the paused spans are kept in
the timeline's extra["pauses"] for review.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol

import numpy as np

from simulator.core.call_session import CallSession, TraineeReply
from simulator.core.dialogue.engine import CustomerLine, Ending
from simulator.core.events import Event, TurnAssessment
from simulator.core.live_meters import LiveMarker, LiveMarkers, LiveMeters, LiveMeterState, TurnReading, turn_events
from simulator.core.messages import Message, problem_of
from simulator.core.personas.model import band_of
from simulator.core.timeline import Word
from simulator.core.analysis.timing import customer_talking_at
from simulator.core.turn_taking import EndOfTurnSettings, SpeakerPauses, is_barge_in, turn_over, turn_silence
from simulator.speech.audio_io import CallClock, Microphone, Player
from simulator.speech.meter_tap import MeterTap
from simulator.speech.models import ModelError
from simulator.speech.recognizer import RecognizedWords, StreamingRecognizer, load_model
from simulator.speech.recorder import CallRecorder
from simulator.speech.tts import SpeechRenderer, load_audio
from simulator.speech.vad import MicrophoneVad, rises_before


RECENT_SECONDS = 1.0   # audio kept on the listening thread for the pitch before an offset (rises_before: 0.6 s)
TICK = 0.1   # seconds between the dialogue thread's checks of silences and monologues
RECOGNISER_WAIT = 5.0   # seconds a turn the cap closed waits for the recogniser's words before it is answered as is
FINISH_GAIN = 1.6   # about 4 dB: a customer who finishes the clause it was talked over in raises its voice
# The answer prepared during the end-of-turn silence is pre-rolled to start this long after the silence's end (audio
# time): by then the frame at the end has been judged silent, delivered and answered (0.01-0.04 s: the 20 ms block, its
# delivery, the dialogue thread), and the Player still has PREROLL_MARGIN (0.03 s) to drop it when the trainee spoke on.
PREROLL_AFTER = 0.08


class CallListener(Protocol):
    def customer_line(self, line: CustomerLine, start: float, end: float) -> None: ...
    def partial(self, text: str) -> None: ...
    def trainee_turn(self, assessment: TurnAssessment) -> None: ...
    def marker(self, marker: LiveMarker) -> None: ...
    def ended(self, ending: Ending) -> None: ...
    def problem(self, message: str) -> None: ...  # mostly a Message, shown in the interface language


@dataclass
class LiveCallOptions:
    end_of_turn_silence: float = 1.6     # seconds of silence that end a turn whose words stop mid-phrase
    push_to_talk: bool = False           # the turn ends on release instead of on silence
    recording: Path | None = None
    baseline_loudness_db: float | None = None  # the trainee's calibrated level (dBFS); None: measured live
    end_of_turn_short: float = 0.64      # ... and a turn whose words form a complete reply
    end_of_turn_cap: float = 2.0         # no turn stays open longer after the voice stopped

    def end_of_turn(self) -> EndOfTurnSettings:
        long = min(self.end_of_turn_silence, self.end_of_turn_cap)
        return EndOfTurnSettings(min(self.end_of_turn_short, long), long, self.end_of_turn_cap)


@dataclass
class _Pending:
    """Recognised utterances of the trainee turn in progress."""

    words: list[Word]
    texts: list[str]
    start: float
    last_voice: float                     # where the silence that may end the turn is timed from
    cut_in: CustomerLine | None = None    # the customer cut into this turn before any of it was recognised
    onset: float | None = None            # voice activity: the turn's first speech onset
    speaking: bool = False                # voice activity: speech under way now
    rising: bool = False                  # the pitch rose at the latest offset
    partial: str = ""                     # the words being recognised now
    barged: bool = False                  # started over the customer's line and bid for the turn


@dataclass
class _Closed:
    """A turn the cap closed before the recogniser had given its words: answered once they are in (or after
    RECOGNISER_WAIT), so a recogniser that lags on a busy machine delays the answer but never loses the turn."""

    pending: _Pending
    reading: TurnReading | None
    since: float
    end: TurnEnd


@dataclass
class TurnEnd:
    """When a turn ended on silence, stage by stage (call times), for the reply-gap budget in bench/: the voice
    offset; the audio time the silence was judged complete at; when the recogniser's words up to the offset were
    in; when the dialogue thread decided; when the answer was handed to the speaker; when it starts there,
    whether it was the one prepared during the silence and whether it had been pre-rolled into the stream."""

    offset: float
    audio: float
    words_at: float
    decided: float
    queued: float | None = None
    reply_start: float | None = None
    prepared: bool = False
    prerolled: bool = False


@dataclass
class _Prepared:
    """The customer's answer to the turn as it stands, chosen on a copy of the session and rendered during the
    end-of-turn silence; used if the turn ends as it stood, thrown away if the trainee speaks on."""

    key: tuple
    line: CustomerLine
    clip: object | None          # the Player's prepared clip (None: no speaker)
    duration: float
    due: float | None = None     # pre-rolled into the speaker's stream to start at this call time


class LiveCall:
    def __init__(self, session: CallSession, renderer: SpeechRenderer, listener: CallListener,
                 options: LiveCallOptions | None = None, clock: CallClock | None = None,
                 player: Player | None = None, microphone: Microphone | None = None,
                 model_path: Path | None = None,
                 on_progress: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.session = session
        self.renderer = renderer
        self.listener = listener
        self.options = options or LiveCallOptions()
        self.clock = clock or CallClock()
        self.player = player
        self.microphone = microphone
        self.recorder = CallRecorder(self.options.recording) if self.options.recording else None
        self._model_path = model_path
        self._on_progress = on_progress
        self._reported: set[str] = set()
        self._commands: queue.Queue[tuple[str, object]] = queue.Queue()
        self._pending: _Pending | None = None
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._talk_held = False
        self._flush = threading.Event()        # push-to-talk released: flush the recogniser
        self._paused = threading.Event()
        self._utterances: list[str] = []       # listen thread: finals of the turn in progress, for the meters
        self._prefetched: set[str] = set()     # mood bands whose voice the persona's lines were queued in
        self._heard_until: float | None = None # listen thread: call time up to which voice activity was judged
        self._to_recogniser: queue.Queue[tuple[str, object]] = queue.Queue()   # listen -> recognise thread
        self._words_until = float("-inf")      # dialogue thread: the voice offset the recogniser's words reach
        self._words_at = float("-inf")         # dialogue thread: the call time those words came in
        self._prepared: _Prepared | None = None
        self._queued_at = float("-inf")        # dialogue thread: when the latest line was handed to the speaker
        self.prepared_used = 0                 # answers that were ready when the turn ended ...
        self.prerolled_used = 0                # ... of them, already pre-rolled into the speaker's stream ...
        self.prepared_dropped = 0              # ... and answers thrown away because the trainee spoke on
        self._closed_until = float("-inf")     # dialogue thread: the voice offset of the last turn ended on silence
        self.late_words: list[RecognizedWords] = []   # words that came after their turn was answered
        self._closed: _Closed | None = None    # dialogue thread: the turn closed by the cap, waiting for its words
        self.turn_ends: list[TurnEnd] = []     # each turn ended on silence, stage by stage
        self.pauses = SpeakerPauses()          # dialogue thread: the trainee's pauses, which lengthen the short silence
        self.markers = LiveMarkers(session.thresholds, listening=microphone is not None and model_path is not None)
        self.meter_tap: MeterTap | None = None
        if microphone is not None:
            state = LiveMeterState(session.persona.language, session.thresholds, self.options.baseline_loudness_db,
                                   microphone.sample_rate)
            self.meter_tap = MeterTap(microphone, state)

    # -- control (any thread) -------------------------------------------------------------------
    def start(self) -> None:
        self.open()
        self.begin()

    def open(self) -> None:
        """Open the speaker and microphone and start the call's threads, without the customer speaking yet:
        whoever shows the call announces it first, so the opening line never arrives before the call."""
        self.clock.start()
        self._prefetch_band(band_of(self.session.mood))
        self._spawn(self.session.warm_up(), "warm-up")
        if self.player is not None:
            if self.recorder is not None:
                self.player.on_played = self.recorder.add_customer
            self.player.start()
        if self.microphone is not None:
            self._load_model()              # before listening: words that come seconds late would miss their turn
            self.microphone.start()
            self._spawn(self._listen_loop, "listen")
            self._spawn(self._recognise_loop, "recognise")
            assert self.meter_tap is not None
            self.meter_tap.start()
        self._spawn(self._dialogue_loop, "dialogue")

    def begin(self) -> None:
        """The customer opens the call."""
        self._commands.put(("opening", None))

    def submit_text(self, text: str) -> None:
        """A typed reply: always possible, with or without a microphone."""
        if text.strip():
            self._commands.put(("typed", text.strip()))

    def set_talk(self, held: bool) -> None:
        """Push-to-talk: only speech while the key is held is heard; releasing it ends the trainee's turn."""
        self._talk_held = held
        if held:
            return
        if self.microphone is not None and self._model_path is not None:
            self._flush.set()      # the listening thread flushes the recogniser, then ends the turn
        else:
            self._commands.put(("turn_end", None))

    def set_push_to_talk(self, enabled: bool) -> None:
        """Switch between push-to-talk and the end of turn on silence, mid-call."""
        self.options.push_to_talk = enabled
        if not enabled:
            self._talk_held = False

    @property
    def talk_held(self) -> bool:
        """Push-to-talk key down: what is heard now belongs to the trainee's turn."""
        return self._talk_held

    @property
    def paused(self) -> bool:
        return self._paused.is_set()

    def pause(self) -> None:
        """Stop playback and listening; the trainee's turn in progress ends cleanly first."""
        if not self._paused.is_set():
            self._paused.set()
            self._commands.put(("pause", None))

    def resume(self) -> None:
        if self._paused.is_set():
            self._commands.put(("resume", None))

    def meters(self) -> LiveMeters | None:
        return self.meter_tap.snapshot() if self.meter_tap is not None else None

    def wait_for_playback(self, timeout: float = 20.0) -> None:
        """Let the customer's last line finish before the call is closed."""
        deadline = self.clock.now() + timeout
        while self.player is not None and self.player.is_playing() and self.clock.now() < deadline:
            self._stopping.wait(0.05)

    def stop(self) -> Path | None:
        self._stopping.set()
        self._commands.put(("stop", None))
        for t in self._threads:
            t.join(timeout=5)
        if self.meter_tap is not None:
            self.meter_tap.stop()
        if self.microphone is not None:
            self.microphone.stop()
        if self.player is not None:
            self.player.stop()
        return self.recorder.close() if self.recorder is not None else None

    # -- threads ----------------------------------------------------------------------------------
    def _spawn(self, target, name: str) -> None:
        thread = threading.Thread(target=target, name=f"call-{name}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _load_model(self) -> None:
        """Load the speech model before listening; a model that will not load turns recognition off for this
        call with one message, while recording and typed replies go on."""
        if self._model_path is None:
            return
        try:
            load_model(self._model_path)
        except ModelError as exc:
            self._model_path = None
            self._report(Message("model.recognition_off", problem=exc.args[0]))

    def _listen_loop(self) -> None:
        """Voice activity in step with the microphone; the recogniser gets the blocks on its own thread, so a
        slow recogniser delays the words, never an onset, an offset or a marker."""
        assert self.microphone is not None
        blocks = self.microphone.subscribe()
        vad = MicrophoneVad(self.microphone.sample_rate, self.options.baseline_loudness_db)
        recent: deque[tuple[float, np.ndarray]] = deque()   # the last second of audio, for the pitch at an offset
        while not self._stopping.is_set():
            if self._flush.is_set():
                self._flush.clear()
                self._to_recogniser.put(("end", "turn_end"))
            try:
                call_time, block = blocks.get(timeout=0.1)
            except queue.Empty:
                if self.microphone.error:
                    self._report(self.microphone.error)
                    return
                continue
            if self._paused.is_set():
                self._to_recogniser.put(("end", None))
                continue
            if self.recorder is not None:
                self.recorder.add_trainee(call_time, block)
                self._report(self.recorder.error)
            if self._model_path is None or (self.options.push_to_talk and not self._talk_held):
                self._heard_until = call_time + len(block) / self.microphone.sample_rate
                continue
            self._to_recogniser.put(("block", (call_time, block)))
            edges = vad.block(call_time, block)
            recent.append((call_time, block))
            while recent and recent[0][0] < call_time - RECENT_SECONDS:
                recent.popleft()
            for edge in edges:
                if edge.kind == "onset":
                    self._commands.put(("onset", edge.time))
                else:       # the words now, not at the recogniser's own endpoint; then the offset they end at
                    self._to_recogniser.put(("flush", edge.time))
                    rising = rises_before(list(recent), edge.time, vad.sample_rate)
                    self._commands.put(("offset", (edge.time, rising)))
            self._heard_until = vad.heard_until
            self._commands.put(("heard", (vad.heard_until, vad.sure_until)))

    def _recognise_loop(self) -> None:
        """The recogniser's thread: words and partial text from the blocks the listening thread passes on; at
        each voice offset ("flush") the words up to it, then ("words", offset) to say they are all in."""
        recognizer: StreamingRecognizer | None = None
        while not self._stopping.is_set():
            try:
                kind, payload = self._to_recogniser.get(timeout=0.1)
            except queue.Empty:
                continue
            if kind == "end":
                recognizer = self._end_utterance(recognizer, payload)  # type: ignore[arg-type]
                continue
            if self._model_path is None:
                if kind == "flush":
                    self._commands.put(("words", payload))
                continue
            if kind == "flush":
                if recognizer is not None:
                    self._flush_words(recognizer)
                self._commands.put(("words", payload))
                continue
            call_time, block = payload  # type: ignore[misc]
            if recognizer is None:
                recognizer = StreamingRecognizer(self._model_path, time_offset=call_time)
            partial, final = recognizer.accept(_shift(block))
            if partial:
                self.listener.partial(partial)
                self._commands.put(("partial", partial))
            if final is not None and final.text:
                self._commands.put(("final", final))
                self._utterances.append(final.text)
            if self.meter_tap is not None:
                self.meter_tap.heard(self._utterances, partial)

    def _flush_words(self, recognizer: StreamingRecognizer) -> None:
        """The recogniser's words up to a voice offset, as a final utterance; it goes on with the same stream
        (its word times run on), so the turn's next words need no new recogniser."""
        final = recognizer.finish()
        if final is not None and final.text:
            self._commands.put(("final", final))
            self._utterances.append(final.text)

    def _end_utterance(self, recognizer: StreamingRecognizer | None, then: str | None) -> StreamingRecognizer | None:
        """Flush what the recogniser still holds as a final utterance, then queue `then`; a new recogniser
        starts at the next block. Returns None (the recogniser to use from now on)."""
        if recognizer is not None:
            final = recognizer.finish()
            if final is not None and final.text and then is not None:
                self._commands.put(("final", final))
        self._utterances = []
        if then is not None:
            self._commands.put((then, None))
        return None

    def _dialogue_loop(self) -> None:
        ticked = self.clock.now()
        while True:
            try:
                kind, payload = self._commands.get(timeout=TICK)
            except queue.Empty:
                kind, payload = "tick", None
            if self.clock.now() - ticked >= TICK:      # also while commands keep coming (every audio block)
                ticked = self.clock.now()
                self._tick()
            if kind == "stop":
                return
            if self.session.ending is not None:
                continue
            if kind == "pause":
                self._pause()
            elif kind == "resume":
                self._resume()
            elif self._paused.is_set() and kind != "turn_end":
                continue
            elif kind == "opening":
                self._say(self.session.opening())
            elif kind == "typed":
                self._reply(*self.session.typed_reply(str(payload), self.clock.now()))
            elif kind == "onset":
                self._onset(float(payload))  # type: ignore[arg-type]
            elif kind == "offset":
                self._offset(*payload)  # type: ignore[misc]
            elif kind == "heard":
                heard_until, sure_until = payload  # type: ignore[misc]
                self._barge_in_check(heard_until)
                self._end_of_turn_check(heard_until, sure_until)
            elif kind == "words":
                self._words_until = max(self._words_until, float(payload))  # type: ignore[arg-type]
                self._words_at = self.clock.now()
                if self._closed is not None and not self._words_behind(self._closed.pending):
                    self._answer_closed()
            elif kind == "partial":
                if self._pending is not None:
                    self._pending.partial = str(payload)
                    self._barge_in_check(self._audio_now())
            elif kind == "tick":
                continue
            elif kind == "final":
                self._utterance(payload)  # type: ignore[arg-type]
            elif kind == "turn_end":
                self._finish_turn()

    # -- dialogue thread only -----------------------------------------------------------------------
    def _pause(self) -> None:
        self._finish_turn()
        if self.player is not None and self.player.is_playing():
            self.player.stop_playback()
            self._trim_customer(self.clock.now())
        if self.meter_tap is not None:
            self.meter_tap.set_paused(True)
        self.markers.paused()
        self.session.timeline.extra.setdefault("pauses", []).append([round(self.clock.now(), 3), None])

    def _resume(self) -> None:
        pauses = self.session.timeline.extra.get("pauses") or [[self.clock.now(), None]]
        pauses[-1][1] = round(self.clock.now(), 3)
        self._paused.clear()
        if self.meter_tap is not None:
            self.meter_tap.set_paused(False)
        last = self.session.timeline.last("customer")
        if last is not None:
            mood = self.session.mood
            self._say(CustomerLine(last.text, mood, band_of(mood), "resume"))

    def _heard(self, when: float) -> _Pending:
        self.markers.trainee_speaking(when)
        if self._pending is None:
            self._pending = _Pending([], [], when, when)
        return self._pending

    def _onset(self, when: float) -> None:
        """Voice activity: the trainee started speaking at `when` (the turn's start, if it is a new turn)."""
        pending = self._pending
        if pending is not None and pending.texts and not pending.speaking and not self._customer_talking(when):
            cue = self._reply_of(pending)
            if self.session.is_listening_cue(cue):
                self._pending = None        # a 嗯 near the end of the line, then the reply: two things
                self.listener.trainee_turn(self.session.listening_cue(cue))
        self._drop_prepared()                 # the trainee speaks on
        pending, settings = self._pending, self.options.end_of_turn()
        if pending is not None and pending.texts and not pending.speaking and pending.onset is not None and \
                turn_silence(" ".join(pending.texts), self.session.persona.language, pending.rising,
                             settings) < settings.long:
            self.pauses.resumed(when - pending.last_voice)   # a pause the short silence was timing
        pending = self._heard(when)
        if pending.onset is None:
            pending.onset = pending.start = when
        pending.speaking = True

    def _offset(self, when: float, rising: bool) -> None:
        """Voice activity: speech stopped at `when`; the recogniser's words up to it came just before."""
        pending = self._pending
        if pending is not None:
            pending.speaking = False
            pending.last_voice = when
            pending.rising = rising

    def _utterance(self, utt: RecognizedWords) -> None:
        closed = self._closed
        if closed is not None and utt.start < closed.pending.last_voice:   # its answer waits for these words
            closed.pending.words += utt.words
            closed.pending.texts.append(utt.text)
            return
        if utt.end <= self._closed_until:     # words of a turn already answered
            self.late_words.append(utt)
            return
        pending = self._pending
        if pending is not None and pending.texts and pending.onset is None and not self._customer_talking(utt.start):
            cue = self._reply_of(pending)
            if self.session.is_listening_cue(cue):   # a 嗯 near the end of the line, then the reply: two things
                self._pending = None
                self.listener.trainee_turn(self.session.listening_cue(cue))
        pending = self._heard(utt.start)
        if pending.onset is None:                    # no voice activity (typed test input, a voice under the gate)
            pending.start = min(pending.start, utt.start)
            pending.last_voice = max(pending.last_voice, utt.end)
        pending.words += utt.words
        pending.texts.append(utt.text)
        pending.partial = ""

    def _barge_in_check(self, heard_until: float) -> None:
        """Speech that started over the customer's line and is no backchannel: the interruption marker at once,
        and the customer reacts as the persona does in its mood band (persona file [barge_in])."""
        pending = self._pending
        if pending is None or pending.barged or pending.onset is None or self.player is None:
            return
        customer = [t for t in self.session.timeline.turns if t.speaker == "customer"]
        if not self.player.is_playing() or customer_talking_at(pending.onset, customer,
                                                               self.session.thresholds.min_overlap) is None:
            return
        speaking_for = (heard_until if pending.speaking else pending.last_voice) - pending.onset
        text = " ".join([*pending.texts, pending.partial]).strip()
        if not is_barge_in(text, speaking_for, self.session.thresholds):
            return
        pending.barged = True
        self.listener.marker(self.markers.interrupted(pending.onset, text or "…"))
        band = band_of(self.session.mood)
        behaviour = self.session.persona.barge_in.behaviour(band)
        if behaviour == "finish":
            self._trim_customer(self.player.finish_clause(FINISH_GAIN), at_least=pending.onset)
            return
        self.player.stop_playback()
        self._trim_customer(self.player.audible_until, at_least=pending.onset)
        lines = self.session.persona.barge_in.lines
        if behaviour == "snap_back" and lines:
            said = sum(1 for t in customer if t.extra.get("trigger") == "barge_in")
            self._say(CustomerLine(lines[said % len(lines)], self.session.mood, band, "barge_in"))
            snapped = self.session.timeline.last("customer")
            if snapped is not None:          # said over the trainee, who is still talking: no silence follows
                self.markers.trainee_speaking(snapped.end)

    def _audio_now(self) -> float:
        """The call time the microphone has been judged up to (the clock without one): silences are timed on
        the audio, so a late block never makes a silence look longer than it was."""
        now = self.clock.now()
        if not self._listening():
            return now
        return min(now, self._heard_until or 0.0)

    def _listening(self) -> bool:
        """Speech reaches the call through the microphone and the recogniser (not typed only)."""
        return self.microphone is not None and self._model_path is not None

    def _end_of_turn_check(self, heard_until: float, sure_until: float | None = None) -> None:
        """`heard_until`: the call time the voice activity has judged the audio up to (the cap runs on it);
        `sure_until`: up to where no speech may have started again (the short and long silences run on it)."""
        pending = self._pending
        if pending is None or pending.speaking or self.options.push_to_talk or self._paused.is_set():
            return
        silent_for = heard_until - pending.last_voice
        sure_for = (heard_until if sure_until is None else sure_until) - pending.last_voice
        settings = self.pauses.settings(self.options.end_of_turn())
        if self._words_behind(pending):
            # the recogniser has not given the words up to the offset yet: only the cap ends the turn now
            over = silent_for >= settings.cap
        elif self._listening_cue(pending):             # a 嗯 under the customer's line: no reply to wait for
            over = sure_for >= settings.short
        elif not pending.texts:                      # a noise with no words: nothing to answer, nothing kept open
            over = pending.onset is not None and silent_for >= settings.cap
        else:
            over = turn_over(silent_for, " ".join(pending.texts), self.session.persona.language, pending.rising,
                             settings, sure_for)
        if over:
            end = TurnEnd(pending.last_voice, heard_until, self._words_at, self.clock.now())
            self.turn_ends.append(end)
            self._closed_until = pending.last_voice
            if self._words_behind(pending):    # the cap: the turn is over, its words still on their way
                self._closed = _Closed(*self._close_turn(), self.clock.now(), end)
                return
            self._answer_timed(end, self._finish_turn)
        elif pending.texts and not self._words_behind(pending):
            self._prepare(pending)
            self._preroll(pending, settings)

    def _words_behind(self, pending: _Pending) -> bool:
        """The recogniser has not yet given the words up to the turn's voice offset (without voice activity, the
        words are all there is)."""
        return pending.onset is not None and self._words_until < pending.last_voice - 1e-6

    def _answer_closed(self) -> None:
        """The turn the cap closed, now that its words are in (or the recogniser took too long)."""
        closed, self._closed = self._closed, None
        if closed is not None:
            closed.end.words_at = self._words_at
            self._answer_timed(closed.end, lambda: self._answer(closed.pending, closed.reading))

    def _answer_timed(self, end: TurnEnd, answer: Callable[[], None]) -> None:
        """Answer the turn, noting on `end` when the customer's answer starts and whether it was prepared."""
        turns, used, prerolled = len(self.session.timeline.turns), self.prepared_used, self.prerolled_used
        answer()
        line = self.session.timeline.last("customer")
        if len(self.session.timeline.turns) > turns and line is not None:
            end.reply_start, end.prepared = line.start, self.prepared_used > used
            end.queued, end.prerolled = self._queued_at, self.prerolled_used > prerolled

    def _prepare(self, pending: _Pending) -> None:
        """While the silence runs: assess the words so far on a copy of the session, pick the customer's answer
        and render it, so that the end of the turn only has to queue it."""
        key = self._prepared_key(pending)
        if self._prepared is not None and self._prepared.key == key:
            return
        if self._prepared is not None and self._prepared.due is not None and self.player is not None:
            self.player.drop_preroll()             # an answer to the turn as it stood before
        self._prepared = None
        reading = self.meter_tap.reading() if self.meter_tap is not None else None
        measured = turn_events(reading, self.session.thresholds, self.session.persona.language) if reading else frozenset()
        reply = self._reply_of(pending, measured)
        if self.session.is_listening_cue(reply) or reply.end - reply.start > self.session.persona.mood.monologue_seconds:
            return                                 # no answer, or the customer cuts in first
        _, line = self.session.rehearsal().trainee_replied(reply)
        try:
            rendered = self.renderer.render(line.text, self.session.persona.voice.for_band(line.band))
        except RuntimeError:
            return                             # said again, and reported, when the turn ends
        clip = None
        if self.player is not None:
            samples, rate = load_audio(rendered.path)
            clip = self.player.prepare(samples, rate)
        self._prepared = _Prepared(key, line, clip, rendered.duration)

    def _preroll(self, pending: _Pending, settings: EndOfTurnSettings) -> None:
        """Write the prepared answer into the speaker's stream ahead of time, to start PREROLL_AFTER s after the
        silence that would end the turn as it stands: the speaker's queue (~0.2 s) then runs during the silence,
        not after it. The Player drops it unheard unless the turn's end confirms it in time."""
        prepared = self._prepared
        if self.player is None or prepared is None or prepared.clip is None or prepared.due is not None:
            return
        silence = turn_silence(" ".join(pending.texts), self.session.persona.language, pending.rising, settings)
        due = pending.last_voice + silence + PREROLL_AFTER
        prepared.due = self.player.preroll(prepared.clip, due)  # type: ignore[arg-type]

    def _drop_prepared(self) -> None:
        """The answer prepared in the silence is stale (the trainee spoke on): thrown away, unheard."""
        if self._prepared is not None:
            self._prepared = None
            self.prepared_dropped += 1
        if self.player is not None:
            self.player.drop_preroll()

    def _prepared_key(self, pending: _Pending) -> tuple:
        return (tuple(pending.texts), round(pending.last_voice, 3), len(self.session.timeline.turns),
                self.session.engine.turns)

    def _report(self, problem: str | None) -> None:
        """Tell the user once about a device or disk problem; the call goes on (typing still works)."""
        if problem and problem not in self._reported:
            self._reported.add(problem)
            self.listener.problem(problem)

    def _tick(self) -> None:
        if self.player is not None:
            self._report(self.player.error)
        now = self.clock.now()
        if self._closed is not None and now - self._closed.since >= RECOGNISER_WAIT:
            self._answer_closed()
        if self.session.ending is None and not self._paused.is_set():
            marker = self.markers.silence(self._audio_now())
            if marker is not None:
                self.listener.marker(marker)
        pending = self._pending
        if pending is None:
            return
        cut_in = self.session.monologue_check(self._audio_now() - pending.start)
        if cut_in is not None:
            if pending.texts or self.microphone is None or self._model_path is None:
                self._finish_turn(cut_in)
            else:       # nothing recognised yet: the listening thread flushes the recogniser, then ends the turn
                pending.cut_in = cut_in
                self._flush.set()
            return
        if not self._listening():              # no microphone: the words' own times and the clock
            self._end_of_turn_check(now)

    def _finish_turn(self, cut_in: CustomerLine | None = None) -> None:
        """End the trainee's turn; `cut_in` is what the customer says to stop a monologue, before answering."""
        pending, reading = self._close_turn()
        self._answer(pending, reading, cut_in or (pending.cut_in if pending is not None else None))

    def _close_turn(self) -> tuple[_Pending | None, TurnReading | None]:
        """Take the turn in progress off the call, with what the meters measured over it."""
        pending, self._pending = self._pending, None
        self._utterances = []
        return pending, self.meter_tap.finish_turn() if self.meter_tap is not None else None

    def _answer(self, pending: _Pending | None, reading: TurnReading | None,
                cut_in: CustomerLine | None = None) -> None:
        """The customer's answer to an ended turn (and the cut-in first, when it was a monologue)."""
        if pending is None or not (pending.texts or cut_in is None and self._listening_cue(pending)):
            if cut_in is not None:
                self._say(cut_in)
            return
        language = self.session.persona.language
        measured = turn_events(reading, self.session.thresholds, language) if reading else frozenset()
        if cut_in is not None:
            measured |= {Event.LONG_MONOLOGUE}
        reply = self._reply_of(pending, measured)
        if cut_in is None and self.session.is_listening_cue(reply):
            self.listener.trainee_turn(self.session.listening_cue(reply))
            return
        prepared, self._prepared = self._prepared, None
        if prepared is not None and (prepared.key != self._prepared_key(pending) or cut_in is not None):
            prepared = None
        self._reply(reply, cut_in, barged=pending.barged, prepared=prepared)

    def _listening_cue(self, pending: _Pending) -> bool:
        """A listening sound: short speech under the customer's line, of listener tokens or of no words at all
        (a hum is in few recognisers' vocabularies)."""
        return (pending.texts or pending.onset is not None) and self.session.is_listening_cue(self._reply_of(pending))

    @staticmethod
    def _reply_of(pending: _Pending, measured: frozenset[Event] = frozenset()) -> TraineeReply:
        end = max((w.end for w in pending.words), default=pending.last_voice)
        return TraineeReply(" ".join(pending.texts), pending.start, end, pending.words, measured)

    def _customer_talking(self, when: float) -> bool:
        last = self.session.timeline.last("customer")
        return last is not None and last.start <= when < last.end

    def _reply(self, reply: TraineeReply, cut_in: CustomerLine | None = None, barged: bool = False,
               prepared: _Prepared | None = None) -> None:
        if not reply.typed and not barged and self.player is not None and self.player.is_playing():
            self.player.stop_playback()
            self._trim_customer(reply.start)
        if cut_in is not None:
            self._say(cut_in)
        assessment, line = self.session.trainee_replied(reply)
        self.listener.trainee_turn(assessment)
        for marker in self.markers.turn(assessment):
            self.listener.marker(marker)
        if prepared is not None and prepared.line == line:
            self.prepared_used += 1
            self._say(line, prepared)
        else:
            self._say(line)
        if self.session.ending is not None:
            self.listener.ended(self.session.ending)

    def _trim_customer(self, cut: float, at_least: float | None = None) -> None:
        """The customer's line ends at `cut` (no earlier than `at_least`): it was stopped there."""
        last = self.session.timeline.last("customer")
        if at_least is not None:
            cut = max(cut, at_least)
        if last is not None and last.end > cut:
            last.end = max(last.start, cut)

    def _prefetch_band(self, band: str) -> None:
        """Queue the persona's lines in the voice of the mood band the call is in, once per band: the lines
        that follow are mostly in the same band. (Bands the mood may reach next are not queued ahead: that
        would triple the rendering at the start of a call, while a line rendered on demand adds little to the
        reply, bench/bench_reply_latency.py.)"""
        if band not in self._prefetched:
            self._prefetched.add(band)
            voice = self.session.persona.voice.for_band(band)
            self.renderer.prefetch((text, voice) for text in sorted(self.session.persona.all_lines()))

    def _say(self, line: CustomerLine, prepared: _Prepared | None = None) -> None:
        """Speak the line in the voice of the mood band it was chosen in (faster, higher, louder when angrier);
        `prepared`: already rendered and made ready for the speaker during the trainee's silence."""
        if prepared is not None:
            duration = prepared.duration
            start = max([self.clock.now()] + [t.end for t in self.session.timeline.turns])
            if self.player is not None and prepared.clip is not None:
                due = self.player.confirm(prepared.clip)  # type: ignore[arg-type]
                self.prerolled_used += due is not None
                start = due if due is not None else self.player.play_prepared(prepared.clip)  # type: ignore[arg-type]
        else:
            start, duration = self._render_and_play(line)
        self._queued_at = self.clock.now()
        self.session.customer_spoke(line, start, start + duration)
        self.markers.customer_spoke(start + duration)
        self.listener.customer_line(line, start, start + duration)
        if self._on_progress is not None:
            self._on_progress(self.session.timeline.to_json())
        try:
            self._prefetch_band(line.band)     # once the line plays: a new band's lookups never delay it
        except RuntimeError as exc:
            self._report(problem_of(exc))


    def _render_and_play(self, line: CustomerLine) -> tuple[float, float]:
        """Render the line and queue it; returns its start (call time) and duration (0 when it failed)."""
        try:
            rendered = self.renderer.render(line.text, self.session.persona.voice.for_band(line.band))
        except RuntimeError as exc:
            self._report(problem_of(exc))
            rendered = None
        duration = rendered.duration if rendered else 0.0
        start = max([self.clock.now()] + [t.end for t in self.session.timeline.turns])
        if self.player is not None and rendered is not None:
            samples, rate = load_audio(rendered.path)
            start = self.player.play(samples, rate)
        return start, duration


def _shift(block: np.ndarray) -> bytes:
    return np.ascontiguousarray(block, dtype=np.int16).tobytes()
