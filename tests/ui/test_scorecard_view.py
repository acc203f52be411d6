"""ScorecardView filled from a real analysis: scores, CLEAR, findings in call order, replaying a finding's
moment (through a real PulseAudio sink when there is a recording), and "Try again"."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from simulator.core.analysis.call import analyze_call
from simulator.core.personas import default_personas_dir, load_persona
from simulator.core.review import next_time, split_findings
from simulator.core.review.call_audio import CallAudio
from simulator.ui.scorecard_view import ScorecardView
from tests.review_call import review_timeline, speak_call


@pytest.fixture(scope="module")
def persona():
    return load_persona(default_personas_dir() / "en" / "angry_threatening.toml")


@pytest.fixture(scope="module")
def analysis():
    return analyze_call(review_timeline(), language="en", persona_type="angry_threatening")


@pytest.fixture
def view(qtbot):
    v = ScorecardView()
    qtbot.addWidget(v)
    v.resize(1280, 900)
    v.show()
    qtbot.waitExposed(v)
    yield v
    v.release_audio()


def _link_point(browser, label: str):
    """Where the first link reading `label` is drawn in the browser's viewport."""
    cursor = browser.document().find(label)
    assert not cursor.isNull(), label
    cursor.setPosition(cursor.selectionStart() + 1, QTextCursor.MoveAnchor)
    return browser.cursorRect(cursor).center()


def _first_timed_advice(analysis, view):
    view.all_findings_button.setChecked(True)
    advice, _ = split_findings(analysis.scorecard.findings)
    return next(f for f in advice if f.time is not None and f.time >= 5.0)


def test_scores_clear_and_findings_without_recording(view, analysis, persona):
    view.set_result(analysis, persona, None)
    card = analysis.scorecard
    assert f">{card.overall}<" in view.overall_label.text()
    assert set(view.criterion_rows) == set(card.criteria)
    assert all(view.criterion_rows[k].value() == v for k, v in card.criteria.items())
    assert "Loudness" in view.not_measured_label.text()
    assert "✗" in view.clear_labels["listen"].text() and "✓" in view.clear_labels["apologize"].text()
    assert "emotion before the solution" in view.order_label.text()
    assert not view.play_button.isEnabled() and "No recording" in view.status_label.text()
    first = next_time(card.findings)
    text = view.findings_list.toPlainText()
    assert 0 < len(first) <= 3 and [f.message for f in first] == [f.message for f in sorted(first, key=lambda f: -f.cost)]
    assert all(f.message in text for f in first) and text.index(first[0].message) < text.index(first[-1].message)
    assert all(f"You said: “{f.said}”" in text for f in first if f.said.strip())
    view.all_findings_button.setChecked(True)  # the full list, one click away
    text = view.findings_list.toPlainText()
    times = [int(m) * 60 + int(s) for m, s in re.findall(r"▶\s(\d+):(\d\d)", text)]
    assert times == sorted(times) and len(times) == sum(1 for f in card.findings if f.severity != "good" and f.time is not None)
    praise = view.praise_list.toPlainText()
    assert all(f.message in praise for f in card.findings if f.severity == "good")
    assert all(f.message not in praise for f in card.findings if f.severity != "good")
    assert persona.coping.works[0] in view.coping_text.toPlainText()
    assert persona.display_name in view.persona_label.text()


def test_clicking_a_finding_moves_to_a_second_before_it(view, qtbot, analysis, persona):
    view.set_result(analysis, persona, None)
    finding = _first_timed_advice(analysis, view)
    minutes, seconds = divmod(int(finding.time), 60)
    point = _link_point(view.findings_list, f"{minutes}:{seconds:02d}")
    with qtbot.waitSignal(view.seeked, timeout=2000) as signal:
        qtbot.mouseClick(view.findings_list.viewport(), Qt.LeftButton, pos=point)
    assert signal.args[0] == pytest.approx(finding.time - 1.0, abs=0.01)
    assert view.timeline.playhead.value() == pytest.approx(finding.time - 1.0, abs=0.01)
    assert not view.player.is_playing()


def test_keyboard_reaches_a_finding(view, qtbot, analysis, persona):
    view.set_result(analysis, persona, None)
    advice, _ = split_findings(analysis.scorecard.findings)
    view.findings_list.setFocus()
    qtbot.keyClick(view.findings_list, Qt.Key_Tab)  # to the first link
    with qtbot.waitSignal(view.seeked, timeout=2000) as signal:
        qtbot.keyClick(view.findings_list, Qt.Key_Return)
    assert signal.args[0] == pytest.approx(max(0.0, advice[0].time - 1.0), abs=0.01)


def test_retry_button_asks_for_another_go(view, qtbot, analysis, persona):
    view.set_result(analysis, persona, None)
    with qtbot.waitSignal(view.retryRequested, timeout=1000):
        qtbot.mouseClick(view.retry_button, Qt.LeftButton)


def test_finding_plays_the_recording_from_its_moment(pulse, view, qtbot, analysis, persona, tmp_path):
    recording = speak_call(review_timeline(), tmp_path / "call.flac")
    view.set_result(analysis, persona, CallAudio.read(recording))
    assert view.play_button.isEnabled() and "Click a finding" in view.status_label.text()
    assert set(view.timeline.wave_items) == {"customer", "trainee"}
    finding = _first_timed_advice(analysis, view)
    minutes, seconds = divmod(int(finding.time), 60)
    with qtbot.waitSignal(view.seeked, timeout=2000) as signal:
        qtbot.mouseClick(view.findings_list.viewport(), Qt.LeftButton,
                         pos=_link_point(view.findings_list, f"{minutes}:{seconds:02d}"))
    start = finding.time - 1.0
    assert signal.args[0] == pytest.approx(start, abs=0.01)
    assert view.player.is_playing() and view.play_button.text() == "&Stop"
    qtbot.waitUntil(lambda: view.player.position() > start + 0.3, timeout=5000)
    assert start < view.player.position() <= finding.time + 6.0
    qtbot.waitUntil(lambda: view.timeline.playhead.value() > start + 0.3, timeout=5000)
    qtbot.mouseClick(view.play_button, Qt.LeftButton)  # Stop
    assert not view.player.is_playing() and view.play_button.text() == "&Play"


def test_typed_call_shows_listen_as_not_measured(view, persona):
    """A typed call has no timing, so Listen is neither ticked nor crossed."""
    timeline = review_timeline()
    for turn in timeline.by("trainee"):
        turn.extra["typed"] = True
    typed = analyze_call(timeline, language="en", persona_type="angry_threatening")
    assert typed.scorecard.clear.listen is None
    view.set_result(typed, persona, None)
    label = view.clear_labels["listen"]
    assert "–" in label.text() and "✓" not in label.text() and "✗" not in label.text()
    assert "Listen" in label.accessibleName() and "Not measured" in label.accessibleName()
