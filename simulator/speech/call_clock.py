"""The call's time axis: every audio block, recognised word and recording sample is placed on it."""

from __future__ import annotations

import time


class CallClock:
    """Seconds since the call started (time.monotonic based, so wall-clock changes do not move it)."""

    def __init__(self) -> None:
        self._origin: float | None = None

    @property
    def started(self) -> bool:
        return self._origin is not None

    def start(self) -> None:
        self._origin = time.monotonic()

    def now(self) -> float:
        if self._origin is None:
            raise RuntimeError("CallClock.now() called before start()")
        return time.monotonic() - self._origin
