"""Make the recording of an interrupted call playable.

During a call the recorder writes `attempt-N.partial.flac` frame by frame; after a crash that file has no
length in its header and may end in half a frame. It is read block by block up to the last decodable
frame and re-encoded into a clean `attempt-N.flac`. If there is no room for the copy (disk full) the
length is written into the partial file's header in place instead, which needs no space, and the file is
renamed: either way the attempt gets a FLAC that plays to about the last second.
"""

from __future__ import annotations

import os
from pathlib import Path

import soundfile as sf

from simulator.core.recording_file import decoded, length_known, partial_path, set_length_in_place

ERRORS = (OSError, sf.SoundFileError, RuntimeError)


def salvage(recording: Path) -> Path | None:
    """Turn whatever the recorder left into a playable `recording`; returns it (None if nothing was recorded)."""
    partial = partial_path(recording)
    if _finished(recording):
        partial.unlink(missing_ok=True)
        return recording
    if not partial.is_file():
        if not recording.is_file():
            return None
        os.replace(recording, partial)  # an unfinished file under the final name: repair it the same way
    try:
        frames = _reencode(partial, recording)
    except ERRORS:
        frames = -1
    if frames < 0 or (frames > 0 and not _finished(recording)):  # libsndfile may not report a full disk
        recording.unlink(missing_ok=True)
        frames = _repair_in_place(partial, recording)
    partial.unlink(missing_ok=True)
    if frames == 0:
        recording.unlink(missing_ok=True)
        return None
    return recording


def duration(path: Path) -> float:
    info = sf.info(str(path))
    return info.frames / info.samplerate


def _finished(path: Path) -> bool:
    """A FLAC whose header knows its length and whose last frame decodes."""
    if not path.is_file():
        return False
    try:
        with sf.SoundFile(str(path)) as audio:
            if not length_known(audio) or audio.frames == 0:
                return False
            audio.seek(audio.frames - 1)
            return len(audio.read(1)) == 1
    except ERRORS:
        return False


def _reencode(source: Path, target: Path) -> int:
    """Copy every decodable frame into a new FLAC, streaming (an hour-long call needs no hour in memory)."""
    frames = 0
    with sf.SoundFile(str(source)) as audio:
        rate, channels = audio.samplerate, audio.channels
    with sf.SoundFile(str(target), "w", samplerate=rate, channels=channels, format="FLAC", subtype="PCM_16") as out:
        for block in decoded(source, "int16"):
            out.write(block)
            frames += len(block)
    return frames


def _repair_in_place(partial: Path, recording: Path) -> int:
    try:
        frames = set_length_in_place(partial)
        if frames:
            os.replace(partial, recording)
        return frames
    except OSError:
        return 0
