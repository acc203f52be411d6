"""Answering the app's questions from a test: the answer is clicked from a timer once the question shows,
and the question's text is kept so the test can check what was asked."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def open_end_questions() -> list[QMessageBox]:
    return [w for w in QApplication.allWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "endEarlyQuestion" and w.isVisible()]


def answer_end_question(end: bool = True, asked: list[str] | None = None, tries: int = 400) -> list[str]:
    """Click "End the call" (or "Keep talking") in the next end-early question; returns the texts asked."""
    asked = [] if asked is None else asked

    def poll(left: int) -> None:
        shown = open_end_questions()
        if shown:
            asked.append(shown[0].text())
            shown[0].button(QMessageBox.StandardButton.Yes if end else QMessageBox.StandardButton.No).click()
        elif left:
            QTimer.singleShot(25, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(tries))
    return asked
