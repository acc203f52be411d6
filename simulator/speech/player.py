"""The persona's voice: its own sounddevice OutputStream at 48 kHz, open for the whole call.

A separate output stream (not a duplex Stream) because duplex streams and playrec fail silently on
PulseAudio, and 48 kHz because 16 kHz output underruns while an input stream is open. The callback only
copies queued samples out and notes what was played; on_played runs on the Player's own thread.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulator.core.messages import Message

from .audio_devices import AudioUnavailable, device_for_call, open_failed
from .call_clock import CallClock
from .resample import resample

PLAYED_RATE = 16000  # rate of the copies handed to on_played (the recorder's rate)
FLOWING_SECONDS = 0.1  # audio pulled beyond the initial buffer fill before the stream counts as running
START_TIMEOUT = 5.0
# Audio queued ahead of the speaker. PortAudio's default for PulseAudio (~35 ms) underruns whenever a busy
# laptop delays the callback that long, and PulseAudio then holds the stream for 1-2 s: the customer falls
# silent mid-sentence. bench/bench_turn_taking.py plays a tone on a 2-core machine kept busy by three spinning
# processes: 0.03-0.1 s underran (2-6 times in 20 s), 0.15 s and 0.2 s did not. Every reply starts this late.
OUTPUT_LATENCY = 0.15


CLAUSE_PAUSE = 0.12  # seconds of near-silence inside a rendered line that end a clause (espeak-ng: 0.2+ at a comma)
QUIET = 10 ** (-45 / 20)


def _next_pause(audio: np.ndarray, start: int, rate: int, pause: float) -> int:
    """The first sample at or after `start` that begins a run of `pause` s below -45 dBFS (the line's end if none)."""
    step = rate // 100
    need = max(1, int(round(pause * 100)))
    quiet = 0
    for at in range(start, audio.size - step + 1, step):
        if float(np.sqrt(np.mean(np.square(audio[at:at + step], dtype=np.float64)))) < QUIET:
            quiet += 1
            if quiet >= need:
                return at - (need - 1) * step
        else:
            quiet = 0
    return audio.size


def _louder(samples: np.ndarray, gain: float) -> np.ndarray:
    """`gain` times louder at low levels, soft-limited so that full scale stays full scale (tanh)."""
    return (np.tanh(gain * np.asarray(samples, dtype=np.float64)) / np.tanh(gain)).astype(np.float32)


@dataclass
class _Clip:
    """One queued line: the samples at the output rate, a 16 kHz copy for on_played, and the read position."""

    audio: np.ndarray
    played_copy: np.ndarray
    position: int = 0


@dataclass(frozen=True)
class _Played:
    call_time: float
    clip: _Clip
    start: int
    stop: int


class Player:
    """Queues persona lines for playback and reports when each block actually reaches the speaker."""

    def __init__(self, clock: CallClock, device: int | str | None = None, sample_rate: int = 48000,
                 latency: float | None = None) -> None:
        self._clock = clock
        self.latency = OUTPUT_LATENCY if latency is None else latency   # bench/bench_turn_taking.py measures it
        self.device = device
        self.sample_rate = sample_rate
        self.on_played: Callable[[float, np.ndarray], None] | None = None
        self._clips: deque[_Clip] = deque()
        self._lock = threading.Lock()
        self._queued_until = 0.0  # call time at which the queued audio ends
        self._next_block_at = 0.0  # call time at which the next callback's block reaches the speaker
        self._audible_until = 0.0
        self._fallback_latency = 0.0
        self._played: queue.SimpleQueue[_Played | None] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None
        self._stream = None
        self._frames_pulled = 0
        self._flowing = threading.Event()
        self._flowing_after = 0
        self._stopping = False
        self.error: str | None = None  # set when the output device fails mid-call
        self.underflows = 0

    def start(self) -> None:
        """Open the output stream; starts the clock if the call has not started yet. Raises AudioUnavailable."""
        sd = device_for_call("output", self.device, self._clock)
        try:
            stream = sd.OutputStream(samplerate=self.sample_rate, device=self.device, channels=1,
                                     latency=self.latency, dtype="float32", callback=self._callback,
                                     finished_callback=self._finished)
            self._fallback_latency = stream.latency
            self._frames_pulled = 0
            self._stopping = False
            self.error = None
            self._flowing.clear()
            self._flowing_after = int((stream.latency + FLOWING_SECONDS) * self.sample_rate)
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            raise open_failed("speaker", exc) from exc
        self._stream = stream
        self._worker = threading.Thread(target=self._report_played, name="player-on-played", daemon=True)
        self._worker.start()
        self._wait_until_flowing()

    def _wait_until_flowing(self) -> None:
        """PulseAudio (through ALSA) may hold a new output stream for ~2 s after its first buffer fill; until it
        runs, the times reported for played blocks are wrong, so the call should not start before."""
        if not self._flowing.wait(START_TIMEOUT):
            self.stop()
            raise AudioUnavailable(Message("audio.speaker_stalled"))

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        self._stopping = True
        stream.stop()
        stream.close()
        self.stop_playback()
        self._played.put(None)
        if self._worker is not None:
            self._worker.join()
            self._worker = None

    def __enter__(self) -> Player:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def play(self, samples: np.ndarray, sample_rate: int) -> float:
        """Queue a line after whatever is already queued; returns the call time at which it will start."""
        return self.play_prepared(self.prepare(samples, sample_rate))

    def prepare(self, samples: np.ndarray, sample_rate: int) -> _Clip:
        """A line made ready to queue (resampled to the output and recording rates), e.g. while the trainee's
        end-of-turn silence runs; the same clip may be queued once."""
        return _Clip(resample(samples, sample_rate, self.sample_rate), resample(samples, sample_rate, PLAYED_RATE))

    def play_prepared(self, clip: _Clip) -> float:
        """Queue a prepared line after whatever is already queued; returns the call time at which it will start."""
        with self._lock:
            start = max(self._queued_until, self._next_block_at, self._clock.now() + self._fallback_latency)
            self._queued_until = start + clip.audio.size / self.sample_rate
            self._clips.append(clip)
        return start

    def stop_playback(self) -> None:
        """Cut the current and queued lines (the persona was interrupted)."""
        with self._lock:
            self._clips.clear()
            self._queued_until = 0.0

    def finish_clause(self, gain: float, pause: float = CLAUSE_PAUSE) -> float:
        """Play the current line only to the end of its clause (its next pause of `pause` s, else its end),
        louder from here on, and drop the lines queued after it (the persona was talked over and finishes its
        clause, raising its voice). A voice rendered near full scale has no room for a plain gain, so the rest
        is soft-limited: `gain` times louder at low levels, peaks kept within full scale. Returns the call time
        at which the clause ends."""
        with self._lock:
            if not self._clips:
                return max(self._audible_until, self._clock.now())
            clip = self._clips[0]
            ahead = max(clip.position, clip.position + int(0.05 * self.sample_rate))
            cut = _next_pause(clip.audio, ahead, self.sample_rate, pause)
            clip.audio = np.concatenate([clip.audio[:clip.position], _louder(clip.audio[clip.position:cut], gain)])
            ratio = PLAYED_RATE / self.sample_rate
            copy_at, copy_cut = round(clip.position * ratio), round(cut * ratio)
            clip.played_copy = np.concatenate([clip.played_copy[:copy_at], _louder(clip.played_copy[copy_at:copy_cut], gain)])
            while len(self._clips) > 1:
                self._clips.pop()
            now = self._clock.now()
            start = self._next_block_at if self._next_block_at > now else now + self._fallback_latency
            self._queued_until = start + (cut - clip.position) / self.sample_rate
            return self._queued_until

    @property
    def audible_until(self) -> float:
        """Call time at which the audio handed to the speaker so far stops sounding."""
        with self._lock:
            return self._audible_until

    def is_playing(self) -> bool:
        """True while queued audio remains or the last played block has not yet left the speaker."""
        with self._lock:
            return bool(self._clips) or self._clock.now() < self._audible_until

    def _callback(self, outdata: np.ndarray, frames: int, time_info, status) -> None:
        lead = time_info.outputBufferDacTime - time_info.currentTime
        if time_info.outputBufferDacTime <= 0 or not 0 <= lead < 2.0:
            lead = self._fallback_latency
        block_at = self._clock.now() + lead
        if status.output_underflow:
            self.underflows += 1
        self._frames_pulled += frames
        if self._frames_pulled >= self._flowing_after:
            self._flowing.set()
        out = outdata[:, 0]
        filled = 0
        with self._lock:
            while filled < frames and self._clips:
                clip = self._clips[0]
                n = min(frames - filled, clip.audio.size - clip.position)
                out[filled:filled + n] = clip.audio[clip.position:clip.position + n]
                self._played.put(_Played(block_at + filled / self.sample_rate, clip, clip.position, clip.position + n))
                clip.position += n
                filled += n
                if clip.position >= clip.audio.size:
                    self._clips.popleft()
            self._next_block_at = block_at + frames / self.sample_rate
            if filled:
                self._audible_until = block_at + filled / self.sample_rate
        out[filled:] = 0.0

    def _finished(self) -> None:
        if not self._stopping:
            self.error = Message("audio.speaker_stopped")
            self.stop_playback()
            with self._lock:
                self._audible_until = 0.0   # nothing more leaves a device that is gone

    def _report_played(self) -> None:
        ratio = PLAYED_RATE / self.sample_rate
        while (played := self._played.get()) is not None:
            callback = self.on_played
            if callback is None:
                continue
            first, last = round(played.start * ratio), round(played.stop * ratio)
            if last > first:
                callback(played.call_time, played.clip.played_copy[first:last])
