"""What the customer hears in a live call besides the words, on the real stack: espeak-ng speech played into
the PulseAudio virtual microphone, recognised by Vosk (the Korean test model), the customer played by espeak-ng
through the virtual speaker. A 嗯 while the customer speaks is a listening cue (BACKCHANNEL: the mood eases a
little, the line plays to its end, no turn); a loud turn is SHOUTING against the calibrated level, a fast one
RUSHED, a long one LONG_MONOLOGUE with the customer cutting in."""

from __future__ import annotations

import dataclasses
import math
import shutil
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.analysis.timing import is_listening_cue, measure_timing
from simulator.core.call_session import CallSession, TraineeReply
from simulator.core.dialogue.mood import REPEAT_FACTOR
from simulator.core.events import Event
from simulator.core.live_meters import LiveMeterState, TurnReading, block_dbfs, turn_events
from simulator.core.personas.loader import default_personas_dir, load_persona
from simulator.core.personas.model import Persona
from simulator.core.timeline import Word
from simulator.speech.audio_io import CALL_BLOCKSIZE, CallClock, Microphone, Player
from simulator.speech.live_call import LiveCall, LiveCallOptions
from simulator.speech.recognizer import RecognizedWords
from simulator.speech.resample import resample
from simulator.speech.tts import SpeechRenderer
from tests.call_listener import Collector
from tests.missing import missing_part

RATE = 16000
SLOW = "여보세요. 여보세요. 여보세요."        # ~200 syllables/min as recognised: inside the zh band (160-240)
FAST = "안녕하세요 저는 고객센터 상담원입니다 무엇을 도와드릴까요"   # at 320 wpm: 410-510 units/min as recognised
# offline and live (the recogniser drops or merges syllables differently each run), far above the rushed line (288)
LONG = " ".join(["여보세요"] * 12)            # ~11 s without a pause: nothing recognised before the cut-in


def speak_wav(tmp_path: Path, name: str, text: str, voice: str, rate: int, gain: float = 1.0) -> Path:
    """espeak-ng speech as a 16 kHz WAV scaled by `gain` (what the virtual microphone is given)."""
    if shutil.which("espeak-ng") is None:
        missing_part("espeak-ng is not installed")
    raw = tmp_path / f"{name}.raw.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(raw), text], check=True, timeout=30)
    samples, source_rate = soundfile.read(raw, dtype="float32")
    wav = tmp_path / f"{name}.wav"
    soundfile.write(wav, resample(samples, source_rate, RATE) * gain, RATE, subtype="PCM_16")
    return wav


def _voiced_level(wav: Path) -> float:
    """Median level of the 0.1 s blocks above the meters' voice gate, as the live meter measures them."""
    samples, _ = soundfile.read(wav, dtype="int16")
    levels = [block_dbfs(samples[i:i + RATE // 10]) for i in range(0, len(samples), RATE // 10)]
    return float(np.median([level for level in levels if level > -50.0]))


def _angry(**mood) -> Persona:
    persona = load_persona(default_personas_dir() / "zh" / "angry_threatening.toml")
    return dataclasses.replace(persona, mood=dataclasses.replace(persona.mood, **mood))


def _wait_until(clock: CallClock, moment: float) -> None:
    while clock.now() < moment:
        time.sleep(0.02)


def test_a_backchannel_during_the_customers_line_is_heard_as_listening_not_as_a_turn(pulse, ko_model, tmp_path):
    persona = _angry()
    scenario = persona.scenarios[0]
    longest = max(scenario.opening, key=len)        # ~5 s in the angry voice: room for a 嗯 and its decision
    persona = dataclasses.replace(persona, scenarios=(dataclasses.replace(scenario, opening=(longest,)),))
    hum = speak_wav(tmp_path, "hum", "嗯", "cmn-latn-pinyin", 175)
    clock, heard = CallClock(), Collector()
    session = CallSession(persona, scenario.id, seed=4)
    call = LiveCall(session, SpeechRenderer(tmp_path / "tts"), heard,
                    LiveCallOptions(end_of_turn_silence=1.0, recording=tmp_path / "call.flac"), clock=clock,
                    player=Player(clock), microphone=Microphone(clock, blocksize=CALL_BLOCKSIZE), model_path=ko_model)
    mood_before = session.mood
    call.start()
    try:
        heard.wait(lambda: heard.customer, 60)
        _, _, line_start, line_end = heard.customer[0]
        assert line_end - line_start > 3.5, "the opening must leave time for the listening cue"
        _wait_until(clock, line_start + 0.5)
        spoken_at = clock.now()
        pulse.play_into_mic(hum)
        heard.wait(lambda: heard.trainee, 30)
        decided_at = clock.now()
        _wait_until(clock, max(line_end, decided_at) + 1.5)
    finally:
        recording = call.stop()
    assert not heard.problems

    # The customer did not answer it (one line, the opening) and played the line whole: not cut where the 嗯
    # was, nor when it was decided to be a listening cue (usually before the line's end, later on a busy machine).
    assert [trigger for _, trigger, _, _ in heard.customer] == ["opening"]
    turns = session.timeline.turns
    customer = [t for t in turns if t.speaker == "customer"]
    assert len(customer) == 1 and customer[0].end == pytest.approx(line_end)
    audio, rate = soundfile.read(recording, dtype="float32")
    left = audio[:, 0]
    assert np.abs(left[int((line_end - 0.6) * rate):int((line_end - 0.1) * rate)]).max() > 0.05, \
        "the customer's line was still playing just before its end"

    # The engine heard BACKCHANNEL: a listening cue, mood down by the persona's delta, no turn counted.
    (cue,) = heard.trainee
    assert cue.events == frozenset({Event.BACKCHANNEL})
    assert spoken_at - 0.1 <= cue.start < cue.end <= spoken_at + 1.5
    delta = persona.mood.deltas["backchannel"] * persona.mood.sensitivity
    assert session.mood == pytest.approx(mood_before + delta) and delta < 0
    assert session.engine.turns == 0 and session.ending is None
    assert not [m for m in heard.markers if m.kind == "interruption"], "a backchannel is no barge-in"

    # The timeline keeps it as the timing measures count a backchannel: not an interruption, not a reply.
    (index,) = [i for i, t in enumerate(turns) if t.speaker == "trainee"]
    assert turns[index].extra["events"] == ["backchannel"]
    measures = measure_timing(session.timeline, session.thresholds)
    assert measures.backchannel_turns == [index] and measures.interruptions == [] and measures.turns == []


def test_shouting_rushed_and_a_monologue_reach_the_customer_from_the_live_meters(pulse, ko_model, tmp_path):
    persona = _angry(initial=30.0, monologue_seconds=6.5)    # low enough not to escalate over three turns
    loud = speak_wav(tmp_path, "loud", SLOW, "ko", 120, gain=1.0)
    fast = speak_wav(tmp_path, "fast", FAST, "ko", 320, gain=0.25)
    long = speak_wav(tmp_path, "long", LONG, "ko", 100, gain=0.25)
    quiet_level = _voiced_level(speak_wav(tmp_path, "quiet", SLOW, "ko", 120, gain=0.25))
    assert _voiced_level(loud) - quiet_level == pytest.approx(12.0, abs=0.5)
    clock, heard = CallClock(), Collector()
    session = CallSession(persona, persona.scenarios[0].id, seed=6)
    call = LiveCall(session, SpeechRenderer(tmp_path / "tts"), heard,
                    LiveCallOptions(end_of_turn_silence=1.0, baseline_loudness_db=quiet_level), clock=clock,
                    player=Player(clock), microphone=Microphone(clock, blocksize=CALL_BLOCKSIZE), model_path=ko_model)
    call.start()
    player: subprocess.Popen | None = None
    try:
        for n, wav in enumerate((loud, fast), start=1):
            heard.wait(lambda: len(heard.customer) >= n, 60)
            _wait_until(clock, heard.customer[-1][3] + 0.4)
            pulse.play_into_mic(wav)
            heard.wait(lambda: len(heard.trainee) >= n and len(heard.customer) > n, 30)
        _wait_until(clock, heard.customer[-1][3] + 0.4)
        player = subprocess.Popen(pulse.mic_player(long), env=pulse.client_env())
        heard.wait(lambda: len(heard.trainee) >= 3 and len(heard.customer) >= 5, 30)
    finally:
        if player is not None:
            player.terminate()
            player.wait(timeout=10)
        call.stop()
    assert not heard.problems
    shouted, rushed, monologue = heard.trainee[:3]
    triggers = [trigger for _, trigger, _, _ in heard.customer]

    assert shouted.events == frozenset({Event.SHOUTING}), shouted
    assert triggers[1] == "shouting" and heard.customer[1][0] in _lines(persona, "shouting")

    assert rushed.events == frozenset({Event.RUSHED}), rushed
    assert triggers[2] == "rushed" and heard.customer[2][0] in _lines(persona, "rushed")

    assert triggers[3] == "interrupt_monologue" and heard.customer[3][0] in persona.endings["interrupt_monologue"]
    assert Event.LONG_MONOLOGUE in monologue.events
    assert not {Event.SHOUTING, Event.RUSHED} & monologue.events, monologue

    # Each moved the mood up by its reaction's delta (and the impatience drift: nothing calmed the customer).
    trace = session.engine.mood_trace
    drift = 2.0
    assert trace[1] - trace[0] == pytest.approx(_mood(persona, "shouting") * persona.mood.sensitivity + drift)
    assert trace[2] - trace[1] == pytest.approx(_mood(persona, "rushed") * persona.mood.sensitivity + drift)


def _lines(persona: Persona, event: str) -> tuple[str, ...]:
    return next(r.lines for r in persona.reactions if r.on == event)


def _mood(persona: Persona, event: str) -> float:
    return next(r.mood for r in persona.reactions if r.on == event)


# -- the same rules from data, without devices --------------------------------------------------------------

THR = load_thresholds()


@pytest.mark.parametrize(("text", "seconds", "cue"), [
    ("嗯", 0.3, True), ("嗯嗯，对", 0.8, True), ("mm-hm, right", 0.7, True),
    ("이", 0.27, True),                      # a hum the recogniser made a word of: one short word
    ("喂", 0.7, False),                      # one word, but longer than a hum
    ("嗯", 1.3, False),                      # a listener token held too long
    ("不是的", 0.6, False), ("I see what you mean", 0.9, False),
])
def test_what_counts_as_a_listening_cue(text: str, seconds: float, cue: bool) -> None:
    assert is_listening_cue(text, seconds, THR) is cue


def test_a_listening_cue_eases_the_mood_without_a_turn_and_only_while_the_customer_speaks() -> None:
    persona = _angry()
    session = CallSession(persona, seed=1)
    session.customer_spoke(session.opening(), 0.0, 6.0)
    start = session.mood
    hum = TraineeReply("嗯", 2.0, 2.3)
    assert session.is_listening_cue(hum)
    assert not session.is_listening_cue(TraineeReply("嗯", 6.5, 6.8))           # the customer has stopped
    assert not session.is_listening_cue(TraineeReply("嗯", 2.0, 2.3, typed=True))
    assert not session.is_listening_cue(TraineeReply("我跟您说一下流程", 2.0, 3.5))
    cue = session.listening_cue(hum)
    assert cue.events == frozenset({Event.BACKCHANNEL})
    first = session.mood - start
    assert first == pytest.approx(persona.mood.deltas["backchannel"] * persona.mood.sensitivity)
    session.listening_cue(TraineeReply("对", 3.0, 3.2))
    assert session.mood - start - first == pytest.approx(first * REPEAT_FACTOR)   # wears thin, no drift
    assert session.engine.turns == 0 and len(session.engine.history) == 1
    assessment, _ = session.trainee_replied(TraineeReply("我非常理解您的心情", 6.4, 8.0))
    assert Event.INTERRUPTION not in assessment.events and assessment.latency == pytest.approx(0.4)
    assert session.engine.turns == 1


def test_the_turn_reading_judges_loudness_against_the_calibrated_level_and_pace_against_the_band() -> None:
    baseline = -30.0
    state = LiveMeterState("zh", THR, baseline_db=baseline)
    samples = (np.sin(np.arange(RATE) * 2 * np.pi * 150 / RATE) * 32767 * 10 ** ((baseline + 9) / 20) * math.sqrt(2))
    for i in range(0, RATE, RATE // 10):
        state.add_block(i / RATE, samples[i:i + RATE // 10].astype(np.int16))
    reading = state.turn_reading()
    assert reading.loudness_db == pytest.approx(9.0, abs=0.2)
    state.end_turn()
    assert state.turn_reading().loudness_db is None
    top = THR.pace_zh[1] * (1 + THR.rushed_margin)
    assert turn_events(TurnReading(THR.shouting_db + 0.5, top + 5), THR, "zh") == {Event.SHOUTING, Event.RUSHED}
    assert turn_events(TurnReading(THR.shouting_db - 0.5, top - 5), THR, "zh") == frozenset()
    assert turn_events(TurnReading(None, THR.pace_en[1] * (1 + THR.rushed_margin) + 5), THR, "en") == {Event.RUSHED}
    assert turn_events(TurnReading(None, THR.pace_zh[1] + 5), THR, "zh") == frozenset()   # above the band, not far


class _Lines:
    def __init__(self) -> None:
        self.customer: list[str] = []
        self.trainee = []
        self.changed = threading.Condition()

    def customer_line(self, line, start, end) -> None:
        with self.changed:
            self.customer.append(line.trigger)
            self.changed.notify_all()

    def trainee_turn(self, assessment) -> None:
        with self.changed:
            self.trainee.append(assessment)
            self.changed.notify_all()

    def partial(self, text) -> None: ...
    def marker(self, marker) -> None: ...
    def ended(self, ending) -> None: ...
    def problem(self, message) -> None: ...

    def wait(self, condition) -> bool:
        with self.changed:
            return self.changed.wait_for(condition, 30)


def test_the_dialogue_thread_keeps_the_customer_talking_through_a_backchannel(tmp_path: Path) -> None:
    """Recognised speech as the listening thread delivers it: a 嗯 during the line, then a reply after it."""
    heard = _Lines()
    call = LiveCall(CallSession(_angry(), seed=2), SpeechRenderer(tmp_path / "tts"), heard,
                    LiveCallOptions(end_of_turn_silence=0.3))
    call.start()
    try:
        assert heard.wait(lambda: heard.customer)
        line = call.session.timeline.turns[0]
        now = call.clock.now()
        assert line.end - now > 1.5
        call._commands.put(("final", RecognizedWords("嗯", [Word("嗯", now, now + 0.3)], now, now + 0.3)))
        assert heard.wait(lambda: heard.trainee)
        assert heard.trainee[0].events == frozenset({Event.BACKCHANNEL}) and heard.customer == ["opening"]
        while call.clock.now() < line.end + 0.2:
            time.sleep(0.05)
        at = call.clock.now()
        call._commands.put(("final", RecognizedWords("我非常理解您的心情", [Word("我非常理解您的心情", at, at + 1.5)],
                                                     at, at + 1.5)))
        assert heard.wait(lambda: len(heard.customer) >= 2)
    finally:
        call.stop()
    assert len(heard.trainee) == 2 and Event.BACKCHANNEL not in heard.trainee[1].events
    assert [t.speaker for t in call.session.timeline.turns] == ["customer", "trainee", "trainee", "customer"]
    assert call.session.timeline.turns[0].end == pytest.approx(line.end)


def test_a_backchannel_near_the_end_of_the_line_and_the_reply_after_it_are_two_things(tmp_path: Path) -> None:
    """The 嗯 is still waiting for its end-of-turn silence when the reply starts after the customer's line: the
    reply must not make it one turn that started over the customer (an interruption)."""
    heard = _Lines()
    call = LiveCall(CallSession(_angry(), seed=2), SpeechRenderer(tmp_path / "tts"), heard,
                    LiveCallOptions(end_of_turn_silence=2.0))
    call.start()
    try:
        assert heard.wait(lambda: heard.customer)
        line = call.session.timeline.turns[0]
        while call.clock.now() < line.end - 1.0:
            time.sleep(0.05)
        hum = call.clock.now()
        call._commands.put(("final", RecognizedWords("嗯", [Word("嗯", hum, hum + 0.3)], hum, hum + 0.3)))
        while call.clock.now() < line.end + 0.2:
            time.sleep(0.05)
        at = call.clock.now()
        assert at - hum < 2.0, "the 嗯 is still pending"
        call._commands.put(("final", RecognizedWords("我非常理解您的心情", [Word("我非常理解您的心情", at, at + 1.5)],
                                                     at, at + 1.5)))
        assert heard.wait(lambda: len(heard.customer) >= 2)
    finally:
        call.stop()
    cue, reply = heard.trainee
    assert cue.events == frozenset({Event.BACKCHANNEL}) and cue.text == "嗯"
    assert reply.text == "我非常理解您的心情" and Event.INTERRUPTION not in reply.events
    assert heard.customer[1] != "interruption"
