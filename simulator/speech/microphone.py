"""The trainee's microphone: one sounddevice InputStream kept open for the whole call.

The audio callback only stamps each block with its call time and copies it into buffers; recognition,
metering and recording happen on consumer threads (read() / subscribe()).
"""

from __future__ import annotations

import math
import queue
import threading
from collections import deque

import numpy as np

from simulator.core.messages import Message

from .audio_devices import AudioUnavailable, device_for_call, open_failed
from .call_clock import CallClock

Block = tuple[float, np.ndarray]

SILENCE_DBFS = -120.0
STALL_SECONDS = 3.0  # no block for this long while running means the device is gone
MAX_BUFFERED_SECONDS = 600.0  # read() backlog kept if the consumer falls behind
SETTLED_DELAY = 0.35  # capture-to-callback delay (s) below which a new stream's time stamps are trusted ...
SETTLED_SECONDS = 0.3  # ... once it has held for this long (and at least three blocks)
START_TIMEOUT = 6.0
RESYNC_SECONDS = 0.3  # blocks arriving this much later than the sample count allows: samples were lost ...
RESYNC_HOLD_SECONDS = 0.3  # ... held this long (at least three blocks; one late callback is only scheduling)
# A call's microphone hands over 20 ms blocks, the voice-activity frame: the end of a turn is judged within 20 ms
# of the silence it waits for and reaches the dialogue thread at once. With 0.1 s blocks the turn ended on average
# 0.05 s after its silence, and each block arrived ~0.04 s after its end (bench/bench_turn_taking.py: reply gap
# 0.98 -> 0.88 s, median of 22, on a busy machine). Other uses (levels, set-up) keep 0.1 s blocks.
CALL_BLOCKSIZE = 320


class Microphone:
    """16 kHz mono int16 input; each block is stamped with the call time of its first sample."""

    def __init__(self, clock: CallClock, device: int | str | None = None, sample_rate: int = 16000,
                 blocksize: int = 1600, backlog: bool = True) -> None:
        """backlog False: blocks go to subscribers only and read() returns nothing; a call, which only
        subscribes, would otherwise hold all its audio (up to MAX_BUFFERED_SECONDS, 19 MB) for no reader."""
        self._clock = clock
        self.device = device
        self.sample_rate = sample_rate
        self.blocksize = blocksize
        self._blocks: deque[Block] = deque(maxlen=max(1, int(MAX_BUFFERED_SECONDS * sample_rate / blocksize))
                                           if backlog else 0)
        self._subscribers: list[queue.Queue] = []
        self._subscribe_lock = threading.Lock()
        self._last_block = np.zeros(0, dtype=np.int16)
        self._last_block_at: float | None = None
        self._started_at = 0.0
        self._fallback_delay = blocksize / sample_rate
        self._stream = None
        self._stopping = False
        self._error: str | None = None
        self._settled = threading.Event()
        self._settling_blocks = 0
        self._anchor: float | None = None  # call time of sample 0 of the delivered stream
        self._frames_delivered = 0
        self._late_blocks = 0
        self._settled_blocks = max(3, math.ceil(SETTLED_SECONDS * sample_rate / blocksize))
        self._resync_blocks = max(3, math.ceil(RESYNC_HOLD_SECONDS * sample_rate / blocksize))
        self.overflows = 0

    def start(self) -> None:
        """Open the input stream; starts the clock if the call has not started yet. Raises AudioUnavailable."""
        sd = device_for_call("input", self.device, self._clock)
        try:
            stream = sd.InputStream(samplerate=self.sample_rate, blocksize=self.blocksize, device=self.device,
                                    channels=1, dtype="int16", callback=self._callback,
                                    finished_callback=self._finished)
            self._fallback_delay = self.blocksize / self.sample_rate + stream.latency
            self._stopping = False
            self._error = None
            self._settled.clear()
            self._settling_blocks = 0
            self._anchor = None
            self._frames_delivered = 0
            self._late_blocks = 0
            self._started_at = self._clock.now()
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            raise open_failed("microphone", exc) from exc
        self._stream = stream
        self._wait_until_settled()

    def _wait_until_settled(self) -> None:
        """A new PulseAudio capture stream first hands over audio buffered during a start-up stall (captured up
        to ~1.5 s before it arrives, and PulseAudio drops and repeats a little while it catches up). Blocks are
        dropped until the reported capture delay has been small for a few blocks in a row, so every delivered
        block gets a trustworthy call time. Times out into accepting the stream as it is (high-latency devices)."""
        if not self._settled.wait(START_TIMEOUT):
            if self._last_block_at is None:
                self.stop()
                raise AudioUnavailable(Message("audio.microphone_stalled"))
            self._settled.set()

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        self._stopping = True
        stream.stop()
        stream.close()

    def __enter__(self) -> Microphone:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def read(self) -> list[Block]:
        """Drain the blocks captured since the last read: (call time of the first sample, int16 samples)."""
        drained: list[Block] = []
        while True:
            try:
                drained.append(self._blocks.popleft())
            except IndexError:
                return drained

    def subscribe(self) -> queue.Queue:
        """A private queue that receives every later block as (call_time, samples), independent of read()."""
        subscriber: queue.Queue = queue.Queue()
        with self._subscribe_lock:
            self._subscribers = [*self._subscribers, subscriber]
        return subscriber

    @property
    def level_dbfs(self) -> float:
        """RMS level of the last block in dB full scale (SILENCE_DBFS for digital silence)."""
        block = self._last_block
        if block.size == 0:
            return SILENCE_DBFS
        rms = math.sqrt(float(np.mean(np.square(block, dtype=np.float64)))) / 32768.0
        return 20.0 * math.log10(rms) if rms > 0 else SILENCE_DBFS

    @property
    def error(self) -> str | None:
        """A user-facing message once the device has failed mid-call, else None."""
        if self._error is None and self._stream is not None:
            last = self._last_block_at if self._last_block_at is not None else self._started_at
            if self._clock.now() - last > STALL_SECONDS:
                return "The microphone stopped delivering audio (unplugged?); typed replies still work."
        return self._error

    def _callback(self, indata: np.ndarray, frames: int, time_info, status) -> None:
        now = self._clock.now()
        delay = time_info.currentTime - time_info.inputBufferAdcTime
        if time_info.inputBufferAdcTime <= 0 or not 0 <= delay < 2.0:
            delay = self._fallback_delay
        if status.input_overflow:
            self.overflows += 1
        block = indata[:, 0].copy()
        self._last_block = block
        self._last_block_at = now
        if not self._settled.is_set():
            self._settling_blocks = self._settling_blocks + 1 if delay < SETTLED_DELAY else 0
            if self._settling_blocks < self._settled_blocks:
                return
            self._settled.set()
        item = (self._block_time(now, frames, bool(status.input_overflow)), block)
        self._blocks.append(item)
        for subscriber in self._subscribers:
            subscriber.put_nowait(item)

    def _block_time(self, now: float, frames: int, lost_samples: bool) -> float:
        """Call time of a block's first sample from the sample count since an anchor. PortAudio's capture
        times for PulseAudio drift in a ~0.1 s saw-tooth, which would stretch and tear the recording; the
        count does not. A block cannot arrive before it was captured, so the anchor is the earliest
        arrival bound seen, re-taken when samples were lost: reported, or blocks staying late for a while. A
        single late callback (a busy machine) is followed by a quick burst and must not move the anchor."""
        bound = now - (self._frames_delivered + frames) / self.sample_rate
        late = self._anchor is not None and bound - self._anchor > RESYNC_SECONDS
        self._late_blocks = self._late_blocks + 1 if late else 0
        if self._anchor is None or lost_samples or bound < self._anchor or self._late_blocks >= self._resync_blocks:
            self._anchor = bound
            self._late_blocks = 0
        self._frames_delivered += frames
        return self._anchor + (self._frames_delivered - frames) / self.sample_rate

    def _finished(self) -> None:
        if not self._stopping:
            self._error = Message("audio.microphone_stopped")
