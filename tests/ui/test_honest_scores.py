"""What a score means (issue 12 point 1): a call without a reply is not scored, a call the customer ended
satisfied is not asked for the closing it had no turn for, and a typed call is judged on its words even with a
microphone open."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from simulator.core.analysis.call import analyze_call
from simulator.core.analysis.scorecard import CRITERIA
from simulator.core.analysis.scoring import MEASURED_ONLY, score_call
from simulator.core.analysis.phrases import find_phrases
from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.analysis.timing import measure_timing
from simulator.core.timeline import Timeline, Turn
from tests.core.test_course_checks import typed_call

GOOD_REPLIES = ["王先生，我非常理解您的心情，家里老人生病了，换了谁都着急。",
                "真的很抱歉让您和家人受冻了，您说暖气两天不达标，老人还生病了，对吧？",
                "我现在马上给您派维修师傅，今天下午三点前到您家。"] * 3
CLOSING_CODES = {"no_thanks", "anything_else", "no_follow_up"}


def test_a_call_without_a_reply_is_not_scored() -> None:
    opening = Turn("customer", 0.0, 4.0, "你们到底管不管？暖气两天都不热了！")
    for turns in ([opening], [opening, Turn("trainee", 1.0, 1.3, "嗯", extra={"events": ["backchannel"]})]):
        timeline = Timeline("zh", "zh.angry_threatening", turns, {"persona_type": "angry_threatening"})
        card = analyze_call(timeline).scorecard
        assert card.overall is None and not card.scored
        assert card.criteria == {} and card.findings == []
        assert card.not_measured == list(CRITERIA)
        assert set(card.clear.steps().values()) == {None}        # no ✓ on Control and Listen for nothing done
    answered = Timeline("zh", "x", [opening, Turn("trainee", 5.0, 7.0, "您好，我来帮您查一下。")])
    assert analyze_call(answered).scorecard.overall is not None


def test_a_call_the_customer_ended_satisfied_is_not_marked_down_for_its_closing() -> None:
    timeline = typed_call("zh", "angry_threatening", "heating_below_standard", GOOD_REPLIES)
    assert timeline.extra["ending"] == "resolved" and len(timeline.by("trainee")) == 3   # hung up satisfied early
    resolved = analyze_call(timeline).scorecard
    codes = {f.code for f in resolved.findings}
    assert not CLOSING_CODES & codes
    assert not any("升级渠道" in f.message for f in resolved.findings)
    assert resolved.criteria["persona"] == 100                        # the three behaviours it could show, shown
    assert resolved.criteria["courtesy"] == 67                        # 40 of the 60 points judged (您 but no 我们)

    del timeline.extra["ending"]                                      # the same words in a call the trainee cut off
    cut = analyze_call(timeline).scorecard
    assert CLOSING_CODES <= {f.code for f in cut.findings}
    assert any("升级渠道" in f.message for f in cut.findings)
    assert cut.criteria["courtesy"] == 30 and cut.criteria["persona"] == 75
    assert resolved.overall - cut.overall >= 8

    escalated = Timeline(timeline.language, timeline.persona, timeline.turns, {**timeline.extra, "ending": "escalated"})
    assert CLOSING_CODES <= {f.code for f in analyze_call(escalated).scorecard.findings}   # only a good ending spares


def _recording(path: Path, seconds: float, sr: int = 16000) -> Path:
    """A call recording whose trainee channel has a loud hum throughout: an open microphone in a noisy room."""
    t = np.arange(int(seconds * sr)) / sr
    customer = 0.05 * np.sin(2 * np.pi * 220 * t)
    trainee = 0.6 * np.sign(np.sin(2 * np.pi * 140 * t)) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t))
    sf.write(path, np.column_stack([customer, np.clip(trainee, -0.99, 0.99)]), sr)
    return path


def test_a_typed_call_with_a_microphone_open_measures_no_voice(tmp_path: Path) -> None:
    timeline = typed_call("zh", "stubborn", None, ["您好，请您说一下具体情况，我来帮您查。", "我理解，这件事我们今天就处理。"])
    end = max(t.end for t in timeline.turns)
    analysis = analyze_call(timeline, audio=_recording(tmp_path / "call.flac", end + 2), language="zh",
                            persona_type="stubborn")
    card = analysis.scorecard
    assert not set(MEASURED_ONLY) & set(card.criteria)                # no Loudness 100, no pauses lost
    assert set(MEASURED_ONLY) <= set(card.not_measured)
    assert not {"dead_air", "slow_reply", "shouting", "louder_than_customer", "monotone"} & {f.code for f in card.findings}
    assert card.clear.listen is None
    assert card.overall == analyze_call(timeline).scorecard.overall   # the same as without the recording


def test_typing_time_is_not_dead_air_nor_speaking_time() -> None:
    thr = load_thresholds()
    turns = [Turn("customer", 0.0, 3.0, "你们什么时候来修？"),
             Turn("trainee", 14.0, 14.0, "我们今天下午三点前派师傅上门。", extra={"typed": True}),
             Turn("customer", 15.0, 17.0, "好吧。"),
             Turn("trainee", 18.0, 20.0, "您好，工单已经给您登记了，明天回访。")]
    measures = measure_timing(Timeline("zh", "x", turns), thr)
    assert measures.dead_air == []                                    # 11 s of typing, no silence owed
    spoken = measure_timing(Timeline("zh", "x", turns[3:]), thr).pace
    assert measures.pace == spoken                                    # typed characters are not spoken in 0 s
    untyped = [turns[0], Turn("trainee", 14.0, 16.0, turns[1].text), *turns[2:]]
    assert [round(d.start) for d in measure_timing(Timeline("zh", "x", untyped), thr).dead_air] == [3]


def test_the_no_reply_score_survives_storage_and_stays_out_of_the_trend(store) -> None:
    timeline = Timeline("zh", "zh.insulting", [Turn("customer", 0.0, 3.0, "喂？")])
    card = score_call(timeline, find_phrases(timeline))
    first, _ = store.begin_attempt("王五", "zh.insulting", "insulting", "s", "zh")
    store.finish_attempt(first, "ended_early", "ended by the trainee", timeline.to_json(), card.overall,
                         dict(card.criteria), [])
    second, _ = store.begin_attempt("王五", "zh.insulting", "insulting", "s", "zh")
    store.finish_attempt(second, "resolved", "calm", timeline.to_json(), 72, {"empathy": 80}, [])
    assert [score for _, score in store.trainee_trend("王五")] == [72]
    assert store.get_attempt(first).overall is None and store.get_attempt(first).ending == "ended_early"
    assert {a.id for a in store.list_attempts(min_score=1)} == {second}


def _window(qtbot, tmp_path: Path, store):
    from simulator.settings import Settings
    from simulator.speech.tts import SpeechRenderer
    from simulator.ui.call_controller import CallController, Capabilities
    from simulator.ui.main_window import MainWindow

    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), store=store,
                                capabilities=Capabilities(audio=False, model_path=None, problems=()),
                                settings=Settings(trainee_name="张三"))
    win = MainWindow(controller, "en")
    qtbot.addWidget(win)
    win.show()
    return win


def test_ending_a_call_without_a_reply_asks_once_and_stores_it_not_scored(qtbot, tmp_path: Path, store) -> None:
    from tests.dialogs import answer_end_question, open_end_questions

    win = _window(qtbot, tmp_path, store)
    assert win.picker.select("zh.angry_threatening")
    with qtbot.waitSignal(win.controller.bridge.callStarted, timeout=30000):
        win.start_call()
    qtbot.waitUntil(lambda: win.call_page.transcript.count() >= 1, timeout=30000)
    win.end_action.trigger()                                           # Esc
    win.end_action.trigger()                                           # Esc again: the same question, not two
    assert [q.text() for q in open_end_questions()] == ["End the call? It will be saved as ended early."]
    asked = answer_end_question(end=False)
    qtbot.waitUntil(lambda: not open_end_questions(), timeout=10000)   # "Keep talking" keeps the call
    assert asked and win.call_page.active and win.controller.call is not None
    answer_end_question(asked=asked)
    win.call_page.end_button.click()
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.result_page, timeout=60000)
    assert len(asked) == 2
    card = win.result_page.scorecard
    assert "Not scored" in card.overall_label.text() and "100" not in card.overall_label.text()
    assert card.criterion_rows == {}
    qtbot.waitUntil(lambda: store.count_attempts() == 1, timeout=10000)
    record = store.get_attempt(store.list_attempts()[0].id)
    assert record.overall is None and record.ending == "ended_early" and record.status == "complete"
    assert record.timeline["ending"] == "ended_early"
    assert store.trainee_trend("张三") == []
    win.refresh_attempts()
    win.jobs.settle()                                 # read off the GUI thread
    assert win.picker.recent.item(0, 2).text() == "not scored" and win.picker.recent.item(0, 3).text() == "ended early"


def test_closing_the_window_mid_call_asks_and_saves_the_call_as_ended_early(qtbot, tmp_path: Path, store) -> None:
    from tests.dialogs import answer_end_question, open_end_questions

    win = _window(qtbot, tmp_path, store)
    assert win.picker.select("zh.stubborn")
    with qtbot.waitSignal(win.controller.bridge.callStarted, timeout=30000):
        win.start_call()
    qtbot.waitUntil(lambda: win.call_page.transcript.count() >= 1, timeout=30000)
    win.call_page.reply.setText("您好，我理解您的心情，我们今天就给您处理。")
    win.call_page.send_reply()
    qtbot.waitUntil(lambda: win.call_page.transcript.count() >= 3, timeout=30000)
    asked = answer_end_question(end=False)
    assert not win.close()                                             # asked first: "Keep talking" keeps it open
    qtbot.waitUntil(lambda: bool(asked) and not open_end_questions(), timeout=10000)
    assert win.isVisible() and win.controller.call is not None
    answer_end_question(asked=asked)
    win.close()
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=10000)
    assert asked == ["End the call? It will be saved as ended early."] * 2
    qtbot.waitUntil(lambda: store.count_attempts() == 1, timeout=10000)
    record = store.get_attempt(store.list_attempts()[0].id)
    assert record.ending == "ended_early" and record.overall is not None
