"""Application start-up: settings, the attempts store (recovering interrupted calls), first-run set-up."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from simulator.core.messages import problem_of
from simulator.settings import Settings, load_settings
from simulator.storage.errors import StorageError
from simulator.storage.repository import AttemptStore
from simulator.ui.assets import app_icon
from simulator.ui.call_controller import CallController
from simulator.ui.i18n import ensure_cjk_font, install_translator
from simulator.ui.main_window import MainWindow


def open_attempts(settings: Settings) -> tuple[AttemptStore | None, list[str]]:
    """The store and what to tell the user about it; the app still opens when it cannot be reached."""
    from simulator.settings import settings_path
    from simulator.storage.db import chosen_database, open_store

    try:
        store = open_store(chosen_database(setting=settings.db_url,
                                           settings_unreadable=str(settings_path()) if settings.unreadable else None))
    except StorageError as exc:
        return None, [problem_of(exc)]
    if store.read_only:
        return store, [QCoreApplication.translate(
            "App", "The attempts database can only be read here: past calls can be reviewed, new calls are not saved.")]
    try:
        count = len(store.recover_interrupted())  # a variable, not len() inside translate(): lupdate skips that
    except StorageError as exc:  # a full disk: the app still starts, and says why the call was not recovered
        return store, [str(exc)]
    notes = [QCoreApplication.translate("App", "Recovered %n interrupted call(s); their recordings are kept.",
                                        "", count)] if count else []
    return store, notes


def build_window(settings: Settings, language: str | None = None, startup_problems: list[str] | None = None
                 ) -> MainWindow:
    store, notes = open_attempts(settings)
    controller = CallController(store=store, settings=settings)
    window = MainWindow(controller, language or settings.persona_language)
    for message in (startup_problems or []) + settings.load_warnings + notes:
        window.show_problem(message)
    return window


def run(language: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setWindowIcon(app_icon())  # the set-up assistant and review window too
    settings = load_settings()
    install_translator(app, settings.ui_language)
    font_warning = ensure_cjk_font()
    if not settings.setup_done and not os.environ.get("ROLEPLAY_SIM_SKIP_SETUP"):
        from simulator.ui.setup_wizard import SetupWizard

        SetupWizard(settings).exec()
        settings = load_settings()
    window = build_window(settings, language, [font_warning] if font_warning else [])
    window.show()
    return app.exec()
