"""Issue 14 in the review window, on SQLite and PostgreSQL: a reviewer plays a turn, corrects its text and
saves; the call is scored again, the scorecard says who corrected it and when, the recognised text stays
beside the correction, the list shows the new score, revert brings the recognised text and score back, and
an exported attempt keeps its correction when imported elsewhere. The reviewer's name comes from the settings,
else is asked once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from simulator.app import ReviewService
from simulator.settings import Settings, load_settings, save_settings
from simulator.storage.export import export_attempt, import_attempt
from simulator.ui.review import ReviewWindow
from tests.review_store import backend_url, new_store, spoken_attempt
from tests.storage_fixtures import BACKENDS

RECOGNISED = "你听我说，这不是我们的问题"
FIXED = "您说，我们一起看看怎么解决"


@pytest.fixture(params=BACKENDS)
def spoken(request, tmp_path):
    store = new_store(tmp_path / "db", backend_url(request, request.param))
    attempt_id = spoken_attempt(store, tmp_path / "calls", "zh", "王小明", datetime(2026, 12, 30, 9, tzinfo=UTC))
    yield store, attempt_id
    store.close()


def open_window(qtbot, store, attempt_id):
    win = ReviewWindow(ReviewService(store))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.detail.shown, timeout=30000):
        win.select_attempt(attempt_id)
    return win


def saved(qtbot, win, button) -> None:
    """Click `button` and wait until the attempt is stored, scored again and shown again."""
    with qtbot.waitSignal(win.detail.shown, timeout=60000):
        qtbot.mouseClick(button, Qt.LeftButton)


def test_a_turn_is_corrected_while_listening_rescored_and_reverted(qtbot, spoken, tmp_path) -> None:
    store, attempt_id = spoken
    save_settings(Settings(trainee_name="周老师"))
    before = store.get_attempt(attempt_id)
    win = open_window(qtbot, store, attempt_id)
    detail, editor, card = win.detail, win.detail.corrector, win.detail.scorecard
    assert not card.corrected_label.isVisible() and f">{before.overall}<" in card.overall_label.text()

    editor.select_turn(1)
    assert editor.text_edit.toPlainText() == RECOGNISED and not editor.save_button.isEnabled()
    assert not editor.revert_button.isEnabled()
    editor.play_button.click()   # the turn plays from its start
    assert card.timeline.playhead_time == pytest.approx(4.0, abs=0.05)
    editor.text_edit.setPlainText(FIXED)
    assert editor.save_button.isEnabled()
    saved(qtbot, win, editor.save_button)

    after = store.get_attempt(attempt_id)
    assert after.overall > before.overall and after.recognised.overall == before.overall
    assert f">{after.overall}<" in card.overall_label.text()
    assert card.corrected_label.isVisible()
    assert card.corrected_label.text() == f"Transcript corrected by 周老师 on {datetime.now(UTC):%Y-%m-%d}"
    transcript = detail.transcript.toPlainText()
    assert FIXED in transcript and f"recognised: {RECOGNISED}" in transcript
    assert editor.turn() == 1 and RECOGNISED in editor.recognised_label.text() and editor.revert_button.isEnabled()
    row = win.model.row_of(attempt_id)
    assert win.model.attempt(row).overall == after.overall

    # the correction travels with an exported attempt
    other = new_store(tmp_path / "other")
    try:
        copy = other.get_attempt(import_attempt(other, export_attempt(store, attempt_id, tmp_path / "a.zip")))
        assert copy.corrections == after.corrections and copy.overall == after.overall
    finally:
        other.close()

    saved(qtbot, win, editor.revert_button)
    reverted = store.get_attempt(attempt_id)
    assert (reverted.overall, reverted.findings, reverted.corrections) == (before.overall, before.findings, [])
    assert not card.corrected_label.isVisible() and f">{before.overall}<" in card.overall_label.text()
    assert RECOGNISED in detail.transcript.toPlainText() and "recognised:" not in detail.transcript.toPlainText()
    assert win.model.attempt(row).overall == before.overall
    win.close()


def test_without_a_name_in_the_settings_the_reviewer_is_asked_once(qtbot, spoken, monkeypatch) -> None:
    store, attempt_id = spoken
    asked = []

    def answer(*_args, **_kwargs):
        asked.append(True)
        return "Ms Zhou", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    win = open_window(qtbot, store, attempt_id)
    editor = win.detail.corrector
    for text in (FIXED, "您说得对，我们马上解决"):
        editor.select_turn(1)
        editor.text_edit.setPlainText(text)
        saved(qtbot, win, editor.save_button)
    assert asked == [True] and load_settings().reviewer_name == "Ms Zhou"
    assert [c.reviewer for c in store.get_attempt(attempt_id).corrections] == ["Ms Zhou"]
    assert store.get_attempt(attempt_id).corrections[0].text == "您说得对，我们马上解决"
    win.close()
