"""The manager's notes on one attempt, saved to the store with the button or Ctrl+S."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from simulator.storage import AttemptStore, StorageError


class NotesEditor(QWidget):
    saved = Signal(int)

    def __init__(self, store: AttemptStore, parent=None) -> None:
        super().__init__(parent)
        self.store = store
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
        try:
            self.store.set_notes(self.attempt_id, self.edit.toPlainText())
        except StorageError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(self.tr("Saved"))
        self.saved.emit(self.attempt_id)
