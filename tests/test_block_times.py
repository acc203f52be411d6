"""Block time stamps from the audio callbacks on a busy machine: a callback that runs late (scheduling) must
not tear the recording, while samples really lost move the later blocks. The callbacks are driven with the
times PortAudio would report; the real streams are tested in test_audio_io.py and test_e2e_call.py."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from simulator.speech.microphone import Microphone
from simulator.speech.player import Player

MIC_BLOCK = 1600
MIC_RATE = 16000
OUT_BLOCK = 1024
OUT_RATE = 48000


class StepClock:
    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> float:
        return self.t


def mic_times(arrivals: list[float], overflow_at: int = -1) -> list[float]:
    """Feed 0.1 s blocks arriving at the given call times (capture delay 20 ms); return their stamps."""
    clock = StepClock()
    mic = Microphone(clock, sample_rate=MIC_RATE, blocksize=MIC_BLOCK)
    block = np.zeros((MIC_BLOCK, 1), dtype=np.int16)
    for i, arrival in enumerate(arrivals):
        clock.t = arrival
        times = SimpleNamespace(currentTime=100 + arrival, inputBufferAdcTime=100 + arrival - 0.02)
        mic._callback(block, MIC_BLOCK, times, SimpleNamespace(input_overflow=i == overflow_at))
    return [t for t, _ in mic.read()]


def test_a_late_microphone_callback_keeps_the_blocks_back_to_back() -> None:
    arrivals = [0.1 * (k + 1) + 0.002 for k in range(20)]
    arrivals[10] += 0.45                     # the machine was busy: this block and the next ones come late ...
    for k in (11, 12, 13):
        arrivals[k] = arrivals[10] + 0.001 * (k - 10)   # ... and then all at once
    stamps = mic_times(arrivals)
    steps = np.diff(stamps)
    assert steps == pytest.approx([0.1] * len(steps), abs=1e-6)


def test_lost_microphone_samples_move_the_later_blocks() -> None:
    arrivals = [0.1 * (k + 1) for k in range(10)] + [0.1 * (k + 1) + 0.5 for k in range(10, 20)]
    stamps = mic_times(arrivals)                 # 0.5 s of audio never arrived, and nobody said so
    assert stamps[-1] - stamps[0] == pytest.approx((len(stamps) - 1) * 0.1 + 0.5, abs=0.02)
    assert stamps[-1] == pytest.approx(arrivals[-1] - 0.1, abs=0.02)


def player_times(reported: list[float], underflow_at: int = -1) -> list[float]:
    """Call the output callback once per reported time (when its block would reach the speaker)."""
    clock = StepClock()
    player = Player(clock, sample_rate=OUT_RATE)
    out = np.zeros((OUT_BLOCK, 1), dtype=np.float32)
    player.play(np.ones(OUT_BLOCK * len(reported), dtype=np.float32), OUT_RATE)
    for i, dac in enumerate(reported):
        clock.t = dac - 0.05
        times = SimpleNamespace(currentTime=clock.t, outputBufferDacTime=dac)
        player._callback(out, OUT_BLOCK, times, SimpleNamespace(output_underflow=i == underflow_at))
    played = []
    while not player._played.empty():
        played.append(player._played.get_nowait())
    return [p.call_time for p in played]


def test_jittery_output_times_still_give_back_to_back_blocks() -> None:
    step = OUT_BLOCK / OUT_RATE
    rng = np.random.default_rng(4)
    reported = [1.0 + k * step + rng.uniform(-0.008, 0.008) for k in range(60)]
    reported[30] += 0.35                             # one callback with a wild time stamp
    stamps = player_times(reported)
    assert np.diff(stamps) == pytest.approx([step] * 59, abs=1e-6)
    assert stamps[0] == pytest.approx(1.0, abs=0.01)


def test_an_output_underflow_moves_the_later_blocks() -> None:
    step = OUT_BLOCK / OUT_RATE
    reported = [1.0 + k * step for k in range(20)] + [1.3 + k * step for k in range(20, 40)]
    stamps = player_times(reported, underflow_at=20)
    assert stamps[19] == pytest.approx(1.0 + 19 * step, abs=1e-6)
    assert stamps[20] == pytest.approx(1.3 + 20 * step, abs=1e-6)
