"""On-disk cache of rendered persona lines, so a line is synthesised once per text and voice.

Files are written under a temporary name and moved into place with os.replace, and every hit is
checked before use, so a crash or a damaged file never passes for a finished render.
"""

from __future__ import annotations

import hashlib
import os
import struct
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from simulator.core.voice import VoiceSettings

# Part of every key: bump it when the rendering changes, so old files are never mistaken for new ones.
FORMAT_TAG = "pyttsx3-2.99/espeak-ng/wav-pcm16-mono/v1"
_PARTIAL_SUFFIX = ".partial.wav"
_STALE_PARTIAL_SECONDS = 600.0


@dataclass(frozen=True)
class AudioInfo:
    """What the cache knows about a verified WAV file."""

    sample_rate: int
    duration: float


def cache_key(text: str, voice: VoiceSettings) -> str:
    payload = "\n".join((FORMAT_TAG, voice.key(), text))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def load_audio(path: Path) -> tuple[np.ndarray, int]:
    """float32 mono samples in [-1, 1] and the sample rate; channels are averaged."""
    data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    return data.mean(axis=1), int(rate)


def verify_audio(path: Path) -> AudioInfo | None:
    """Info of a complete, readable, non-empty audio file; None for anything else."""
    try:
        if path.stat().st_size == 0 or not _riff_length_matches(path):
            return None
        info = sf.info(str(path))
    except (OSError, RuntimeError):  # libsndfile errors are RuntimeErrors
        return None
    if info.frames <= 0 or info.samplerate <= 0:
        return None
    return AudioInfo(sample_rate=int(info.samplerate), duration=info.frames / info.samplerate)


def _riff_length_matches(path: Path) -> bool:
    """A WAV's RIFF header states the file's length: a truncated file fails this, while libsndfile would
    quietly read the part that is left."""
    with path.open("rb") as fh:
        header = fh.read(12)
    if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
        return False
    (riff_size,) = struct.unpack("<I", header[4:8])
    return riff_size + 8 == path.stat().st_size


class LineCache:
    """One folder of `<sha256>.wav` files."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._remove_stale_partials()

    def path_for(self, key: str) -> Path:
        return self.directory / f"{key}.wav"

    def partial_path_for(self, key: str) -> Path:
        """Where a render in progress goes; the pid keeps two processes sharing the folder apart."""
        return self.directory / f".{key}.{os.getpid()}{_PARTIAL_SUFFIX}"

    def lookup(self, key: str) -> AudioInfo | None:
        """The verified cached file's info, or None; a damaged file is removed so it gets re-rendered."""
        path = self.path_for(key)
        if not path.exists():
            return None
        info = verify_audio(path)
        if info is None:
            path.unlink(missing_ok=True)
        return info

    def commit(self, partial: Path, key: str) -> Path:
        """Move a verified render into place in one step, so readers see the whole file or none."""
        path = self.path_for(key)
        os.replace(partial, path)
        return path

    def _remove_stale_partials(self) -> None:
        """Partial files older than a few minutes are left-overs of a crashed render."""
        cutoff = time.time() - _STALE_PARTIAL_SECONDS
        for path in self.directory.glob(f".*{_PARTIAL_SUFFIX}"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                continue
