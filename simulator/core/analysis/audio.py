"""Audio measures over numpy sample arrays: voice activity (webrtcvad), loudness (dBFS) and pitch (Praat).

Pure functions so the live call, the `analyze` command and the tests share them; only `load_*` touch files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile
import webrtcvad

from simulator.core.analysis.intervals import join_close
from simulator.core.analysis.measures import Interval
from simulator.core.analysis.pitch_chunks import praat_pitch
from simulator.core.recording_file import RecordingTooLong, read_all
from simulator.core.timeline import MAX_CALL_SECONDS

VAD_RATES = (8000, 16000, 32000, 48000)
VAD_FRAME_SECONDS = 0.03
SILENCE_DBFS = -60.0  # frames quieter than this are not speech whatever the VAD says (digital silence, hiss)
NOISE_MARGIN_DB = 8.0  # speech frames stand at least this far above the channel's 10th-percentile level
SPEECH_RANGE_DB = 15.0  # ... but the gate stays this far below the loud (95th-percentile) speech frames
FLOOR_DBFS = -120.0


class AnalysisInputError(ValueError):
    """Audio or text the analysis cannot use; the message is shown to the user as is."""


def load_stereo(path: str | Path) -> tuple[np.ndarray, np.ndarray, int]:
    """A call recording as the app writes it: customer on the left channel, trainee on the right."""
    data, sr = _read(path)
    if data.shape[1] < 2:
        raise AnalysisInputError(f"{path} is mono; a call recording needs two channels (customer left, trainee right)")
    if data.shape[1] > 2:
        raise AnalysisInputError(f"{path} has {data.shape[1]} channels; a call recording has two (customer left, trainee right)")
    return data[:, 0], data[:, 1], sr  # views: copying two channels of a long call costs more than reading them strided


def load_mono(path: str | Path) -> tuple[np.ndarray, int]:
    """One speaker: channels are averaged."""
    data, sr = _read(path)
    return data.mean(axis=1), sr


def _read(path: str | Path) -> tuple[np.ndarray, int]:
    try:  # also a recording still being written (the projector's live replay)
        data, sr = read_all(path, max_seconds=MAX_CALL_SECONDS)
    except RecordingTooLong as exc:
        raise AnalysisInputError(f"{path}: {exc}") from None
    except (soundfile.LibsndfileError, RuntimeError, OSError) as exc:
        raise AnalysisInputError(f"{path}: cannot read audio ({_first_line(exc)})") from None
    if len(data) == 0:
        raise AnalysisInputError(f"{path}: the recording is empty")
    return data, int(sr)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def voice_activity(
    samples: np.ndarray,
    sr: int,
    aggressiveness: int = 2,
    merge_gap: float = 0.3,
    min_speech: float = 0.1,
    pad: float = 0.1,
) -> list[Interval]:
    """Speech spans in seconds: webrtcvad on 30 ms frames that are also clearly above the channel's noise floor.

    webrtcvad alone takes steady background hiss for speech, so a frame must also be `NOISE_MARGIN_DB`
    over the quiet end of the channel. Gaps under `merge_gap` are joined, blips under `min_speech`
    dropped, and spans widened by `pad` because soft onsets and tails sit below any energy gate.
    """
    pcm, rate = _vad_pcm(samples, sr)
    n = int(rate * VAD_FRAME_SECONDS)
    count = len(pcm) // n
    if count == 0:
        return []
    frames = pcm[: count * n].reshape(count, n)
    db = _frame_dbfs(frames)
    vad = webrtcvad.Vad(aggressiveness)
    speech = np.zeros(count, dtype=bool)
    for i in np.flatnonzero(db > _energy_gate(db)):
        speech[i] = vad.is_speech(frames[i].tobytes(), rate)
    duration = len(samples) / sr
    return [
        Interval(round(max(0.0, i.start - pad), 3), round(min(duration, i.end + pad), 3))
        for i in _runs(speech, VAD_FRAME_SECONDS, merge_gap, min_speech)
    ]


def _energy_gate(db: np.ndarray) -> float:
    """Level a speech frame must exceed: noise floor + margin, but never so high that normal speech fails."""
    live = db[db > FLOOR_DBFS + 20]
    if live.size == 0:
        return SILENCE_DBFS
    floor, loud = np.percentile(live, [10, 95])
    return float(max(SILENCE_DBFS, min(floor + NOISE_MARGIN_DB, loud - SPEECH_RANGE_DB)))


def _vad_pcm(samples: np.ndarray, sr: int) -> tuple[np.ndarray, int]:
    """int16 at a rate webrtcvad accepts (other rates are resampled to 16 kHz)."""
    x = np.asarray(samples, dtype=np.float32)
    rate = sr
    if sr not in VAD_RATES:
        rate = 16000
        t_new = np.arange(int(len(x) * rate / sr)) / rate
        x = np.interp(t_new, np.arange(len(x)) / sr, x).astype(np.float32)
    return (np.clip(x, -1.0, 1.0) * 32767).astype(np.int16), rate


def _frame_dbfs(frames: np.ndarray) -> np.ndarray:
    x = frames.astype(np.float32)
    power = np.einsum("ij,ij->i", x, x) / (frames.shape[1] * 32768.0**2)
    return 10 * np.log10(np.maximum(power, 1e-12))


def _runs(flags: np.ndarray, step: float, merge_gap: float, min_len: float) -> list[Interval]:
    """Runs of True frames as intervals, with short gaps closed and short runs removed."""
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1) * step
    ends = np.flatnonzero(edges == -1) * step
    runs = join_close((Interval(float(s), float(e)) for s, e in zip(starts, ends)), merge_gap)
    return [r for r in runs if r.duration >= min_len]


def loudness_db(samples: np.ndarray, sr: int, intervals: list[Interval] | None = None) -> float:
    """RMS level in dBFS over the given spans (the whole signal when None); -120 for silence."""
    x = np.asarray(samples)
    parts = [x] if intervals is None else [x[int(i.start * sr) : int(i.end * sr)] for i in intervals]
    size = sum(p.size for p in parts)
    if size == 0:
        return FLOOR_DBFS
    power = sum(float(np.dot(p, p)) for p in parts) / size  # dot: no squared copy of a long call
    return max(FLOOR_DBFS, float(10 * np.log10(power))) if power > 0 else FLOOR_DBFS


def pitch_track(
    samples: np.ndarray, sr: int, floor_hz: float = 75.0, ceiling_hz: float = 500.0, step: float = 0.01
) -> tuple[np.ndarray, np.ndarray]:
    """Praat autocorrelation pitch every `step` s (10 ms; a level alone needs fewer frames); times (s, from
    the first sample) and F0 (Hz) of voiced frames.

    Octave errors (a fricative read as 490 Hz, creak as half the pitch) would dominate spread and end-rise
    measures, so frames outside a speaker-relative range are dropped, in the spirit of De Looze & Hirst's
    (2008) two-pass range: 0.75 x first quartile up to 2.5 x third quartile (wide on top so that real
    rises survive).
    """
    x = np.asarray(samples, dtype=np.float64)
    if x.size < int(sr * 3 / floor_hz) + 1:
        return np.zeros(0), np.zeros(0)
    times, f0 = praat_pitch(x, sr, floor_hz, ceiling_hz, step)   # in pieces: Praat holds the GIL while it runs
    voiced = f0 > 0
    if voiced.any():
        q1, q3 = np.percentile(f0[voiced], [25, 75])
        voiced &= (f0 >= 0.75 * q1) & (f0 <= 2.5 * q3)
    return times[voiced], f0[voiced]
