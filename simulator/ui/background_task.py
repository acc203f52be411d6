"""Run a blocking job (download, rendering, device check) off the GUI thread and report back by signals.

The job gets a progress callback and a cancel event; errors the user can fix arrive as one-line
messages on `failed`, never as a traceback in a worker thread that leaves the UI waiting.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal

from simulator.speech.audio_devices import AudioUnavailable
from simulator.speech.models import ModelError
from simulator.ui.messages import text_of

log = logging.getLogger(__name__)

Job = Callable[[Callable[[int, int], None], threading.Event], Any]


class BackgroundTask(QThread):
    progressed = Signal(int, int)  # done, total (e.g. bytes)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Job, parent=None) -> None:
        super().__init__(parent)
        self._job = job
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:
        from simulator.speech.tts import TtsUnavailable

        try:
            result = self._job(self.progressed.emit, self.cancel_event)
        except (ModelError, AudioUnavailable, TtsUnavailable, OSError) as exc:
            self.failed.emit(text_of(exc))
        except Exception as exc:  # a bug must still end the wait in the UI
            log.exception("background task failed")
            self.failed.emit(self.tr("Unexpected error: %1").replace("%1", str(exc)))
        else:
            self.succeeded.emit(result)


class RunningTasks:
    """The background tasks a widget started, kept until each has finished, so none is destroyed while it runs."""

    def __init__(self, owner) -> None:
        self._owner = owner
        self._tasks: list[BackgroundTask] = []

    def start(self, job: Callable[[], Any], succeeded: Callable[[Any], None],
              failed: Callable[[str], None]) -> BackgroundTask:
        task = BackgroundTask(lambda _progress, _cancel: job(), self._owner)
        task.succeeded.connect(succeeded)
        task.failed.connect(failed)
        task.finished.connect(lambda t=task: self._forget(t))
        self._tasks.append(task)
        task.start()
        return task

    def _forget(self, task: BackgroundTask) -> None:
        self._tasks.remove(task)
        task.deleteLater()

    def wait(self) -> None:
        for task in list(self._tasks):
            task.wait()
