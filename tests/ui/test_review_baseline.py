"""The trainee's calibrated speaking level is saved with the call, and review re-analyses a stored attempt
against it (not against the trainee's own median turn, which cannot catch a trainee loud all call long)."""

from __future__ import annotations

import pytest

from simulator.core.review.stored import review_analysis
from simulator.settings import Settings
from simulator.speech.recorder import CallRecorder
from simulator.speech.tts import SpeechRenderer
from simulator.ui.call_controller import CallController, Capabilities
from tests.storage_fixtures import BACKENDS, timeline, tone

TYPED_ONLY = Capabilities(audio=False, model_path=None, problems=("no microphone (test)",))


def test_the_calibrated_level_is_saved_in_the_stored_timeline(qtbot, tmp_path, store) -> None:
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), capabilities=TYPED_ONLY, store=store,
                                settings=Settings(trainee_name="张三", baseline_loudness_db=-31.5))
    with qtbot.waitSignal(controller.bridge.callStarted, timeout=30000):
        controller.start_call("zh.angry_threatening", "heating_below_standard")
    qtbot.waitUntil(lambda: bool(controller.call.session.timeline.by("customer")), timeout=30000)
    controller.end_call()
    controller.wait_finished()
    qtbot.waitUntil(lambda: store.count_attempts() == 1, timeout=10000)
    assert store.get_attempt(store.list_attempts()[0].id).timeline["baseline_db"] == -31.5


def stored_loud_call(store, baseline: float | None) -> int:
    """A call whose trainee speaks at about -13 dBFS in both turns; `baseline` saved as the call saves it."""
    attempt_id, path = store.begin_attempt("王小明", "angry_zh", "angry_threatening", "heating", "zh")
    recorder = CallRecorder(path)
    recorder.add_customer(0.0, tone(2.0, 300))
    recorder.add_trainee(4.0, tone(2.0, 220, amplitude=0.3))
    recorder.add_trainee(12.0, tone(2.0, 220, amplitude=0.3, offset=32000))
    recorder.close()
    data = timeline(4)
    if baseline is not None:
        data["baseline_db"] = baseline
    store.finish_attempt(attempt_id, "resolved", None, data, 50, {"loudness": 50}, [])
    return attempt_id


@pytest.mark.parametrize("store", BACKENDS, indirect=True)
def test_review_judges_loudness_against_the_saved_calibrated_level(store) -> None:
    quiet_speaker = stored_loud_call(store, -40.0)
    analysis = review_analysis(store.get_attempt(quiet_speaker), store.recording_path(quiet_speaker))
    loudness = analysis.measures.loudness
    assert loudness["baseline"] == "calibrated" and loudness["baseline_db"] == -40.0
    assert loudness["shouting_turns"] == [1, 3]                # ~27 dB above their normal level
    assert analysis.scorecard.overall == 50                    # the stored score is still the one shown

    before = stored_loud_call(store, None)                     # saved before the level was kept
    loudness = review_analysis(store.get_attempt(before), store.recording_path(before)).measures.loudness
    assert loudness["baseline"] == "own_median" and loudness["shouting_turns"] == []
    assert loudness["baseline_db"] == loudness["trainee_db"]
