"""Sample-rate conversion and sample-format helpers for whole clips (not for audio callbacks)."""

from __future__ import annotations

import numpy as np


def to_float32(samples: np.ndarray) -> np.ndarray:
    """Mono float32 in [-1, 1] from int16 or float samples (a frames x channels array is averaged to mono)."""
    audio = np.asarray(samples)
    scale = 1.0 / 32768.0 if np.issubdtype(audio.dtype, np.integer) else 1.0
    if audio.ndim == 2:
        audio = audio.mean(axis=1)
    if scale != 1.0:
        audio = audio * scale
    return audio.astype(np.float32, copy=False)


def to_int16(samples: np.ndarray) -> np.ndarray:
    """int16 PCM from float samples in [-1, 1] (clipped)."""
    return (np.clip(to_float32(samples), -1.0, 32767 / 32768) * 32768.0).astype(np.int16)


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Band-limited resampling through the spectrum (ideal low-pass); the clip is zero-padded first so the
    FFT's wrap-around does not smear the end of the clip onto its start."""
    audio = to_float32(samples)
    if from_rate == to_rate or audio.size == 0:
        return audio
    n_out = int(round(audio.size * to_rate / from_rate))
    pad = int(from_rate * 0.05)
    n_in_padded = audio.size + pad
    n_out_padded = int(round(n_in_padded * to_rate / from_rate))
    spectrum = np.fft.rfft(audio, n=n_in_padded)
    bins = n_out_padded // 2 + 1
    if bins <= spectrum.size:
        spectrum = spectrum[:bins]
    else:
        spectrum = np.concatenate([spectrum, np.zeros(bins - spectrum.size, dtype=spectrum.dtype)])
    out = np.fft.irfft(spectrum, n=n_out_padded) * (n_out_padded / n_in_padded)
    return out[:n_out].astype(np.float32)
