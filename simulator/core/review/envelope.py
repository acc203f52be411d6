"""Min/max envelope of a long waveform, so a 20-minute call draws as a few thousand points."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MAX_BUCKETS = 3000  # about one bucket per pixel of a wide screen


@dataclass(frozen=True)
class Envelope:
    times: np.ndarray  # start time (s) of each bucket
    low: np.ndarray
    high: np.ndarray

    def curve(self) -> tuple[np.ndarray, np.ndarray]:
        """One connected line through low and high of every bucket in turn (x repeated): draws as the
        filled waveform shape at any zoom without a fill item."""
        x = np.repeat(self.times, 2)
        y = np.empty(x.size, dtype=np.float32)
        y[0::2], y[1::2] = self.low, self.high
        return x, y

    @property
    def peak(self) -> float:
        return float(max(np.abs(self.low).max(initial=0.0), np.abs(self.high).max(initial=0.0)))


def envelope(samples: np.ndarray, sample_rate: int, max_buckets: int = MAX_BUCKETS) -> Envelope:
    """Lowest and highest sample of each of at most `max_buckets` equal slices (one sample per slice for
    short clips); the last slice is padded with silence."""
    audio = np.asarray(samples, dtype=np.float32).ravel()
    size = max(1, math.ceil(audio.size / max_buckets))
    buckets = math.ceil(audio.size / size)
    padded = np.zeros(buckets * size, dtype=np.float32)
    padded[:audio.size] = audio
    frames = padded.reshape(buckets, size)
    times = np.arange(buckets, dtype=np.float64) * size / sample_rate
    return Envelope(times, frames.min(axis=1), frames.max(axis=1))
