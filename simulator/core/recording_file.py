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


def read_all(path: str | Path, dtype: str = "float32") -> tuple[np.ndarray, int]:
    """The whole recording, finished or not, as (frames x channels, sample rate)."""
    with sf.SoundFile(str(path)) as audio:
        if length_known(audio):
            return audio.read(dtype=dtype, always_2d=True), audio.samplerate
        blocks = list(read_blocks(audio, dtype))
        data = np.concatenate(blocks) if blocks else np.zeros((0, audio.channels), dtype=dtype)
        return data, audio.samplerate


def decodable_frames(path: Path) -> int:
    try:
        with sf.SoundFile(str(path)) as audio:
            return sum(len(b) for b in read_blocks(audio, "int16"))
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
