"""Pure review computations: stored scores read back, comparison deltas, the trend series, report content."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from simulator.core.analysis.call import analyze_call
from simulator.core.review.compare import compare_attempts, ordered, trainee_numbers
from simulator.core.review.report import build_report
from simulator.core.review.stored import record_timeline, stored_criteria, stored_findings, with_stored_scores
from simulator.core.review.trend import trend_series
from simulator.storage import AttemptRecord
from tests.storage_fixtures import scorecard, timeline

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def record(id_: int, seed: int, minutes: int = 0, trainee: str = "王小明", **changes) -> AttemptRecord:
    overall, scores, findings = scorecard(seed)
    start = T0 + timedelta(minutes=minutes)
    base = AttemptRecord(id=id_, trainee=trainee, persona_id="angry_zh", persona_type="angry", scenario_id="heating",
                         language="zh", started_at=start, ended_at=start + timedelta(seconds=90 + seed),
                         ending="resolved", ending_reason=None, status="complete", overall=overall, scores=scores,
                         findings=findings, timeline=timeline(3), notes="王小明 was nervous")
    return replace(base, **changes)


def test_stored_criteria_accepts_the_analyze_json_score_object_and_keeps_scorecard_order():
    score = {"overall": 58, "taboo": 100, "pauses": 40, "not_measured": ["loudness"], "custom": 7, "flag": True}
    assert list(stored_criteria(score).items()) == [("pauses", 40), ("taboo", 100), ("custom", 7)]


def test_stored_findings_become_scorecard_findings():
    found = stored_findings([{"code": "taboo", "turn": 3, "time": 12, "message": "m", "criterion": "taboo",
                              "severity": "bad"}, {"code": "x", "message": "call level"}])
    assert found[0].time == 12.0 and found[0].severity == "bad" and found[0].criterion == "taboo"
    assert found[1].time is None and found[1].severity == "warn"


def test_with_stored_scores_shows_what_the_trainee_was_given_but_keeps_the_measured_markers():
    rec = record(1, seed=3)
    analysis = analyze_call(record_timeline(rec), persona_type="angry")
    shown = with_stored_scores(analysis, rec)
    assert shown.scorecard.overall == rec.overall != analysis.scorecard.overall
    assert shown.scorecard.criteria == rec.scores
    assert [f.code for f in shown.scorecard.findings] == ["interruption", "taboo"]
    assert "loudness" in shown.scorecard.not_measured and "pauses" not in shown.scorecard.not_measured
    assert shown.measures is analysis.measures and shown.scorecard.clear == analysis.scorecard.clear
    assert with_stored_scores(analysis, replace(rec, overall=None)) is analysis


def test_record_timeline_of_an_attempt_without_turns_is_empty():
    assert record_timeline(record(1, 1, timeline={})).turns == []
    assert record_timeline(record(1, 1, timeline={"broken": 1})).turns == []
    assert len(record_timeline(record(1, 1)).turns) == 3


def test_comparison_deltas_run_from_the_earlier_attempt_to_the_later():
    early, late = record(1, seed=1), record(2, seed=2, minutes=60)
    first, second = ordered(late, early)
    assert (first.id, second.id) == (1, 2)
    cmp = compare_attempts(first, second)
    assert cmp.overall.delta == late.overall - early.overall
    assert [c.name for c in cmp.criteria] == ["pauses", "pace", "empathy", "apology", "resolve"]
    for c in cmp.criteria:
        assert c.delta == late.scores[c.name] - early.scores[c.name]
    assert set(cmp.improved) == {n for n in early.scores if late.scores[n] > early.scores[n]}
    assert set(cmp.worse) == {n for n in early.scores if late.scores[n] < early.scores[n]}
    assert cmp.duration_delta == pytest.approx(1.0)
    assert cmp.findings == (2, 2)


def test_comparison_with_a_missing_score_has_no_delta_for_it():
    a = record(1, seed=1, scores={"pace": 50})
    b = record(2, seed=2, scores={"pace": 70, "taboo": 10}, overall=None)
    cmp = compare_attempts(a, b)
    assert cmp.overall.delta is None
    assert [(c.name, c.first, c.second, c.delta) for c in cmp.criteria] == [
        ("pace", 50, 70, 20), ("taboo", None, 10, None)]


def test_trend_series_is_in_date_order_with_a_running_mean():
    points = [(T0 + timedelta(days=d), s) for d, s in [(3, 80), (0, 40), (1, 50), (2, 60), (4, 90), (5, 100)]]
    series = trend_series(points, window=3)
    assert series.scores == [40, 50, 60, 80, 90, 100]
    assert series.times == sorted(series.times) and series.times[0] == T0.timestamp()
    assert series.running_mean == pytest.approx([40, 45, 50, 190 / 3, 230 / 3, 90])
    assert series.change == pytest.approx(50)
    assert trend_series([]).change is None


@pytest.mark.parametrize("language, heading, persona_label, speaker", [
    ("zh", "通话评估报告", "客户", "学员"), ("en", "Call report", "Customer", "Trainee")])
def test_report_content_in_each_language(language, heading, persona_label, speaker):
    rec = record(5, seed=4)
    report = build_report(rec, language, persona_name="暴躁的王先生")
    assert report.title == heading
    assert (persona_label, "暴躁的王先生") in report.facts and ("5" in dict(report.facts).values())
    assert report.overall == rec.overall and report.overall_text == str(rec.overall)
    assert [s for _, s in report.scores] == list(rec.scores.values())
    assert [f.time for f in report.findings] == ["0:04", "0:12"]
    assert [t[1] for t in report.transcript] == [persona_label, speaker, persona_label]
    assert report.notes == rec.notes


def test_anonymous_report_hides_the_name_everywhere_and_drops_notes():
    rec = record(5, seed=4, trainee="Alice", timeline=timeline(3, trainee_says="This is Alice, so sorry"))
    report = build_report(rec, "en", anonymous=True)
    text = repr(report)
    assert "Alice" not in text and "Trainee 1" in text and report.notes == ""


def test_report_refuses_an_unknown_language():
    with pytest.raises(ValueError, match="zh, en"):
        build_report(record(1, 1), "fr")


def test_which_attempt_did_better_and_how_hidden_names_are_numbered():
    a = record(1, seed=1, scores={"pace": 50, "taboo": 40, "empathy": 30}, overall=60)
    b = record(2, seed=2, minutes=5, scores={"pace": 70, "taboo": 40, "fillers": 10}, overall=55)
    cmp = compare_attempts(a, b)
    assert cmp.better == 0 and cmp.overall.delta == -5
    assert {c.name: c.better for c in cmp.criteria} == {"pace": 1, "taboo": None, "empathy": None, "fillers": None}
    assert compare_attempts(a, replace(b, overall=60)).better is None
    assert compare_attempts(a, replace(b, overall=None)).better is None
    assert trainee_numbers(a, b) == (1, 1) and trainee_numbers(a, replace(b, trainee="Li Na")) == (1, 2)
