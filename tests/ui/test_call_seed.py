"""Every attempt gets its own seed (the same scenario does not always open with the same line), and the
seed stored with the attempt replays the customer's lines."""

from __future__ import annotations

from simulator.core.call_session import CallSession
from simulator.settings import Settings
from simulator.speech.tts import SpeechRenderer
from simulator.ui.call_controller import CallController, Capabilities

TYPED_ONLY = Capabilities(audio=False, model_path=None, problems=("no microphone (test)",))
PERSONA, SCENARIO = "zh.angry_threatening", "heating_below_standard"


def test_each_call_gets_a_fresh_stored_seed_that_replays_it(qtbot, tmp_path, store) -> None:
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), capabilities=TYPED_ONLY,
                                store=store, settings=Settings(trainee_name="张三"))
    for _ in range(2):
        with qtbot.waitSignal(controller.bridge.callStarted, timeout=30000):
            controller.start_call(PERSONA, SCENARIO)
        timeline = controller.call.session.timeline
        qtbot.waitUntil(lambda: bool(timeline.by("customer")), timeout=30000)
        controller.end_call()
        controller.wait_finished()
    qtbot.waitUntil(lambda: store.count_attempts() == 2, timeout=10000)
    records = [store.get_attempt(a.id) for a in store.list_attempts()]
    seeds = [r.timeline["seed"] for r in records]
    assert all(isinstance(s, int) for s in seeds) and seeds[0] != seeds[1]
    persona = controller.persona(PERSONA)
    for record in records:
        replay = CallSession(persona, record.timeline["scenario"], record.timeline["seed"])
        assert replay.opening().text == record.timeline["turns"][0]["text"]


def test_an_explicit_seed_is_kept(qtbot, tmp_path) -> None:
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), capabilities=TYPED_ONLY)
    with qtbot.waitSignal(controller.bridge.callStarted, timeout=30000):
        controller.start_call(PERSONA, SCENARIO, seed=12345)
    assert controller.call.session.timeline.extra["seed"] == 12345
    controller.end_call()
    controller.wait_finished()
