"""Live meters from arrays and text: pace of the turn in progress, loudness against the baseline, pitch
against the trainee's own median, and the target bands taken from the thresholds file."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.live_meters import LiveMeterState, block_dbfs, meter_bands, turn_pace

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
