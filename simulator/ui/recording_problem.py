"""The recorder's disk-full message in the interface language (speech/ words it in English for logs and
the database); every other message is shown as it is."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from simulator.speech.recorder import disk_full_file


def shown_problem(message: str) -> str:
    kept = disk_full_file(message)
    if kept is None:
        return message
    return QCoreApplication.translate(
        "Recording", "Recording stopped: the disk is full. What was recorded so far is kept in %1.").replace(
        "%1", str(kept))
