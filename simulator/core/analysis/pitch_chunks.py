"""Praat's autocorrelation pitch of a long signal as a series of short calls with the same result: Praat holds
Python's lock (the GIL) for a whole call, ~2.4 ms per second of sound, so one call over a long turn froze the
review window and the end of a call for as long (issue 13.2); no call here covers more than CHUNK_SECONDS plus
its context.

Each call's frames fall on the whole signal's frame grid (Praat centres its frames in the sound: the piece
is cut so that its own centred frames are the whole signal's), sees CONTEXT_SECONDS of frames either side
that are then dropped (Praat's path finder chooses each frame's candidate with its neighbours), and has its
silence threshold scaled by the whole signal's peak over the piece's (Praat judges each frame's loudness
against the sound's absolute peak). On real speech the contour is the one-call contour to within hundredths
of a hertz in all but a few frames (tests/core/analysis/test_pitch_chunks.py)."""

from __future__ import annotations

import math

import numpy as np

from simulator.core.analysis.praat import parselmouth

CHUNK_SECONDS = 6.0      # frames kept per call: ~15 ms of Praat on this machine's cores when idle
CONTEXT_SECONDS = 0.5    # frames computed either side of them and dropped
PERIODS_PER_WINDOW = 3.0  # Praat's autocorrelation method: its window is three periods of the floor
SILENCE_THRESHOLD = 0.03  # Praat's default


def praat_pitch(x: np.ndarray, sr: int, floor_hz: float, ceiling_hz: float,
                step: float) -> tuple[np.ndarray, np.ndarray]:
    """Frame times (s) and F0 (Hz, 0 where unvoiced) as Praat's To Pitch (ac) gives them for the whole of `x`
    (float64, at least one window long)."""
    grid = _Grid(len(x), sr, floor_hz, step)
    keep = max(1, round(CHUNK_SECONDS / step))
    if grid.count <= keep + 2 * round(CONTEXT_SECONDS / step) or grid.half_steps is None:
        return _pitch(x, sr, floor_hz, ceiling_hz, step, 0, SILENCE_THRESHOLD)
    context = round(CONTEXT_SECONDS / step)
    peak = _peak(x)
    times, f0 = grid.times(), np.zeros(grid.count)
    for first in range(0, grid.count, keep):
        last = min(grid.count, first + keep)
        a, b = max(0, first - context), min(grid.count, last + context)
        a, lo, hi = grid.samples_for(a, b)
        piece = x[lo:hi]
        piece_peak = _peak(piece)
        if piece_peak == 0.0:
            continue   # digital silence: unvoiced, as the whole-signal call finds it
        _, part = _pitch(piece, sr, floor_hz, ceiling_hz, step, lo, SILENCE_THRESHOLD * peak / piece_peak)
        f0[first:last] = part[first - a: last - a]
    return times, f0


def _pitch(x: np.ndarray, sr: int, floor_hz: float, ceiling_hz: float, step: float, offset: int,
           silence: float) -> tuple[np.ndarray, np.ndarray]:
    pitch = parselmouth.Sound(x, sampling_frequency=sr, start_time=offset / sr).to_pitch_ac(
        time_step=step, pitch_floor=floor_hz, pitch_ceiling=ceiling_hz, silence_threshold=silence)
    return pitch.xs(), pitch.selected_array["frequency"]


def _peak(x: np.ndarray) -> float:
    """Praat's 'global peak': the largest distance of a sample from the sound's mean."""
    return float(np.max(np.abs(x - x.mean()))) if x.size else 0.0


class _Grid:
    """Praat's frame grid over n samples (Sampled_shortTermAnalysis): as many whole windows as fit, one a
    step, the run of them centred in the sound."""

    def __init__(self, n: int, sr: int, floor_hz: float, step: float) -> None:
        self.n, self.sr, self.step = n, sr, step
        self.window = PERIODS_PER_WINDOW / floor_hz
        self.count = self.frames(n)
        halves = 2 * step * sr   # samples a step, doubled: whole at 16 or 48 kHz, odd at 22.05 kHz (espeak-ng)
        self.half_steps = round(halves) if abs(halves - round(halves)) < 1e-9 else None

    def frames(self, n: int) -> int:
        return int(math.floor((n / self.sr - self.window) / self.step)) + 1

    def times(self) -> np.ndarray:
        first = 0.5 * self.n / self.sr - 0.5 * self.count * self.step + 0.5 * self.step
        return first + self.step * np.arange(self.count)

    def samples_for(self, a: int, b: int) -> tuple[int, int, int]:
        """Samples [lo, hi) whose own centred grid is exactly frames a'..b'-1 of the whole signal's, a' <= a and
        b' >= b (one frame more where a half-sample step leaves no whole start): (a', lo, hi). With D samples
        a step, 2 lo = N - n + D (2 a + count - frames), so n is the shortest length holding the count's
        windows with the parity that makes lo whole."""
        assert self.half_steps is not None
        if (self.half_steps * (2 * a + (b - a) - self.count)) % 2:
            a, b = (a - 1, b) if a > 0 else (a, b + 1)   # D (2 a + count - frames) is whole now
        count = b - a
        shift = self.half_steps * (2 * a + count - self.count) // 2
        n = math.ceil((self.window + (count - 1) * self.step) * self.sr - 1e-9)
        while self.frames(n) < count or (self.n - n + shift) % 2:
            n += 1
        lo = (self.n - n + shift) // 2
        return a, lo, lo + n
