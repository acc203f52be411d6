"""Praat's pitch in pieces (issue 13.2: one Praat call holds the GIL for all of a long turn): the pieced
contour is the one-call contour, on real human speech and on espeak-ng's (22,050 Hz: a step of 220.5 samples),
and no call covers more than a piece and its context."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from simulator.core.analysis import pitch_chunks
from simulator.core.analysis.audio import pitch_track
from simulator.core.analysis.praat import parselmouth
from simulator.core.analysis.pitch_chunks import CHUNK_SECONDS, CONTEXT_SECONDS, praat_pitch
from tests.pulse import speak_to_wav

FLOOR, CEILING = 75.0, 500.0
LONGEST_CALL = CHUNK_SECONDS + 2 * CONTEXT_SECONDS + 3 / FLOOR + 0.05   # seconds of sound in one Praat call


@pytest.fixture(scope="module")
def human(realspeech: Path) -> tuple[np.ndarray, int]:
    """Every 16 kHz Mandarin and English recording, one after another (~2 minutes of real speech)."""
    parts = []
    for wav in sorted((realspeech / "zh").glob("*.wav")) + sorted((realspeech / "en").glob("*.wav")):
        data, rate = soundfile.read(wav, dtype="float64", always_2d=True)
        if rate == 16000:
            parts.append(data.mean(axis=1))
    return np.concatenate(parts), 16000


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> tuple[np.ndarray, int]:
    text = ("I understand how frustrating it is to have no heating for two days, and I will make sure an "
            "engineer comes to you this afternoon. ") * 4
    data, rate = soundfile.read(speak_to_wav(text, tmp_path_factory.mktemp("espeak") / "long.wav"),
                                dtype="float64")
    return data, rate


@pytest.fixture()
def calls(monkeypatch) -> list[float]:
    """The seconds of sound handed to each Praat call."""
    seen: list[float] = []
    real = pitch_chunks._pitch

    def counted(x, sr, *rest):
        seen.append(len(x) / sr)
        return real(x, sr, *rest)

    monkeypatch.setattr(pitch_chunks, "_pitch", counted)
    return seen


def one_call(x: np.ndarray, sr: int, step: float) -> tuple[np.ndarray, np.ndarray]:
    pitch = parselmouth.Sound(x, sampling_frequency=sr).to_pitch(time_step=step, pitch_floor=FLOOR,
                                                                  pitch_ceiling=CEILING)
    return pitch.xs(), pitch.selected_array["frequency"]


def assert_same_contour(x: np.ndarray, sr: int, step: float, calls: list[float]) -> None:
    times, f0 = one_call(x, sr, step)
    pieced_times, pieced = praat_pitch(x, sr, FLOOR, CEILING, step)
    np.testing.assert_allclose(pieced_times, times, rtol=0, atol=1e-9)   # the same frames
    voicing = np.mean((f0 > 0) != (pieced > 0))
    assert voicing <= 0.001, f"voiced/unvoiced differs in {voicing:.2%} of frames"
    both = (f0 > 0) & (pieced > 0)
    off = np.abs(f0[both] - pieced[both])
    assert np.median(off) < 0.01 and np.mean(off > 0.5) <= 0.001, (np.median(off), np.mean(off > 0.5))
    assert len(calls) >= len(x) / sr / CHUNK_SECONDS - 1 > 1   # really in pieces
    assert max(calls) <= LONGEST_CALL, max(calls)


@pytest.mark.parametrize("step", [0.01, 0.04])   # the trainee's contour; the customer's level (a coarser step)
def test_real_speech_in_pieces_has_the_one_call_contour(human, calls, step):
    assert_same_contour(*human, step, calls)


@pytest.mark.parametrize("step", [0.01, 0.04])
def test_espeak_speech_at_22050_hz_in_pieces_has_the_one_call_contour(synthetic, calls, step):
    assert len(synthetic[0]) / synthetic[1] > 3 * CHUNK_SECONDS
    assert_same_contour(*synthetic, step, calls)


def test_the_turn_measures_are_those_of_one_call(human, calls):
    x, sr = human
    times, f0 = pitch_track(x, sr, FLOOR, CEILING)
    whole_times, whole = one_call(x, sr, 0.01)
    voiced = whole > 0
    q1, q3 = np.percentile(whole[voiced], [25, 75])
    voiced &= (whole >= 0.75 * q1) & (whole <= 2.5 * q3)
    assert abs(len(f0) - voiced.sum()) <= 0.001 * len(whole)
    assert np.median(f0) == pytest.approx(np.median(whole[voiced]), abs=0.05)
    semitones = 12 * np.log2(f0 / np.median(f0))
    whole_semitones = 12 * np.log2(whole[voiced] / np.median(whole[voiced]))
    assert semitones.std() == pytest.approx(whole_semitones.std(), abs=0.005)
    assert times[-1] == pytest.approx(whole_times[voiced][-1], abs=1e-9)


def test_digital_silence_inside_a_long_signal_stays_unvoiced(human, calls):
    x, sr = human
    x = x.copy()
    x[20 * sr: 30 * sr] = 0.0   # a whole piece and more of nothing (a muted stretch)
    times, f0 = one_call(x, sr, 0.01)
    _, pieced = praat_pitch(x, sr, FLOOR, CEILING, 0.01)
    inside = (times > 20.1) & (times < 29.9)
    assert not pieced[inside].any() and not f0[inside].any()
    assert np.mean((f0 > 0) != (pieced > 0)) <= 0.001


def test_a_short_turn_is_one_call(human, calls):
    x, sr = human
    _, f0 = praat_pitch(x[: 3 * sr], sr, FLOOR, CEILING, 0.01)
    np.testing.assert_array_equal(f0, one_call(x[: 3 * sr], sr, 0.01)[1])
    assert len(calls) == 1
