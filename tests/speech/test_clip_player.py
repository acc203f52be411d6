"""ClipPlayer through a real PulseAudio null sink: what it plays is captured from the speaker's monitor."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from simulator.speech.audio_devices import AudioUnavailable
from simulator.speech.clip_player import ClipPlayer, NoRecording
from tests.pulse import RATE, dominant_frequency, tone

SR = 16000
BEFORE_HZ, LEFT_HZ, RIGHT_HZ = 440.0, 1000.0, 660.0


@pytest.fixture(scope="module")
def recording(tmp_path_factory) -> Path:
    """5 s stereo at the recorder's 16 kHz: left 440 Hz until 2.0 s then 1000 Hz; right a quieter 660 Hz from 2.0 s."""
    left = np.concatenate([tone(BEFORE_HZ, 2.0, SR), tone(LEFT_HZ, 3.0, SR)])
    right = np.concatenate([np.zeros(2 * SR, np.float32), tone(RIGHT_HZ, 3.0, SR, amplitude=0.2)])
    path = tmp_path_factory.mktemp("clip") / "call.flac"
    sf.write(path, np.column_stack([left, right]), SR)
    return path


@pytest.fixture
def player(pulse, recording):
    p = ClipPlayer()
    p.load(recording)
    yield p
    p.close()


def _wait(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _capture(pulse, wav: Path, action, settle: float = 0.3) -> np.ndarray:
    recorder = pulse.record(pulse.speaker_monitor, wav)
    try:
        time.sleep(settle)  # let parecord connect before anything plays
        action()
        time.sleep(settle)
    finally:
        pulse.stop_recording(recorder)
    samples, rate = sf.read(wav, dtype="float32")
    assert rate == RATE
    return samples


def _sounding(samples: np.ndarray) -> np.ndarray:
    """The stretch from the first to the last clearly audible sample."""
    loud = np.flatnonzero(np.abs(samples) > 0.05)
    return samples[loud[0]:loud[-1] + 1] if loud.size else samples[:0]


def _band_level(samples: np.ndarray, hz: float) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    freqs = np.fft.rfftfreq(samples.size, 1 / RATE)
    return float(spectrum[np.abs(freqs - hz) < 15].max())


def test_plays_from_the_requested_second(pulse, player, tmp_path):
    def play() -> None:
        player.play_from(2.0, duration=1.5)
        _wait(lambda: not player.is_playing())

    captured = _capture(pulse, tmp_path / "out.wav", play)
    loud = _sounding(captured)
    assert loud.size > 0.5 * RATE, "less than half a second of the clip reached the speaker"
    assert dominant_frequency(loud, RATE) == pytest.approx(LEFT_HZ, abs=10)
    # both channels are played (the null sink mixes them), and nothing from before 2.0 s
    assert _band_level(loud, RIGHT_HZ) > 0.1 * _band_level(loud, LEFT_HZ)
    assert _band_level(loud, BEFORE_HZ) < 0.02 * _band_level(loud, LEFT_HZ)
    assert player.position() == pytest.approx(3.5, abs=0.05)


def test_position_advances_and_stop_silences(pulse, player, tmp_path):
    player.play_from(0.5)
    assert player.is_playing()
    _wait(lambda: player.position() > 1.0)
    first = player.position()
    _wait(lambda: player.position() > first + 0.2)
    assert 0.5 <= first < player.position() <= player.duration
    player.stop()
    assert not player.is_playing()
    stopped_at = player.position()
    time.sleep(0.3)
    assert player.position() == stopped_at
    after = _capture(pulse, tmp_path / "after.wav", lambda: time.sleep(0.5))
    assert np.abs(after).max() < 0.01, "audio continued after stop()"


def test_a_new_play_replaces_the_current_one(pulse, player, tmp_path):
    def play_twice() -> None:
        player.play_from(0.0)
        _wait(lambda: player.position() > 0.3)
        player.play_from(2.5, duration=1.0)
        _wait(lambda: not player.is_playing())

    captured = _capture(pulse, tmp_path / "twice.wav", play_twice)
    tail = _sounding(captured)[-int(0.9 * RATE):]
    assert tail.size and dominant_frequency(tail, RATE) == pytest.approx(LEFT_HZ, abs=10)
    assert player.position() == pytest.approx(3.5, abs=0.05)


def test_missing_output_device_is_a_clear_error(pulse, recording):
    p = ClipPlayer(device="no such speaker")
    p.load(recording)
    with pytest.raises(AudioUnavailable, match="speaker or headset"):
        p.play_from(1.0)


def test_play_without_recording_says_so():
    with pytest.raises(NoRecording, match="No recording"):
        ClipPlayer().play_from(0.0)


def test_the_decoded_channels_are_played_from_where_they_are_not_copied() -> None:
    """A 10-minute call decoded as the analysis decodes it (one array, the channels strided views of it):
    handing it to the player allocates nothing of its size, and the player cannot write into it."""
    import tracemalloc

    decoded = np.zeros((10 * 60 * SR, 2), np.float32)
    customer, trainee = decoded[:, 0], decoded[:, 1]
    player = ClipPlayer()
    tracemalloc.start()
    try:
        player.set_audio(customer, trainee, SR)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 0.01 * decoded.nbytes, f"{peak / 1e6:.1f} MB allocated for a {decoded.nbytes / 1e6:.0f} MB call"
    assert player.duration == pytest.approx(600.0)
    assert customer.flags.writeable and trainee.flags.writeable          # the caller's arrays are as they were
    assert all(np.shares_memory(c, decoded) and not c.flags.writeable for c in player._channels)


def test_a_recording_at_the_output_rate_plays_without_resampling(pulse, tmp_path):
    left = np.concatenate([tone(BEFORE_HZ, 1.0, RATE), tone(LEFT_HZ, 2.0, RATE)])
    right = np.concatenate([np.zeros(RATE, np.float32), tone(RIGHT_HZ, 2.0, RATE, amplitude=0.2)])
    player = ClipPlayer()
    player.set_audio(left, right, RATE)
    try:
        def play() -> None:
            player.play_from(1.0, duration=1.5)
            _wait(lambda: not player.is_playing())

        loud = _sounding(_capture(pulse, tmp_path / "out.wav", play))
    finally:
        player.close()
    assert loud.size > 0.5 * RATE
    assert dominant_frequency(loud, RATE) == pytest.approx(LEFT_HZ, abs=10)
    assert _band_level(loud, RIGHT_HZ) > 0.1 * _band_level(loud, LEFT_HZ)
    assert _band_level(loud, BEFORE_HZ) < 0.02 * _band_level(loud, LEFT_HZ)
