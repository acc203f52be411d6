"""Does the microphone hear the persona's voice (speaker echo)? Normalised cross-correlation.

Echo matters because the persona's own voice then reaches the recogniser and counts as the trainee
talking over the customer. The check plays a known phrase and looks for a delayed, scaled copy of it
in the recording:

- Both signals only lose their DC offset; no pre-emphasis, because it lifts the microphone's hiss
  above the (low-frequency heavy) speech and so hides a quiet echo, while unrelated speech already
  correlates weakly without it.
- For every lag at which the played phrase fits inside the recording, the correlation is divided by
  the energy of the phrase and of the recording window under it, so the peak value (0..1) is the
  share of the recording that the echo explains, whatever the volume.
- ECHO_THRESHOLD = 0.2: a copy at this correlation carries 4 % of the window's energy (echo about
  14 dB below everything else the microphone hears), which is enough to disturb recognition. Chance
  peaks stay far below: for independent white noise the largest of L lags is about
  sqrt(2 ln L / N) (0.03 for 2 s at 16 kHz); a different spoken phrase gives about 0.05
  (tests/speech/test_echo.py measures both).
- MIN_LEVEL_DB = -60: a correlated copy more than 60 dB below the played level is inaudible in
  practice (digital cross-talk, dithering) and is not reported as echo.
- HEADSET_ECHO_DB = -30: the customer's voice leaves espeak-ng at about -22 dBFS (median of its voiced
  0.1 s blocks, measured on the test phrases), so an echo 30 dB down reaches the microphone near -52 dBFS,
  a turn of the volume knob away from the -50 dBFS taken as speech (live_meters.VOICE_GATE_DBFS). A louder
  echo is heard as the trainee talking: a headset is needed. A fainter one still adds to what the
  recogniser hears, so a headset stays recommended.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

ECHO_THRESHOLD = 0.2
MIN_LEVEL_DB = -60.0
HEADSET_ECHO_DB = -30.0
_SILENT_ENERGY = 1e-12


@dataclass(frozen=True)
class EchoResult:
    """detected; delay_s: where the echo starts in the recording; level_db: echo gain vs the played
    signal (0 dB = as loud as played, -20 dB = ten times quieter). Both None when no echo was found."""

    detected: bool
    delay_s: float | None
    level_db: float | None
    correlation: float = 0.0  # peak normalised correlation, for the record


def _prepared(signal: np.ndarray) -> np.ndarray:
    """Float on the -1..1 scale (int16 blocks from the microphone included), without DC offset."""
    x = np.asarray(signal)
    scale = float(np.iinfo(x.dtype).max) + 1.0 if np.issubdtype(x.dtype, np.integer) else 1.0
    x = x.astype(np.float64).ravel() / scale
    return x - x.mean() if x.size else x


def echo_check(played: np.ndarray, recorded: np.ndarray, sr: int) -> EchoResult:
    """Look for `played` inside `recorded` (same sample rate, recording started no later than playback;
    float samples on the -1..1 scale or integer PCM)."""
    p, r = _prepared(played), _prepared(recorded)
    none = EchoResult(False, None, None)
    if p.size == 0 or r.size == 0:
        return none
    if r.size < p.size:
        r = np.concatenate([r, np.zeros(p.size - r.size)])
    p_energy = float(np.dot(p, p))
    if p_energy <= _SILENT_ENERGY * p.size:
        return none
    lags = r.size - p.size + 1
    size = 1 << math.ceil(math.log2(r.size + p.size))
    corr = np.fft.irfft(np.fft.rfft(r, size) * np.conj(np.fft.rfft(p, size)), size)[:lags]
    cumulative = np.concatenate([[0.0], np.cumsum(r * r)])
    window_energy = cumulative[p.size:p.size + lags] - cumulative[:lags]
    audible = window_energy > _SILENT_ENERGY * p.size
    if not audible.any():
        return none
    ncc = np.zeros(lags)
    ncc[audible] = np.abs(corr[audible]) / np.sqrt(p_energy * window_energy[audible])
    best = int(np.argmax(ncc))
    peak = float(ncc[best])
    gain = abs(float(corr[best])) / p_energy
    level_db = 20.0 * math.log10(gain) if gain > 0 else -math.inf
    if peak < ECHO_THRESHOLD or level_db < MIN_LEVEL_DB:
        return EchoResult(False, None, None, peak)
    return EchoResult(True, best / sr, level_db, peak)


class HeadsetAdvice(StrEnum):
    NONE = "none"                  # no echo: loudspeakers are fine
    RECOMMENDED = "recommended"    # a faint echo
    NEEDED = "needed"              # the echo would be taken for the trainee's voice


def headset_advice(echo: EchoResult) -> HeadsetAdvice:
    """What the set-up assistant tells the trainee about a headset, from the measured echo."""
    if not echo.detected:
        return HeadsetAdvice.NONE
    if (echo.level_db if echo.level_db is not None else -math.inf) > HEADSET_ECHO_DB:
        return HeadsetAdvice.NEEDED
    return HeadsetAdvice.RECOMMENDED
