"""Starting a call never freezes the window: the device and voice checks and opening the real speaker and
microphone (on the test's PulseAudio server) run off the GUI thread, and a call ended while it is still
connecting closes everything it had opened."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from simulator.settings import Settings
from simulator.speech.tts import SpeechRenderer
from simulator.ui.call_controller import CallController

MAX_STALL_S = 0.2


def _streams(pulse) -> list[str]:
    """The app's open playback and capture streams on the sound server."""
    return [line for kind in ("sink-inputs", "source-outputs")
            for line in pulse.pactl("list", "short", kind).splitlines() if line.strip()]


def test_the_event_loop_keeps_running_while_a_real_call_starts(qtbot, tmp_path, store, pulse) -> None:
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), store=store,
                                settings=Settings(trainee_name="张三"))
    ticks: list[float] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    qtbot.wait(100)
    try:
        with qtbot.waitSignal(controller.capabilitiesChecked, timeout=30000) as checked:
            began = time.monotonic()
            controller.start_call("zh.stubborn", None)
            returned = time.monotonic()
            assert controller.starting and controller.call is None
        live = time.monotonic()
        timer.stop()
        caps = checked.args[0]
        assert caps.audio, caps.problems                      # the real devices were checked and opened
        assert controller.call is not None and controller.call.player is not None
        assert len(_streams(pulse)) >= 2                     # speaker and microphone are open
        during = [t for t in ticks if began <= t <= live]
        gaps = [b - a for a, b in zip([began, *during], [*during, live])]
        assert returned - began < MAX_STALL_S
        assert max(gaps) < MAX_STALL_S, f"the GUI thread stalled {max(gaps):.2f} s while the call started"
        assert live - began > 2 * MAX_STALL_S, "the start was too quick to show anything"
    finally:
        controller.end_call()
        controller.wait_finished()


def test_ending_a_call_while_it_connects_closes_what_it_opened(qtbot, tmp_path, store, pulse) -> None:
    from simulator.ui.call_controller import Capabilities

    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), store=store,
                                capabilities=Capabilities(audio=True, model_path=None, problems=()),
                                settings=Settings(trainee_name="张三"))
    started: list[str] = []
    controller.bridge.callStarted.connect(lambda name, _title: started.append(name))
    with qtbot.waitSignal(controller.callFinished, timeout=30000) as finished:
        controller.start_call("zh.stubborn", None)
        controller.end_call()
    controller.wait_finished()
    qtbot.wait(200)
    assert finished.args == [None] and started == []
    assert controller.call is None and not controller.busy
    assert _streams(pulse) == []
    assert store.count_attempts() == 0 and not list((tmp_path / "recordings").glob("*"))


def test_the_call_page_shows_connecting_and_its_end_button_cancels(qtbot, tmp_path, store, pulse) -> None:
    from simulator.ui.main_window import MainWindow

    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), store=store,
                                settings=Settings(trainee_name="张三"))
    window = MainWindow(controller, "zh")
    qtbot.addWidget(window)
    window.show()
    assert window.picker.select("zh.stubborn")
    window.start_call()
    page = window.call_page
    assert window.stack.currentWidget() is page and controller.starting
    assert "Connecting" in page.status.text()
    assert page.end_button.isEnabled() and window.end_action.isEnabled()
    assert not page.reply.isEnabled() and not page.pause_button.isEnabled()
    page.end_button.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.picker, timeout=30000)
    controller.wait_finished()
    assert not controller.busy and controller.call is None and not page.active
    assert _streams(pulse) == [] and store.count_attempts() == 0
