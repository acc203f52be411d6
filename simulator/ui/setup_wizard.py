"""First-run set-up assistant: speech model, microphone and speaker, echo check, the level of the trainee's
normal voice; saves the choices.

Every slow step (listing the devices, download, rendering the test phrase, playing it, the echo check, the
calibration recording, opening the microphone for the level meter) runs in a BackgroundTask so the window
stays responsive; the live input level is polled by a QTimer.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget,
    QWizard, QWizardPage,
)

from simulator.core.analysis.echo import EchoResult, HeadsetAdvice, headset_advice
from simulator.settings import Settings, SettingsError, save_settings
from simulator.speech.models import (
    ENV_MODEL, ModelError, check_model_dir, default_model, find_model, model_language,
)
from simulator.ui.background_task import BackgroundTask, Job
from simulator.ui.messages import text_of

LEVEL_FLOOR_DB = -60.0  # the meter's empty end; quieter than this is room noise
LEVEL_POLL_MS = 100
CALIBRATION_SECONDS = 5.0  # long enough for the shown sentence read at an ordinary pace


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def _button(text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


class ModelPage(QWizardPage):
    """Find the speech model for the customer's language, or download it, or take a folder the user picks."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self._settings = settings
        self.model_path: Path | None = None
        self.task: BackgroundTask | None = None
        self.setTitle(self.tr("Speech model"))
        self.setSubTitle(self.tr("Your spoken replies are recognised offline with a speech model for the "
                                 "customer's language."))
        self.language = QComboBox()
        self.language.addItem(self.tr("Chinese (Mandarin)"), "zh")
        self.language.addItem(self.tr("English"), "en")
        self.language.setCurrentIndex(max(0, self.language.findData(settings.persona_language)))
        self.language.setToolTip(self.tr("The language the customer speaks in role-plays"))
        self.status = QLabel(wordWrap=True)
        self.status.setObjectName("modelStatus")
        self.download_button = _button(self.tr("&Download"), self.tr("Download the recommended model for this "
                                                                      "language into the app's data folder"),
                                       self.start_download)
        self.cancel_button = _button(self.tr("&Cancel download"), self.tr("Stop the download; it resumes "
                                                                          "where it stopped next time"),
                                     self.cancel_download)
        self.cancel_button.setEnabled(False)
        self.choose_button = _button(self.tr("C&hoose folder…"), self.tr("Use a model folder already on this "
                                                                        "computer (the unpacked folder with am/ "
                                                                        "and conf/)"),
                                     self.choose_folder)
        self.progress = QProgressBar(minimum=0, maximum=100, visible=False)
        self.progress.setToolTip(self.tr("Download progress"))
        self.typed_only = QCheckBox(self.tr("&Typed replies only — set up voice later"), objectName="typedOnly")
        self.typed_only.setToolTip(self.tr("Go on without a speech model: you type your replies, the customer "
                                           "still speaks; the microphone and speaker can still be set up"))
        self.typed_only.toggled.connect(lambda _: self.completeChanged.emit())

        form = QFormLayout()
        label = QLabel(self.tr("Customer &language:"))
        label.setBuddy(self.language)
        form.addRow(label, self.language)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(_row(self.download_button, self.cancel_button, self.choose_button))
        layout.addWidget(self.progress)
        layout.addWidget(self.typed_only)
        layout.addStretch(1)
        self.language.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def current_language(self) -> str:
        return self.language.currentData()

    def isComplete(self) -> bool:
        return (self.model_path is not None or self.typed_only.isChecked()) and self.task is None

    def language_name(self, code: str) -> str:
        return {"zh": self.tr("Chinese"), "en": self.tr("English"), "ko": self.tr("Korean")}.get(code, code)

    def _with_warning(self, folder: Path, message: str) -> str:
        """The message, and a warning when the model is of another language than the customer's: it is
        taken (the user may know better), but its words would mostly be nonsense."""
        found, wanted = model_language(folder), self.current_language()
        if found is None or found == wanted:
            return message
        warning = (self.tr("Warning: this is a %1 speech model, but the customer speaks %2; spoken replies will "
                           "be recognised poorly. Choose or download a %2 model.")
                   .replace("%1", self.language_name(found)).replace("%2", self.language_name(wanted)))
        return message + "\n" + warning

    def refresh(self) -> None:
        """Look for an installed model of the selected language (settings, env vars, data folder)."""
        language = self.current_language()
        configured = self._settings.model_dirs.get(language)
        try:
            path = find_model(language, configured)
        except ModelError as exc:
            # A folder the user set deserves the reason it fails; a mere absence only needs the way out.
            asked = configured or os.environ.get(ENV_MODEL) or os.environ.get(f"{ENV_MODEL}_{language.upper()}")
            self._set_model(None, self.tr("No speech model for this language yet: download it, choose a "
                                          "folder, or go on with typed replies only.")
                            + ("\n" + text_of(exc) if asked else ""))
        else:
            self._set_model(path, self._with_warning(path, self.tr("Found the speech model in {folder}.")
                                                     .format(folder=path)))
        self._describe_download(language)

    def _describe_download(self, language: str) -> None:
        try:
            info = default_model(language)
        except ModelError as exc:
            self.download_button.setEnabled(False)
            self.download_button.setToolTip(text_of(exc))
            return
        self.download_button.setEnabled(self.task is None)
        self.download_button.setText(self.tr("&Download (%1)").replace("%1", info.size_text))

    def _set_model(self, path: Path | None, message: str) -> None:
        self.model_path = path
        self.status.setText(message)
        self.completeChanged.emit()

    def set_folder(self, folder: str | Path) -> bool:
        """Take a folder the user picked; a bad one gets a message saying what is missing."""
        try:
            check_model_dir(Path(folder))
        except ModelError as exc:
            self._set_model(None, text_of(exc))
            return False
        self._set_model(Path(folder), self._with_warning(Path(folder), self.tr("Using the speech model in {folder}.")
                                                         .format(folder=folder)))
        return True

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the unpacked speech model folder"))
        if folder:
            self.set_folder(folder)

    def start_download(self) -> None:
        from simulator.speech.models import download_model

        try:
            info = default_model(self.current_language())
        except ModelError as exc:
            self._set_model(None, text_of(exc))
            return
        task = BackgroundTask(lambda progress, cancel: download_model(info, None, progress, cancel), self)
        task.progressed.connect(self._show_progress)
        task.succeeded.connect(self._downloaded)
        task.failed.connect(self._download_failed)
        task.finished.connect(self._download_ended)
        self.task = task
        self._set_busy(True)
        self._set_model(None, self.tr("Downloading {name}…").format(name=info.name))
        task.start()

    def cancel_download(self) -> None:
        if self.task is not None:
            self.cancel_button.setEnabled(False)
            self.task.cancel()

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setValue(min(100, done * 100 // total) if total > 0 else 0)

    def _downloaded(self, path: Path) -> None:
        self.progress.setValue(100)
        self._set_model(Path(path), self.tr("Downloaded and checked the speech model: {folder}.").format(folder=path))

    def _download_failed(self, message: str) -> None:
        self._set_model(None, message)

    def _download_ended(self) -> None:
        self.task = None
        self._set_busy(False)
        self.completeChanged.emit()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy or self.progress.value() > 0)
        if busy:
            self.progress.setValue(0)
        for widget in (self.download_button, self.choose_button, self.language):
            widget.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    def stop(self) -> None:
        """Cancel a running download and wait for its thread (the wizard is closing)."""
        if self.task is not None:
            self.task.cancel()
            self.task.wait()


class DevicesPage(QWizardPage):
    """Microphone and speaker, with a live input level, a test phrase and an echo check."""

    def __init__(self, settings: Settings, language: Callable[[], str]) -> None:
        super().__init__()
        self._settings = settings
        self._language = language
        self.meter = None
        self.meter_task: BackgroundTask | None = None   # opening the meter's microphone
        self._closing: set[BackgroundTask] = set()       # stopped while opening: waited for before the page goes
        self._microphone_lock = threading.Lock()         # one job at a time opens the microphone
        self.level_db = LEVEL_FLOOR_DB
        self.echo: EchoResult | None = None
        self.baseline_db: float | None = None   # the trainee's normal voice, once calibrated here
        self.task: BackgroundTask | None = None
        self.audio_usable = False
        self.setTitle(self.tr("Microphone and speaker"))
        self.setSubTitle(self.tr("Pick the headset or devices you will use in calls. Speak to see the input "
                                 "level move."))
        self.microphone = QComboBox()
        self.microphone.setToolTip(self.tr("The device that records your voice"))
        self.speaker = QComboBox()
        self.speaker.setToolTip(self.tr("The device the customer's voice is played on"))
        self.level = QProgressBar(minimum=0, maximum=100, value=0, textVisible=False)
        self.level.setToolTip(self.tr("Live input level of the microphone"))
        self.level.setAccessibleName(self.tr("Input level"))
        self.play_button = _button(self.tr("&Play test phrase"), self.tr("Play a short phrase in the customer's "
                                                                         "voice on the selected speaker"),
                                   self.play_test_phrase)
        self.echo_button = _button(self.tr("Check for &echo"), self.tr("Play the phrase and listen whether the "
                                                                       "microphone picks it up"),
                                   self.check_echo)
        self.calibrate_button = _button(self.tr("Calibrate my normal &voice"),
                                        self.tr("Read the sentence aloud at your normal voice: the loudness "
                                                "meter in calls compares you with it"),
                                        self.calibrate)
        self.sentence = QLabel(self.tr("Good morning, thank you for calling. How can I help you today?"),
                               wordWrap=True, objectName="calibrationSentence")
        self.result = QLabel(wordWrap=True)
        self.result.setObjectName("deviceResult")
        self.result.setMinimumHeight(4 * self.result.fontMetrics().lineSpacing())  # wrapped text is not clipped
        self.timer = QTimer(self, interval=LEVEL_POLL_MS)
        self.timer.timeout.connect(self._poll_level)

        form = QFormLayout()
        for text, widget in ((self.tr("&Microphone:"), self.microphone), (self.tr("&Speaker:"), self.speaker),
                             (self.tr("Input level:"), self.level)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(_row(self.play_button, self.echo_button))
        layout.addLayout(_row(self.calibrate_button, self.sentence))
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.microphone.currentIndexChanged.connect(self._restart_meter)
        self.microphone.currentIndexChanged.connect(self._forget_calibration)

    def _fill(self, combo: QComboBox, names: list[str], wanted: str | None) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("System default"), None)
        for name in names:
            combo.addItem(name, name)
        combo.setCurrentIndex(max(0, combo.findData(wanted)) if wanted is not None else 0)
        combo.blockSignals(False)

    def initializePage(self) -> None:
        """List the devices on a worker thread (PortAudio re-initialises, which can take a while)."""
        from simulator.speech.device_check import list_all_devices

        self._stop_meter()
        self.audio_usable = False
        self._run(lambda _progress, _cancel: list_all_devices(), self.tr("Looking for microphones and speakers…"),
                  self._listed)
        assert self.task is not None
        self.task.failed.connect(self._not_listed)

    def _listed(self, devices: tuple[list[str], list[str]]) -> None:
        inputs, outputs = devices
        self._fill(self.microphone, inputs, self.input_device() or self._settings.input_device)
        self._fill(self.speaker, outputs, self.output_device() or self._settings.output_device)
        self.audio_usable = True
        self.result.clear()

    def _not_listed(self, message: str) -> None:
        self._fill(self.microphone, [], None)
        self._fill(self.speaker, [], None)
        self._set_audio_usable(False, message)

    def _set_audio_usable(self, usable: bool, message: str) -> None:
        self.audio_usable = usable
        for widget in (self.microphone, self.speaker, self.play_button, self.echo_button, self.calibrate_button):
            widget.setEnabled(usable)
        self.result.setText(message)

    def shown(self, current: bool) -> None:
        """The wizard moved to (current=True) or away from this page: run the meter only while it is shown."""
        if not current:
            self._stop_meter()
        elif self.meter is None and self.meter_task is None and self.task is None and self.audio_usable:
            self._restart_meter()

    def validatePage(self) -> bool:
        return self.task is None

    def isComplete(self) -> bool:
        return self.task is None

    def input_device(self) -> str | None:
        return self.microphone.currentData()

    def output_device(self) -> str | None:
        return self.speaker.currentData()

    def _restart_meter(self) -> None:
        """Open the microphone on a worker thread: a PulseAudio capture stream takes up to seconds to settle.
        The bar shows "…" until the meter runs; a meter stopped meanwhile is closed by its own worker."""
        from simulator.speech.device_check import InputLevel

        self._stop_meter()
        device, lock = self.input_device(), self._microphone_lock

        def job(_progress, cancel: threading.Event) -> InputLevel | None:
            with lock:
                meter = InputLevel(device)
                meter.start()
                if cancel.is_set():
                    meter.stop()
                    return None
                return meter

        task = BackgroundTask(job, self)
        task.succeeded.connect(lambda meter: self._meter_opened(task, meter))
        task.failed.connect(lambda message: self._meter_failed(task, message))
        task.finished.connect(lambda: self._closing.discard(task))
        self.meter_task = task
        self.level.setFormat("…")
        self.level.setTextVisible(True)
        task.start()

    def _meter_opened(self, task: BackgroundTask, meter) -> None:
        if task is not self.meter_task:   # stopped while it opened, but the cancel came too late
            if meter is not None:
                meter.stop()
            return
        self.meter_task = None
        self.level.setTextVisible(False)
        self.meter = meter
        self.timer.start()

    def _meter_failed(self, task: BackgroundTask, message: str) -> None:
        if task is self.meter_task:
            self.meter_task = None
            self.level.setTextVisible(False)
            self.result.setText(message)

    def _stop_meter(self) -> None:
        self.timer.stop()
        task, self.meter_task = self.meter_task, None
        if task is not None:
            task.cancel()
            self._closing.add(task)
        meter, self.meter = self.meter, None
        if meter is not None:
            meter.stop()
        self.level.setTextVisible(False)
        self.level.setValue(0)

    def _poll_level(self) -> None:
        if self.meter is None:
            return
        if self.meter.error:
            self.result.setText(text_of(self.meter.error))
            self._stop_meter()
            return
        self.level_db = max(self.meter.poll(), LEVEL_FLOOR_DB)
        self.level.setValue(round(100 * (self.level_db - LEVEL_FLOOR_DB) / -LEVEL_FLOOR_DB))

    def play_test_phrase(self) -> None:
        from simulator.speech.device_check import play_phrase, render_test_phrase

        language, speaker = self._language(), self.output_device()

        def job(_progress, cancel) -> None:
            samples, rate = render_test_phrase(language)
            play_phrase(samples, rate, speaker, cancel)

        self._run(job, self.tr("Playing the test phrase…"),
                  lambda _: self.result.setText(self.tr("Did you hear the phrase clearly? If not, pick another "
                                                        "speaker or turn up the volume.")))

    def check_echo(self) -> None:
        from simulator.speech.device_check import check_echo, render_test_phrase

        language, microphone, speaker = self._language(), self.input_device(), self.output_device()
        lock = self._microphone_lock

        def job(_progress, _cancel) -> EchoResult:
            samples, rate = render_test_phrase(language)
            with lock:
                return check_echo(samples, rate, microphone, speaker)

        self._stop_meter()  # some devices cannot be opened twice
        self._run(job, self.tr("Checking for echo: stay quiet while the phrase plays…"), self._show_echo)

    def _show_echo(self, echo: EchoResult) -> None:
        self.echo = echo
        self.result.setText(self.describe_echo(echo))

    def describe_echo(self, echo: EchoResult) -> str:
        advice = headset_advice(echo)
        if advice is HeadsetAdvice.NONE:
            return self.tr("No echo: the microphone does not pick up the customer's voice.")
        text = self.tr("Echo found: the microphone picks up the customer's voice ({delay} ms later, {level} dB).")
        text = text.format(delay=round(1000 * (echo.delay_s or 0.0)), level=round(echo.level_db or 0.0))
        if advice is HeadsetAdvice.NEEDED:
            return text + " " + self.tr("Use a headset, otherwise the customer's voice is taken for yours.")
        return text + " " + self.tr("It is faint; a headset is still recommended.")

    def calibrate(self) -> None:
        """Record the trainee reading the sentence and measure the level of the voiced part."""
        from simulator.core.calibration import active_speech_level
        from simulator.speech.device_check import record_voice

        microphone, lock = self.input_device(), self._microphone_lock

        def job(_progress, cancel) -> float | None:
            with lock:
                samples, rate = record_voice(CALIBRATION_SECONDS, microphone, cancel)
            return active_speech_level(samples, rate)

        self._stop_meter()  # some devices cannot be opened twice
        self._run(job, self.tr("Recording: read the sentence aloud at your normal voice…"), self._calibrated)

    def _calibrated(self, level: float | None) -> None:
        self.baseline_db = level
        self.result.setText(self.describe_calibration(level))

    def describe_calibration(self, level: float | None) -> str:
        if level is None:
            return self.tr("Too little speech was heard: read the sentence aloud at your normal voice, then "
                           "try again.")
        return self.tr("Your normal voice: {level} dBFS. The loudness meter in calls is measured against "
                       "it.").format(level=round(level, 1))

    def _forget_calibration(self) -> None:
        """A level measured with another microphone says nothing about this one."""
        self.baseline_db = None

    def _run(self, job: Job, busy_text: str, on_success: Callable[[object], None]) -> None:
        task = BackgroundTask(job, self)
        task.succeeded.connect(on_success)
        task.failed.connect(self.result.setText)
        task.finished.connect(self._task_ended)
        self.task = task
        for widget in (self.play_button, self.echo_button, self.calibrate_button, self.microphone, self.speaker):
            widget.setEnabled(False)
        self.result.setText(busy_text)
        self.completeChanged.emit()
        task.start()

    def _task_ended(self) -> None:
        self.task = None
        for widget in (self.play_button, self.echo_button, self.calibrate_button, self.microphone, self.speaker):
            widget.setEnabled(self.audio_usable)
        if self.meter is None and self.meter_task is None and self.isVisible() and self.audio_usable:
            self._restart_meter()
        self.completeChanged.emit()

    def stop(self) -> None:
        """Stop the meter and wait for a running check (the page is left or the wizard closes)."""
        if self.task is not None:
            self.task.cancel()
            self.task.wait()
        self._stop_meter()
        for task in list(self._closing):
            task.wait()


class SummaryPage(QWizardPage):
    """What will be saved; Finish writes the settings file."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Ready"))
        self.setSubTitle(self.tr("These choices are saved when you press Finish."))
        self.summary = QLabel(wordWrap=True)
        self.summary.setObjectName("summary")
        self.error = QLabel(wordWrap=True)
        self.error.setObjectName("saveError")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def initializePage(self) -> None:
        chosen = self._wizard.chosen_settings()
        default = self.tr("system default")
        lines = [
            self.tr("Customer language: {language}").format(language=self._wizard.model_page.language.currentText()),
            self._model_line(chosen),
            self.tr("Microphone: {device}").format(device=chosen.input_device or default),
            self.tr("Speaker: {device}").format(device=chosen.output_device or default),
        ]
        echo = self._wizard.devices_page.echo
        if echo is not None:
            lines.append(self._wizard.devices_page.describe_echo(echo))
        if chosen.baseline_loudness_db is not None:
            lines.append(self._wizard.devices_page.describe_calibration(chosen.baseline_loudness_db))
        self.summary.setText("\n".join(lines))
        self.error.clear()

    def _model_line(self, chosen: Settings) -> str:
        folder = chosen.model_dirs.get(chosen.persona_language, "")
        if self._wizard.model_page.model_path is None and self._wizard.model_page.typed_only.isChecked():
            return self.tr("Speech model: none yet — typed replies only (Settings… sets up voice later)")
        return self.tr("Speech model: {folder}").format(folder=folder)

    def validatePage(self) -> bool:
        try:
            self._wizard.save()
        except SettingsError as exc:
            self.error.setText(text_of(exc))
            return False
        return True


class SetupWizard(QWizard):
    """The first-run assistant; after Finish, `settings` holds what was saved to `settings_file`."""

    def __init__(self, settings: Settings, settings_file: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.settings_file = settings_file
        self.saved_to: Path | None = None
        self.setWindowTitle(self.tr("Set-up assistant"))
        self.setMinimumSize(640, 460)
        self.model_page = ModelPage(settings)
        self.devices_page = DevicesPage(settings, self.model_page.current_language)
        self.summary_page = SummaryPage(self)
        for page in (self.model_page, self.devices_page, self.summary_page):
            self.addPage(page)
        self.currentIdChanged.connect(lambda _id: self.devices_page.shown(self.currentPage() is self.devices_page))

    def chosen_settings(self) -> Settings:
        language = self.model_page.current_language()
        model_dirs = dict(self.settings.model_dirs)
        if self.model_page.model_path is not None:
            model_dirs[language] = str(self.model_page.model_path)
        microphone = self.devices_page.input_device()
        baseline = self.devices_page.baseline_db
        if baseline is None and microphone == self.settings.input_device:
            baseline = self.settings.baseline_loudness_db   # kept until recalibrated, unless the microphone changed
        return dataclasses.replace(
            self.settings, persona_language=language, model_dirs=model_dirs,
            input_device=microphone, output_device=self.devices_page.output_device(),
            baseline_loudness_db=baseline, setup_done=True, load_warnings=[])

    def save(self) -> Path:
        """Write the chosen settings. Raises SettingsError."""
        chosen = self.chosen_settings()
        self.saved_to = save_settings(chosen, self.settings_file)
        self.settings = chosen
        return self.saved_to

    def done(self, result: int) -> None:
        self.model_page.stop()
        self.devices_page.stop()
        super().done(result)
