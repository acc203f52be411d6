"""Creates the QApplication and the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from simulator.ui.call_controller import CallController
from simulator.ui.main_window import MainWindow


def run(language: str = "zh") -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    window = MainWindow(CallController(), language)
    window.show()
    return app.exec()
