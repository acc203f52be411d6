"""The Qt side of the application layer: each service call runs on a worker thread (BackgroundTask) and its
result comes back to the GUI thread by signal. A newer job under the same key cancels the older one and its
result is dropped (the manager clicked on); `busyChanged` drives the window's busy indicator. Results that
arrive together are handed over one per pass of the event loop: each may take tens of milliseconds to show,
and input, painting and timers get their turn between two of them."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from time import monotonic
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal

from simulator.app import Cancelled, StoreProblem
from simulator.ui.background_task import BackgroundTask

Job = Callable[[threading.Event], Any]


@dataclass(frozen=True)
class _Failure:
    text: str


class _Dropped:
    """A cancelled job's outcome: delivered to nobody."""


def _outcome(job: Job, cancel: threading.Event) -> Any:
    from simulator.ui.report_pdf import ReportError

    try:
        return job(cancel)
    except Cancelled:
        return _Dropped()
    except (StoreProblem, ReportError) as exc:   # said to the user, not logged as a bug
        return _Failure(str(exc))


class ServiceJobs(QObject):
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: list[BackgroundTask] = []
        self._latest: dict[str, BackgroundTask] = {}
        self._held = 0          # GUI-thread work between two jobs (hold) that the window shows as busy too
        self._shown_busy = False
        self._closed = False    # wait() was called: the owner is closing
        self._ready: deque[Callable[[], None]] = deque()   # results come back, waiting for their pass
        self._handing = QTimer(self, singleShot=True, interval=0)
        self._handing.timeout.connect(self._hand_over)

    @property
    def busy(self) -> bool:
        return bool(self._running) or self._held > 0 or bool(self._ready)

    def _busy_changed(self) -> None:
        if self.busy != self._shown_busy:
            self._shown_busy = self.busy
            self.busyChanged.emit(self._shown_busy)

    def hold(self) -> Callable[[], None]:
        """Busy until the returned release is called: a job's result is worked on in steps on the GUI thread
        before the next job starts (a report's picture between preparing and writing it)."""
        self._held += 1
        self._busy_changed()
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self._held -= 1
                self._busy_changed()

        return release

    def run(self, key: str | None, job: Job, done: Callable[[Any], None],
            failed: Callable[[str], None] | None = None) -> BackgroundTask:
        """Start `job(cancel)` on a worker; `done(result)` or `failed(text)` on the GUI thread, unless a newer
        job with the same `key` was started meanwhile (None: never superseded)."""
        if key is not None and (older := self._latest.get(key)) is not None:
            older.cancel()
        task = BackgroundTask(lambda _progress, cancel: _outcome(job, cancel), self)
        if self._closed:        # the window is closing: a late result asking for more starts nothing
            return task
        if key is not None:
            self._latest[key] = task
        task.succeeded.connect(lambda outcome, t=task: self._queue(lambda: self._deliver(key, t, outcome, done, failed)))
        task.failed.connect(lambda text, t=task: self._queue(lambda: self._deliver(key, t, _Failure(text), done, failed)))
        task.finished.connect(lambda t=task: self._forget(key, t))
        self._running.append(task)
        self._busy_changed()
        task.start()
        return task

    def cancel(self, key: str) -> None:
        if (task := self._latest.pop(key, None)) is not None:
            task.cancel()

    def later(self, step: Callable[[], None]) -> None:
        """Run `step` on the GUI thread in a later pass of the event loop, after the results already back (a
        result shown in parts, none long enough to be felt); busy until then."""
        self._queue(step)
        self._busy_changed()

    def _queue(self, delivery: Callable[[], None]) -> None:
        self._ready.append(delivery)
        self._handing.start()

    def _hand_over(self) -> None:
        """One result per pass: the next waits for the following pass."""
        try:
            if self._ready:
                self._ready.popleft()()
        finally:
            if self._ready:
                self._handing.start()
            self._busy_changed()

    def _deliver(self, key: str | None, task: BackgroundTask, outcome: Any, done: Callable[[Any], None],
                 failed: Callable[[str], None] | None) -> None:
        if isinstance(outcome, _Dropped) or task.cancel_event.is_set():
            return
        if key is not None and self._latest.get(key, task) is not task:
            return   # a newer job under this key (a finished one is forgotten before its result's pass)
        if isinstance(outcome, _Failure):
            if failed is not None:
                failed(outcome.text)
            return
        done(outcome)

    def _forget(self, key: str | None, task: BackgroundTask) -> None:
        task.wait()     # `finished` comes just before the thread ends: deleting it running would abort the app
        self._running.remove(task)
        if key is not None and self._latest.get(key) is task:
            del self._latest[key]
        task.deleteLater()
        self._busy_changed()

    def settle(self, timeout: float = 120.0) -> None:
        """Run the event loop until no job is running or held and every result was delivered (closing, tests)."""
        loop = QEventLoop()
        deadline = monotonic() + timeout
        while monotonic() < deadline:
            for task in list(self._running):
                task.wait(20)
            loop.processEvents(QEventLoop.AllEvents, 20)
            if not self.busy:
                loop.processEvents(QEventLoop.AllEvents, 20)
                if not self.busy:
                    return
        raise TimeoutError("service jobs still running")

    def wait(self) -> None:
        """Block until the running jobs end, without delivering their results, and start no more (closing a
        window)."""
        self._closed = True
        self._ready.clear()
        for task in list(self._running):
            task.cancel()
            task.wait()
