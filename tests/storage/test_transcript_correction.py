"""Issue 14 point 3: a reviewer corrects what the recogniser heard in a turn. The turn keeps its timing, its
words become fully confident, the attempt is scored again and that score is the one lists, comparisons,
trends, reports and CSV use; the recognised text and score are kept, a revert brings them back, and the
corrections travel with the attempt through export and import (anonymous too) on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from simulator.core.review.compare import compare_attempts
from simulator.core.review.correction import (CorrectionError, StoredScore, TurnCorrection, check_turn,
                                              corrected_timeline, corrected_turn, current_score, latest)
from simulator.core.review.report import build_report
from simulator.core.review.stored import recognised_timeline, record_timeline
from simulator.core.timeline import Timeline, Turn, Word
from simulator.storage import StorageError
from simulator.storage.corrections import correct_turn, revert_turn
from simulator.storage.export import export_attempt, export_csv, import_attempt
from tests.review_store import new_store, spoken_attempt
from tests.storage_fixtures import db_url

__all__ = ["db_url"]

HEARD = Turn("trainee", 5.0, 7.5, "这 不可能 我们 马上 查",
             [Word("这", 5.0, 5.3, 0.97), Word("不可能", 5.3, 6.2, 0.41), Word("我们", 6.4, 6.8, 0.95),
              Word("马上", 6.8, 7.2, 0.95), Word("查", 7.2, 7.5, 0.9)])
WHEN = datetime(2026, 12, 31, 10, 30, tzinfo=UTC)
BENIGN = "非常理解您，我们马上为您查"


def test_a_corrected_turn_keeps_the_timing_of_the_words_that_still_line_up() -> None:
    turn = corrected_turn(HEARD, "这不太可能 我们马上查")
    assert (turn.start, turn.end, turn.text) == (5.0, 7.5, "这不太可能 我们马上查")
    assert all(w.conf == 1.0 for w in turn.words)
    times = {w.word: (w.start, w.end) for w in turn.words}
    assert times["这"] == (5.0, 5.3) and times["我们"] == (6.4, 6.8) and times["马上"] == (6.8, 7.2)
    assert times["查"] == (7.2, 7.5)
    # 不 and 可能 keep their share of 不可能 (5.3-6.2, 0.3 s a character); 太 is put between them
    assert times["不"] == pytest.approx((5.3, 5.6)) and times["可能"] == pytest.approx((5.6, 6.2))
    assert 5.6 - 1e-9 <= times["太"][0] <= times["太"][1] <= 5.6 + 1e-9
    starts = [w.start for w in turn.words]
    assert starts == sorted(starts) and HEARD.words[1].conf == 0.41  # the recognised turn is untouched


def test_replaced_english_words_share_the_time_of_what_they_replace() -> None:
    heard = Turn("trainee", 1.0, 3.0, "that is not possible",
                 [Word("that", 1.0, 1.3, .9), Word("is", 1.3, 1.5, .9), Word("not", 1.5, 1.9, .3),
                  Word("possible", 1.9, 2.8, .9)])
    turn = corrected_turn(heard, "That is quite possible now")
    spans = [(w.word, round(w.start, 3), round(w.end, 3)) for w in turn.words]
    assert spans == [("That", 1.0, 1.3), ("is", 1.3, 1.5), ("quite", 1.5, 1.9), ("possible", 1.9, 2.8),
                     ("now", 2.8, 3.0)]


def test_a_typed_turn_only_changes_its_text_and_bad_corrections_are_refused() -> None:
    typed = Turn("trainee", 8.0, 8.0, "我们马上安排", extra={"typed": True})
    turn = corrected_turn(typed, "  我们  今天安排 ")
    assert turn.text == "我们 今天安排" and turn.words is None and turn.extra == {"typed": True}
    with pytest.raises(CorrectionError, match="empty"):
        corrected_turn(typed, " \n ")
    timeline = Timeline("zh", "p", [HEARD, typed])
    check_turn(timeline, 1)
    for bad in (2, -1):
        with pytest.raises(CorrectionError, match=f"no turn {bad} .*0 to 1"):
            check_turn(timeline, bad)


def test_the_current_score_is_the_rescored_one_while_a_correction_stands() -> None:
    recognised = StoredScore(60, {"taboo": 40}, [])
    fix = TurnCorrection(0, "x", "Ms Zhou", WHEN)
    assert current_score([], recognised, lambda cs: pytest.fail("no re-score without corrections")) is recognised
    assert current_score([fix], recognised, lambda cs: StoredScore(len(cs) * 70)).overall == 70
    timeline = corrected_timeline(Timeline("zh", "p", [HEARD]), [fix])
    assert timeline.turns[0].text == "x" and latest([fix, TurnCorrection(1, "y", "Mr Li", WHEN.replace(hour=11))]).reviewer == "Mr Li"


@pytest.fixture()
def attempt(db_url: str, tmp_path: Path, monkeypatch):
    """A spoken Chinese call (real recording, real analysis) whose second turn says two taboo phrases."""
    url = None if db_url.startswith("sqlite") else db_url
    store = new_store(tmp_path / "store", url)
    attempt_id = spoken_attempt(store, tmp_path / "calls", "zh", "王小明", datetime(2026, 12, 30, 9, tzinfo=UTC))
    yield store, attempt_id
    store.close()


def taboo_cost(findings: list[dict]) -> float:
    return sum(f.get("cost", 0) for f in findings if f.get("criterion") == "taboo")


def test_correcting_a_turn_rescores_keeps_the_original_and_a_revert_restores_it(attempt, tmp_path: Path) -> None:
    store, attempt_id = attempt
    before = store.get_attempt(attempt_id)
    assert taboo_cost(before.findings) > 0 and before.corrections == [] and before.recognised is None

    after = correct_turn(store, attempt_id, 1, BENIGN, "Ms Zhou", when=WHEN)
    assert after.corrections == [TurnCorrection(1, BENIGN, "Ms Zhou", WHEN)]
    assert after.recognised == StoredScore(before.overall, before.scores, before.findings)
    assert taboo_cost(after.findings) == 0 and after.scores["taboo"] > before.scores["taboo"]
    assert after.overall > before.overall
    assert after.timeline == before.timeline   # the recognised text is kept as it was
    assert recognised_timeline(after).turns[1].text == "你听我说，这不是我们的问题"
    assert record_timeline(after).turns[1].text == BENIGN

    # what the manager's other views read is the corrected score
    assert store.list_attempts()[0].overall == after.overall
    assert store.trainee_trend("王小明")[0][1] == after.overall
    assert compare_attempts(before, after).overall.delta == after.overall - before.overall
    report = build_report(after, "en")
    assert report.overall == after.overall and any(BENIGN in text for _, _, text in report.transcript)
    assert ("Transcript", f"corrected by Ms Zhou on 2026-12-31 (recognised score {before.overall})") in report.facts
    assert ("通话记录", f"已由审核人于 2026-12-31 更正（识别结果得分 {before.overall}）") in build_report(after, "zh", anonymous=True).facts
    export_csv(store, tmp_path / "list.csv")
    (row,) = csv.DictReader((tmp_path / "list.csv").open(encoding="utf-8-sig"))
    assert int(row["overall"]) == after.overall and int(row["taboo"]) == after.scores["taboo"]

    # correcting the same turn again replaces the correction; reverting it brings back the recognised score exactly
    again = correct_turn(store, attempt_id, 1, "你听我说，这不是我们的问题", "Mr Li", when=WHEN.replace(hour=11))
    assert [c.reviewer for c in again.corrections] == ["Mr Li"] and taboo_cost(again.findings) > 0
    reverted = revert_turn(store, attempt_id, 1)
    assert reverted.corrections == [] and reverted.recognised is None
    assert (reverted.overall, reverted.scores, reverted.findings) == (before.overall, before.scores, before.findings)


def test_bad_corrections_name_the_problem(attempt) -> None:
    store, attempt_id = attempt
    for args, message in (((attempt_id + 99, 1, "好的"), "does not exist"), ((attempt_id, 9, "好的"), "no turn 9"),
                          ((attempt_id, 1, "   "), "empty")):
        with pytest.raises(StorageError, match=message):
            correct_turn(store, *args, "Ms Zhou")
    with pytest.raises(StorageError, match="reviewer"):
        correct_turn(store, attempt_id, 1, "好的", " ")
    with pytest.raises(StorageError, match="no correction to revert"):
        revert_turn(store, attempt_id, 1)


def test_corrections_travel_with_the_attempt_and_stay_undoable(attempt, tmp_path: Path) -> None:
    store, attempt_id = attempt
    corrected = correct_turn(store, attempt_id, 1, BENIGN, "Ms Zhou", when=WHEN)
    bundle = export_attempt(store, attempt_id, tmp_path / "a.zip")
    anonymous = export_attempt(store, attempt_id, tmp_path / "anon.zip", anonymous=True)
    with zipfile.ZipFile(anonymous) as z:
        meta = json.loads(z.read("attempt.json"))
    assert meta["corrections"][0]["reviewer"] == "reviewer" and "Zhou" not in json.dumps(meta)

    other = new_store(tmp_path / "other")
    try:
        for path, reviewer in ((bundle, "Ms Zhou"), (anonymous, "reviewer")):
            copy = other.get_attempt(import_attempt(other, path))
            assert copy.corrections == [TurnCorrection(1, BENIGN, reviewer, WHEN)]
            assert (copy.overall, copy.recognised) == (corrected.overall, corrected.recognised)
            assert copy.timeline == corrected.timeline
            back = revert_turn(other, copy.id, 1)
            assert back.overall == corrected.recognised.overall and back.corrections == []
    finally:
        other.close()


def test_a_bundle_correcting_a_turn_it_does_not_have_is_refused(attempt, tmp_path: Path) -> None:
    store, attempt_id = attempt
    correct_turn(store, attempt_id, 1, BENIGN, "Ms Zhou", when=WHEN)
    good = export_attempt(store, attempt_id, tmp_path / "a.zip")
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "attempt.json":
                meta = json.loads(data)
                meta["corrections"][0]["turn"] = 7
                data = json.dumps(meta).encode()
            dst.writestr(item, data)
    other = new_store(tmp_path / "other")
    try:
        with pytest.raises(StorageError, match="turn 7"):
            import_attempt(other, bad)
    finally:
        other.close()
