"""The customer's answer pre-rolled during the trainee's end-of-turn silence, on the real stack (espeak-ng into the
PulseAudio virtual microphone, the Korean Vosk model, the virtual speaker's monitor recorded as the trainee would
hear it): the answer is heard when the silence ends, not an output latency later; a trainee who speaks on in the
last part of the silence hears none of it, the turn goes on, and the call's recording holds only what was heard."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from simulator.core.call_session import CallSession
from simulator.core.personas.model import band_of
from simulator.speech.audio_io import CALL_BLOCKSIZE, CallClock, Microphone, Player
from simulator.speech.live_call import PREROLL_AFTER, LiveCall, LiveCallOptions
from simulator.speech.player import OUTPUT_LATENCY
from simulator.speech.tts import SpeechRenderer
from tests.call_listener import Collector
from tests.pulse import loud_spans
from tests.speech.test_live_turn_taking import calm_persona, pause_reply, speak, wait_until

pytestmark = pytest.mark.audio

SPAN_STEP = 0.01     # loud_spans reads levels in 10 ms steps


def heard_call(pulse, ko_model, tmp_path: Path, replies: list[Path]
               ) -> tuple[LiveCall, CallSession, np.ndarray, list, float]:
    """Spoken replies, each 0.6 s after the customer's latest line; the first is a warm-up (the call's first
    answer also loads what assessing a turn needs, and is prepared too late to be pre-rolled on a busy machine).
    Returns the call, its session, the recording (16 kHz stereo, call time), the loud spans at the speaker monitor
    in call time (aligned by the opening line's onset, which the recording places where PortAudio said it was
    played) and the options' short silence."""
    monitor = tmp_path / "speaker.wav"
    listener = pulse.record(pulse.speaker_monitor, monitor)
    time.sleep(0.3)
    clock, heard = CallClock(), Collector()
    persona = calm_persona()       # in the middle of its mood band: two replies leave it there, its voice cached
    session = CallSession(dataclasses.replace(persona, mood=dataclasses.replace(persona.mood, initial=37.0)), seed=3)
    renderer = SpeechRenderer(tmp_path / "tts")
    voice = session.persona.voice.for_band(band_of(session.mood))
    for text in sorted(session.persona.all_lines()):   # as later in a call: the lines' voice is cached, not being
        renderer.render(text, voice)                    # rendered all at once beside the first answers
    options = LiveCallOptions(recording=tmp_path / "call.flac")
    call = LiveCall(session, renderer, heard, options, clock=clock, player=Player(clock),
                    microphone=Microphone(clock, blocksize=CALL_BLOCKSIZE), model_path=ko_model)
    call.start()
    try:
        for n, reply in enumerate(replies, start=1):
            heard.wait(lambda: len(heard.customer) >= n, 60)
            wait_until(clock, heard.customer[-1][3] + 0.6)
            pulse.play_into_mic(reply)
            heard.wait(lambda: len(heard.trainee) >= n and len(heard.customer) > n, 30)
        call.wait_for_playback()
        time.sleep(0.3)
    finally:
        recording = call.stop()
        pulse.stop_recording(listener)
    assert not heard.problems
    audio, rate = soundfile.read(recording, dtype="float32")
    at_speaker, monitor_rate = soundfile.read(monitor, dtype="float32")
    spans = loud_spans(at_speaker, monitor_rate, join=0.3)
    shift = loud_spans(audio[:, 0], rate, join=0.3)[0][0] - spans[0][0]
    return call, session, audio, [(a + shift, b + shift) for a, b in spans], options.end_of_turn_short


def test_the_answer_is_heard_when_the_end_of_turn_silence_ends(pulse, ko_model, tmp_path):
    """Speech end in the microphone signal -> the answer's first sound at the speaker: the short silence and
    PREROLL_AFTER, which an answer queued when the turn ends (an output latency, 0.15 s asked, later) misses."""
    reply = speak(tmp_path, "reply", "제가 확인해 보겠습니다.")
    call, session, audio, at_speaker, short = heard_call(pulse, ko_model, tmp_path, [reply, reply])
    assert [t.speaker for t in session.timeline.turns] == ["customer", "trainee"] * 2 + ["customer"]
    speech_end = loud_spans(audio[:, 1], 16000)[-1][1]
    assert len(at_speaker) == 3, at_speaker
    gap = at_speaker[2][0] - speech_end
    print(f"speech end -> the answer at the speaker: {gap:.3f} s; turn ends: {call.turn_ends}")
    assert call.turn_ends[-1].prerolled
    assert short - SPAN_STEP <= gap <= short + PREROLL_AFTER + 0.04
    assert short + PREROLL_AFTER + 0.04 < short + OUTPUT_LATENCY
    # the recording has the answer where it was heard
    recorded = [a for a, _ in loud_spans(audio[:, 0], 16000, join=0.3)]
    assert recorded[2] == pytest.approx(at_speaker[2][0], abs=0.02)


def test_speaking_on_in_the_last_of_the_silence_hears_nothing_of_the_prerolled_answer(pulse, ko_model, tmp_path):
    """A complete-sounding phrase, 0.58 s of silence (0.06 s short of the end of the turn, when the answer prepared
    for it is already in the speaker's stream), then more, said twice (whether the answer is ready that early
    depends on the recogniser's pace): each one turn; the speaker monitor and the call's recording hold nothing of
    the customer between the line before and the answer to the whole reply."""
    warm_up = speak(tmp_path, "reply", "제가 확인해 보겠습니다.")
    reply = pause_reply(tmp_path, "resumed", "네, 알겠습니다.", "제가 확인해 보겠습니다.", 0.58)
    call, session, audio, at_speaker, short = heard_call(pulse, ko_model, tmp_path, [warm_up, reply, reply])
    trainee = [t for t in session.timeline.turns if t.speaker == "trainee"]
    assert len(trainee) == 3, (session.timeline.turns, call.turn_ends)
    assert call.prepared_dropped >= 2
    assert call.player.preroll_aborts >= 1        # a dropped answer had been written ahead of the speaker
    spoken = loud_spans(audio[:, 1], 16000, join=1.0)
    assert [t.end for t in trainee] == pytest.approx([b for _, b in spoken], abs=0.1)

    assert len(at_speaker) == 4, at_speaker         # the opening and the three answers: nothing between them
    monitor, rate = soundfile.read(tmp_path / "speaker.wav", dtype="float32")
    shift = at_speaker[0][0] - loud_spans(monitor, rate, join=0.3)[0][0]
    left = audio[:, 0]
    recorded = loud_spans(left, 16000, join=0.3)
    assert len(recorded) == 4
    for n in (2, 3):
        line_end, answer = at_speaker[n - 1][1], at_speaker[n][0]
        assert answer >= spoken[n - 1][1] + short - SPAN_STEP
        first = int((line_end - shift + 0.1) * rate)
        between = monitor[first:int((answer - shift - 0.05) * rate)]
        loudest = int(np.argmax(np.abs(between)))
        assert between.size and float(np.abs(between).max()) < 0.005, \
            (float(np.abs(between).max()), (first + loudest) / rate + shift, line_end, answer, call.turn_ends)
        assert recorded[n][0] == pytest.approx(answer, abs=0.02)
        assert float(np.abs(left[int((recorded[n - 1][1] + 0.1) * 16000):int((recorded[n][0] - 0.05) * 16000)]).max()) < 0.005
