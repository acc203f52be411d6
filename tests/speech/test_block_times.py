"""Microphone block time stamps on a busy machine: a callback that runs late (scheduling) must not tear the
recording, while samples really lost move the later blocks. The callback is driven with the times PortAudio
would report; the real stream is tested in test_audio_io.py and test_e2e_call.py."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from simulator.speech.microphone import Microphone

MIC_BLOCK = 1600
MIC_RATE = 16000


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


def test_a_call_microphone_keeps_no_backlog_for_a_reader_it_does_not_have() -> None:
    """A call only subscribes: its microphone hands every block to the subscribers, none stays behind (a
    10-minute call would keep 19 MB of audio); a microphone read by the device checks keeps them for read()."""
    clock = StepClock()
    call_mic = Microphone(clock, sample_rate=MIC_RATE, blocksize=MIC_BLOCK, backlog=False)
    check_mic = Microphone(clock, sample_rate=MIC_RATE, blocksize=MIC_BLOCK)
    heard = call_mic.subscribe()
    for k in range(50):
        clock.t = 0.1 * (k + 1)
        times = SimpleNamespace(currentTime=100 + clock.t, inputBufferAdcTime=100 + clock.t - 0.02)
        for mic in (call_mic, check_mic):
            mic._callback(np.full((MIC_BLOCK, 1), k, dtype=np.int16), MIC_BLOCK, times,
                          SimpleNamespace(input_overflow=False))
    delivered = [heard.get_nowait() for _ in range(heard.qsize())]
    assert len(delivered) == 50 - 2 and [int(b[0]) for _, b in delivered] == list(range(2, 50))  # after settling
    assert call_mic.read() == []
    assert [t for t, _ in check_mic.read()] == [t for t, _ in delivered]
