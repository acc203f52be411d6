"""Time-aligned stereo recording of a call: customer (persona) left, trainee right, 16 kHz FLAC.

Samples are placed at their call time (gaps are silence) by a writer thread, so audio callbacks never
touch the disk. The FLAC is written as the call goes (`<name>.partial.flac`, flushed every half second),
so a killed process leaves a file that plays up to about the last second once read block by block
(simulator/core/recording_file.py; recovery re-encodes it). close() finishes it under its own name. A write
error (disk full) stops the recording, keeps what was written, playable, and sets `error`.
"""

from __future__ import annotations

import errno
import os
import queue
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from simulator.core.private_files import private_file
from simulator.core.recording_file import partial_path, set_length_in_place

from .resample import to_float32

CUSTOMER, TRAINEE = 0, 1
FLUSH_SECONDS = 0.5
COMPRESSION = 0.25  # libsndfile's 0..1 scale: FLAC level 2, 1152-frame blocks, so little sits unflushed in the encoder
LATE_SECONDS = 0.75  # how far behind the newest sample a channel's data may still arrive (microphone blocks)
SNAP_SECONDS = 0.01  # a piece starting this close to where its channel's last one ended continues it
WRITE_ERRORS = (OSError, sf.SoundFileError)
DISK_FULL = "Recording stopped (the disk is full); what was recorded so far is kept in {}."


@dataclass(frozen=True)
class _Piece:
    channel: int
    call_time: float
    samples: np.ndarray


class _StereoBuffer:
    """Frames not yet written, starting at absolute frame `written`; pieces are placed by frame index."""

    def __init__(self) -> None:
        self.written = 0
        self.frames = np.zeros((0, 2), dtype=np.float32)
        self.late_frames = 0
        self.channel_end = [0, 0]

    @property
    def end(self) -> int:
        return self.written + len(self.frames)

    def place(self, channel: int, first: int, samples: np.ndarray, snap: int = 0) -> None:
        """Put samples at frame `first`; within `snap` frames of the channel's last end they continue it, so
        time-stamp jitter does not leave clicks of silence or overlap between consecutive blocks."""
        if abs(first - self.channel_end[channel]) <= snap:
            first = self.channel_end[channel]
        self.channel_end[channel] = first + samples.size
        skip = max(0, self.written - first)
        self.late_frames += min(skip, samples.size)
        samples, first = samples[skip:], first + skip
        if samples.size == 0:
            return
        last = first + samples.size
        if last > self.end:
            self.frames = np.concatenate([self.frames, np.zeros((last - self.end, 2), dtype=np.float32)])
        self.frames[first - self.written:last - self.written, channel] = samples

    def take(self, upto: int) -> np.ndarray:
        count = min(max(0, upto - self.written), len(self.frames))
        taken, self.frames = self.frames[:count], self.frames[count:]
        self.written += count
        return taken


class CallRecorder:
    """Stereo recorder fed from the player (add_customer) and the microphone (add_trainee), any thread."""

    def __init__(self, path: Path, sample_rate: int = 16000) -> None:
        self.path = Path(path)
        self.sample_rate = sample_rate
        self.partial_path = partial_path(self.path)
        self.error: str | None = None
        self._file: sf.SoundFile | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            private_file(self.partial_path).close()  # user-only before libsndfile opens it, which keeps the mode
            self._file = sf.SoundFile(self.partial_path, "w", samplerate=sample_rate, channels=2, format="FLAC",
                                      subtype="PCM_16", compression_level=COMPRESSION)
        except WRITE_ERRORS as exc:
            self.error = self._stopped_message(exc, "creating the file")
        self._buffer = _StereoBuffer()
        self._pieces: queue.SimpleQueue[_Piece | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="call-recorder", daemon=True)
        self._thread.start()

    @property
    def late_seconds(self) -> float:
        """Audio dropped because it arrived after its place had been written."""
        return self._buffer.late_frames / self.sample_rate

    def add_customer(self, call_time: float, samples: np.ndarray) -> None:
        self._pieces.put(_Piece(CUSTOMER, call_time, to_float32(samples).copy()))

    def add_trainee(self, call_time: float, samples: np.ndarray) -> None:
        self._pieces.put(_Piece(TRAINEE, call_time, to_float32(samples).copy()))

    def close(self) -> Path:
        """Write the rest and finish the file; returns the recording's path (absent if nothing could be written)."""
        if self._thread.is_alive():
            self._pieces.put(None)
            self._thread.join()
        if self._file is None or not self.partial_path.exists():
            return self.path
        try:
            if self.error is not None:
                set_length_in_place(self.partial_path)  # cut off mid-frame with no length: make it readable
            os.replace(self.partial_path, self.path)
        except WRITE_ERRORS as exc:
            self.error = self.error or self._stopped_message(exc, "finishing the file")
            return self.partial_path
        return self.path

    def _run(self) -> None:
        last_write = time.monotonic()
        while (piece := self._next_piece()) is not None:
            if piece is not _TICK:
                first = round(piece.call_time * self.sample_rate)
                self._buffer.place(piece.channel, first, piece.samples, round(SNAP_SECONDS * self.sample_rate))
            if time.monotonic() - last_write >= FLUSH_SECONDS:
                self._write(self._buffer.end - round(LATE_SECONDS * self.sample_rate))
                last_write = time.monotonic()
        self._write(self._buffer.end)
        self._close_file()

    def _next_piece(self) -> _Piece | None:
        try:
            return self._pieces.get(timeout=FLUSH_SECONDS / 2)
        except queue.Empty:
            return _TICK

    def _write(self, upto: int) -> None:
        """Write in chunks of at most FLUSH_SECONDS, each flushed, so a failing disk keeps every whole chunk."""
        frames = self._buffer.take(upto)
        chunk = round(FLUSH_SECONDS * self.sample_rate)
        for first in range(0, len(frames), chunk):
            if self.error is not None or self._file is None:
                return
            try:
                self._file.write(frames[first:first + chunk])
                self._file.flush()
            except WRITE_ERRORS as exc:
                self.error = self._stopped_message(exc, "writing")
                self._close_file()

    def _close_file(self) -> None:
        if self._file is None or self._file.closed:
            return
        try:
            self._file.close()
        except WRITE_ERRORS as exc:
            self.error = self.error or self._stopped_message(exc, "closing")

    def _stopped_message(self, exc: Exception, doing: str) -> str:
        where = self.path.parent
        full = (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or (
            where.exists() and shutil.disk_usage(where).free < 1024 * 1024)
        if full and self._file is not None:
            return DISK_FULL.format(self.path)
        reason = "the disk is full" if full else f"error while {doing}: {exc}"
        kept = "what was recorded so far is kept in" if self._file is not None else "nothing could be written to"
        return f"Recording stopped ({reason}); {kept} {self.path}."


def disk_full_file(message: str | None) -> Path | None:
    """The file kept if `message` is the recorder's disk-full message (the UI words it in its own language)."""
    head, tail = DISK_FULL.split("{}")
    if message is None or not (message.startswith(head) and message.endswith(tail)):
        return None
    return Path(message[len(head):len(message) - len(tail)])


_TICK = _Piece(CUSTOMER, 0.0, np.zeros(0, dtype=np.float32))
