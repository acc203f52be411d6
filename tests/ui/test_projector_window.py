"""The facilitator's projector view driven through the real controller, as a facilitator would: keys only."""

from __future__ import annotations

import time

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.facilitation import (
    MIN_CONTRAST, MOMENTS_KEY, READING_ARCMIN, TEXT_COLOURS, contrast_ratio, visual_arcmin,
)
from simulator.core.live_meters import LiveMeters, meter_bands
from simulator.settings import Settings
from simulator.speech.tts import SpeechRenderer
from simulator.ui.call_controller import CallController, Capabilities
from simulator.ui.projector_window import TRANSCRIPT_LINES, ProjectorWindow

TYPED_ONLY = Capabilities(audio=False, model_path=None, problems=())
NAME = "张三"
CALMING = "王先生，我非常理解您的心情，家里老人生病了，换了谁都着急。"


@pytest.fixture(scope="module")
def tts_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("tts")


def _projector(qtbot, controller: CallController, language: str = "zh") -> ProjectorWindow:
    win = ProjectorWindow(controller, language)
    qtbot.addWidget(win)
    win.resize(1600, 900)
    with qtbot.waitActive(win):
        win.show()
        win.activateWindow()
    return win


@pytest.fixture
def controller(tts_dir, store):
    ctl = CallController(renderer=SpeechRenderer(tts_dir), capabilities=TYPED_ONLY, store=store,
                         settings=Settings(trainee_name=NAME))
    yield ctl
    ctl.end_call()


@pytest.fixture
def projector(qtbot, controller):
    return _projector(qtbot, controller)


def _choose(win: ProjectorWindow, persona_id: str) -> None:
    assert win.select(persona_id)
    assert win.entries[win.chooser.currentIndex()].persona_id == persona_id


def _start(qtbot, win: ProjectorWindow, persona_id: str, key=Qt.Key.Key_S, modifier=Qt.KeyboardModifier.NoModifier):
    _choose(win, persona_id)
    qtbot.keyClick(win, key, modifier)
    qtbot.waitUntil(lambda: win.call is not None and bool(win.lines), timeout=30000)


def _reply(qtbot, win: ProjectorWindow, text: str) -> None:
    count = len(win.lines)
    win.controller.send_text(text)
    qtbot.waitUntil(lambda: len(win.lines) >= count + 2, timeout=30000)


def _texts(win: ProjectorWindow) -> list[str]:
    """Every piece of text the window shows or tells (title, labels, chooser items, tooltips)."""
    out = [win.windowTitle()] + [a.toolTip() for a in win.actions()]
    for widget in win.findChildren(QWidget):
        out.append(widget.toolTip())
        if isinstance(widget, QLabel):
            out.append(widget.text())
        elif isinstance(widget, QComboBox):
            out += [widget.itemText(i) for i in range(widget.count())]
    return out


def test_typed_call_shows_lines_by_role_and_the_mood_follows(qtbot, projector) -> None:
    moods: list[float] = []
    projector.controller.bridge.customerSaid.connect(lambda _t, mood, _s, _e: moods.append(mood))
    _start(qtbot, projector, "zh.angry_threatening", Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    session = projector.call.session
    opening = session.timeline.turns[0].text
    assert projector.customer_line.text() == opening
    assert projector.mood.value() == round(moods[-1]) == round(session.mood) and projector.mood.value() >= 50
    assert projector.mood_value.text() == str(round(moods[-1]))
    assert not projector.chooser.isVisible() and "In call" in projector.status.text()
    assert "Voice replies are off" in projector.message.text()
    _reply(qtbot, projector, CALMING)
    _reply(qtbot, projector, "真的很抱歉让您和家人受冻了，我现在马上给您派维修师傅，今天下午三点前到。")
    last_customer = session.timeline.by("customer")[-1].text
    assert projector.customer_line.text() == last_customer != opening
    shown = projector.transcript.text()
    assert f"Trainee:</b> {CALMING}" in shown
    assert shown.endswith(f"{session.timeline.by('trainee')[-1].text}</p>")   # the current line is above, not here
    assert f"Customer:</b> {session.timeline.by('customer')[-2].text}" in shown
    assert shown.count("<p>") == TRANSCRIPT_LINES                    # only the last few lines
    assert projector.mood.value() == round(moods[-1]) < round(moods[0])      # calmer, and the bar shows it
    assert projector.mood_band.text() in ("calm", "annoyed", "angry")


def test_no_trainee_name_on_screen_even_when_the_trainee_says_it(qtbot, projector) -> None:
    _start(qtbot, projector, "zh.stubborn")
    _reply(qtbot, projector, f"您好，我是{NAME}，很高兴为您服务。")
    projector.mark_moment()
    assert any("•••" in t for t in _texts(projector))             # the line is shown, masked
    assert not [t for t in _texts(projector) if NAME in t]
    assert f"我是{NAME}" in projector.call.session.timeline.by("trainee")[-1].text   # the record keeps it


def test_a_long_title_ends_in_an_ellipsis_and_partial_words_show_large_and_dim(qtbot, projector) -> None:
    projector.resize(800, 900)                                  # a tall narrow screen: large text, little room
    qtbot.waitUntil(lambda: projector.width() == 800, timeout=5000)
    _start(qtbot, projector, "zh.habitual_complainer")
    title = projector.title
    title.setText(title.text() * 3)                             # more than two lines of it
    shown = title.shown_text()
    assert shown != title.text() and shown.endswith("…") and shown.count("\n") == 1   # two lines, then cut
    assert "".join(title.text().split()).startswith("".join(shown.split())[:-1])
    assert all(title.fontMetrics().horizontalAdvance(line) <= title.contentsRect().width()
               for line in shown.split("\n"))

    projector.controller.bridge.partial(f"您好我是{NAME}")      # what the recogniser hears while the trainee talks
    partial = projector.partial
    assert partial.isVisible() and partial.text() == "您好我是•••"
    assert partial.font().pixelSize() >= projector.customer_line.font().pixelSize() and partial.font().italic()
    partial.ensurePolished()
    assert partial.palette().color(QPalette.ColorRole.WindowText).name() == TEXT_COLOURS["muted"]
    _reply(qtbot, projector, CALMING)
    assert partial.text() == ""                                  # the final words replace it


def test_without_a_trainee_name_the_login_name_is_not_masked(qtbot, tts_dir, store, monkeypatch) -> None:
    for variable in ("LOGNAME", "USER"):
        monkeypatch.setenv(variable, "ed")          # a login that is also an English word ending
    controller = CallController(renderer=SpeechRenderer(tts_dir), capabilities=TYPED_ONLY,   # nothing stored:
                                settings=Settings(trainee_name=""))                     # no name needed
    try:
        win = _projector(qtbot, controller, "en")
        _start(qtbot, win, "en.stubborn")
        said = "I checked what Ed noted: you called on Monday."
        _reply(qtbot, win, said)
        assert f"Trainee:</b> {said}" in win.transcript.text()
    finally:
        controller.end_call()


def test_keys_pause_mark_and_end_and_the_moment_is_saved(qtbot, projector) -> None:
    _start(qtbot, projector, "zh.insulting")
    call = projector.call
    qtbot.keyClick(projector, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: call.paused and "Paused" in projector.status.text(), timeout=5000)
    qtbot.keyClick(projector, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: not call.paused and len(projector.lines) == 2, timeout=5000)   # the line repeated
    _reply(qtbot, projector, CALMING)
    before = call.clock.now()
    qtbot.keyClick(projector, Qt.Key.Key_M)
    after = call.clock.now()
    assert len(projector.moments) == 1
    moment = projector.moments[0]
    shown = call.session.timeline.turns[-1]             # the customer's answer, on screen when M was pressed
    assert before < shown.start                         # a typed call's timeline runs ahead of its clock ...
    assert shown.start <= moment.time <= max(shown.start, after)    # ... and the moment is on the timeline
    assert moment.note == shown.text == projector.customer_line.text()
    assert "(1)" in projector.moments_label.text() and "★" in projector.moments_label.text()
    qtbot.keyClick(projector, Qt.Key.Key_E)
    assert projector.controller.call is None and "ended" in projector.status.text()
    store = projector.controller.store
    qtbot.waitUntil(lambda: store.count_attempts() == 1 and store.list_attempts()[0].status == "complete",
                    timeout=60000)
    saved = store.get_attempt(store.list_attempts()[0].id).timeline[MOMENTS_KEY]
    assert saved == [{"time": pytest.approx(moment.time, abs=1e-3), "note": moment.note}]
    qtbot.keyClick(projector, Qt.Key.Key_M)
    assert len(projector.moments) == 1 and "No call" in projector.message.text()


def test_escape_ends_the_call_and_replay_without_recording_says_so(qtbot, projector) -> None:
    _start(qtbot, projector, "zh.stubborn")
    qtbot.keyClick(projector, Qt.Key.Key_R)
    assert "no recording" in projector.message.text().lower()
    assert not projector.call.paused
    qtbot.keyClick(projector, Qt.Key.Key_Escape)
    assert projector.controller.call is None and projector.chooser.isVisible()


def test_a_call_ended_in_the_trainee_window_shows_as_ended(qtbot, projector) -> None:
    _start(qtbot, projector, "zh.stubborn")
    projector.controller.end_call()        # what the trainee's End button does
    qtbot.waitUntil(lambda: "ended" in projector.status.text(), timeout=5000)
    assert projector.chooser.isVisible() and not projector.title.isVisible()


def test_the_chooser_starts_on_the_last_customer_and_lists_both_languages(qtbot, controller) -> None:
    controller.settings.last_persona, controller.settings.last_scenario = "en.insulting", ""
    win = _projector(qtbot, controller, "zh")
    assert win.entries[win.chooser.currentIndex()].persona_id == "en.insulting"
    languages = [e.persona_id.split(".")[0] for e in win.entries]
    assert languages[0] == "zh" and "en" in languages and languages == sorted(languages, reverse=True)
    assert win.chooser.count() == len(win.entries) >= 8


def test_f11_toggles_full_screen_and_ctrl_w_closes(qtbot, projector) -> None:
    assert not projector.isFullScreen()
    qtbot.keyClick(projector, Qt.Key.Key_F11)
    qtbot.waitUntil(projector.isFullScreen, timeout=5000)
    qtbot.keyClick(projector, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not projector.isFullScreen(), timeout=5000)
    qtbot.keyClick(projector, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert not projector.isVisible()


def test_show_on_fills_the_screen_it_is_given(qtbot, projector) -> None:
    screens = QGuiApplication.screens()
    projector.show_on()            # one screen here: the primary
    qtbot.waitUntil(projector.isFullScreen, timeout=5000)
    assert projector.screen() is QGuiApplication.primaryScreen()
    projector.show_on(screens[-1])
    assert projector.screen() is screens[-1]
    assert projector.geometry() == screens[-1].geometry()


@pytest.mark.parametrize("height", [600, 1080])
def test_font_sizes_follow_the_window_height_and_read_from_ten_metres(qtbot, projector, height) -> None:
    projector.resize(1600, height)
    qtbot.waitUntil(lambda: projector.height() == height, timeout=5000)
    customer = projector.customer_line.font().pixelSize()
    assert customer >= 0.04 * height
    checks = {projector.customer_line: "customer", projector.mood_value: "meter",
              projector.transcript: "transcript", projector.help: "label", projector.status: "label"}
    for widget, role in checks.items():
        assert visual_arcmin(widget.font().pixelSize(), height) >= READING_ARCMIN[role], widget.objectName()
    assert projector.mood_value.font().pixelSize() > customer > projector.help.font().pixelSize() >= 0.03 * height


def test_text_is_high_contrast_on_black(qtbot, projector) -> None:
    bands = meter_bands(load_thresholds(), "zh")
    pace_ok = (bands["pace"].low + bands["pace"].high) / 2
    projector.show_meters(LiveMeters(3.0, True, pace_ok, bands["loudness"].high + 4.0, None, bands))
    background = projector.palette().color(QPalette.ColorRole.Window).name()
    assert contrast_ratio(background, "#000000") == pytest.approx(1.0)
    labels = [w for w in projector.findChildren(QLabel) if w.isVisible()]
    assert len(labels) >= 10
    for label in labels:
        label.ensurePolished()
        colour = label.palette().color(QPalette.ColorRole.WindowText).name()
        assert contrast_ratio(colour, background) >= MIN_CONTRAST, (label.objectName(), colour)
    values = projector.meter_values
    assert values["pace"].text().endswith("✓") and TEXT_COLOURS["in_band"] in values["pace"].styleSheet()
    assert values["loudness"].text().startswith("+") and values["loudness"].text().endswith("▲")
    assert TEXT_COLOURS["out_of_band"] in values["loudness"].styleSheet()
    assert values["pitch"].text() == "—"


@pytest.mark.parametrize("language,persona,reply", [
    ("zh", "zh.angry_threatening", CALMING),
    ("en", "en.stubborn", "I see. Let me check what our policy says about that."),
])
def test_screenshots(qtbot, controller, language, persona, reply) -> None:
    win = _projector(qtbot, controller, language)
    win.resize(1920, 1080)
    _choose(win, persona)
    qtbot.wait(50)
    assert win.grab().save(f"/tmp/projector_{language}_idle.png")
    _start(qtbot, win, persona)
    _reply(qtbot, win, reply)
    win.mark_moment()
    win.timer.stop()            # typed call: no live meters; show sample readings instead
    bands = meter_bands(load_thresholds(), language)
    win.show_meters(LiveMeters(12.0, True, bands["pace"].high * 1.3, 1.0, -2.0, bands))
    qtbot.wait(50)
    path = f"/tmp/projector_{language}.png"
    assert win.grab().save(path)
    image = win.grab().toImage()
    assert image.height() == 1080 and image.pixelColor(2, 2).name() == "#000000"
    assert win.mood.height() >= 0.06 * 1080            # the mood bar is big enough to see from the back


def test_replay_plays_the_last_exchange_from_the_live_recording(qtbot, tmp_path, tts_dir, store, pulse) -> None:
    from simulator.speech.resample import resample
    from simulator.speech.tts import load_audio
    from tests.pulse import RATE, best_lag

    controller = CallController(renderer=SpeechRenderer(tts_dir), store=store, settings=Settings(trainee_name=NAME),
                                capabilities=Capabilities(audio=True, model_path=None, problems=()))
    win = _projector(qtbot, controller)
    try:
        _start(qtbot, win, "zh.stubborn")
        call = win.call
        opening = call.session.timeline.turns[0]
        qtbot.waitUntil(lambda: not call.player.is_playing(), timeout=30000)
        partial = call.recorder.partial_path
        qtbot.waitUntil(lambda: partial.exists() and sf.info(partial).duration > opening.end + 0.3, timeout=10000)
        recorder = pulse.record(pulse.speaker_monitor, tmp_path / "replay.wav")
        try:
            time.sleep(0.3)
            qtbot.keyClick(win, Qt.Key.Key_R)
            assert call.paused                                   # replay pauses the live call
            assert "Replaying" in win.message.text()
            qtbot.waitUntil(lambda: not win.clip_player.is_playing(), timeout=30000)
            time.sleep(0.3)
        finally:
            pulse.stop_recording(recorder)
        captured, rate = sf.read(tmp_path / "replay.wav", dtype="float32")
        assert rate == RATE
        spoken, spoken_rate = load_audio(controller.renderer.render(opening.text, call.session.persona.voice).path)
        reference = resample(resample(np.asarray(spoken, np.float32), spoken_rate, 16000), 16000, RATE)
        lag, similarity = best_lag(reference, captured)
        assert similarity > 0.6, f"the replay does not sound like the customer's opening ({similarity:.2f})"
        assert win.clip_player.position() == pytest.approx(min(opening.end + 0.25, win.clip_player.duration), abs=0.1)
        qtbot.keyClick(win, Qt.Key.Key_E)                       # after the call: from the finished recording
        qtbot.waitUntil(lambda: win.recording is not None, timeout=60000)
        assert win.recording.suffix == ".flac" and win.recording.exists()
        win.message.clear()
        qtbot.keyClick(win, Qt.Key.Key_R)
        assert "Replaying" in win.message.text() and win.clip_player.is_playing()
        assert win.clip_player.duration >= opening.end
    finally:
        win.close()
        controller.end_call()


def test_main_window_opens_one_projector_with_its_selection(qtbot, tmp_path) -> None:
    from simulator.settings import Settings
    from simulator.speech.tts import SpeechRenderer
    from simulator.ui.call_controller import CallController, Capabilities
    from simulator.ui.main_window import MainWindow

    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"),
                                capabilities=Capabilities(audio=False, model_path=None, problems=()),
                                settings=Settings(trainee_name="张三"))
    window = MainWindow(controller, "zh")
    qtbot.addWidget(window)
    window.show()
    window.picker.select("zh.insulting")
    window.projector_action.trigger()
    first = window.projector
    assert first is not None and first.isVisible()
    assert first.entries[first.chooser.currentIndex()].persona_id == "zh.insulting"
    window.projector_action.trigger()
    assert window.projector is first
