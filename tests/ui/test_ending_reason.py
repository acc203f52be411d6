"""Why a call ended is a code with numbers, worded in the call's language: a Chinese call shows a
Chinese reason in the Chinese interface, an English call an English one."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication

from simulator.core.dialogue import DialogueEngine, Ending
from simulator.core.events import Event as E
from simulator.core.events import TurnAssessment
from simulator.core.personas import default_personas_dir, load_personas
from simulator.settings import Settings
from simulator.speech.tts import SpeechRenderer
from simulator.ui import i18n
from simulator.ui.call_controller import CallController, Capabilities
from simulator.ui.main_window import MainWindow

LIBRARY = load_personas(default_personas_dir())
LATIN = re.compile(r"[A-Za-z]")


def _end(persona_id: str, events: set[E]) -> Ending:
    engine = DialogueEngine(LIBRARY.get(persona_id), seed=3)
    engine.opening()
    while engine.ending is None:
        engine.respond(TurnAssessment(text="……", events=frozenset(events)))
    return engine.ending


def test_endings_carry_code_and_numbers_and_word_them_in_the_call_language() -> None:
    persona = LIBRARY.get("zh.insulting")
    ending = _end("zh.insulting", {E.RETALIATION, E.TABOO})
    assert ending.kind == "escalated" and ending.language == "zh"
    assert ending.limit == persona.mood.escalate_at and ending.mood >= ending.limit
    assert ending.events == ("retaliation", "taboo")
    assert ending.reason == f"情绪升到 {ending.mood:.0f}（达到 {ending.limit:.0f} 即挂断/升级），最后一轮：回击、话术禁忌"
    assert ending.describe("en") == f"mood reached {ending.mood:.0f} (hang-up at {ending.limit:.0f}) after: retaliation, taboo"
    limit = _end("zh.stubborn", set())
    assert limit.kind == "turn_limit" and limit.turns == LIBRARY.get("zh.stubborn").mood.max_turns
    assert limit.reason.startswith(f"学员说了 {limit.turns} 轮仍未解决（上限 {limit.turns} 轮）")
    english = _end("en.stubborn", set())
    assert english.reason.startswith(f"{english.turns} trainee turns without resolution")


@pytest.mark.parametrize("persona_id", [p.id for p in LIBRARY.personas if p.language == "zh"])
@pytest.mark.parametrize("events", [{E.RETALIATION, E.TABOO, E.DEFENSIVE}, set(), {E.EMPATHY, E.COMMITMENT, E.RESTATE}])
def test_every_zh_ending_reason_is_chinese(persona_id: str, events: set[E]) -> None:
    reason = _end(persona_id, events).reason
    assert reason and not LATIN.search(reason), reason


@pytest.fixture
def chinese_interface(qapp):
    i18n.install_translator(qapp, "zh")
    yield qapp
    i18n.install_translator(qapp, "en")


def test_zh_interface_shows_the_chinese_reason(chinese_interface, qtbot, tmp_path) -> None:
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"),
                                capabilities=Capabilities(audio=False, model_path=None, problems=()),
                                settings=Settings(ui_language="zh"))
    window = MainWindow(controller, "zh")
    qtbot.addWidget(window)
    window.show()
    assert window.picker.select("zh.insulting")
    window.start_call()
    transcript = window.call_page.transcript
    qtbot.waitUntil(lambda: transcript.count() >= 1, timeout=30000)
    while controller.call is not None and controller.call.session.ending is None:
        count = transcript.count()
        controller.send_text("你算什么东西？有病吧你，爱投诉就去投诉，不可能给你办！")
        qtbot.waitUntil(lambda: transcript.count() >= count + 2 or window.result_page.isVisible(), timeout=30000)
    qtbot.waitUntil(lambda: window.result_page.isVisible(), timeout=60000)
    ended = [transcript.item(i).text() for i in range(transcript.count()) if transcript.item(i).text().startswith("通话结束")]
    assert len(ended) == 1
    assert re.fullmatch(r"通话结束（(客户挂断了电话|已达轮次上限)）：(情绪升到|学员说了) .+", ended[0]), ended[0]
    assert not LATIN.search(ended[0])
    controller.wait_finished()
