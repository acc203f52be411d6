"""Make the recording of an interrupted call playable.

During a call the recorder writes a WAV and updates its header at every flush, so after a crash the
file normally plays up to the last flush. If the process died between writing samples and updating the
header, the header undercounts: the samples are then taken from the file size. The result is converted to
the intended FLAC; if that fails (disk full) the repaired WAV is kept, since a WAV plays too.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import soundfile as sf

PARTIAL_SUFFIX = ".partial.wav"


def partial_path(recording: Path) -> Path:
    """Where CallRecorder writes while the call runs (see simulator/speech/recorder.py)."""
    return recording.with_suffix(PARTIAL_SUFFIX)


def existing_recording(recording: Path) -> Path | None:
    """The file that holds the audio: the finished one, else the partial one, else none."""
    for path in (recording, partial_path(recording)):
        if path.is_file() and path.stat().st_size > 0:
            return path
    return None


def salvage(recording: Path) -> Path | None:
    """Turn whatever the recorder left into a playable file; returns it (None if nothing was recorded)."""
    partial = partial_path(recording)
    if _readable(recording):
        partial.unlink(missing_ok=True)
        return recording
    recording.unlink(missing_ok=True)
    if not partial.is_file():
        return None
    samples, rate = _read_wav_samples(partial)
    if samples is None:
        return None
    try:
        sf.write(recording, samples, rate, format="FLAC", subtype="PCM_16")
    except (OSError, sf.SoundFileError):
        recording.unlink(missing_ok=True)
        _fix_wav_sizes(partial, samples.nbytes)
        return partial
    partial.unlink()
    return recording


def duration(path: Path) -> float:
    info = sf.info(str(path))
    return info.frames / info.samplerate


def _readable(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        info = sf.info(str(path))
        sf.read(str(path), frames=1, start=max(0, info.frames - 1))
    except (OSError, sf.SoundFileError, RuntimeError):
        return False
    return info.frames > 0


def _read_wav_samples(path: Path) -> tuple[np.ndarray | None, int]:
    """All 16-bit frames after the header, whatever the header says about their count."""
    raw = path.read_bytes()
    fmt = _chunk(raw, b"fmt ")
    data_at = _chunk_offset(raw, b"data")
    if fmt is None or data_at is None:
        return None, 0
    _, channels, rate, _, block, bits = struct.unpack("<HHIIHH", fmt[:16])
    if bits != 16 or channels < 1:
        return None, 0
    body = raw[data_at:]
    body = body[: len(body) - len(body) % block]
    if not body:
        return None, 0
    samples = np.frombuffer(body, dtype="<i2").reshape(-1, channels)
    return samples, rate


def _fix_wav_sizes(path: Path, data_bytes: int) -> None:
    """Rewrite the two size fields in place: needs no free disk space."""
    with path.open("r+b") as f:
        raw = f.read()
        data_at = _chunk_offset(raw, b"data")
        assert data_at is not None
        f.seek(4)
        f.write(struct.pack("<I", data_at + data_bytes - 8))
        f.seek(data_at - 4)
        f.write(struct.pack("<I", data_bytes))
        f.truncate(data_at + data_bytes)


def _chunk(raw: bytes, name: bytes) -> bytes | None:
    at = _chunk_offset(raw, name)
    if at is None:
        return None
    size = struct.unpack("<I", raw[at - 4:at])[0]
    return raw[at:at + size]


def _chunk_offset(raw: bytes, name: bytes) -> int | None:
    """Offset of a RIFF chunk's body (the data chunk may have a stale size, so the walk stops there)."""
    at = 12
    while at + 8 <= len(raw):
        chunk, size = raw[at:at + 4], struct.unpack("<I", raw[at + 4:at + 8])[0]
        if chunk == name:
            return at + 8
        if chunk == b"data":
            return None
        at += 8 + size + (size & 1)
    return None
