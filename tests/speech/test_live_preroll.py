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


def heard_call(pulse, ko_model, tmp_path: Path, reply: Path) -> tuple[LiveCall, CallSession, np.ndarray, list, float]:
    """One spoken reply 0.6 s after the opening line. Returns the call, its session, the recording (16 kHz stereo,
    call time), the loud spans at the speaker monitor in call time (aligned by the opening line's onset, which
    the recording places where PortAudio said it was played) and the options' short silence."""
    monitor = tmp_path / "speaker.wav"
    listener = pulse.record(pulse.speaker_monitor, monitor)
    time.sleep(0.3)
    clock, heard = CallClock(), Collector()
    persona = calm_persona()       # in the middle of its mood band: one reply leaves it there, its voice cached
    session = CallSession(dataclasses.replace(persona, mood=dataclasses.replace(persona.mood, initial=37.0)), seed=3)
    renderer = SpeechRenderer(tmp_path / "tts")
    voice = session.persona.voice.for_band(band_of(session.mood))
    for text in sorted(session.persona.all_lines()):   # as later in a call: the lines' voice is cached, not being
        renderer.render(text, voice)                    # rendered all at once beside the first answer
    options = LiveCallOptions(recording=tmp_path / "call.flac")
    call = LiveCall(session, renderer, heard, options, clock=clock, player=Player(clock),
                    microphone=Microphone(clock, blocksize=CALL_BLOCKSIZE), model_path=ko_model)
    call.start()
    try:
        heard.wait(lambda: heard.customer, 60)
        wait_until(clock, heard.customer[-1][3] + 0.6)
        pulse.play_into_mic(reply)
        heard.wait(lambda: heard.trainee and len(heard.customer) > 1, 30)
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
    call, session, audio, at_speaker, short = heard_call(pulse, ko_model, tmp_path,
                                                         speak(tmp_path, "reply", "제가 확인해 보겠습니다."))
    assert [t.speaker for t in session.timeline.turns] == ["customer", "trainee", "customer"]
    speech_end = loud_spans(audio[:, 1], 16000)[-1][1]
    assert len(at_speaker) == 2, at_speaker
    gap = at_speaker[1][0] - speech_end
    print(f"speech end -> the answer at the speaker: {gap:.3f} s; turn ends: {call.turn_ends}")
    assert call.prerolled_used == 1 and call.turn_ends[0].prerolled
    assert short - SPAN_STEP <= gap <= short + PREROLL_AFTER + 0.04
    assert short + PREROLL_AFTER + 0.04 < short + OUTPUT_LATENCY
    # the recording has the answer where it was heard
    recorded = [a for a, _ in loud_spans(audio[:, 0], 16000, join=0.3)]
    assert recorded[1] == pytest.approx(at_speaker[1][0], abs=0.02)


def test_speaking_on_in_the_last_of_the_silence_hears_nothing_of_the_prerolled_answer(pulse, ko_model, tmp_path):
    """A complete-sounding phrase, 0.56 s of silence (0.08 s short of the end of the turn, when the answer
    prepared for it is already in the speaker's stream), then more: one turn; the speaker monitor and the call's
    recording hold nothing of the customer between the opening line and the answer to the whole reply."""
    reply = pause_reply(tmp_path, "resumed", "네, 알겠습니다.", "제가 확인해 보겠습니다.", 0.56)
    call, session, audio, at_speaker, short = heard_call(pulse, ko_model, tmp_path, reply)
    trainee = [t for t in session.timeline.turns if t.speaker == "trainee"]
    assert len(trainee) == 1, (session.timeline.turns, call.turn_ends)
    assert call.prepared_dropped >= 1
    assert call.player.preroll_aborts >= 1        # the dropped answer had been written ahead of the speaker
    speech_end = loud_spans(audio[:, 1], 16000, join=1.0)[-1][1]
    assert trainee[0].end == pytest.approx(speech_end, abs=0.1)

    opening_end = at_speaker[0][1]
    assert len(at_speaker) == 2, at_speaker                  # the opening line and the answer, nothing between
    assert at_speaker[1][0] >= speech_end + short - SPAN_STEP
    monitor, rate = soundfile.read(tmp_path / "speaker.wav", dtype="float32")
    shift = at_speaker[0][0] - loud_spans(monitor, rate, join=0.3)[0][0]
    between = monitor[int((opening_end - shift + 0.05) * rate):int((at_speaker[1][0] - shift - 0.05) * rate)]
    assert between.size and float(np.abs(between).max()) < 0.005
    left = audio[:, 0]
    recorded = loud_spans(left, 16000, join=0.3)
    assert len(recorded) == 2 and recorded[1][0] == pytest.approx(at_speaker[1][0], abs=0.02)
    assert float(np.abs(left[int((recorded[0][1] + 0.05) * 16000):int((recorded[1][0] - 0.05) * 16000)]).max()) < 0.005
