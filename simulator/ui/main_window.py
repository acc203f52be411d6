"""The trainee's application window: pick a customer, take the call, read the scorecard, try again.

Three pages in a stack (picker, call, result) driven by the CallController; menus and shortcuts for every
action; the current trainee in the menu bar (asked at first start, switched between calls); window geometry,
the trainee and the last customer are remembered in the user's settings."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QThread, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QHBoxLayout, QLabel, QMainWindow, QMenuBar, QMessageBox, QPushButton, QStackedWidget,
    QVBoxLayout, QWidget,
)

from simulator.core.messages import problem_of
from simulator.core.personas.picker import PickerEntry
from simulator.settings import SettingsError, load_settings, save_settings
from simulator.app import ReviewService
from simulator.ui.service_jobs import ServiceJobs
from simulator.ui.assets import app_icon
from simulator.ui.call_controller import CallController, CallInProgress, CallOutcome, Capabilities
from simulator.ui.call_page import CallPage
from simulator.ui.i18n import install_translator
from simulator.ui.messages import text_of
from simulator.ui.picker_page import PickerPage
from simulator.ui.scorecard_view import ScorecardView
from simulator.ui.trainee_picker import TraineeButton, TraineeDialog, shown_name

MAX_SHOWN_ERRORS = 12   # more persona-file errors than this: the count, and `personas check` lists them all


class ResultPage(QWidget):
    """The scorecard with a way back to the personas."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scorecard = ScorecardView()
        self.scorecard.setObjectName("resultView")
        self.back_button = QPushButton(self.tr("&Back to customers"), objectName="backButton")
        self.back_button.setToolTip(self.tr("Choose another customer (Ctrl+N)"))
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scorecard, 1)
        layout.addLayout(bottom)
        QWidget.setTabOrder(self.scorecard.retry_button, self.back_button)


class MainWindow(QMainWindow):
    def __init__(self, controller: CallController, language: str = "zh") -> None:
        super().__init__()
        self.controller = controller
        self.settings = controller.settings
        self.last_pick: tuple[str, str] | None = None
        self.review_window: QWidget | None = None
        self.background: list[QThread] = []  # start-up work still running (recovery); waited for on close
        self.end_question: QMessageBox | None = None   # "End the call?" while it is open
        self.trainee_dialog: TraineeDialog | None = None  # "Who takes the next calls?" while it is open
        self._asked_at_start = False
        self._confirmed_close = False
        self.jobs = ServiceJobs(self)   # the application layer's calls, off the GUI thread
        self.setWindowIcon(app_icon())
        self._build_ui(language)
        self.resize(1100, 760)
        bridge = controller.bridge
        bridge.problemRaised.connect(self.show_problem)
        bridge.callEnded.connect(lambda *_: self._update_actions())
        bridge.paused.connect(lambda paused: self.pause_action.setChecked(paused))
        controller.callFinished.connect(self._show_result)
        controller.capabilitiesChecked.connect(self._show_capabilities)
        controller.attemptSaved.connect(lambda _: self.refresh_attempts())
        QApplication.instance().installEventFilter(self)
        self._restore()
        self.refresh_attempts()
        self._update_actions()

    def _build_ui(self, language: str) -> None:
        """Pages and menus in the current interface language (called again when it changes)."""
        self.problems = QLabel(wordWrap=True, visible=False, objectName="problems")
        self.problem_messages: list[str] = []  # as reported (Messages stay translatable) for a language switch
        self.problems.setStyleSheet("color: #a04000;")
        self.picker = PickerPage(self.controller.library, language)
        self.persona_errors = self._persona_errors_label()
        self.picker.layout().insertWidget(0, self.persona_errors)
        self.call_page = CallPage(self.controller)
        self.result_page = ResultPage()
        self.projector: QWidget | None = None
        self.stack = QStackedWidget()
        for page in (self.picker, self.call_page, self.result_page):
            self.stack.addWidget(page)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.problems)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self.setMenuBar(QMenuBar())
        self._build_actions()

        self.picker.startRequested.connect(self.start_call)
        self.picker.languageChanged.connect(self._language_changed)
        self.call_page.endRequested.connect(self.end_call)
        self.result_page.scorecard.retryRequested.connect(self.try_again)
        self.result_page.back_button.clicked.connect(self.show_picker)
        self.stack.currentChanged.connect(lambda _: self._update_actions())

    def _persona_errors_label(self) -> QLabel:
        """Broken persona files, each as file:line: field: message; the good ones stay in the picker."""
        errors = [str(e) for e in self.controller.library.errors]
        shown = errors[:MAX_SHOWN_ERRORS]
        if len(errors) > MAX_SHOWN_ERRORS:
            shown.append(f"… (+{len(errors) - MAX_SHOWN_ERRORS})")
        heading = self.tr("Some persona files have errors and were skipped (python -m simulator personas check):")
        label = QLabel("\n".join([heading] + shown), wordWrap=True, objectName="personaErrors",
                       textFormat=Qt.TextFormat.PlainText, visible=bool(errors))
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setStyleSheet("color: #a04000;")
        return label

    # ------------------------------------------------------------ menus and shortcuts

    def _action(self, menu, text: str, shortcut: str | QKeySequence.StandardKey, tip: str, slot,
                checkable: bool = False) -> QAction:
        action = QAction(text, menu, shortcut=QKeySequence(shortcut), toolTip=tip, statusTip=tip,
                         checkable=checkable)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        call = bar.addMenu(self.tr("&Call"))
        self.new_action = self._action(call, self.tr("&New call…"), "Ctrl+N", self.tr("Choose a customer"),
                                       self.show_picker)
        self.start_action = self._action(call, self.tr("&Start call"), "Ctrl+Return",
                                         self.tr("Start the call with the chosen customer"),
                                         lambda: self.picker.request_start())
        self.pause_action = self._action(call, self.tr("&Pause"), "Ctrl+P", self.tr("Pause or resume the call"),
                                         lambda: self.call_page.toggle_pause(), checkable=True)
        self.end_action = self._action(call, self.tr("&End call"), "Esc", self.tr("End the call and see the scorecard"),
                                       self.end_call)
        call.addSeparator()
        self.review_action = self._action(call, self.tr("&Review attempts…"), "Ctrl+R",
                                          self.tr("Replay and compare stored calls"), self.open_review)
        self.settings_action = self._action(call, self.tr("Se&ttings…"), "Ctrl+,",
                                            self.tr("Microphone, speaker, speech model"), self.open_settings)
        self.trainee_action = self._action(call, self.tr("Switch t&rainee…"), "Ctrl+T",
                                           self.tr("Who takes the next call (not during a call)"),
                                           lambda: self.ask_trainee())
        self.trainee_button = TraineeButton()
        self.trainee_button.picked.connect(self.switch_trainee)
        self.trainee_button.otherRequested.connect(lambda: self.ask_trainee())
        bar.setCornerWidget(self.trainee_button, Qt.Corner.TopRightCorner)
        self._show_trainee()
        call.addSeparator()
        self._action(call, self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.tr("Close the simulator"), self.close)
        view = bar.addMenu(self.tr("&View"))
        self.full_screen_action = self._action(view, self.tr("&Full screen"), "F11",
                                               self.tr("Fill the screen (F11 again to leave)"),
                                               self.toggle_full_screen, checkable=True)
        self.projector_action = self._action(view, self.tr("&Projector view…"), "Ctrl+Shift+P",
                                             self.tr("Open the facilitator's full-screen view on the second screen"),
                                             self.open_projector)
        self._build_language_menu(view.addMenu(self.tr("&Language")))

    def open_projector(self) -> None:
        """One projector window per main window, on the second screen when there is one."""
        from simulator.ui.projector_window import ProjectorWindow

        if self.projector is None:
            self.projector = ProjectorWindow(self.controller, self.picker.language, parent=self,
                                             starter=self.start_call)
        entry = self.picker.current_entry()
        if entry is not None and not self.call_page.active:
            self.projector.select(entry.persona_id, entry.scenario_id)
        self.projector.show_on()

    def _build_language_menu(self, menu) -> None:
        """System / 中文 / English: language names in their own language, so anyone can find theirs."""
        group = QActionGroup(menu)
        for code, label in (("system", self.tr("&System language")), ("zh", "中文"), ("en", "English")):
            action = group.addAction(label)
            action.setCheckable(True)
            action.setChecked(self.settings.ui_language == code)
            action.setData(code)
            action.triggered.connect(lambda _=False, code=code: self.set_ui_language(code))
            menu.addAction(action)
        self.language_actions = group

    def _update_actions(self) -> None:
        page = self.stack.currentWidget()
        in_call = page is self.call_page and self.call_page.active
        self.start_action.setEnabled(page is self.picker and bool(self.picker.entries))
        self.pause_action.setEnabled(in_call)
        self.end_action.setEnabled(in_call)
        self.new_action.setEnabled(not in_call)
        self.settings_action.setEnabled(not in_call)
        self.trainee_action.setEnabled(not in_call)
        self.trainee_button.setEnabled(not in_call)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        """Space held = talking while push-to-talk is on, wherever the focus is except text being typed."""
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and event.key() == Qt.Key.Key_Space:
            if (isinstance(watched, QWidget) and watched.window() is self and self.push_to_talk_ready()
                    and self.call_page.space_talks(QApplication.focusWidget(),
                                                   event.type() == QEvent.Type.KeyRelease)):
                if not event.isAutoRepeat():
                    self.call_page.set_talking(event.type() == QEvent.Type.KeyPress)
                return True
        return super().eventFilter(watched, event)

    def push_to_talk_ready(self) -> bool:
        page = self.call_page
        return self.stack.currentWidget() is page and page.active and page.push_to_talk.isChecked()

    # ------------------------------------------------------------ the call

    @property
    def entries(self) -> list[PickerEntry]:
        return self.picker.entries

    def start_call(self, persona_id: str | None = None, scenario_id: str | None = None) -> None:
        if persona_id is None:
            entry = self.picker.current_entry()
            if entry is None:
                self.show_problem(self.tr("No persona files could be loaded."))
                return
            persona_id, scenario_id = entry.persona_id, entry.scenario_id
        if self.needs_trainee():    # the attempt is saved under a name: ask it first, then start
            self.ask_trainee(lambda: self.start_call(persona_id, scenario_id))
            return
        self.result_page.scorecard.release_audio()
        self.problems.clear()
        self.problems.hide()
        self.problem_messages.clear()
        persona = self.controller.persona(persona_id)
        self.last_pick = (persona_id, scenario_id or "")
        self.settings.last_persona, self.settings.last_scenario = self.last_pick
        self.call_page.begin(persona.language, self.settings.push_to_talk)
        self.call_page.show_connecting()
        self.stack.setCurrentWidget(self.call_page)
        self.controller.start_call(persona_id, scenario_id)
        self._update_actions()

    # ------------------------------------------------------------ the trainee

    def needs_trainee(self) -> bool:
        """No trainee yet while attempts can be saved: every attempt belongs to a named trainee."""
        store = self.controller.store
        return not self.controller.trainee() and store is not None and not store.read_only

    def ask_trainee(self, then: Callable[[], None] | None = None) -> None:
        """The trainee dialog, window-modal and not blocking; `then` runs once a trainee is chosen. Refused
        during a call: its attempt already belongs to the trainee who started it."""
        if self.call_page.active or self.controller.busy:
            self.show_problem(self.tr("End the call before switching the trainee."))
            return
        if self.trainee_dialog is not None:
            self.trainee_dialog.raise_()
            return
        dialog = TraineeDialog(self.settings.recent_trainees, self.controller.trainee(),
                               self.controller.trainee_group() or "", self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda result: self._trainee_answered(dialog, bool(result), then))
        self.trainee_dialog = dialog
        dialog.open()

    def _trainee_answered(self, dialog: TraineeDialog, accepted: bool, then: Callable[[], None] | None) -> None:
        self.trainee_dialog = None
        dialog.deleteLater()
        if accepted and self.switch_trainee(*dialog.chosen()) and then is not None:
            then()

    def switch_trainee(self, name: str, group: str = "") -> bool:
        """Make (name, group) the trainee of the next calls and save it; False when refused (during a call,
        or no name)."""
        try:
            self.controller.switch_trainee(name, group)
        except CallInProgress:
            self.show_problem(self.tr("End the call before switching the trainee."))
            return False
        except ValueError:
            self.show_problem(self.tr("Enter the trainee's name."))
            return False
        try:
            save_settings(self.settings)
        except SettingsError as exc:
            self.show_problem(problem_of(exc))
        self._show_trainee()
        self.refresh_attempts()
        return True

    def _show_trainee(self) -> None:
        name, group = self.controller.trainee(), self.controller.trainee_group() or ""
        self.trainee_button.show_trainee(name, group, self.settings.recent_trainees)
        title = self.tr("Difficult-customer call simulator")
        self.setWindowTitle(f"{title} — {shown_name(name, group)}" if name else title)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        """First shown without a trainee (first start, or settings from before trainee names): ask who it is."""
        super().showEvent(event)
        if not self._asked_at_start:
            self._asked_at_start = True
            if self.needs_trainee():
                QTimer.singleShot(0, lambda: self.needs_trainee() and self.ask_trainee())

    def _show_capabilities(self, caps: Capabilities) -> None:
        for message in caps.problems:
            self.show_problem(message)
        self.call_page.set_voice(caps.audio and caps.model_path is not None)
        if not caps.audio or caps.model_path is None:
            self.show_problem(self.tr("Voice replies are off: type your replies instead."))

    def end_call(self) -> None:
        """Esc, the End button and the menu: a call the customer has not ended yet is ended only once the
        trainee confirms it, since it is saved as ended early."""
        if not self.call_page.active:
            return
        if self.controller.ends_early:
            self.ask_end_early(self._end_now)
        else:
            self._end_now()

    def _end_now(self) -> None:
        if self.call_page.active:
            self.call_page.set_active(False)
            self.call_page.status.setText(self.tr("Scoring the call…"))
            self.controller.end_call()
            self._update_actions()

    def ask_end_early(self, then: Callable[[], None]) -> None:
        """Ask once (a second Esc brings the same question forward) and run `then` if the trainee ends the
        call. Window-modal and not blocking: the call goes on while the question is open."""
        if self.end_question is not None:
            self.end_question.raise_()
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("End the call?"),
                          self.tr("End the call? It will be saved as ended early."),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("endEarlyQuestion")
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        end = box.button(QMessageBox.StandardButton.Yes)
        end.setText(self.tr("End the call"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Keep talking"))
        box.finished.connect(lambda _: self._answered(box, box.clickedButton() is end, then))
        self.end_question = box
        box.open()

    def _answered(self, box: QMessageBox, end: bool, then: Callable[[], None]) -> None:
        self.end_question = None
        box.deleteLater()
        if end:
            then()

    def _close_now(self) -> None:
        self._confirmed_close = True
        self.close()

    def try_again(self) -> None:
        if self.last_pick is not None:
            self.start_call(*self.last_pick)

    def show_picker(self) -> None:
        if not self.call_page.active:
            self.result_page.scorecard.release_audio()
            self.stack.setCurrentWidget(self.picker)
            self.picker.tree.setFocus()

    def _show_result(self, outcome: CallOutcome | None) -> None:
        if self.controller.busy:       # a new call started before this one was scored: stay in it
            return
        if self.call_page.active:      # ended elsewhere (the projector), or cancelled while connecting
            self.call_page.set_active(False)
            self._update_actions()
        if outcome is None:
            self.show_picker()
            return
        self.result_page.scorecard.set_result(outcome.analysis, outcome.persona, outcome.audio)
        self.stack.setCurrentWidget(self.result_page)
        self.result_page.scorecard.retry_button.setFocus()

    def refresh_attempts(self) -> None:
        """Read the trainee's recent attempts off the GUI thread (a team database may be far away); a newer
        read replaces one still running."""
        self.jobs.run("recent", lambda _cancel: self.controller.recent_attempts(),
                      lambda attempts: self.picker.show_attempts(attempts), self._attempts_unreadable)

    def _attempts_unreadable(self, problem: str) -> None:
        """A damaged database: the app still opens and says why the list is empty."""
        self.picker.show_attempts([])
        self.show_problem(problem)

    def show_problem(self, message: str) -> None:
        """Add a line to the problems shown above the pages; a Message is shown in the interface language."""
        text = text_of(message)
        lines = [line for line in self.problems.text().split("\n") if line]
        if text not in lines:
            lines.append(text)
            self.problem_messages.append(message)
        self.problems.setText("\n".join(lines))
        self.problems.show()

    def set_ui_language(self, ui_language: str) -> None:
        """Save the interface language and rebuild pages and menus in it; not during a call."""
        if self.call_page.active:
            self.show_problem(self.tr("End the call before changing the interface language."))
            self._check_language_action()
            return
        self.settings.ui_language = ui_language
        try:
            save_settings(self.settings)
        except SettingsError as exc:
            self.show_problem(problem_of(exc))
        install_translator(QApplication.instance(), ui_language)
        entry, problems = self.picker.current_entry(), self.problem_messages
        projector_shown = self.projector is not None and self.projector.isVisible()
        if self.projector is not None:
            self.projector.close()
            self.projector.deleteLater()
        self.result_page.scorecard.release_audio()
        self.takeCentralWidget().deleteLater()
        self._build_ui(self.picker.language)
        if entry is not None:
            self.picker.select(entry.persona_id, entry.scenario_id)
        for message in problems:
            self.show_problem(message)
        self.refresh_attempts()
        self._update_actions()
        if projector_shown:
            self.open_projector()

    def _check_language_action(self) -> None:
        for action in self.language_actions.actions():
            action.setChecked(action.data() == self.settings.ui_language)

    def _language_changed(self, language: str) -> None:
        self.settings.persona_language = language
        self._update_actions()

    # ------------------------------------------------------------ other windows

    def open_review(self) -> None:
        from simulator.ui.review.review_window import open_review

        if self.controller.store is None:
            self.show_problem(self.tr("The attempts database is not available, so there is nothing to review."))
            return
        service = ReviewService(self.controller.store)
        # a first read in the background: a damaged database is said here, not in an empty review window
        self.jobs.run("review", lambda _cancel: service.listing({}, "started_at", True, 1),
                      lambda _count: setattr(self, "review_window", open_review(service, self, self.controller.trainee())),
                      self.show_problem)

    def open_settings(self) -> None:
        from simulator.ui.setup_wizard import SetupWizard

        self.result_page.scorecard.release_audio()   # the assistant re-reads the devices, closing open streams
        if SetupWizard(self.settings, parent=self).exec():
            fresh = load_settings()
            fresh.window_geometry = self.settings.window_geometry
            self.controller.settings = self.settings = fresh
            self._show_trainee()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.full_screen_action.setChecked(self.isFullScreen())

    # ------------------------------------------------------------ remembered state

    def _restore(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode("ascii")))
        persona, scenario = self.settings.last_persona, self.settings.last_scenario
        if persona and any(p.id == persona for p in self.controller.library.personas):
            chosen = self.controller.persona(persona)
            if chosen.language == self.picker.language:
                self.picker.select(persona, scenario or None)

    def save_state(self) -> None:
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        try:
            save_settings(self.settings)
        except SettingsError as exc:
            print(exc, file=sys.stderr)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if self.call_page.active and self.controller.ends_early and not self._confirmed_close:
            event.ignore()      # closed again once the trainee confirms
            self.ask_end_early(self._close_now)
            return
        self.jobs.wait()
        for task in self.background:
            task.wait()
        self.controller.end_call()
        self.controller.wait_finished()
        self.result_page.scorecard.release_audio()
        self.save_state()
        QApplication.instance().removeEventFilter(self)
        super().closeEvent(event)
