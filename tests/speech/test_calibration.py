"""The normal-voice level the set-up assistant saves: the level of the voiced frames only, from signals of
known level (synthetic voiced bursts, real espeak-ng speech rescaled and padded)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import soundfile as sf

from simulator.core.analysis.audio import loudness_db
from simulator.core.calibration import active_speech_level
from tests.pulse import speak_to_wav

RATE = 16000


def _burst(seconds: float, level_db: float) -> np.ndarray:
    """A voiced sound (150 Hz with its harmonics) at an exact RMS level in dBFS."""
    t = np.arange(int(seconds * RATE)) / RATE
    wave = sum(np.sin(2 * math.pi * 150 * k * t) / k for k in range(1, 20))
    return (wave / np.sqrt(np.mean(wave ** 2)) * 10 ** (level_db / 20)).astype(np.float32)


def _pause(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), np.float32)


def test_the_level_of_voiced_bursts_ignores_the_pauses_between_them() -> None:
    signal = np.concatenate([_pause(0.5), _burst(0.8, -20.0), _pause(0.5), _burst(0.8, -20.0), _pause(0.5),
                             _burst(0.8, -20.0), _pause(0.5)])
    assert active_speech_level(signal, RATE) == pytest.approx(-20.0, abs=0.5)
    assert loudness_db(signal, RATE) < -22.0                  # the whole signal's RMS is pulled down by pauses
    as_int16 = np.round(signal * 32767).astype(np.int16)     # the microphone's format
    assert active_speech_level(as_int16, RATE) == pytest.approx(-20.0, abs=0.5)


@pytest.mark.parametrize(("voice", "text"), [("en", "Good morning, thank you for calling. How can I help you today?"),
                                             ("cmn", "您好，感谢您的来电，请问有什么可以帮您？")])
def test_real_speech_scales_with_the_gain_and_not_with_silence_around_it(tmp_path, voice: str, text: str) -> None:
    samples, rate = sf.read(speak_to_wav(text, tmp_path / "speech.wav", voice), dtype="float32")
    level = active_speech_level(samples, rate)
    assert level is not None and -30.0 < level < -10.0
    assert active_speech_level(samples * 10 ** (-12 / 20), rate) == pytest.approx(level - 12.0, abs=0.3)
    silence = np.zeros(2 * rate, np.float32)
    assert active_speech_level(np.concatenate([silence, samples, silence]), rate) == pytest.approx(level, abs=0.3)
    hiss = np.random.default_rng(1).normal(0.0, 10 ** (-65 / 20), len(samples)).astype(np.float32)
    assert active_speech_level(samples + hiss, rate) == pytest.approx(level, abs=2.0)


def test_silence_hiss_or_a_short_word_give_no_level() -> None:
    assert active_speech_level(_pause(4.0), RATE) is None
    hiss = np.random.default_rng(2).normal(0.0, 10 ** (-65 / 20), 4 * RATE).astype(np.float32)
    assert active_speech_level(hiss, RATE) is None
    assert active_speech_level(np.concatenate([_pause(1.0), _burst(0.5, -20.0), _pause(2.0)]), RATE) is None
