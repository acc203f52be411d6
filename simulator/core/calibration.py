"""The trainee's normal speaking level, measured once in the set-up assistant and kept as
Settings.baseline_loudness_db: the live loudness meter shows each moment of a call against it, instead of
guessing a baseline from the call's own first seconds, when the trainee may already be tense or loud."""

from __future__ import annotations

import numpy as np

from simulator.core.analysis.audio import loudness_db, voice_activity

MIN_VOICED_SECONDS = 1.0   # less speech than this says nothing about a normal voice


def active_speech_level(samples: np.ndarray, sample_rate: int) -> float | None:
    """Level in dBFS over the voiced frames only, so the pauses between words do not pull it down (the idea of
    ITU-T P.56's active speech level); None when under MIN_VOICED_SECONDS was voiced. Samples: float in
    [-1, 1] or int16, the microphone's format; both give the live meter's dBFS."""
    x = np.asarray(samples)
    if x.dtype == np.int16:
        x = x.astype(np.float32) / 32768.0
    voiced = voice_activity(x, sample_rate, merge_gap=0.0, min_speech=0.0, pad=0.0)
    if sum(span.duration for span in voiced) < MIN_VOICED_SECONDS:
        return None
    return loudness_db(x, sample_rate, voiced)
