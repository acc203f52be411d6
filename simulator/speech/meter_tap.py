"""Keeps the latest live-meter reading of a call's microphone (Friture's pattern: the audio callback fills a
buffer, a worker measures, the GUI polls the snapshot on a timer), so metering never runs on the audio
callback or the GUI thread."""

from __future__ import annotations

import queue
import threading

from simulator.core.live_meters import LiveMeters, LiveMeterState, TurnReading
from simulator.speech.microphone import Microphone


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
        while not self._stopping.is_set():
            try:
                call_time, block = blocks.get(timeout=0.1)
            except queue.Empty:
                continue
            with self._lock:
                if self._paused:
                    continue
                self._state.add_block(call_time, block)
                self._snapshot = self._state.snapshot(call_time)
