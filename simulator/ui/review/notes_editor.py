"""The manager's notes on one attempt, saved with the button or Ctrl+S: the editor asks (saveRequested), the
attempt view stores them through the review service and answers with saved_as() or not_saved()."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget


class NotesEditor(QWidget):
    saved = Signal(int)
    saveRequested = Signal(int, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.attempt_id: int | None = None
        self.edit = QPlainTextEdit(placeholderText=self.tr("Notes for this attempt (seen by managers only)"))
        self.edit.setTabChangesFocus(True)
        self.edit.setAccessibleName(self.tr("Manager's notes"))
        self.save_button = QPushButton(self.tr("&Save notes"), toolTip=self.tr("Save the notes (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence.Save, self, activated=self.save)
        self.status = QLabel()
        self.edit.textChanged.connect(lambda: self.status.setText(self.tr("Not saved")))
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit, 1)
        layout.addLayout(row)
        self.set_attempt(None, "")

    def set_attempt(self, attempt_id: int | None, text: str) -> None:
        self.attempt_id = attempt_id
        self.edit.setPlainText(text)
        self.status.setText("")
        self.setEnabled(attempt_id is not None)

    def save(self) -> None:
        if self.attempt_id is None:
            return
        self.status.setText(self.tr("Saving…"))
        self.save_button.setEnabled(False)
        self.saveRequested.emit(self.attempt_id, self.edit.toPlainText())

    def saved_as(self, attempt_id: int, text: str) -> None:
        """The store has the notes; "Saved" unless they were edited again meanwhile."""
        self.save_button.setEnabled(True)
        if attempt_id == self.attempt_id and text == self.edit.toPlainText():
            self.status.setText(self.tr("Saved"))
        self.saved.emit(attempt_id)

    def not_saved(self, attempt_id: int, problem: str) -> None:
        self.save_button.setEnabled(True)
        if attempt_id == self.attempt_id:
            self.status.setText(problem)
