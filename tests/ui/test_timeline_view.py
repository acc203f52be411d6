"""TimelineView: every turn and marker drawn at its time, clicks and keys seek, long calls stay light."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from simulator.core.analysis.call import analyze_call
from simulator.core.review import call_markers
from simulator.core.review.envelope import MAX_BUCKETS
from simulator.core.timeline import Timeline, Turn
from simulator.ui.timeline_view import TimelineView
from tests.review_call import review_timeline

SR = 16000


@pytest.fixture
def view(qtbot):
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(1000, 320)
    v.show()
    qtbot.waitExposed(v)
    return v


@pytest.fixture(scope="module")
def call():
    timeline = review_timeline()
    analysis = analyze_call(timeline, language="en", persona_type="angry_threatening")
    n = int(27 * SR)
    customer, trainee = np.zeros(n, np.float32), np.zeros(n, np.float32)
    for turn in timeline.turns:
        lane = customer if turn.speaker == "customer" else trainee
        lane[int(turn.start * SR):int(turn.end * SR)] = 0.3
    return timeline, (customer, trainee, SR), call_markers(analysis)


def test_every_turn_and_marker_is_drawn_at_its_time(view, call):
    timeline, audio, markers = call
    view.set_call(timeline, audio, markers)
    assert len(view.turn_items) == len(timeline.turns)
    for item, turn in zip(view.turn_items, timeline.turns):
        rect = item.rect()
        assert rect.left() == pytest.approx(turn.start) and rect.right() == pytest.approx(turn.end)
        above = rect.center().y() > 0
        assert above == (turn.speaker == "customer"), "customer lane above, trainee below"
        assert turn.text in item.toolTip()
    assert [line.value() for line in view.marker_items] == pytest.approx([m.time for m in markers])
    assert {m.kind for m in markers} >= {"interruption", "taboo", "empathy", "dead_air"}
    dead = next(line for line, m in zip(view.marker_items, markers) if m.kind == "dead_air")
    assert "Dead air" in dead.toolTip() and "4.0 s" in dead.toolTip()
    assert view.duration == pytest.approx(27.0)


def test_waveforms_follow_the_speech(view, call):
    timeline, audio, markers = call
    view.set_call(timeline, audio, markers)
    x, y = view.wave_items["customer"].getData()
    assert y.max() > 2.5 and y.min() >= 1.0  # customer drawn in the upper lane
    loud = x[y > 2.5]
    assert loud.min() == pytest.approx(0.0, abs=0.05) and loud.max() == pytest.approx(11.0, abs=0.05)
    x, y = view.wave_items["trainee"].getData()
    assert -1.0 >= y.max() > -1.5 and y.min() >= -3.0  # trainee in the lower lane
    assert x[y > -1.5].min() == pytest.approx(4.0, abs=0.05)


@pytest.mark.parametrize("seconds", [3.0, 12.5, 21.0])
def test_click_emits_seek_at_that_time(view, qtbot, call, seconds):
    timeline, audio, markers = call
    view.set_call(timeline, audio, markers)
    where = view.x_to_widget(seconds).toPoint()
    with qtbot.waitSignal(view.seekRequested, timeout=2000) as signal:
        qtbot.mouseClick(view.plot.viewport(), Qt.LeftButton, pos=where)
    assert signal.args[0] == pytest.approx(seconds, abs=0.1)
    assert view.playhead.value() == pytest.approx(seconds, abs=0.1)


def test_keys_step_and_jump_between_markers(view, qtbot, call):
    timeline, audio, markers = call
    view.set_call(timeline, audio, markers)
    view.setFocus()
    seen: list[float] = []
    view.seekRequested.connect(seen.append)
    qtbot.keyClick(view, Qt.Key_Right)
    qtbot.keyClick(view, Qt.Key_Right, Qt.ShiftModifier)
    assert seen == pytest.approx([1.0, 6.0])
    qtbot.keyClick(view, Qt.Key_PageDown)
    assert seen[-1] == pytest.approx(min(m.time for m in markers if m.time > 6.05))
    qtbot.keyClick(view, Qt.Key_PageUp)
    assert seen[-1] == pytest.approx(max(m.time for m in markers if m.time < seen[-2] - 0.05))
    qtbot.keyClick(view, Qt.Key_End)
    assert seen[-1] == pytest.approx(view.duration)
    with qtbot.waitSignal(view.playToggleRequested, timeout=1000):
        qtbot.keyClick(view, Qt.Key_Space)


def test_playhead_shows_what_is_said(view, call):
    timeline, audio, markers = call
    view.set_call(timeline, audio, markers)
    view.set_playhead(16.0)
    assert view.playhead.value() == pytest.approx(16.0)
    assert "I understand how frustrating" in view.caption.text() and "0:16" in view.caption.text()
    view.set_playhead(500.0)
    assert view.playhead.value() == pytest.approx(view.duration)


def test_twenty_minute_call_draws_a_bounded_envelope(view):
    minutes = 20
    n = minutes * 60 * SR
    rng = np.random.default_rng(1)
    customer = (0.2 * rng.standard_normal(n)).astype(np.float32)
    trainee = np.zeros(n, np.float32)
    trainee[n // 2] = 0.9
    turns = [Turn("customer" if i % 2 == 0 else "trainee", i * 10.0, i * 10.0 + 8.0, f"turn {i}")
             for i in range(minutes * 6)]
    view.set_call(Timeline("en", "stubborn", turns), (customer, trainee, SR), [])
    for item in view.wave_items.values():
        x, y = item.getData()
        assert x.size == y.size <= 2 * MAX_BUCKETS
        assert x[-1] == pytest.approx(minutes * 60, abs=1.0)
    x, y = view.wave_items["trainee"].getData()
    assert x[np.argmax(y)] == pytest.approx(minutes * 30, abs=1.0)
    assert len(view.turn_items) == minutes * 6


def test_without_audio_turns_and_markers_still_show(view, call):
    timeline, _, markers = call
    view.set_call(timeline, None, markers)
    assert view.wave_items == {} and len(view.turn_items) == len(timeline.turns)
    assert len(view.marker_items) == len(markers)
