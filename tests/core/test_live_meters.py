"""Live meters from arrays and text: pace of the turn in progress, loudness against the baseline, pitch
against the trainee's own median, the target bands taken from the thresholds file, and the markers of the
call in progress (dead air marked while it lasts, once)."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.call_session import CallSession, TraineeReply
from simulator.core.events import Event
from simulator.core.live_meters import LiveMarkers, LiveMeterState, block_dbfs, meter_bands, turn_pace
from simulator.core.personas.loader import default_personas_dir, load_persona

RATE = 16000
BLOCK = 1600
THR = load_thresholds()


def tone(frequency: float, seconds: float, amplitude: float = 0.3) -> np.ndarray:
    """A voiced-like signal: a fundamental with two harmonics, as int16."""
    t = np.arange(int(seconds * RATE)) / RATE
    wave = sum(np.sin(2 * np.pi * frequency * k * t) / k for k in (1, 2, 3))
    wave = wave / np.max(np.abs(wave)) * amplitude
    return (wave * 32767).astype(np.int16)


def feed(state: LiveMeterState, samples: np.ndarray, start: float) -> float:
    """Feed `samples` block by block from call time `start`; returns the time after the last block."""
    for i in range(0, len(samples), BLOCK):
        state.add_block(start + i / RATE, samples[i:i + BLOCK])
    return start + len(samples) / RATE


def test_bands_come_from_the_thresholds_file() -> None:
    zh, en = meter_bands(THR, "zh"), meter_bands(THR, "en")
    assert (zh["pace"].low, zh["pace"].high) == THR.pace_zh
    assert (en["pace"].low, en["pace"].high) == THR.pace_en
    assert zh["loudness"].high == THR.shouting_db and zh["loudness"].low == -THR.shouting_db
    assert zh["pitch"].high == THR.sharp_rise_semitones


def test_pace_counts_characters_or_words_over_speaking_time() -> None:
    # Vosk puts spaces between Chinese words: they are not characters.
    assert turn_pace("我 非常 理解 您的 心情", 2.4, "zh", THR) == pytest.approx(9 / 2.4 * 60)
    assert turn_pace("I really do understand how you feel", 3.0, "en", THR) == pytest.approx(7 / 3.0 * 60)
    assert turn_pace("好的", 2.0, "zh", THR) is None                 # too few characters for a rate
    assert turn_pace("我非常理解您的心情", 0.5, "zh", THR) is None    # too short a turn


def test_turn_pace_uses_the_recognised_text_and_voiced_time_and_resets_per_turn() -> None:
    state = LiveMeterState("zh", THR, baseline_db=-20.0)
    end = feed(state, tone(140, 3.0), 10.0)
    state.set_text(["我非常理解"], "您的心情")
    reading = state.snapshot(end)
    assert reading.pace == pytest.approx(9 / 3.0 * 60, rel=0.02)
    assert reading.in_band("pace") is True                          # 180 chars/min: inside 160-240
    state.set_text(["我非常理解您的心情我们马上处理这个问题"], "")
    fast = state.snapshot(end)
    assert fast.pace == pytest.approx(19 / 3.0 * 60, rel=0.02) and fast.in_band("pace") is False
    state.end_turn()
    assert state.snapshot(end).pace is None


def test_loudness_is_relative_to_the_trainee_baseline() -> None:
    state = LiveMeterState("zh", THR)                   # no calibrated baseline: measured in this call
    end = feed(state, tone(140, 2.0, amplitude=0.1), 0.0)
    assert state.snapshot(end).loudness_db == pytest.approx(0.0, abs=0.3)
    end = feed(state, tone(140, 0.3, amplitude=0.4), end)     # four times the amplitude: +12 dB
    loud = state.snapshot(end)
    assert loud.loudness_db == pytest.approx(12.0, abs=0.5)
    assert loud.in_band("loudness") is False

    calibrated = LiveMeterState("zh", THR, baseline_db=block_dbfs(tone(140, 0.1, amplitude=0.2)))
    end = feed(calibrated, tone(140, 0.2, amplitude=0.1), 0.0)
    assert calibrated.snapshot(end).loudness_db == pytest.approx(-6.0, abs=0.3)


def test_pitch_is_in_semitones_from_the_trainees_own_median() -> None:
    state = LiveMeterState("zh", THR, baseline_db=-20.0)
    end = feed(state, tone(150, 2.0), 0.0)
    steady = state.snapshot(end)
    assert steady.pitch_st == pytest.approx(0.0, abs=0.3) and steady.in_band("pitch") is True
    end = feed(state, tone(150 * 2 ** (7 / 12), 0.8), end)      # a sharp rise of 7 semitones
    risen = state.snapshot(end)
    assert risen.pitch_st == pytest.approx(7.0, abs=0.4)
    assert risen.in_band("pitch") is False


def test_silence_reads_as_not_talking_with_no_loudness_or_pitch() -> None:
    state = LiveMeterState("zh", THR, baseline_db=-20.0)
    end = feed(state, tone(150, 1.0), 0.0)
    assert state.snapshot(end).talking
    end = feed(state, np.zeros(RATE, dtype=np.int16), end)
    quiet = state.snapshot(end)
    assert not quiet.talking and quiet.loudness_db is None and quiet.pitch_st is None
    assert quiet.in_band("loudness") is None


def _said(session: CallSession, markers: LiveMarkers, line, start: float, end: float) -> None:
    """The customer's line, played from `start` to `end`."""
    session.customer_spoke(line, start, end)
    markers.customer_spoke(end)


def test_dead_air_is_marked_while_it_lasts_and_not_again_when_the_reply_is_assessed() -> None:
    session = CallSession(load_persona(default_personas_dir() / "zh" / "stubborn.toml"), seed=1)
    markers = LiveMarkers(THR, listening=True)
    assert THR.dead_air == 3.0
    _said(session, markers, session.opening(), 0.0, 5.0)
    assert markers.silence(7.9) is None                     # 2.9 s of silence: not yet dead air
    live = markers.silence(8.0)
    assert (live.kind, live.time) == ("dead_air", 5.0)      # marked at the silence's start, while it lasts
    assert markers.silence(9.5) is None                     # once
    markers.trainee_speaking(9.6)
    assessment, answer = session.trainee_replied(TraineeReply("这不是我们的问题，我理解您的心情。", 9.6, 12.0))
    assert assessment.has(Event.DEAD_AIR) and assessment.has(Event.TABOO)    # the analysis saw that silence too
    assert [m.kind for m in markers.turn(assessment)] == ["taboo"]             # ... and it is not marked twice

    _said(session, markers, answer, 13.0, 16.0)
    assert markers.silence(18.5) is None
    markers.trainee_speaking(18.6)                          # 2.6 s: a slow reply, not dead air while it lasted
    assert markers.silence(30.0) is None
    assessment, _ = session.trainee_replied(TraineeReply("我马上给您查一下。", 18.6, 20.0))
    assert assessment.has(Event.DEAD_AIR)                   # latency over the 2 s limit: marked with the turn
    assert [(m.kind, m.time) for m in markers.turn(assessment)] == [("dead_air", 18.6)]


def test_speech_before_the_customer_stops_pauses_and_typed_calls_do_not_end_or_start_the_wait() -> None:
    markers = LiveMarkers(THR, listening=True)
    markers.customer_spoke(10.0)
    markers.trainee_speaking(8.0)                           # a backchannel while the customer still talked
    assert markers.silence(13.0).time == 10.0
    markers.customer_spoke(20.0)
    markers.paused()                                        # nobody owes a word during a pause
    assert markers.silence(40.0) is None
    typed = LiveMarkers(THR, listening=False)               # no spoken replies: no silence to mark
    typed.customer_spoke(0.0)
    assert typed.silence(60.0) is None
