"""Reading and repairing a call recording FLAC that was never finished.

The recorder writes FLAC frames as the call goes; only closing the file writes the sample count into
the header. A FLAC cut off by a crash, a full disk or simply still being written has no length in its
header and may end in half a frame: libsndfile then reads it only block by block, up to the first block
it cannot decode. `set_length_in_place` makes such a file readable in one go without needing any free
disk space, by writing the count of decodable frames into the header (STREAMINFO).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import soundfile as sf

PARTIAL_SUFFIX = ".partial.flac"  # the recording while the call runs, renamed when it is finished
UNKNOWN_LENGTH = 2**62  # libsndfile reports a length this large (SF_COUNT_MAX) when the header has none
READ_BLOCK = 256        # frames; a cut-off file loses at most this much beyond its last whole FLAC frame
LARGE_BLOCK = 1 << 16   # frames per read when reading a whole file: a few ms of work per read, not µs
_STREAMINFO_COUNT = slice(8 + 13, 8 + 18)  # bytes holding the 36-bit total sample count (low bits)
_COUNT_BITS = (1 << 36) - 1


def partial_path(recording: Path) -> Path:
    return recording.with_suffix(PARTIAL_SUFFIX)


def length_known(audio: sf.SoundFile) -> bool:
    return 0 <= audio.frames < UNKNOWN_LENGTH


def read_blocks(audio: sf.SoundFile, dtype: str = "float32", block: int = READ_BLOCK) -> Iterator[np.ndarray]:
    """Every decodable frame from the current position, in blocks of at most `block` (always 2-D).
    With a known length errors are real and raised; without one the first undecodable block is the end."""
    tolerant = not length_known(audio)
    while True:
        try:
            data = audio.read(block, dtype=dtype, always_2d=True)
        except (sf.LibsndfileError, RuntimeError):
            if tolerant:
                return
            raise
        if len(data):
            yield data
        if len(data) < block:
            return


def decoded(path: str | Path, dtype: str = "float32") -> Iterator[np.ndarray]:
    """Every decodable frame of the file, in large blocks: small reads cost an hour-long call tens of
    seconds. A file without a length that fails inside a large block is read again up to that block and
    then in small ones, so that a cut-off file still loses at most READ_BLOCK frames past its last whole
    FLAC frame."""
    done = 0
    with sf.SoundFile(str(path)) as audio:
        tolerant = not length_known(audio)
        try:
            for data in read_blocks(audio, dtype, LARGE_BLOCK) if not tolerant else _strict(audio, dtype):
                done += len(data)
                yield data
            return
        except (sf.LibsndfileError, RuntimeError):
            if not tolerant:
                raise
    with sf.SoundFile(str(path)) as audio:
        skipped = 0
        while skipped < done:
            skipped += len(audio.read(min(LARGE_BLOCK, done - skipped), dtype=dtype, always_2d=True))
        yield from read_blocks(audio, dtype)


def _strict(audio: sf.SoundFile, dtype: str) -> Iterator[np.ndarray]:
    """Large blocks until one cannot be decoded (raised) or the file ends."""
    while len(data := audio.read(LARGE_BLOCK, dtype=dtype, always_2d=True)):
        yield data
        if len(data) < LARGE_BLOCK:
            return


class RecordingTooLong(ValueError):
    """The recording (or what its header claims) is longer than the analysis takes."""


def read_all(path: str | Path, dtype: str = "float32", max_seconds: float | None = None) -> tuple[np.ndarray, int]:
    """The whole recording, finished or not, as (frames x channels, sample rate), in one array of exactly
    its size. The header's length is not trusted (a crafted one claims 2^36 samples): beyond `max_seconds`
    it is RecordingTooLong. A file without a length is decoded twice, first only to count its frames: a
    growing array would hold two copies of an hour-long call at once."""
    with sf.SoundFile(str(path)) as audio:
        rate, channels, known, claimed = audio.samplerate, audio.channels, length_known(audio), audio.frames
    limit = None if max_seconds is None else int(max_seconds * rate)
    if not known:
        claimed = 0
        for block in decoded(path, "int16"):
            claimed += len(block)
            if limit is not None and claimed > limit:
                raise RecordingTooLong(f"it is longer than {_span(max_seconds)}, the most the analysis takes")
    elif limit is not None and claimed > limit:
        raise RecordingTooLong(f"its header claims {_span(claimed / rate)} of audio; the analysis takes at most "
                               f"{_span(max_seconds)}")
    out = np.empty((claimed, channels), dtype=dtype)  # pages a lying header never fills cost no memory
    done = 0
    for data in decoded(path, dtype):
        take = min(len(data), claimed - done)  # a file still being written has grown since it was counted
        out[done: done + take] = data[:take]
        done += take
        if done == claimed:
            break
    return out[:done], rate


def _span(seconds: float) -> str:
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:,.1f} days"
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:,.1f} hours"
    return f"{seconds:,.0f} s"


def decodable_frames(path: Path) -> int:
    try:
        return sum(len(b) for b in decoded(path, "int16"))
    except (sf.LibsndfileError, RuntimeError, OSError):
        return 0


def set_length_in_place(path: Path) -> int:
    """Write the decodable frame count into an unfinished FLAC's header (no free space needed, the
    half frame at the end is then ignored by readers); returns the count (0: nothing to keep)."""
    frames = decodable_frames(path)
    if frames == 0:
        return 0
    with path.open("r+b") as f:
        head = bytearray(f.read(_STREAMINFO_COUNT.stop))
        if head[:4] != b"fLaC" or head[4] & 0x7F != 0:  # the first metadata block must be STREAMINFO
            return 0
        value = int.from_bytes(head[_STREAMINFO_COUNT], "big")
        value = (value & ~_COUNT_BITS) | min(frames, _COUNT_BITS)
        f.seek(_STREAMINFO_COUNT.start)
        f.write(value.to_bytes(5, "big"))
    return frames
