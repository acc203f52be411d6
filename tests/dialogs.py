"""Answering the app's modal questions from a test: the answer is clicked from a timer while the dialog's
own event loop runs, and the question's text is kept so the test can check what was asked."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def answer_end_question(end: bool = True, asked: list[str] | None = None, tries: int = 200) -> list[str]:
    """Click "End the call" (or "Keep talking") in the next end-early question; returns the texts asked."""
    asked = [] if asked is None else asked

    def poll(left: int) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() == "endEarlyQuestion":
            asked.append(box.text())
            box.button(QMessageBox.StandardButton.Yes if end else QMessageBox.StandardButton.No).click()
        elif left:
            QTimer.singleShot(25, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(tries))
    return asked
