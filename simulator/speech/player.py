"""The persona's voice: sounddevice OutputStreams at 48 kHz (one carrying the call, one spare), open for the whole call.

A separate output stream (not a duplex Stream) because duplex streams and playrec fail silently on
PulseAudio, and 48 kHz because 16 kHz output underruns while an input stream is open. The callback only
copies queued samples out and notes what was played; on_played runs on the Player's own thread.

A line can be pre-rolled: written into the stream ahead of time, so that its first sample reaches the speaker at
a chosen moment (the end of the trainee's silence) instead of one output latency after it is known to be due.
Until confirm() it is tentative: what the callback wrote of it is not reported as played, and if it is not
confirmed PREROLL_MARGIN s before it is due, the stream is aborted (PortAudio drops the audio queued ahead of the
speaker), so none of it is heard. A second stream, open and playing silence, takes over at once: a restarted
stream is now and then held by PulseAudio for ~2 s (1 of ~14 restarts in bench/bench_turn_taking.py), which would
delay the next line that long. The aborted one is started again and becomes the spare.
"""

from __future__ import annotations

import functools
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
# A pre-rolled line not confirmed this long before its first sample is due is dropped. Measured on PulseAudio
# (ALSA plugin): an abort 10 ms before a tone was due dropped all of it (0.17 s of it already written), one 30 ms
# after let 50 ms be heard; the stream ran again 5 ms after the restart, its blocks on time.
PREROLL_MARGIN = 0.03


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
    """One queued line: the samples at the output rate, a 16 kHz copy for on_played, the read position and, for
    a pre-rolled line, the call time its first sample is due at the speaker (None: as soon as it is queued)."""

    audio: np.ndarray
    played_copy: np.ndarray
    position: int = 0
    at: float | None = None


@dataclass(frozen=True)
class _Played:
    call_time: float
    clip: _Clip
    start: int
    stop: int


@dataclass
class _Output:
    """One of the Player's two output streams and what its callback last saw."""

    flowing: threading.Event
    stream: object | None = None
    pulled: int = 0               # frames pulled since it was (re)started
    next_block_at: float = 0.0    # call time at which its next callback's block reaches the speaker


@dataclass
class _Tentative:
    """A pre-rolled line not yet confirmed: the blocks written of it are held back from on_played."""

    clip: _Clip
    held: list[_Played]
    timer: threading.Timer | None = None
    audible_until: float = 0.0

    def cancel_guard(self) -> None:
        """It was confirmed, dropped or the speaker is gone: its guard timer has nothing left to drop."""
        if self.timer is not None:
            self.timer.cancel()


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
        self._audible_until = 0.0
        self._fallback_latency = 0.0
        self._played: queue.SimpleQueue[_Played | None] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None
        self._outputs: list[_Output] = []   # the active stream (carries the call) and the spare (silence)
        self._active = 0
        self._flowing_after = 0
        self._stopping = False
        self.error: str | None = None  # set when the output device fails mid-call
        self.underflows = 0
        self._tentative: _Tentative | None = None
        self._restart_lock = threading.Lock()
        self._restarting = False
        self._sd = None
        self.preroll_aborts = 0   # pre-rolled lines dropped after some of them had been written into the stream

    def start(self) -> None:
        """Open the output stream; starts the clock if the call has not started yet. Raises AudioUnavailable."""
        sd = device_for_call("output", self.device, self._clock)
        self._stopping = False
        self.error = None
        self._active = 0
        self._outputs = [_Output(threading.Event()), _Output(threading.Event())]
        try:
            for index, output in enumerate(self._outputs):
                stream = sd.OutputStream(samplerate=self.sample_rate, device=self.device, channels=1,
                                         latency=self.latency, dtype="float32",
                                         callback=functools.partial(self._callback, index),
                                         finished_callback=self._finished)
                self._fallback_latency = stream.latency
                self._flowing_after = int((stream.latency + FLOWING_SECONDS) * self.sample_rate)
                output.stream = stream
                stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            self._close_outputs()
            raise open_failed("speaker", exc) from exc
        self._sd = sd
        self._worker = threading.Thread(target=self._report_played, name="player-on-played", daemon=True)
        self._worker.start()
        self._wait_until_flowing()

    def _wait_until_flowing(self) -> None:
        """PulseAudio (through ALSA) may hold a new output stream for ~2 s after its first buffer fill; until it
        runs, the times reported for played blocks are wrong, so the call should not start before."""
        deadline = self._clock.now() + START_TIMEOUT
        if not all(o.flowing.wait(max(0.0, deadline - self._clock.now())) for o in self._outputs):
            self.stop()
            raise AudioUnavailable(Message("audio.speaker_stalled"))

    def stop(self) -> None:
        if not self._outputs:
            return
        self._stopping = True
        with self._lock:
            tentative, self._tentative = self._tentative, None
        if tentative is not None:
            tentative.cancel_guard()
        self._close_outputs(drain=tentative is None or not tentative.clip.position)
        self.stop_playback()
        self._played.put(None)
        if self._worker is not None:
            self._worker.join()
            self._worker = None

    def _close_outputs(self, drain: bool = False) -> None:
        """Close both streams; `drain`: the active one plays out its queue first (not with an unconfirmed line in
        it; the spare holds only silence)."""
        with self._restart_lock:
            outputs, self._outputs = self._outputs, []
            for index, output in enumerate(outputs):
                stream = output.stream
                if stream is None:
                    continue
                if drain and index == self._active:
                    stream.stop()
                else:
                    stream.abort()
                stream.close()

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
        """Queue a prepared line after whatever is already queued; returns the call time at which it will start.
        A line pre-rolled and not confirmed is dropped first."""
        self.drop_preroll()
        clip.position, clip.at = 0, None
        with self._lock:
            start = max(self._queued_until, self._next_block(), self._clock.now() + self._fallback_latency)
            self._queued_until = start + clip.audio.size / self.sample_rate
            self._clips.append(clip)
        return start

    def stop_playback(self) -> None:
        """Cut the current and queued lines (the persona was interrupted), and a pre-rolled one."""
        with self._lock:
            self._clips.clear()
            self._queued_until = 0.0
        self.drop_preroll()

    def preroll(self, clip: _Clip, at: float) -> float | None:
        """Write a prepared line into the stream ahead of time, so that its first sample is heard at call time
        `at` (or as soon after as the stream allows), before it is known whether it will be said. Nothing of it
        is heard or reported as played unless confirm() comes PREROLL_MARGIN s before it is due. Returns the
        call time it is due at; None when the speaker is busy (a line still sounding, or another pre-roll)."""
        with self._lock:
            now = self._clock.now()
            spare = self._outputs[1 - self._active] if self._outputs else None
            if self._clips or self._tentative is not None or now < self._audible_until or spare is None or \
                    not spare.flowing.is_set():
                return None
            clip.position, clip.at = 0, max(at, self._earliest())
            tentative = self._tentative = _Tentative(clip, [])
            tentative.timer = threading.Timer(max(0.0, clip.at - PREROLL_MARGIN - now), self._expire, (tentative,))
            tentative.timer.daemon = True
            tentative.timer.start()
            return clip.at

    def confirm(self, clip: _Clip) -> float | None:
        """The pre-rolled `clip` is to be said: from now on it is a queued line, reported as it is played (the
        part already written, too). Returns the call time it starts at; None when it is not the line pre-rolled
        or was dropped (too late): queue it with play_prepared()."""
        with self._lock:
            tentative = self._tentative
            if tentative is None or tentative.clip is not clip or clip.at is None:
                return None
            self._tentative = None
            tentative.cancel_guard()
            for played in tentative.held:
                self._played.put(played)
            if clip.position < clip.audio.size:
                self._clips.append(clip)
            self._audible_until = max(self._audible_until, tentative.audible_until)
            self._queued_until = clip.at + clip.audio.size / self.sample_rate
            return clip.at

    def drop_preroll(self) -> None:
        """Drop the pre-rolled line (the trainee spoke on); if any of it is already in the stream, that stream is
        aborted, so none of it is heard, and the spare one carries on."""
        self._drop(None)

    def _expire(self, tentative: _Tentative) -> None:
        """The guard: a pre-rolled line not confirmed in time is dropped before it is due."""
        self._drop(tentative)

    def _drop(self, only: _Tentative | None) -> None:
        with self._lock:
            tentative = self._tentative
            if tentative is None or (only is not None and tentative is not only):
                return
            self._tentative = None
            written, tentative.clip.position = tentative.clip.position, 0
        tentative.cancel_guard()
        if written:
            self._restart()

    def _restart(self) -> None:
        """The spare stream carries the call from now on; the active one is aborted, which drops the audio
        queued in it ahead of the speaker, and started again as the spare."""
        with self._restart_lock:
            if not self._outputs or self._sd is None:
                return
            with self._lock:
                old = self._outputs[self._active]
                if self._outputs[1 - self._active].flowing.is_set():
                    self._active = 1 - self._active
                old.flowing.clear()
                old.pulled, old.next_block_at = 0, 0.0
            self._restarting = True
            try:
                old.stream.abort()  # type: ignore[attr-defined]
                old.stream.start()  # type: ignore[attr-defined]
                self.preroll_aborts += 1
            except self._sd.PortAudioError:
                self.error = Message("audio.speaker_stopped")
            finally:
                self._restarting = False

    def _next_block(self) -> float:
        """Call time at which the active stream's next block reaches the speaker (0 before its first block)."""
        return self._outputs[self._active].next_block_at if self._outputs else 0.0

    def _earliest(self) -> float:
        """The earliest call time a sample queued now can reach the speaker."""
        now, next_block = self._clock.now(), self._next_block()
        return next_block if next_block > now else now + self._fallback_latency

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
            start = self._earliest()
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

    def _callback(self, index: int, outdata: np.ndarray, frames: int, time_info, status) -> None:
        lead = time_info.outputBufferDacTime - time_info.currentTime
        if time_info.outputBufferDacTime <= 0 or not 0 <= lead < 2.0:
            lead = self._fallback_latency
        block_at = self._clock.now() + lead
        out = outdata[:, 0]
        out[:] = 0.0
        filled = 0
        with self._lock:
            if index >= len(self._outputs):
                return
            output = self._outputs[index]
            output.pulled += frames
            if output.pulled >= self._flowing_after:
                output.flowing.set()
            output.next_block_at = block_at + frames / self.sample_rate
            if index != self._active:
                return                               # the spare: silence, ready to take over
            if status.output_underflow:
                self.underflows += 1
            while self._clips:
                clip = self._clips[0]
                written = clip.position
                filled = self._copy(clip, out, filled, block_at, self._played.put)
                if clip.position > written:
                    self._audible_until = block_at + filled / self.sample_rate
                if clip.position < clip.audio.size:
                    break                            # the block is full, or the line is not due yet
                self._clips.popleft()
            tentative = self._tentative
            if tentative is not None and not self._clips:
                written = tentative.clip.position
                filled = self._copy(tentative.clip, out, filled, block_at, tentative.held.append)
                if tentative.clip.position > written:
                    tentative.audible_until = block_at + filled / self.sample_rate

    def _copy(self, clip: _Clip, out: np.ndarray, filled: int, block_at: float,
              report: Callable[[_Played], None]) -> int:
        """Copy what fits of `clip` into `out` from index `filled` (not before the line is due, if it has a time
        and has not started); returns the index after its last sample copied (`filled` if none was)."""
        first = filled
        if clip.position == 0 and clip.at is not None:
            first = max(first, int(round((clip.at - block_at) * self.sample_rate)))
        n = min(out.size - first, clip.audio.size - clip.position)
        if n <= 0:
            return filled
        out[first:first + n] = clip.audio[clip.position:clip.position + n]
        report(_Played(block_at + first / self.sample_rate, clip, clip.position, clip.position + n))
        clip.position += n
        return first + n

    def _finished(self) -> None:
        if not (self._stopping or self._restarting):
            self.error = Message("audio.speaker_stopped")
            with self._lock:
                self._clips.clear()
                self._queued_until = 0.0
                tentative, self._tentative = self._tentative, None
                self._audible_until = 0.0   # nothing more leaves a device that is gone
            if tentative is not None:
                tentative.cancel_guard()

    def _report_played(self) -> None:
        ratio = PLAYED_RATE / self.sample_rate
        while (played := self._played.get()) is not None:
            callback = self.on_played
            if callback is None:
                continue
            first, last = round(played.start * ratio), round(played.stop * ratio)
            if last > first:
                callback(played.call_time, played.clip.played_copy[first:last])
