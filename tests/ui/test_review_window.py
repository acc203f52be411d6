"""The review screen on a database of 10,000 generated attempts plus two spoken, analysed calls with their
recordings: list, filters, header sorting, lazy fetching, one attempt's replay, notes, comparison, trend,
exports and deletion. Everything runs on the real store: the list, filters, sorting, an attempt, notes,
comparison and the PDF export on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from simulator.core.review.filters import list_filters
from simulator.app import ReviewService
from simulator.storage import AttemptNotFound
from simulator.storage.export import import_attempt
from simulator.ui.review import ReviewWindow
from simulator.ui.review.attempts_model import COLUMNS, PAGE
from tests.review_store import backend_url, new_store, spoken_attempt, spoken_attempts
from tests.storage_fixtures import BACKENDS, TRAINEES, generated

ATTEMPTS = 10_000


@pytest.fixture(scope="module", params=BACKENDS)
def big(request, tmp_path_factory):
    """(store, ids of the spoken attempts): 10,000 generated attempts plus the spoken zh and en calls, on SQLite
    and on PostgreSQL (recordings in the database)."""
    folder = tmp_path_factory.mktemp("review")
    store = new_store(folder / "db", backend_url(request, request.param))
    store.add_records(generated(ATTEMPTS - 2))
    spoken = spoken_attempts(store, folder / "calls")
    yield store, spoken
    store.close()


@pytest.fixture
def window(qtbot, big):
    win = ReviewWindow(ReviewService(big[0]))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.jobs.settle()
    yield win
    win.jobs.wait()


def all_ids(model) -> list[int]:
    model.jobs.settle()
    while model.canFetchMore():
        model.fetchMore()
        model.jobs.settle()
    return [r.id for r in model.loaded()]


def store_ids(store, limit: int = ATTEMPTS + 10, **kwargs) -> list[int]:
    return [r.id for r in store.list_attempts(**kwargs, limit=limit)]


def test_the_list_shows_the_count_and_fetches_only_the_first_page(window, big):
    assert big[0].count_attempts() == ATTEMPTS
    assert window.model.total == ATTEMPTS and f"{ATTEMPTS} attempt" in window.count_label.text()
    assert window.model.rowCount() == PAGE
    assert [r.id for r in window.model.loaded()] == store_ids(big[0], limit=PAGE)


def test_scrolling_to_the_bottom_fetches_more(window, qtbot):
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.model.rowCount() > PAGE)
    assert window.model.rowCount() % PAGE == 0 and window.model.rowCount() < ATTEMPTS


def test_each_filter_narrows_the_rows_to_the_stores_count(window, big):
    store, bar = big[0], window.filter_bar
    bar.trainee.setCurrentIndex(bar.trainee.findData("Li Na"))
    window.jobs.settle()
    expected = {"trainee": "Li Na"}
    counts = [window.model.total]
    steps = [
        (lambda: (bar.persona.setText("angry"), bar.persona.editingFinished.emit()), {"persona": "angry"}),
        (lambda: bar.min_score.setValue(30), {"min_score": 30}),
        (lambda: bar.max_score.setValue(80), {"max_score": 80}),
        (lambda: bar.ending.setCurrentIndex(bar.ending.findData("escalated")), {"ending": "escalated"}),
        (lambda: (bar.from_day.setDate(QDate(2026, 3, 1)), bar.use_from.setChecked(True)),
         {"since": datetime(2026, 3, 1, tzinfo=UTC)}),
        (lambda: (bar.to_day.setDate(QDate(2026, 8, 31)), bar.use_to.setChecked(True)),
         {"until": datetime(2026, 9, 1, tzinfo=UTC)}),
    ]
    assert window.model.total == store.count_attempts(**expected) < ATTEMPTS
    for act, added in steps:
        act()
        window.jobs.settle()
        expected.update(added)
        assert window.model.filters == expected
        assert window.model.total == store.count_attempts(**expected)
        counts.append(window.model.total)
    assert counts == sorted(counts, reverse=True) and len(set(counts)) == len(counts) and counts[-1] > 0
    ids = all_ids(window.model)
    assert ids == store_ids(store, **expected)
    rows = window.model.loaded()
    assert all(r.trainee == "Li Na" and r.persona_type == "angry" and 30 <= r.overall <= 80
               and r.ending == "escalated" and datetime(2026, 3, 1, tzinfo=UTC) <= r.started_at
               < datetime(2026, 9, 1, tzinfo=UTC) for r in rows)
    assert str(len(ids)) in window.count_label.text()


def test_the_filter_bar_maps_days_and_the_full_score_range():
    assert list_filters(min_score=0, max_score=100) == {}
    assert list_filters(trainee=" ", persona=" x ", first_day=date(2026, 2, 28), last_day=date(2026, 2, 28)) == {
        "persona": "x", "since": datetime(2026, 2, 28, tzinfo=UTC), "until": datetime(2026, 3, 1, tzinfo=UTC)}


@pytest.mark.parametrize("column, order_by", [("overall", "overall"), ("trainee", "trainee"), ("persona", "persona"),
                                              ("started_at", "started_at")])
def test_clicking_a_header_sorts_as_the_store_does(window, qtbot, big, column, order_by):
    header = window.table.horizontalHeader()
    section = COLUMNS.index(column)
    seen = []
    for _ in range(2):
        x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
        qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
        window.jobs.settle()
        assert window.model.order_by == order_by
        seen.append(window.model.descending)
        assert [r.id for r in window.model.loaded()] == store_ids(
            big[0], order_by=order_by, descending=window.model.descending, limit=PAGE,
            shown_order=window.model.shown_order)
        assert window.model.rowCount() == PAGE
    assert seen[0] != seen[1]


@pytest.mark.parametrize("column", ["persona", "scenario"])
def test_persona_and_scenario_columns_sort_by_the_names_and_titles_shown(window, qtbot, column):
    header, model = window.table.horizontalHeader(), window.model
    section = COLUMNS.index(column)
    for _ in range(2):   # the columns fit their new contents after each sort: find the header again
        x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
        qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
        all_ids(model)
        shown = [model.data(model.index(row, section)) for row in range(model.rowCount())]
        assert len(shown) == ATTEMPTS
        assert shown == sorted(shown, key=str.casefold, reverse=model.descending)
    if column == "persona":  # the spoken English call shows "Mr. Walker, furious": by id it would come first
        assert "Mr. Walker, furious" in shown and shown[0] != "Mr. Walker, furious" != shown[-1]


@pytest.mark.parametrize("store", BACKENDS, indirect=True)
def test_scenarios_of_every_persona_sort_by_title_not_by_id(qapp, store):
    from simulator.ui.review.attempts_model import AttemptsModel
    from simulator.core.personas.index import load_persona_index

    personas = load_persona_index()
    records = generated(len(personas) * 3)
    pairs = [(p, s.id) for p in personas.values() for s in p.scenarios]
    for record, (persona, scenario) in zip(records, pairs):
        record.persona_id, record.persona_type, record.scenario_id = persona.id, persona.type, scenario
    store.add_records(records[:len(pairs)])
    model = AttemptsModel(ReviewService(store), None, personas)
    model.sort(COLUMNS.index("scenario"), Qt.AscendingOrder)
    model.jobs.settle()
    shown = [model.data(model.index(row, COLUMNS.index("scenario"))) for row in range(model.rowCount())]
    titles = {s.title for persona in personas.values() for s in persona.scenarios}
    assert set(shown) == titles and shown == sorted(shown, key=str.casefold)
    by_id = [model.scenario_label(r.persona_id, r.scenario_id)
             for r in store.list_attempts(order_by="scenario", descending=False)]
    assert by_id != shown  # the ids' order is not the titles' order, so the test can tell them apart


@pytest.mark.parametrize("ending, filters", [("ended_early", {"ending": "ended_early"}),
                                             ("recovered", {"status": "recovered"})])
def test_the_ending_filter_finds_calls_ended_early_and_calls_cut_off_by_a_crash(window, big, ending, filters):
    bar = window.filter_bar
    bar.ending.setCurrentIndex(bar.ending.findData(ending))
    window.jobs.settle()
    assert bar.ending.currentText() == {"ended_early": "Ended early", "recovered": "Recovered"}[ending]
    assert window.model.filters == filters
    assert 0 < window.model.total == big[0].count_attempts(**filters) < ATTEMPTS // 2
    ids = all_ids(window.model)
    assert ids == store_ids(big[0], **filters) and len(ids) == window.model.total
    rows = window.model.loaded()
    if ending == "recovered":
        assert all(r.status == "recovered" and r.ending is None for r in rows)
    else:
        assert all(r.ending == "ended_early" and r.status == "complete" for r in rows)


def test_selecting_an_attempt_shows_transcript_scorecard_and_timeline(window, qtbot, big):
    store, spoken = big
    record = store.get_attempt(spoken["zh"])
    with qtbot.waitSignal(window.detail.shown, timeout=30000) as shown:
        window.select_attempt(record.id)
    assert shown.args == [record.id]
    transcript = window.detail.transcript.toPlainText()
    for turn in record.timeline["turns"]:
        assert turn["text"] in transcript
    card = window.detail.scorecard
    assert f">{record.overall}<" in card.overall_label.text()
    assert {n: b.value() for n, b in card.criterion_rows.items()} == {
        k: v for k, v in record.scores.items() if isinstance(v, int) and k != "overall"}
    assert "暴躁的王先生" in card.persona_label.text()
    view = card.timeline
    assert len(view.turn_items) == len(record.timeline["turns"]) and set(view.wave_items) == {"customer", "trainee"}
    kinds = {m.kind for m in view.markers}
    assert {"interruption", "dead_air"} <= kinds
    assert card.has_audio and view.duration == pytest.approx(27.0, abs=1.1)
    header = window.detail.header.text()
    assert "王小明" in header
    title, ending = window.model.scenario_label(record.persona_id, record.scenario_id), record.ending or record.status
    assert title != record.scenario_id and title in header and record.scenario_id not in header   # titles, not codes
    assert window.model.word(ending) in header and f" {ending} " not in header
    assert window.detail.notes.edit.toPlainText() == record.notes


def test_notes_are_saved_to_the_store(window, qtbot, big):
    store, spoken = big
    window.select_attempt(spoken["en"])
    window.jobs.settle()
    window.detail.tabs.setCurrentWidget(window.detail.notes)
    editor = window.detail.notes
    editor.edit.setPlainText("Good recovery after the interruption; 道歉更早一些")
    assert editor.status.text() == "Not saved"
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    window.jobs.settle()
    assert store.get_attempt(spoken["en"]).notes == "Good recovery after the interruption; 道歉更早一些"
    assert editor.status.text() == "Saved"


def select_rows(window, ids: list[int]) -> None:
    window.table.clearSelection()
    selection = window.table.selectionModel()
    for attempt_id in ids:
        window.select_attempt(attempt_id)  # fetches its page
        window.jobs.settle()
    for attempt_id in ids:
        index = window.model.index(window.model.row_of(attempt_id), 0)
        selection.select(index, QItemSelectionModel.Select | QItemSelectionModel.Rows)


def test_comparing_two_attempts_shows_them_side_by_side(window, qtbot, big):
    store, spoken = big
    select_rows(window, [spoken["en"], spoken["zh"]])
    assert window.actions["compare"].isEnabled() and not window.actions["trend"].isEnabled()
    view = window.compare_view
    with qtbot.waitSignal(view.shown, timeout=60000):
        window.actions["compare"].trigger()
    assert window.tabs.currentWidget() is view
    zh, en = store.get_attempt(spoken["zh"]), store.get_attempt(spoken["en"])  # zh was first
    left, right = view.sides
    assert "暴躁的王先生" in left.header.text() and "Mr. Walker, furious" in right.header.text()
    for side, record in ((left, zh), (right, en)):
        header = side.header.text()
        assert f"Attempt {record.id}" in header and "王小明" in header and "Resolved" in header
        assert f"{record.started_at:%Y-%m-%d %H:%M}" in header
        assert window.model.scenario_label(record.persona_id, record.scenario_id) in header
        assert f">{record.overall}<" in side.overall_label.text()
        for turn in record.timeline["turns"]:
            assert turn["text"] in side.transcript.toPlainText()
        assert len(side.timeline.turn_items) == len(record.timeline["turns"])
        assert set(side.timeline.wave_items) == {"customer", "trainee"}
        assert {"interruption", "dead_air"} <= {m.kind for m in side.timeline.markers}
    assert f"{en.overall - zh.overall:+d}" in right.overall_label.text()
    names = [k for k, v in zh.scores.items() if isinstance(v, int) and k != "overall"]
    assert list(left.criterion_rows) == list(right.criterion_rows) == names
    for name in names:
        bars = left.criterion_rows[name][0], right.criterion_rows[name][0]
        assert (bars[0].value(), bars[1].value()) == (zh.scores[name], en.scores[name])
        assert left.criterion_rows[name][1].text() == ""
        assert f"{en.scores[name] - zh.scores[name]:+d}" in right.criterion_rows[name][1].text()
    assert view.comparison.better == (None if en.overall == zh.overall else int(en.overall > zh.overall))

    qtbot.mouseClick(right.timeline.plot.viewport(), Qt.LeftButton, pos=right.timeline.x_to_widget(3.0).toPoint())
    assert right.timeline.playhead_time == pytest.approx(3.0, abs=0.3) and left.timeline.playhead_time == 0.0
    assert view.player.duration == pytest.approx(len(right.audio.trainee) / right.audio.rate, abs=0.01)
    qtbot.mouseClick(left.timeline.plot.viewport(), Qt.LeftButton, pos=left.timeline.x_to_widget(5.0).toPoint())
    assert left.timeline.playhead_time == pytest.approx(5.0, abs=0.3)
    assert view.player.duration == pytest.approx(len(left.audio.trainee) / left.audio.rate, abs=0.01)

    view.hide_names.setChecked(True)
    for side in view.sides:
        assert "王小明" not in side.header.text() + side.transcript.toPlainText()
        assert "Trainee 1" in side.header.text()
    view.hide_names.setChecked(False)
    assert "王小明" in left.header.text()
    window.grab().save("/tmp/compare.png")


def test_the_trend_has_one_point_per_scored_attempt_in_date_order(window, big):
    store, spoken = big
    select_rows(window, [spoken["zh"]])
    window.actions["trend"].trigger()
    window.jobs.settle()
    points = window.trend_chart.points()
    expected = store.trainee_trend("王小明")
    assert len(points) == len(expected) == store.count_attempts(trainee="王小明", min_score=0) > 100
    assert points == [(t.timestamp(), float(s)) for t, s in expected]
    assert [p[0] for p in points] == sorted(p[0] for p in points)


def test_export_buttons_write_csv_with_and_without_names_bundle_and_timeline(window, big, tmp_path, monkeypatch):
    store, spoken = big
    window.filter_bar.ending.setCurrentIndex(window.filter_bar.ending.findData("resolved"))
    window.jobs.settle()
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "named.csv"), ""))
    window.actions["csv"].trigger()
    window.export_csv(tmp_path / "anonymous.csv", anonymous=True)
    window.jobs.settle()
    named = list(csv.DictReader((tmp_path / "named.csv").open(encoding="utf-8-sig")))
    anonymous = list(csv.DictReader((tmp_path / "anonymous.csv").open(encoding="utf-8-sig")))
    assert len(named) == len(anonymous) == store.count_attempts(ending="resolved")
    assert {r["trainee"] for r in named} == set(TRAINEES)
    assert {r["trainee"] for r in anonymous} == {f"trainee {i}" for i in range(1, len(TRAINEES) + 1)}
    assert [r["id"] for r in named] == [r["id"] for r in anonymous]

    select_rows(window, [spoken["zh"]])
    window.export_bundle(tmp_path / "named.zip")
    window.export_bundle(tmp_path / "anonymous.zip", anonymous=True)
    window.export_timeline(tmp_path / "timeline.json")
    window.jobs.settle()
    original = store.get_attempt(spoken["zh"])
    assert json.loads((tmp_path / "timeline.json").read_text(encoding="utf-8")) == original.timeline
    other = new_store(tmp_path / "other")
    copy = other.get_attempt(import_attempt(other, tmp_path / "named.zip"))
    hidden = other.get_attempt(import_attempt(other, tmp_path / "anonymous.zip"))
    assert (copy.trainee, copy.overall, copy.timeline) == (original.trainee, original.overall, original.timeline)
    assert other.recording_path(copy.id).stat().st_size == store.recording_path(original.id).stat().st_size
    assert hidden.trainee == "trainee 1" and hidden.notes == "" and hidden.overall == original.overall
    other.close()


@pytest.fixture
def small(qtbot, tmp_path, monkeypatch):
    """A window on a store of its own (deleting must not touch the shared one)."""
    store = new_store(tmp_path / "db")
    store.add_records(generated(60))
    ids = [spoken_attempt(store, tmp_path / "calls", "en", name, datetime(2026, 12, 31, h, tzinfo=UTC))
           for h, name in ((8, "Li Na"), (9, "Li Na"), (10, "Alice Smith"))]
    win = ReviewWindow(ReviewService(store))
    qtbot.addWidget(win)
    win.jobs.settle()
    answers = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    yield win, store, ids, answers
    win.jobs.wait()
    store.close()


def test_delete_attempt_asks_first_and_removes_the_row_and_recording(small):
    win, store, ids, answers = small
    recording = store.recording_path(ids[2])
    total = win.model.total
    win.select_attempt(ids[2])
    win.jobs.settle()
    answers.append(QMessageBox.Cancel)
    win.actions["delete_attempt"].trigger()
    win.jobs.settle()
    assert recording.is_file() and win.model.total == total
    win.select_attempt(ids[2])
    win.jobs.settle()
    answers.append(QMessageBox.Yes)
    win.actions["delete_attempt"].trigger()
    win.jobs.settle()
    assert not recording.exists() and win.model.total == total - 1 == store.count_attempts()
    assert ids[2] not in all_ids(win.model)
    with pytest.raises(AttemptNotFound):
        store.get_attempt(ids[2])


def test_delete_trainee_removes_all_their_rows_and_recordings(small):
    win, store, ids, answers = small
    recordings = [store.recording_path(i) for i in ids[:2]]
    theirs = store.count_attempts(trainee="Li Na")
    total = win.model.total
    win.select_attempt(ids[0])
    win.jobs.settle()
    answers.append(QMessageBox.Yes)
    win.actions["delete_trainee"].trigger()
    win.jobs.settle()
    assert not any(p.exists() for p in recordings)
    assert win.model.total == total - theirs == store.count_attempts()
    assert "Li Na" not in store.trainees() and win.filter_bar.trainee.findData("Li Na") == -1
    all_ids(win.model)
    assert "Li Na" not in {r.trainee for r in win.model.loaded()} and len(win.model.loaded()) == win.model.total
    assert store.recording_path(ids[2]).is_file()


def test_import_adds_the_attempt_and_selects_it(small, tmp_path, qtbot):
    win, store, ids, _ = small
    from simulator.storage.export import export_attempt

    export_attempt(store, ids[2], tmp_path / "bundle.zip")
    with qtbot.waitSignal(win.detail.shown, timeout=30000):
        win.import_bundle(tmp_path / "bundle.zip")
    new_id = win.selected_ids()[0]
    assert new_id not in ids and win.selected_ids() == [new_id]
    assert store.get_attempt(new_id).timeline == store.get_attempt(ids[2]).timeline


def test_pdf_export_prepares_in_the_background_and_writes_a_report(window, qtbot, big, tmp_path):
    _, spoken = big
    window.select_attempt(spoken["zh"])
    window.jobs.settle()
    target = tmp_path / "report.pdf"
    assert window.export_pdf("zh", target)
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 0, timeout=60000)
    assert target.read_bytes().startswith(b"%PDF")
    window.jobs.settle()


@pytest.mark.parametrize("store", BACKENDS, indirect=True)
def test_rows_show_persona_names_scenario_titles_and_ending_words(qapp, store):
    from simulator.core.personas.loader import default_personas_dir, load_persona
    from simulator.ui.review.attempts_model import COLUMNS, AttemptsModel

    persona = load_persona(default_personas_dir() / "zh" / "stubborn.toml")
    scenario = persona.scenarios[1]
    attempt_id, _ = store.begin_attempt("赵六", persona.id, persona.type, scenario.id, "zh")
    store.finish_attempt(attempt_id, "ended_early", "ended by the trainee",
                         {"version": 1, "language": "zh", "persona": persona.id, "turns": []}, 40, {}, [])
    model = AttemptsModel(ReviewService(store), None, {persona.id: persona})
    model.jobs.settle()
    cell = {name: model.data(model.index(0, COLUMNS.index(name))) for name in COLUMNS}
    assert cell["persona"] == persona.display_name
    assert cell["scenario"] == scenario.title
    assert cell["ending"] == "Ended early" and cell["status"] == "Complete"
    unknown = AttemptsModel(ReviewService(store), None, {})
    unknown.jobs.settle()
    assert unknown.data(unknown.index(0, COLUMNS.index("persona"))) == persona.id
