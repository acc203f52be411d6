"""Audio measures on real synthesised speech (espeak-ng) and signals with known levels and pitch."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from simulator.core.analysis.audio import (
    AnalysisInputError,
    load_mono,
    load_stereo,
    loudness_db,
    pitch_track,
    voice_activity,
)
from simulator.core.analysis.call import measure_recording
from simulator.core.analysis.measures import Interval
from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.timeline import Timeline, Turn

SR = 16000


def espeak(tmp: Path, text: str, voice: str = "en", pitch: int = 50) -> tuple[np.ndarray, int]:
    path = tmp / f"espeak_{voice}_{pitch}_{abs(hash(text))}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-p", str(pitch), "-w", str(path), text], check=True)
    samples, sr = soundfile.read(str(path), dtype="float32")
    return samples, sr


def sounding_span(x: np.ndarray, sr: int) -> tuple[float, float]:
    """Where the synthesised waveform is audibly non-zero (espeak pads with silence)."""
    idx = np.flatnonzero(np.abs(x) > 0.02)
    return idx[0] / sr, idx[-1] / sr


def place(length_s: float, sr: int, *clips: tuple[float, np.ndarray], noise_db: float = -55.0) -> np.ndarray:
    rng = np.random.default_rng(7)
    out = rng.normal(0, 10 ** (noise_db / 20), int(length_s * sr)).astype(np.float32)
    for at, clip in clips:
        a = int(at * sr)
        out[a : a + len(clip)] += clip
    return out


@pytest.fixture(scope="module")
def hello(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, int]:
    return espeak(tmp_path_factory.mktemp("es"), "Thank you for calling, how can I help you today")


def test_vad_finds_an_utterance_placed_in_noise(hello: tuple[np.ndarray, int]) -> None:
    x, sr = hello
    on, off = sounding_span(x, sr)
    spans = voice_activity(place(6.0, sr, (1.5, x)), sr)
    assert len(spans) == 1
    assert spans[0].start == pytest.approx(1.5 + on, abs=0.15)
    assert spans[0].end == pytest.approx(1.5 + off, abs=0.15)


def test_vad_keeps_separate_utterances_apart_and_joins_short_pauses(hello: tuple[np.ndarray, int]) -> None:
    x, sr = hello
    on, off = sounding_span(x, sr)
    length = off - on
    clip = x[int(on * sr) : int(off * sr)]
    apart = voice_activity(place(10.0, sr, (1.0, clip), (1.0 + length + 1.5, clip)), sr)
    assert len(apart) == 2
    assert apart[1].start - apart[0].end == pytest.approx(1.5, abs=0.3)
    close = voice_activity(place(10.0, sr, (1.0, clip), (1.0 + length + 0.15, clip)), sr)
    assert len(close) == 1


def test_vad_ignores_noise_and_silence() -> None:
    assert voice_activity(place(3.0, SR, noise_db=-40.0), SR) == []
    assert voice_activity(np.zeros(SR * 2, dtype=np.float32), SR) == []


def test_vad_resamples_rates_webrtcvad_cannot_take(hello: tuple[np.ndarray, int]) -> None:
    x, sr = hello
    assert sr not in (8000, 16000, 32000, 48000)
    signal = place(5.0, sr, (1.0, x))
    at16 = np.interp(np.arange(int(len(signal) * SR / sr)) / SR, np.arange(len(signal)) / sr, signal)
    native, resampled = voice_activity(signal, sr), voice_activity(at16, SR)
    assert len(native) == len(resampled) == 1
    assert native[0].start == pytest.approx(resampled[0].start, abs=0.07)
    assert native[0].end == pytest.approx(resampled[0].end, abs=0.07)


def sine(freq: float, seconds: float, amp: float) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_loudness_of_known_levels() -> None:
    assert loudness_db(sine(440, 1.0, 0.5), SR) == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=0.05)
    assert loudness_db(sine(440, 1.0, 1.0), SR) - loudness_db(sine(440, 1.0, 0.5), SR) == pytest.approx(6.02, abs=0.05)
    assert loudness_db(np.zeros(SR), SR) == -120.0


def test_loudness_over_intervals_only() -> None:
    x = np.concatenate([sine(300, 1.0, 0.1), sine(300, 1.0, 0.4)])
    loud = loudness_db(x, SR, [Interval(1.0, 2.0)])
    quiet = loudness_db(x, SR, [Interval(0.0, 1.0)])
    assert loud - quiet == pytest.approx(20 * np.log10(4), abs=0.1)
    assert loudness_db(x, SR, []) == -120.0


def test_pitch_of_a_harmonic_tone() -> None:
    t = np.arange(SR) / SR
    tone = sum(np.sin(2 * np.pi * 180 * k * t) / k for k in range(1, 6)) * 0.2
    times, f0 = pitch_track(tone, SR)
    assert f0.size > 80
    assert np.median(f0) == pytest.approx(180, abs=2)
    assert times[0] >= 0 and times[-1] <= 1.0


def test_pitch_of_silence_or_a_too_short_signal_is_empty() -> None:
    assert pitch_track(np.zeros(SR), SR)[1].size == 0
    assert pitch_track(np.zeros(10), SR)[1].size == 0


def test_pitch_follows_the_voice_setting(tmp_path: Path) -> None:
    low = pitch_track(*espeak(tmp_path, "How can I help you", pitch=20))[1]
    high = pitch_track(*espeak(tmp_path, "How can I help you", pitch=90))[1]
    assert 12 * np.log2(np.median(high) / np.median(low)) > 2.0


def test_load_stereo_keeps_customer_left_and_trainee_right(tmp_path: Path) -> None:
    left, right = sine(200, 0.5, 0.3), sine(400, 0.5, 0.1)
    path = tmp_path / "call.wav"
    soundfile.write(str(path), np.stack([left, right], axis=1), SR, subtype="PCM_16")
    customer, trainee, sr = load_stereo(path)
    assert sr == SR
    assert np.abs(customer - left).max() < 1e-3 and np.abs(trainee - right).max() < 1e-3
    mono, _ = load_mono(path)
    assert np.abs(mono - (left + right) / 2).max() < 1e-3


def test_load_stereo_rejects_mono_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "mono.wav"
    soundfile.write(str(path), sine(200, 0.5, 0.3), SR)
    with pytest.raises(AnalysisInputError, match=r"mono\.wav is mono; a call recording needs two channels"):
        load_stereo(path)


def test_unreadable_audio_gives_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.wav"
    path.write_bytes(b"RIFF not really a wave file")
    with pytest.raises(AnalysisInputError, match="cannot read audio") as info:
        load_stereo(path)
    assert "\n" not in str(info.value)
    with pytest.raises(AnalysisInputError, match="cannot read audio"):
        load_mono(tmp_path / "missing.wav")


def voiced(f0_hz: np.ndarray) -> np.ndarray:
    """A voice-like harmonic signal following an F0 contour (one value per sample), with syllable rhythm."""
    phase = 2 * np.pi * np.cumsum(f0_hz) / SR
    t = np.arange(f0_hz.size) / SR
    return (0.1 * sum(np.sin(k * phase) / k for k in range(1, 6)) * (1 + 0.5 * np.sin(2 * np.pi * 4 * t))).astype(np.float32)


def test_monotone_turn_and_sharp_rise_at_a_turn_end() -> None:
    thr = load_thresholds()
    flat = voiced(np.full(2 * SR, 160.0))
    rise = np.full(2 * SR, 160.0)
    rise[-int(0.5 * SR) :] = 160.0 * 2 ** (np.linspace(0, 9, int(0.5 * SR)) / 12)  # up 9 semitones
    trainee = np.zeros(8 * SR, np.float32)
    trainee[2 * SR : 4 * SR] = flat
    trainee[5 * SR : 7 * SR] = voiced(rise)
    customer = np.zeros_like(trainee)
    customer[: int(1.5 * SR)] = voiced(np.full(int(1.5 * SR), 220.0))
    timeline = Timeline("zh", "p", [Turn("customer", 0, 1.5, "喂"), Turn("trainee", 2, 4, "您好"), Turn("trainee", 5, 7, "是吗")])
    _, m = measure_recording({"customer": customer, "trainee": trainee}, SR, thr, timeline)
    assert m.pitch["monotone_turns"] == [1]
    assert m.pitch["sharp_rise_turns"] == [2]
    assert m.pitch["median_hz"] == pytest.approx(160, abs=3)
    first, second = m.turns
    assert first.pitch_sd_semitones < 0.3 < second.pitch_sd_semitones
    assert m.loudness["vs_customer_db"] == pytest.approx(0.0, abs=1.0)
