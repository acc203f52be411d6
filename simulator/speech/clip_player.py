"""Replays moments of a recorded call (stereo: customer left, trainee right) for review.

Its own 48 kHz OutputStream, kept open between plays because PulseAudio may hold a new stream for about
2 s before it starts (see player.py), which would make every click on a finding feel dead. Recordings are
16 kHz, so a feeder thread resamples the part being played a little ahead, in short chunks with context
on both sides (no edge ringing); the audio callback only copies the resampled chunks out.
"""

from __future__ import annotations

import threading
from collections import deque
from pathlib import Path

import numpy as np

from simulator.core.analysis.audio import load_stereo
from simulator.core.messages import Message

from .audio_devices import load_sounddevice, open_failed, require_device
from .resample import resample

OUTPUT_RATE = 48000
CHUNK_SECONDS = 0.5
CONTEXT_SECONDS = 0.05  # each side of a chunk: the resampling filter's tails stay out of the kept part
AHEAD_SECONDS = 1.0  # resampled audio queued beyond what the callback is playing


class NoRecording(RuntimeError):
    """play_from() before any recording was loaded; str() is for the user."""


class ClipPlayer:
    """Plays a stretch of a stereo recording from a given second; reports where playback is."""

    def __init__(self, device: int | str | None = None, sample_rate: int = OUTPUT_RATE) -> None:
        self.device = device
        self.sample_rate = sample_rate
        self._channels: tuple[np.ndarray, np.ndarray] = (np.zeros(0, np.float32), np.zeros(0, np.float32))
        self._source_rate = sample_rate
        self._cond = threading.Condition()
        self._chunks: deque[np.ndarray] = deque()
        self._chunk_pos = 0
        self._queued = 0  # frames in _chunks not yet copied out
        self._fed_all = True
        self._playing = False
        self._session = 0
        self._start = 0.0
        self._frames_out = 0
        self._stream = None
        self._latency = 0.0
        self._feeder: threading.Thread | None = None

    # ------------------------------------------------------------ recording

    def load(self, path: str | Path) -> None:
        """Read a call recording; raises AnalysisInputError (user-facing) when it cannot be read."""
        customer, trainee, sr = load_stereo(path)
        self.set_audio(customer, trainee, sr)

    def set_audio(self, customer: np.ndarray, trainee: np.ndarray, sample_rate: int) -> None:
        """Use channels already in memory (the review view reads the file once for waveform and playback):
        read-only views of them, not copies (float32, as recordings are decoded, needs no conversion); only
        the stretch being played is copied, a chunk at a time."""
        self.stop()
        n = min(len(customer), len(trainee))
        self._channels = (_read_only(customer[:n]), _read_only(trainee[:n]))
        self._source_rate = int(sample_rate)

    @property
    def frames(self) -> int:
        return len(self._channels[0])

    @property
    def duration(self) -> float:
        return self.frames / self._source_rate

    # ------------------------------------------------------------ playback

    def play_from(self, seconds: float, duration: float | None = None) -> None:
        """Play from `seconds` for `duration` seconds (to the end if None), replacing what is playing.
        Raises AudioUnavailable without an output device, NoRecording before load()."""
        if not self.frames:
            raise NoRecording(Message("audio.no_recording"))
        self._open()
        first = int(round(min(max(0.0, seconds), self.duration) * self._source_rate))
        last = self.frames if duration is None else min(self.frames, first + int(round(duration * self._source_rate)))
        self.stop()
        with self._cond:
            self._chunk_pos = self._frames_out = 0
            self._start = first / self._source_rate
            self._fed_all = False
            self._playing = last > first
            session = self._session
        self._feeder = threading.Thread(target=self._feed, args=(session, first, last), name="clip-feeder", daemon=True)
        self._feeder.start()

    def stop(self) -> None:
        """Silence now; the stream stays open for the next play (close() releases it)."""
        with self._cond:
            self._session += 1
            self._chunks.clear()
            self._queued = self._chunk_pos = 0
            self._playing = False
            self._fed_all = True
            self._cond.notify_all()
        self._join_feeder()

    def close(self) -> None:
        self.stop()
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.stop()
            stream.close()

    def is_playing(self) -> bool:
        with self._cond:
            return self._playing

    def position(self) -> float:
        """Recording seconds now reaching the speaker (where a playhead belongs); where it stopped otherwise."""
        with self._cond:
            played = self._frames_out / self.sample_rate
            heard = played - self._latency if self._playing else played
            return self._start + max(0.0, heard)

    def _open(self) -> None:
        if self._stream is not None:
            return
        sd = load_sounddevice()
        require_device(sd, "output", self.device)
        try:
            stream = sd.OutputStream(samplerate=self.sample_rate, device=self.device, channels=2,
                                     dtype="float32", callback=self._callback)
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            raise open_failed("speaker", exc) from exc
        self._latency = float(stream.latency)
        self._stream = stream

    def _join_feeder(self) -> None:
        feeder, self._feeder = self._feeder, None
        if feeder is not None:
            feeder.join()

    def _feed(self, session: int, first: int, last: int) -> None:
        """Resample [first, last) chunk by chunk into the queue, staying about AHEAD_SECONDS ahead."""
        step = max(1, int(CHUNK_SECONDS * self._source_rate))
        ahead = int(AHEAD_SECONDS * self.sample_rate)
        for a in range(first, last, step):
            chunk = self._resampled(a, min(a + step, last))
            with self._cond:
                while self._session == session and self._queued > ahead:
                    self._cond.wait(0.1)
                if self._session != session:
                    return
                self._chunks.append(chunk)
                self._queued += len(chunk)
        with self._cond:
            if self._session == session:
                self._fed_all = True
                self._playing = bool(self._queued)

    def _resampled(self, a: int, b: int) -> np.ndarray:
        """Frames [a, b) at the output rate: resample with context around them, keep only their part."""
        if self._source_rate == self.sample_rate:
            return np.column_stack([channel[a:b] for channel in self._channels])
        ratio = self.sample_rate / self._source_rate
        margin = int(CONTEXT_SECONDS * self._source_rate)
        lo, hi = max(0, a - margin), min(self.frames, b + margin)
        skip = int(round(a * ratio)) - int(round(lo * ratio))
        size = int(round(b * ratio)) - int(round(a * ratio))
        out = np.zeros((size, 2), dtype=np.float32)
        for ch, channel in enumerate(self._channels):
            part = resample(channel[lo:hi], self._source_rate, self.sample_rate)[skip:skip + size]
            out[:len(part), ch] = part
        return out

    def _callback(self, outdata: np.ndarray, frames: int, time_info, status) -> None:
        filled = 0
        with self._cond:
            while filled < frames and self._chunks:
                chunk = self._chunks[0]
                n = min(frames - filled, len(chunk) - self._chunk_pos)
                outdata[filled:filled + n] = chunk[self._chunk_pos:self._chunk_pos + n]
                filled += n
                self._chunk_pos += n
                if self._chunk_pos >= len(chunk):
                    self._chunks.popleft()
                    self._chunk_pos = 0
            self._queued -= filled
            self._frames_out += filled
            if self._fed_all and not self._chunks:
                self._playing = False
            self._cond.notify_all()
        outdata[filled:] = 0.0


def _read_only(samples: np.ndarray) -> np.ndarray:
    """A view of `samples` as float32 that cannot change them (a copy only when they are of another type)."""
    view = np.asarray(samples, dtype=np.float32).view()
    view.flags.writeable = False
    return view
