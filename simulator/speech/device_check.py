"""Checks of the trainee's audio set-up for the first-run assistant: device lists, the live input level,
a test phrase, and whether the microphone hears the speaker (echo).

Everything here blocks (opening streams, waiting for playback), so the UI calls it from a worker thread;
only InputLevel.poll() is cheap enough for a GUI timer.
"""

from __future__ import annotations

import math
import threading
import time

import numpy as np

from simulator.core.analysis.echo import EchoResult, echo_check
from simulator.core.voice import VoiceSettings

from .audio_devices import AudioUnavailable, load_sounddevice, reinitialise_portaudio
from .call_clock import CallClock
from .microphone import SILENCE_DBFS, Block, Microphone
from .player import PLAYED_RATE, Player

TEST_PHRASES = {
    "zh": "您好，这是测试语音，请确认您能听清楚。",
    "en": "Hello, this is a test phrase. Can you hear it clearly?",
}
TEST_VOICES = {"zh": "cmn-latn-pinyin", "en": "en-us"}
LEAD_SECONDS = 0.3  # microphone running before the phrase, so the recording surely starts earlier
TAIL_SECONDS = 0.8  # listening after the phrase: room echo and the sound server's buffering arrive late
SEARCH_MARGIN_SECONDS = 0.2  # the echo may be found this much before the reported play time (clock error)
PLAY_LIMIT_SECONDS = 60.0


def list_devices(kind: str) -> list[str]:
    """Names of the PortAudio devices that can record ("input") or play ("output"). Raises AudioUnavailable."""
    sd = load_sounddevice()
    channels = "max_input_channels" if kind == "input" else "max_output_channels"
    names = [d["name"] for d in sd.query_devices() if d[channels] > 0]
    return list(dict.fromkeys(names))


def list_all_devices() -> tuple[list[str], list[str]]:
    """(microphones, speakers), with PortAudio re-initialised first so that a headset plugged in since
    start-up is listed; this closes open streams, so only while none is in use. Raises AudioUnavailable."""
    reinitialise_portaudio()
    return list_devices("input"), list_devices("output")


def render_test_phrase(language: str) -> tuple[np.ndarray, int]:
    """The test phrase in the persona language as (float32 samples, rate), rendered by espeak-ng through the
    line cache. Raises TtsUnavailable when speech cannot be rendered here."""
    from .tts import SpeechRenderer, load_audio

    with SpeechRenderer() as renderer:
        return load_audio(renderer.render(TEST_PHRASES[language], VoiceSettings(TEST_VOICES[language])).path)


def _wait_until_played(player: Player, cancel: threading.Event | None = None) -> None:
    """Until the queued audio has left the speaker, the cancel event is set (playback is cut), or a limit."""
    deadline = time.monotonic() + PLAY_LIMIT_SECONDS
    while player.is_playing() and time.monotonic() < deadline:
        if cancel is not None and cancel.is_set():
            player.stop_playback()
            return
        time.sleep(0.02)


def play_phrase(samples: np.ndarray, sample_rate: int, device: str | None = None,
                cancel: threading.Event | None = None) -> None:
    """Play through the chosen speaker and return when it has been heard. Raises AudioUnavailable."""
    with Player(CallClock(), device) as player:
        player.play(samples, sample_rate)
        _wait_until_played(player, cancel)


def _lay_out(blocks: list[Block], origin: float, rate: int) -> np.ndarray:
    """Place (call time, samples) blocks on one float array whose sample 0 is at call time `origin`."""
    end = max((round((t - origin) * rate) + len(b) for t, b in blocks), default=0)
    out = np.zeros(max(end, 0), dtype=np.float32)
    scale = 32768.0 if blocks and blocks[0][1].dtype == np.int16 else 1.0
    for t, block in blocks:
        first = round((t - origin) * rate)
        if first + len(block) <= 0:
            continue
        skip = max(0, -first)
        out[first + skip:first + len(block)] = np.asarray(block[skip:], dtype=np.float32) / scale
    return out


def check_echo(samples: np.ndarray, sample_rate: int, input_device: str | None = None,
               output_device: str | None = None) -> EchoResult:
    """Play `samples` while recording the microphone; is the phrase in the recording?

    delay_s in the result is counted from the moment the speaker played the phrase. Raises AudioUnavailable.
    """
    clock = CallClock()
    played: list[Block] = []
    with Microphone(clock, input_device, sample_rate=PLAYED_RATE) as microphone:
        player = Player(clock, output_device)
        player.on_played = lambda call_time, block: played.append((call_time, block))
        with player:
            time.sleep(LEAD_SECONDS)
            player.play(samples, sample_rate)
            _wait_until_played(player)
            time.sleep(TAIL_SECONDS)
        recorded = microphone.read()
    if not played or not recorded:
        return EchoResult(False, None, None)
    origin, start = recorded[0][0], played[0][0]
    reference = np.concatenate([block for _, block in played])
    heard = _lay_out(recorded, origin, PLAYED_RATE)
    first = max(0, round((start - origin - SEARCH_MARGIN_SECONDS) * PLAYED_RATE))
    result = echo_check(reference, heard[first:], PLAYED_RATE)
    if result.delay_s is None:
        return result
    delay = result.delay_s + first / PLAYED_RATE - (start - origin)
    return EchoResult(True, delay, result.level_db, result.correlation)


def record_voice(seconds: float, device: str | None = None,
                 cancel: threading.Event | None = None) -> tuple[np.ndarray, int]:
    """The microphone for `seconds` (less when cancelled) as (int16 samples, rate). Raises AudioUnavailable."""
    with Microphone(CallClock(), device) as microphone:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not (cancel is not None and cancel.is_set()):
            time.sleep(0.05)
        blocks = microphone.read()
        if microphone.error:
            raise AudioUnavailable(microphone.error)
    samples = np.concatenate([block for _, block in blocks]) if blocks else np.zeros(0, np.int16)
    return samples, microphone.sample_rate


class InputLevel:
    """The microphone's level for a meter: poll() gives the loudest block since the last poll in dBFS."""

    def __init__(self, device: str | None = None) -> None:
        self._microphone = Microphone(CallClock(), device)

    def start(self) -> None:
        """Raises AudioUnavailable."""
        self._microphone.start()

    def stop(self) -> None:
        self._microphone.stop()

    @property
    def error(self) -> str | None:
        return self._microphone.error

    def poll(self) -> float:
        blocks = self._microphone.read()
        if not blocks:
            return SILENCE_DBFS
        peak = max(float(np.mean(np.square(b, dtype=np.float64))) for _, b in blocks)
        rms = math.sqrt(peak) / 32768.0
        return 20.0 * math.log10(rms) if rms > 0 else SILENCE_DBFS
