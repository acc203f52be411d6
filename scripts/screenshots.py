"""Drive the real app through every screen in Chinese and English and save a PNG of each.

Run by scripts/screenshots.sh (Xvfb, temporary data and config folders). Calls are typed (no microphone
needed) but the customer speaks through the real espeak-ng renderer; the attempts go into a temporary
database so that the review window has something to show. A private PulseAudio server (the tests' one)
gives the set-up assistant a microphone and speaker to list. Writes <out>/<screen>_<zh|en>.png."""

from __future__ import annotations

import contextlib
import os
import sys
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
TRAINEE = {"zh": "张三", "en": "Alex Smith"}
# A caring reply, then a taboo phrase, so the call screen shows a marker and the scorecard both sides.
REPLIES = {
    "zh": ["王先生，我非常理解您的心情，家里老人生病了，换了谁都着急。", "这不是我们的问题。"],
    "en": ["I completely understand how worrying this is, with someone ill at home and no proper heating.",
           "Well, that's not our problem."],
}
TYPED = Capabilities(audio=False, model_path=None, problems=())
MAIN_SIZE = (1280, 820)


class ScreenshotError(RuntimeError):
    """A screen did not reach the expected state; str() says which."""


def run_events(seconds: float = 0.05) -> None:
    """Let the event loop run for a while. (Never QApplication.processEvents() in a loop: some PySide6
    versions leak a reference to None on each call, see tests/test_qt_refcounts.py.)"""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def wait(condition: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise ScreenshotError(f"timed out waiting for {what}")
        run_events()


class Shooter:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.saved: list[Path] = []

    def save(self, widget: QWidget, screen: str, language: str) -> None:
        run_events(0.4)   # layouts, fonts and charts settle
        path = self.out / f"{screen}_{language}.png"
        if not widget.grab().save(str(path)):
            raise ScreenshotError(f"could not write {path}")
        self.saved.append(path)


def setup_assistant(shooter: Shooter, language: str, work: Path) -> None:
    """Each page of the first-run assistant, shown directly (the model page needs a model to go on)."""
    from simulator.ui.setup_wizard import SetupWizard

    wizard = SetupWizard(Settings(persona_language=language), settings_file=work / f"wizard-{language}.json")
    wizard.resize(780, 560)
    for screen, page in (("setup_model", wizard.model_page), ("setup_devices", wizard.devices_page),
                         ("setup_summary", wizard.summary_page)):
        wizard.setStartId(next(i for i in wizard.pageIds() if wizard.page(i) is page))
        wizard.restart()
        wizard.show()
        wait(lambda: wizard.currentPage() is page, f"the {screen} page")
        shooter.save(wizard, screen, language)
    wizard.reject()
    wizard.deleteLater()


def one_call(shooter: Shooter, window: MainWindow, language: str) -> None:
    """Picker, a call with a marker (trainee window and projector), and the scorecard."""
    if not window.picker.select(PERSONA[language]):
        raise ScreenshotError(f"persona {PERSONA[language]} is not in the picker")
    shooter.save(window, "picker", language)
    window.open_projector()
    projector = window.projector
    window.activateWindow()
    window.start_call()
    page = window.call_page
    wait(lambda: page.transcript.count() >= 1, "the customer's first line")
    for text in REPLIES[language]:
        count = page.transcript.count()
        page.reply.setText(text)
        page.send_reply()
        wait(lambda: page.transcript.count() >= count + 2 or window.controller.call is None, "the customer's answer")
    wait(lambda: page.markers.count() >= 1, "a marker on the call page", 10)
    projector.mark_moment()
    run_events(1.5)   # a few meter polls
    shooter.save(window, "call", language)
    shooter.save(projector, "projector", language)
    window.end_call()
    wait(lambda: window.result_page.isVisible(), "the scorecard", 120)
    stored = LANGUAGES.index(language) + 1
    wait(lambda: window.controller.store.count_attempts() >= stored, "the stored attempt")
    shooter.save(window, "result", language)
    projector.close()
    window.show_picker()


def review(shooter: Shooter, window: MainWindow, language: str) -> None:
    from simulator.ui.review.review_window import open_review

    reviewer = open_review(parent=window, store=window.controller.store)
    reviewer.resize(*MAIN_SIZE)
    model = reviewer.model
    wait(lambda: model.rowCount() >= len(LANGUAGES), "the attempts list")
    reviewer.table.selectRow(next(r for r in range(model.rowCount()) if model.attempt(r).trainee == TRAINEE[language]))
    wait(lambda: reviewer.detail.analysis is not None, "the analysed attempt", 120)
    shooter.save(reviewer, "review", language)
    reviewer.close()


@contextlib.contextmanager
def virtual_audio(root: Path) -> Iterator[None]:
    """Virtual microphone and speaker while the screens are taken (none when PulseAudio is missing)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.pulse import pulse_session, pulseaudio_missing

    if (missing := pulseaudio_missing()) is not None:
        print(f"screenshots: no virtual audio devices: {missing}", file=sys.stderr)
        yield
        return
    yield from pulse_session(root)


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    data = Path(os.environ["ROLEPLAY_SIM_DATA"])   # a temporary folder: see scripts/screenshots.sh
    with virtual_audio(data / "pulse"):
        return take_all(out, data)


def take_all(out: Path, data: Path) -> int:
    app = QApplication(sys.argv)
    if warning := ensure_cjk_font():
        print(warning, file=sys.stderr)
    store = open_store(f"sqlite:///{data / 'attempts.db'}", data / "recordings")
    shooter = Shooter(out)
    windows: dict[str, MainWindow] = {}
    for language in LANGUAGES:
        install_translator(app, language)
        setup_assistant(shooter, language, data)
        settings = Settings(ui_language=language, persona_language=language, trainee_name=TRAINEE[language],
                            setup_done=True)
        controller = CallController(renderer=SpeechRenderer(data / "tts"), capabilities=TYPED, store=store,
                                    settings=settings)
        window = MainWindow(controller, language)
        window.resize(*MAIN_SIZE)
        window.show()
        one_call(shooter, window, language)
        windows[language] = window
    for language in LANGUAGES:  # after both calls: the list holds two attempts
        install_translator(app, language)
        review(shooter, windows[language], language)
    for window in windows.values():
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
