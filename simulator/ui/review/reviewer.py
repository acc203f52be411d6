"""Who signs a transcript correction: the name in the settings (simulator.settings.reviewer_name), else asked
once and kept in the settings for next time."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QWidget

from simulator.settings import SettingsError, load_settings, reviewer_name, save_settings


def ask_reviewer(parent: QWidget | None) -> str | None:
    """The reviewer's name; None when they decline to give one."""
    settings = load_settings()
    if name := reviewer_name(settings):
        return name
    title = QCoreApplication.translate("Reviewer", "Your name")
    label = QCoreApplication.translate("Reviewer", "Corrections of the transcript are signed with your name:")
    text, ok = QInputDialog.getText(parent, title, label)
    name = " ".join(text.split()) if ok else ""
    if not name:
        return None
    if not settings.unreadable:   # an unreadable settings file is not overwritten with defaults
        settings.reviewer_name = name
        try:
            save_settings(settings)
        except SettingsError:
            pass   # signed with the name this time; asked again next time
    return name
