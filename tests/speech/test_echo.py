"""Echo detection: the pure cross-correlation check on made signals, and the device check through a real
PulseAudio server with and without a speaker->microphone loopback."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from simulator.core.analysis.echo import (
    ECHO_THRESHOLD, HEADSET_ECHO_DB, EchoResult, HeadsetAdvice, echo_check, headset_advice,
)
from simulator.speech.resample import resample
from tests.pulse import speak_to_wav

SR = 16000


@pytest.fixture(scope="module")
def phrase(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    wav = speak_to_wav("Hello, this is a test phrase. Please check that you can hear it clearly.",
                       tmp_path_factory.mktemp("echo") / "phrase.wav")
    samples, rate = sf.read(wav, dtype="float32")
    return resample(samples, rate, SR)


@pytest.fixture(scope="module")
def other_phrase(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    wav = speak_to_wav("I want to talk to your manager right now, the heating has been off for two days.",
                       tmp_path_factory.mktemp("echo") / "other.wav")
    samples, rate = sf.read(wav, dtype="float32")
    return resample(samples, rate, SR)


def with_echo(played: np.ndarray, delay_s: float, gain: float, noise: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    recorded = rng.normal(0.0, noise, played.size + SR).astype(np.float32)
    start = round(delay_s * SR)
    recorded[start:start + played.size] += gain * played
    return recorded


@pytest.mark.parametrize("delay_s, gain", [(0.0, 1.0), (0.047, 0.3), (0.213, 0.05), (0.65, 0.1)])
def test_delayed_attenuated_copy_is_found_with_its_delay_and_level(phrase, delay_s: float, gain: float) -> None:
    result = echo_check(phrase, with_echo(phrase, delay_s, gain, noise=0.003), SR)
    assert result.detected
    assert result.delay_s == pytest.approx(delay_s, abs=0.005)
    assert result.level_db == pytest.approx(20 * np.log10(gain), abs=1.0)
    assert result.correlation > ECHO_THRESHOLD


@pytest.mark.parametrize("gain, advice", [(0.3, HeadsetAdvice.NEEDED), (0.05, HeadsetAdvice.NEEDED),
                                         (0.02, HeadsetAdvice.RECOMMENDED), (0.0, HeadsetAdvice.NONE)])
def test_headset_advice_follows_the_measured_echo_level(phrase, gain: float, advice: HeadsetAdvice) -> None:
    echo = echo_check(phrase, with_echo(phrase, 0.05, gain, noise=0.0003), SR)   # -10, -26, -34 dB, none
    assert echo.detected == (gain > 0)
    assert headset_advice(echo) is advice


def test_headset_advice_changes_just_above_the_limit() -> None:
    assert headset_advice(EchoResult(True, 0.02, HEADSET_ECHO_DB + 0.1)) is HeadsetAdvice.NEEDED
    assert headset_advice(EchoResult(True, 0.02, HEADSET_ECHO_DB)) is HeadsetAdvice.RECOMMENDED
    assert headset_advice(EchoResult(False, None, None)) is HeadsetAdvice.NONE


def test_inverted_copy_in_int16_is_found_on_the_same_scale(phrase) -> None:
    recorded = -with_echo(phrase, 0.1, 0.2, noise=0.002)
    pcm = np.round(recorded * 32767).astype(np.int16)
    result = echo_check(phrase, pcm, SR)
    assert result.detected
    assert result.delay_s == pytest.approx(0.1, abs=0.005)
    assert result.level_db == pytest.approx(20 * np.log10(0.2), abs=1.0)


def test_echo_buried_below_the_noise_floor_is_not_reported(phrase) -> None:
    result = echo_check(phrase, with_echo(phrase, 0.1, 0.002, noise=0.05), SR)
    assert not result.detected
    assert result.delay_s is None and result.level_db is None


@pytest.mark.parametrize("seed", range(5))
def test_independent_noise_is_not_echo(seed: int) -> None:
    rng = np.random.default_rng(seed)
    result = echo_check(rng.normal(size=2 * SR), rng.normal(size=3 * SR), SR)
    assert not result.detected
    assert result.correlation < ECHO_THRESHOLD / 2


def test_different_speech_is_not_echo(phrase, other_phrase) -> None:
    recorded = np.concatenate([np.zeros(SR // 10, np.float32), other_phrase, np.zeros(SR, np.float32)])
    result = echo_check(phrase, recorded, SR)
    assert not result.detected
    assert result.correlation < ECHO_THRESHOLD / 2


@pytest.mark.parametrize("which", ["recorded", "played", "empty"])
def test_silence_is_not_echo(phrase, which: str) -> None:
    played = np.zeros(SR, np.float32) if which == "played" else phrase
    recorded = {"recorded": np.zeros(phrase.size + SR, np.float32), "empty": np.zeros(0, np.float32)}.get(
        which, phrase)
    result = echo_check(played, recorded, SR)
    assert not result.detected
    assert result.delay_s is None and result.level_db is None


def test_recording_shorter_than_the_phrase_still_works(phrase) -> None:
    result = echo_check(phrase, phrase[: phrase.size // 2] * 0.5, SR)
    assert result.detected and result.delay_s == 0.0


# ---- the real devices ---------------------------------------------------------------------------------


@pytest.mark.audio
def test_device_check_finds_echo_only_with_the_loopback(pulse, phrase) -> None:
    from simulator.speech.device_check import check_echo

    phrase = phrase[: round(1.5 * SR)]  # enough speech for a clear peak, and a quicker test
    quiet = check_echo(phrase, SR)
    assert not quiet.detected and quiet.delay_s is None
    with pulse.loopback():
        echo = check_echo(phrase, SR, "pulse", "pulse")  # the devices by name, as saved in the settings
    assert echo.detected
    assert 0.0 <= echo.delay_s < 0.5  # the loopback adds ~20 ms plus the server's buffering
    assert echo.level_db > -12.0  # the loopback copies the speaker at full volume


@pytest.mark.audio
def test_input_level_rises_when_someone_speaks(pulse, tmp_path: Path) -> None:
    from simulator.speech.device_check import InputLevel

    wav = speak_to_wav("Good morning, I am calling about my bill.", tmp_path / "speech.wav")
    meter = InputLevel()
    meter.start()
    try:
        threading.Event().wait(0.3)
        silent = meter.poll()
        player = threading.Thread(target=pulse.play_into_mic, args=(wav,))
        player.start()
        loudest = silent
        while player.is_alive():
            threading.Event().wait(0.05)
            loudest = max(loudest, meter.poll())
        player.join()
    finally:
        meter.stop()
    assert silent < -90.0  # a null sink is digital silence
    assert loudest > -40.0  # espeak-ng speech near full scale


def test_device_lists_name_the_portaudio_devices(pulse) -> None:
    import sounddevice as sd

    from simulator.speech.device_check import list_devices

    inputs, outputs = list_devices("input"), list_devices("output")
    assert inputs == [d["name"] for d in sd.query_devices() if d["max_input_channels"] > 0]
    assert "pulse" in inputs and "pulse" in outputs
