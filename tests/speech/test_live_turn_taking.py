"""Turn-taking on the real stack: espeak-ng speech played into the PulseAudio virtual microphone, voice activity
on the microphone blocks, the Korean Vosk model for the words, the customer played through the virtual speaker.
The live call and the scorecard measure the same moments; no turn stays open past the cap."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from simulator.core.analysis.call import analyze_call
from simulator.core.call_session import CallSession
from simulator.core.personas.loader import default_personas_dir, load_persona
from simulator.core.events import Event
from simulator.core.personas.model import Persona, band_of
from simulator.speech.audio_io import CALL_BLOCKSIZE, CallClock, Microphone, Player
from simulator.speech import live_call
from simulator.speech.live_call import LiveCall, LiveCallOptions
from simulator.speech.recognizer import StreamingRecognizer
from simulator.speech.resample import resample
from simulator.speech.tts import SpeechRenderer, load_audio
from tests.call_listener import Collector
from tests.speech.test_live_listening import speak_wav
from tests.pulse import best_lag, loud_spans

RATE = 16000
REPLY = "여보세요. 제가 확인해 보겠습니다."


def speak(tmp_path: Path, name: str, text: str, voice: str = "ko", rate: int = 150, gain: float = 0.3) -> Path:
    """A reply at the voice, pace and level these calls are spoken at unless a test says otherwise."""
    return speak_wav(tmp_path, name, text, voice, rate, gain)


def calm_persona() -> Persona:
    """The stubborn caller, starting calm enough that three turns never end the call."""
    persona = load_persona(default_personas_dir() / "zh" / "stubborn.toml")
    return dataclasses.replace(persona, mood=dataclasses.replace(persona.mood, initial=45.0, escalate_at=100.0))


def calm_call(tmp_path: Path, model: Path) -> tuple[CallClock, Collector, CallSession, LiveCall]:
    """A call with the calm stubborn caller on the virtual devices, at the default turn-taking settings."""
    clock, heard = CallClock(), Collector()
    session = CallSession(calm_persona(), seed=3)
    call = LiveCall(session, SpeechRenderer(tmp_path / "tts"), heard, LiveCallOptions(), clock=clock,
                    player=Player(clock), microphone=Microphone(clock, blocksize=CALL_BLOCKSIZE), model_path=model)
    return clock, heard, session, call


def wait_until(clock: CallClock, moment: float) -> None:
    while clock.now() < moment:
        time.sleep(0.01)


def test_live_latency_and_dead_air_are_the_scorecards(pulse, ko_model, tmp_path):
    """One reply ~2.4 s after the customer stops (a late reply, no dead air), one ~3.6 s after (dead air): the
    live marker, the latency the customer reacted to and the scorecard of the recording agree within 0.1 s,
    and the turns start where the speech starts in the microphone signal."""
    reply = speak(tmp_path, "reply", REPLY)
    clock, heard = CallClock(), Collector()
    session = CallSession(calm_persona(), seed=3)
    call = LiveCall(session, SpeechRenderer(tmp_path / "tts"), heard,
                    LiveCallOptions(recording=tmp_path / "call.flac"), clock=clock,
                    player=Player(clock), microphone=Microphone(clock, blocksize=CALL_BLOCKSIZE), model_path=ko_model)
    waits = (2.2, 3.5)
    call.start()
    try:
        for n, wait in enumerate(waits, start=1):
            heard.wait(lambda: len(heard.customer) >= n, 60)
            wait_until(clock, heard.customer[-1][3] + wait)
            pulse.play_into_mic(reply)
            heard.wait(lambda: len(heard.trainee) >= n and len(heard.customer) > n, 30)
        call.wait_for_playback()
    finally:
        recording = call.stop()
    assert not heard.problems
    analysis = analyze_call(session.timeline, audio=recording, language="zh", persona_type=session.persona.type)
    turns = session.timeline.turns
    customer_ends = [t.end for t in turns if t.speaker == "customer"]

    live = [a.latency for a in heard.trainee]
    assert live == pytest.approx(analysis.measures.latencies, abs=0.1)
    assert live[0] < session.thresholds.dead_air < live[1]     # paplay starts a little after it is asked to

    # Marked while it lasted: the silence of 3.5 s only (the dead-air threshold is 3 s), where the scorecard has it.
    silences = [m for m in heard.markers if m.kind == "dead_air" and min(abs(m.time - e) for e in customer_ends) < 0.01]
    scorecard_dead = [d for d in analysis.measures.dead_air if d.duration >= session.thresholds.dead_air]
    assert len(silences) == len(scorecard_dead) == 1, heard.markers
    assert silences[0].time == pytest.approx(scorecard_dead[0].start, abs=0.1)
    assert silences[0].time == pytest.approx(customer_ends[1], abs=0.01)
    # The first reply is slow (over max_latency) on both sides: marked at its start once assessed, not as a silence.
    slow = session.thresholds.max_latency
    assert live[0] > slow and analysis.measures.latencies[0] > slow
    assert [m.time for m in heard.markers if m not in silences] == pytest.approx([heard.trainee[0].start])

    # The turns start at the voice onset: where the trainee's speech starts in the recording's right channel.
    audio, rate = soundfile.read(recording, dtype="float32")
    spoken = loud_spans(audio[:, 1], rate)
    trainee = [t for t in turns if t.speaker == "trainee"]
    assert len(spoken) == len(trainee) == 2
    for turn, (start, end) in zip(trainee, spoken):
        assert turn.start == pytest.approx(start, abs=0.1)


def test_a_turn_never_stays_open_past_the_cap_after_the_voice_stops(pulse, ko_model, tmp_path):
    """Both end-of-turn silences set far above the cap: every turn still ends 2 s after the voice offset (in
    audio time; on the wall clock within the recogniser's flush and a block), and the offset is where the
    speech ends in the microphone signal."""
    reply = speak(tmp_path, "reply", REPLY)
    clock, heard = CallClock(), Collector()
    session = CallSession(calm_persona(), seed=3)
    call = LiveCall(session, SpeechRenderer(tmp_path / "tts"), heard,
                    LiveCallOptions(end_of_turn_silence=5.0, end_of_turn_short=5.0, recording=tmp_path / "call.flac"),
                    clock=clock, player=Player(clock), microphone=Microphone(clock, blocksize=CALL_BLOCKSIZE),
                    model_path=ko_model)
    decided: list[float] = []
    call.start()
    try:
        for n in (1, 2):
            heard.wait(lambda: len(heard.customer) >= n, 60)
            wait_until(clock, heard.customer[-1][3] + 0.5)
            pulse.play_into_mic(reply)
            heard.wait(lambda: len(heard.trainee) >= n, 30)
            decided.append(clock.now())
            heard.wait(lambda: len(heard.customer) > n, 30)
        call.wait_for_playback()
    finally:
        recording = call.stop()
    assert not heard.problems
    audio, rate = soundfile.read(recording, dtype="float32")
    spoken = loud_spans(audio[:, 1], rate)
    assert len(call.turn_ends) == len(spoken) == 2
    for end, at, (_, speech_end) in zip(call.turn_ends, decided, spoken):
        offset, ended = end.offset, end.audio
        assert offset == pytest.approx(speech_end, abs=0.15)
        assert 2.0 <= ended - offset <= 2.1 + 1e-6        # judged at the end of each 0.1 s block
        assert at - offset < 2.6


class LaggingRecognizer(StreamingRecognizer):
    """The real recogniser, slower than the cap to give the words up to an offset (a busy machine's worst)."""

    lag = 2.8

    def finish(self):
        time.sleep(self.lag)
        return super().finish()


def test_a_turn_the_cap_closes_before_its_words_are_in_is_answered_when_they_come(pulse, ko_model, tmp_path,
                                                                                  monkeypatch):
    monkeypatch.setattr(live_call, "StreamingRecognizer", LaggingRecognizer)
    reply = speak(tmp_path, "reply", REPLY)
    clock, heard, _, call = calm_call(tmp_path, ko_model)
    call.start()
    try:
        heard.wait(lambda: heard.customer, 60)
        wait_until(clock, heard.customer[-1][3] + 0.5)
        pulse.play_into_mic(reply)
        heard.wait(lambda: len(heard.customer) >= 2, 30)
    finally:
        call.stop()
    assert not heard.problems
    (end,) = call.turn_ends
    assert 2.0 <= end.audio - end.offset <= 2.1 + 1e-6                  # the cap closed the turn ...
    assert end.words_at - end.offset >= LaggingRecognizer.lag - 0.1      # ... before the words were in
    (turn,) = heard.trainee
    assert turn.text.strip() and call.late_words == []                  # answered on its words, none set aside
    assert heard.customer[1][2] >= end.words_at and end.reply_start == pytest.approx(heard.customer[1][2])


class TimedCollector(Collector):
    """Also notes the call time at which each marker was raised."""

    def __init__(self, clock: CallClock) -> None:
        super().__init__()
        self.clock = clock
        self.marked_at: list[float] = []

    def marker(self, marker) -> None:
        self.marked_at.append(self.clock.now())
        super().marker(marker)


def angry_at(mood: float) -> Persona:
    """The angry caller in the mood band of `mood`, opening with its longest line (room to be talked over)."""
    persona = load_persona(default_personas_dir() / "zh" / "angry_threatening.toml")
    scenario = persona.scenarios[0]
    longest = max(scenario.opening, key=len)
    return dataclasses.replace(persona, mood=dataclasses.replace(persona.mood, initial=mood),
                               scenarios=(dataclasses.replace(scenario, opening=(longest,)),))


def level_db(samples: np.ndarray) -> float:
    return 10 * np.log10(float(np.mean(np.square(samples, dtype=np.float64))) + 1e-12)


@pytest.mark.parametrize(("mood", "behaviour"), [(10.0, "yield"), (60.0, "finish"), (85.0, "snap_back")])
def test_talking_over_the_customer_raises_the_marker_and_the_personas_barge_in(pulse, ko_model, tmp_path, mood,
                                                                                behaviour):
    persona = angry_at(mood)
    assert persona.barge_in.behaviour(band_of(mood)) == behaviour
    talk = speak(tmp_path, "talk", "안녕하세요 저는 고객센터 상담원입니다 잠시만요", rate=140)
    clock = CallClock()
    heard = TimedCollector(clock)
    session = CallSession(persona, persona.scenarios[0].id, seed=4)
    call = LiveCall(session, SpeechRenderer(tmp_path / "tts"), heard, LiveCallOptions(recording=tmp_path / "call.flac"),
                    clock=clock, player=Player(clock), microphone=Microphone(clock, blocksize=CALL_BLOCKSIZE),
                    model_path=ko_model)
    call.start()
    try:
        heard.wait(lambda: heard.customer, 60)
        _, _, line_start, line_end = heard.customer[0]
        assert line_end - line_start > 3.5
        wait_until(clock, line_start + 0.6)
        pulse.play_into_mic(talk)
        heard.wait(lambda: heard.trainee, 30)
        call.wait_for_playback()
    finally:
        recording = call.stop()
    assert not heard.problems
    turns = session.timeline.turns
    (trainee,) = [t for t in turns if t.speaker == "trainee"]
    opening = turns[0]

    # The interruption is marked live, once, at the turn's start, within 0.3 s of its becoming one (its words
    # or the backchannel limit, whichever came first); the scorecard's rule agrees.
    interruptions = [m for m in heard.markers if m.kind == "interruption"]
    assert len(interruptions) == 1, (heard.markers, session.timeline.turns)
    marker = interruptions[0]
    marked_at = heard.marked_at[heard.markers.index(marker)]
    assert marker.time == pytest.approx(trainee.start)
    assert marked_at - trainee.start <= session.thresholds.backchannel_max + 0.3
    assert Event.INTERRUPTION in heard.trainee[0].events

    audio, rate = soundfile.read(recording, dtype="float32")
    left = audio[:, 0]
    full = line_end - line_start
    assert opening.end < line_end - 0.5, "the line was not played to its end"
    # The recording holds what was played: sound up to where the timeline says the opening stopped, then none
    # until the customer's next line.
    following = next(t for t in turns if t.speaker == "customer" and t.start > opening.start)
    loud = lambda a, b: float(np.abs(left[int(a * rate):int(b * rate)]).max())   # noqa: E731
    assert loud(opening.end - 0.35, opening.end - 0.05) > 0.05
    assert following.start >= opening.end - 0.05
    if following.start - opening.end > 0.3:
        assert loud(opening.end + 0.1, following.start - 0.02) < 0.01, (turns, marked_at)
    assert loud(following.start + 0.05, following.start + 0.4) > 0.05
    if behaviour == "yield":
        assert opening.end - marked_at < 0.4          # stopped at once (what the speaker had queued plays out)
        assert [t.extra.get("trigger") for t in turns if t.speaker == "customer"][1] != "barge_in"
    elif behaviour == "finish":
        assert opening.end - marked_at > 0.25          # to the end of the clause ...
        # ... louder: against the rendered line at the same moments, the rest of the clause is played >2 dB up.
        rendered = SpeechRenderer(tmp_path / "tts").render(opening.text, persona.voice.for_band(band_of(mood)))
        original, original_rate = load_audio(rendered.path)
        original = resample(original, original_rate, rate)
        lag, match = best_lag(original[:int(1.0 * rate)], left[int((line_start - 0.3) * rate):int((line_start + 1.5) * rate)])
        assert match > 0.9
        first = int((line_start - 0.3) * rate) + lag          # the recording's sample of the line's first sample

        def gain(a: float, b: float) -> float:
            lo, hi = int(a * rate), int(b * rate)
            return level_db(left[lo:hi]) - level_db(original[lo - first:hi - first])
        assert abs(gain(line_start + 0.1, marked_at - 0.05)) < 0.5           # as rendered until talked over
        assert gain(marked_at + 0.3, opening.end - 0.05) > 2.0
    else:
        snap = next(t for t in turns if t.speaker == "customer" and t.extra.get("trigger") == "barge_in")
        assert snap.text in persona.barge_in.lines
        assert snap.start - marked_at < 0.6 and snap.start < trainee.end   # said over the trainee
        assert opening.end - marked_at < 0.4


def pause_reply(tmp_path: Path, name: str, first: str, second: str, pause: float, voice: str = "ko") -> Path:
    """Two espeak-ng phrases joined by `pause` s of silence: one reply with a pause inside it."""
    a, _ = soundfile.read(speak(tmp_path, f"{name}-a", first, voice), dtype="float32")
    b, _ = soundfile.read(speak(tmp_path, f"{name}-b", second, voice), dtype="float32")
    wav = tmp_path / f"{name}.wav"
    soundfile.write(wav, np.concatenate([_trim(a), np.zeros(int(pause * RATE), np.float32), _trim(b)]), RATE,
                    subtype="PCM_16")
    return wav


def _trim(samples: np.ndarray, threshold: float = 0.005) -> np.ndarray:
    loud = np.flatnonzero(np.abs(samples) > threshold)
    return samples[loud[0]:loud[-1] + 1] if loud.size else samples


def test_a_pause_after_a_rising_pitch_keeps_the_turn_and_the_answer_prepared_in_it_is_thrown_away(
        pulse, ko_model, tmp_path):
    """고객님, (espeak-ng's comma intonation rises) … 1.0 s … 제가 확인해 보겠습니다: one turn, not cut at the
    pause (a rising pitch waits the long silence); the answer prepared while the pause ran is dropped when the
    trainee speaks on, and the one prepared after the whole reply is the one said."""
    reply = pause_reply(tmp_path, "paused", "고객님,", "제가 확인해 보겠습니다.", 1.0)
    clock, heard, session, call = calm_call(tmp_path, ko_model)
    call.start()
    try:
        heard.wait(lambda: heard.customer, 60)
        wait_until(clock, heard.customer[-1][3] + 0.5)
        pulse.play_into_mic(reply)
        heard.wait(lambda: len(heard.trainee) >= 1 and len(heard.customer) > 1, 30)
        time.sleep(1.0)
    finally:
        call.stop()
    assert not heard.problems
    trainee = [t for t in session.timeline.turns if t.speaker == "trainee"]
    assert len(trainee) == 1, (trainee, call.turn_ends)
    assert trainee[0].end - trainee[0].start > 2.0                      # both phrases, one turn
    assert call.prepared_dropped >= 1 and call.prepared_used == 1
