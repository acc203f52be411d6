"""Keeps the latest live-meter reading of a call's microphone (Friture's pattern: the audio callback fills a
buffer, a worker measures, the GUI polls the snapshot on a timer), so metering never runs on the audio
callback or the GUI thread."""

from __future__ import annotations

import queue
import threading

import numpy as np

from simulator.core.live_meters import LiveMeters, LiveMeterState, TurnReading
from simulator.speech.microphone import Microphone

METER_BLOCK_SECONDS = 0.1   # the live meters' unit (LiveMeterState.add_block: a level and a pitch per block)


class MeterTap:
    def __init__(self, microphone: Microphone, state: LiveMeterState) -> None:
        self._microphone = microphone
        self._state = state
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._paused = False
        self._thread: threading.Thread | None = None
        self._snapshot: LiveMeters | None = None

    def start(self) -> None:
        blocks = self._microphone.subscribe()
        self._thread = threading.Thread(target=self._run, args=(blocks,), name="call-meters", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def set_paused(self, paused: bool) -> None:
        """A paused call measures nothing; the turn in progress is dropped."""
        with self._lock:
            self._paused = paused
            self._state.end_turn()

    def heard(self, finals: list[str], partial: str) -> None:
        with self._lock:
            self._state.set_text(finals, partial)

    def end_turn(self) -> None:
        with self._lock:
            self._state.end_turn()

    def reading(self) -> TurnReading:
        """The reading of the turn so far, which goes on."""
        with self._lock:
            return self._state.turn_reading()

    def finish_turn(self) -> TurnReading:
        """The reading of the turn that ends now; the next block starts a new turn."""
        with self._lock:
            reading = self._state.turn_reading()
            self._state.end_turn()
            return reading

    def snapshot(self) -> LiveMeters | None:
        """The reading taken at the latest block (None before the first): made on the worker and published
        whole, so the GUI never waits for a pitch measurement."""
        return self._snapshot

    def _run(self, blocks: queue.Queue) -> None:
        joined = _Joiner(int(METER_BLOCK_SECONDS * self._microphone.sample_rate), self._microphone.sample_rate)
        while not self._stopping.is_set():
            try:
                call_time, block = blocks.get(timeout=0.1)
            except queue.Empty:
                continue
            whole = joined.add(call_time, block)
            if whole is None:
                continue
            call_time, block = whole
            with self._lock:
                if self._paused:
                    continue
                self._state.add_block(call_time, block)
                self._snapshot = self._state.snapshot(call_time)


class _Joiner:
    """Joins a call's short microphone blocks into meter blocks of at least `size` samples: the meters' levels
    and pitch are measured per 0.1 s, whatever the block size the voice activity needs."""

    def __init__(self, size: int, sample_rate: int) -> None:
        self.size = size
        self.sample_rate = sample_rate
        self._start = 0.0
        self._parts: list[np.ndarray] = []
        self._count = 0

    def add(self, call_time: float, block: np.ndarray) -> tuple[float, np.ndarray] | None:
        """The joined block once it is long enough (first sample's call time, samples), else None. A gap in the
        stream starts a new block."""
        if self._parts and abs(self._start + self._count / self.sample_rate - call_time) > 0.005:
            self._parts, self._count = [], 0
        if not self._parts:
            self._start = call_time
        self._parts.append(block)
        self._count += len(block)
        if self._count < self.size:
            return None
        joined = (self._start, np.concatenate(self._parts) if len(self._parts) > 1 else self._parts[0])
        self._parts, self._count = [], 0
        return joined
