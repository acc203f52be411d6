"""Issue 13.2: with 100 ms of latency each way between the app and a team PostgreSQL, the review window on
10,000 attempts (list, filter, scroll, open a spoken attempt, notes, PDF, compare) and the end of a call never
hold the event loop for long, and show that they are busy while they wait. A QTimer ticking every 10 ms
measures the largest gap of each step (tests/remote_review.py).

MAX_GAP is the bound that holds with another test run beside this one on the 2-core machine; the issue's
100 ms is the target bench/bench_review_responsiveness.py reports (met on the quiet machine, see README)."""

from __future__ import annotations

import time

import pytest

from simulator.app import ReviewService
from simulator.settings import Settings
from simulator.speech.tts import SpeechRenderer
from simulator.ui.call_controller import CallController, Capabilities
from simulator.ui.main_window import MainWindow
from simulator.ui.review import ReviewWindow
from tests.remote_review import ATTEMPTS, DELAY, NOTES, TRAINEE, end_of_call, remote_team, review_steps

MAX_GAP = 0.25


@pytest.fixture(scope="module")
def team(postgres, tmp_path_factory):
    team = remote_team(postgres, tmp_path_factory.mktemp("team"))
    yield team
    team.close()


def test_review_on_a_slow_team_database_never_stalls_the_window(qtbot, team, tmp_path):
    remote = team.store
    started = time.monotonic()
    assert remote.count_attempts() == ATTEMPTS + 2
    assert time.monotonic() - started >= 2 * DELAY * 0.9   # the proxy really delays each round trip
    window = ReviewWindow(ReviewService(remote))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    steps = review_steps(team, window, tmp_path, lambda done: qtbot.waitUntil(done, timeout=60000))

    assert window.model.total == remote.count_attempts(ending="resolved") < ATTEMPTS
    assert window.model.rowCount() > 200                                  # the next page came on scrolling
    assert remote.get_attempt(team.spoken["en"]).notes == NOTES
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert {r.id for r in window.compare_view.records} == set(team.spoken.values())
    assert all(side.audio is not None for side in window.compare_view.sides)   # both recordings decoded
    waited = [s.name for s in steps if not s.busy_shown]
    assert not waited, f"no busy indicator while these steps waited: {waited}"
    gaps = {s.name: round(s.largest, 3) for s in steps}
    assert max(gaps.values()) <= MAX_GAP, gaps
    window.jobs.settle()


def test_the_end_of_a_call_on_a_slow_team_database_never_stalls_the_window(qtbot, team, tmp_path):
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), store=team.store,
                                capabilities=Capabilities(audio=False, model_path=None, problems=()),
                                settings=Settings(trainee_name=TRAINEE))
    window = MainWindow(controller, "zh")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    before = team.store.count_attempts(trainee=TRAINEE, persona="zh.insulting")
    step = end_of_call(team, window, lambda done: qtbot.waitUntil(done, timeout=60000))

    assert team.store.count_attempts(trainee=TRAINEE, persona="zh.insulting") == before + 1
    newest = max(team.store.list_attempts(trainee=TRAINEE, persona="zh.insulting", limit=ATTEMPTS),
                 key=lambda a: a.id)
    assert newest.ending == "ended_early" and newest.status == "complete"
    assert "Overall score" in window.result_page.scorecard.overall_label.text()
    assert step.busy_shown, "'Scoring the call…' was not shown while the call was scored and stored"
    assert step.largest <= MAX_GAP, round(step.largest, 3)
    window.jobs.settle()
