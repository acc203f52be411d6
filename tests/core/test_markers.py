"""Review markers, moment windows and finding lists from a real analysis of a hand-written call."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core.analysis.call import analyze_call
from simulator.core.review import call_markers, envelope, moment_window, next_marker, split_findings
from simulator.core.review.markers import DRAWN_CODES, Marker
from tests.review_call import review_timeline


@pytest.fixture(scope="module")
def analysis():
    return analyze_call(review_timeline(), language="en", persona_type="angry_threatening")


@pytest.fixture(scope="module")
def markers(analysis):
    return call_markers(analysis)


def _of(markers: list[Marker], kind: str) -> list[Marker]:
    return [m for m in markers if m.kind == kind]


def _word_start(turn_index: int, word: str) -> float:
    turn = review_timeline().turns[turn_index]
    return next(w.start for w in turn.timed_words() if w.word.lower() == word)


def test_interruption_spans_the_overlap(markers):
    (cut,) = _of(markers, "interruption")
    assert cut.time == pytest.approx(4.0) and cut.end == pytest.approx(6.0)
    assert cut.turn == 1 and "not our problem" in cut.text


def test_dead_air_between_customer_and_reply(markers):
    (gap,) = _of(markers, "dead_air")
    assert (gap.time, gap.end) == (pytest.approx(11.0), pytest.approx(15.0))


def test_taboo_phrases_land_on_their_words(markers):
    taboo = _of(markers, "taboo")
    assert [m.text for m in taboo] == ["listen to me", "not our problem"]
    assert taboo[0].time == pytest.approx(_word_start(1, "listen"), abs=0.01)
    assert taboo[1].time == pytest.approx(_word_start(1, "not"), abs=0.01)
    assert all(m.turn == 1 for m in taboo)


def test_empathy_in_the_apology_turn(markers):
    empathy = _of(markers, "empathy")
    assert empathy and all(m.turn == 3 and 15.0 <= m.time < 20.0 for m in empathy)
    assert empathy[0].time == pytest.approx(_word_start(3, "i"), abs=0.01)


def test_findings_become_markers_once_per_moment(analysis, markers):
    findings = analysis.scorecard.findings
    advice, praise = _of(markers, "advice"), _of(markers, "praise")
    # every timed finding not drawn by another marker appears in the marker of its moment
    for f in findings:
        if f.time is None or f.code in DRAWN_CODES:
            continue
        pool = praise if f.severity == "good" else advice
        assert any(abs(m.time - f.time) < 0.06 and f.message in m.text.split("\n") for m in pool), f.code
    # no two advice markers at one moment; the interruption finding is not repeated as advice
    assert len({round(m.time, 1) for m in advice}) == len(advice)
    assert not any("cut in" in m.text for m in advice if m.time == pytest.approx(4.0))
    assert len([f for f in findings if f.time == 4.0 and f.code not in DRAWN_CODES and f.severity != "good"]) > 1


def test_markers_sorted_by_time(markers):
    times = [m.time for m in markers]
    assert times == sorted(times) and len(markers) >= 8


def test_moment_window_clamps_to_the_call():
    assert moment_window(10.0) == (9.0, 16.0)
    assert moment_window(0.4) == (0.0, 6.4)
    assert moment_window(24.0, duration=26.0) == (23.0, 26.0)
    assert moment_window(30.0, before=2.0, duration=26.0) == (26.0, 26.0)


def test_next_marker_steps_both_ways(markers):
    first = next_marker(markers, -1.0)
    assert first is markers[0]
    after = next_marker(markers, 11.0)
    assert after is not None and after.time > 11.0 and after.time == min(m.time for m in markers if m.time > 11.05)
    before = next_marker(markers, 11.0, forward=False)
    assert before is not None and before.time < 11.0
    assert next_marker(markers, 1000.0) is None


def test_split_findings_sorts_and_separates(analysis):
    advice, praise = split_findings(list(reversed(analysis.scorecard.findings)))
    assert advice and praise
    assert all(f.severity == "good" for f in praise) and all(f.severity != "good" for f in advice)
    timed = [f.time for f in advice if f.time is not None]
    assert timed == sorted(timed)
    assert len(advice) + len(praise) == len(analysis.scorecard.findings)


def test_envelope_bounds_points_and_keeps_peaks():
    sr = 16000
    samples = np.zeros(20 * 60 * sr, dtype=np.float32)
    samples[sr * 600] = 0.9  # one click in the middle of a 20-minute call
    samples[sr * 900] = -0.7
    env = envelope(samples, sr, max_buckets=2000)
    x, y = env.curve()
    assert len(env.times) <= 2000 and x.size == y.size == 2 * len(env.times)
    assert env.high.max() == pytest.approx(0.9) and env.low.min() == pytest.approx(-0.7)
    assert env.times[np.argmax(env.high)] == pytest.approx(600.0, abs=20 * 60 / 2000)
    assert env.times[-1] <= 20 * 60 and env.peak == pytest.approx(0.9)


def test_envelope_of_short_clip_is_the_samples():
    samples = np.array([0.1, -0.2, 0.3], dtype=np.float32)
    env = envelope(samples, 10)
    assert np.allclose(env.low, samples) and np.allclose(env.high, samples)
    assert np.allclose(env.times, [0.0, 0.1, 0.2])


@pytest.mark.parametrize(("score", "band"), [(100, "good"), (80, "good"), (79, "fair"), (60, "fair"), (59, "poor"), (0, "poor")])
def test_score_band(score, band):
    from simulator.core.review import score_band

    assert score_band(score) == band
