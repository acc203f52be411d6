"""Application start-up: settings, the attempts store (recovering interrupted calls), first-run set-up."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from simulator.core.messages import problem_of
from simulator.memory import set_aside_startup_objects, tune_allocator
from simulator.settings import Settings, load_settings
from simulator.app import AttemptStore, StorageError, open_attempts_store, recover_interrupted
from simulator.ui.assets import app_icon
from simulator.ui.background_task import BackgroundTask
from simulator.ui.call_controller import CallController
from simulator.ui.i18n import ensure_cjk_font, install_translator
from simulator.ui.main_window import MainWindow


def open_attempts(settings: Settings) -> tuple[AttemptStore | None, list[str]]:
    """The store and what to tell the user about it; the app still opens when it cannot be reached."""
    try:
        store = open_attempts_store(settings)
    except StorageError as exc:
        return None, [problem_of(exc)]
    if store.read_only:
        return store, [QCoreApplication.translate(
            "App", "The attempts database can only be read here: past calls can be reviewed, new calls are not saved.")]
    return store, []


def recover_calls(store: AttemptStore) -> list[str]:
    """Recover the calls a crash left running; what to tell the user (slow for long recordings: run it off
    the GUI thread, see recover_in_background)."""
    try:
        count = recover_interrupted(store)  # a variable, not len() inside translate(): lupdate skips that
    except StorageError as exc:  # a full disk: the app still runs, and says why the call was not recovered
        return [str(exc)]
    return [QCoreApplication.translate("App", "Recovered %n interrupted call(s); their recordings are kept.",
                                       "", count)] if count else []


def recover_in_background(window: MainWindow, store: AttemptStore) -> BackgroundTask:
    """Interrupted calls are repaired on a worker thread, the window up and usable meanwhile (re-encoding an
    hour-long recording takes seconds); the status bar says so until the result is shown."""
    window.statusBar().showMessage(QCoreApplication.translate("App", "Recovering interrupted calls…"))
    task = BackgroundTask(lambda _progress, _cancel: recover_calls(store), window)

    def done(notes: list[str]) -> None:
        window.statusBar().clearMessage()
        for note in notes:
            window.show_problem(note)
        window.refresh_attempts()

    task.succeeded.connect(done)
    task.failed.connect(lambda message: (window.statusBar().clearMessage(), window.show_problem(message)))
    window.background.append(task)
    task.start()
    return task


def build_window(settings: Settings, language: str | None = None, startup_problems: list[str] | None = None
                 ) -> MainWindow:
    store, notes = open_attempts(settings)
    controller = CallController(store=store, settings=settings)
    window = MainWindow(controller, language or settings.persona_language)
    for message in (startup_problems or []) + settings.load_warnings + notes:
        window.show_problem(message)
    if store is not None and not store.read_only:
        recover_in_background(window, store)
    return window


def run(language: str | None = None) -> int:
    tune_allocator()   # before Qt and any call start threads: memory stays flat over many calls
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
    set_aside_startup_objects()
    return app.exec()
