"""The window's background jobs hand their results back one per pass of the event loop (issue 13.2): results
that arrive together would otherwise be shown in one long turn of the loop (a comparison and an analysis
together held it for 100 ms and more), while a timer, input and painting waited."""

from __future__ import annotations

import threading

from PySide6.QtCore import QTimer

from simulator.ui.service_jobs import ServiceJobs


class Passes:
    """Counts the passes of the event loop with a zero-interval timer (it fires once per pass)."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer(interval=0)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.count += 1


def finished_together(jobs: ServiceJobs, keys: list[str], shown: list, passes: Passes) -> None:
    """Start one job per key, all released at once, and wait for their threads to end before the event
    loop runs again: their results are all waiting at the next pass."""
    go = threading.Event()
    tasks = [jobs.run(key, lambda _cancel, k=key: go.wait(10) and k,
                      lambda result: shown.append((result, passes.count))) for key in keys]
    go.set()
    for task in tasks:
        assert task.wait(10_000)


def test_results_back_together_are_shown_one_per_pass(qtbot):
    jobs, passes, shown = ServiceJobs(), Passes(), []
    finished_together(jobs, ["a", "b", "c"], shown, passes)
    assert jobs.busy                      # results waiting to be shown still count as work under way
    qtbot.waitUntil(lambda: not jobs.busy, timeout=5000)
    assert sorted(result for result, _ in shown) == ["a", "b", "c"]
    seen = [at for _, at in shown]
    assert len(set(seen)) == 3, seen   # each in a pass of its own
    passes.timer.stop()


def test_a_step_for_later_runs_in_a_later_pass(qtbot):
    jobs, passes, shown = ServiceJobs(), Passes(), []

    def first_part(result: str) -> None:
        shown.append((result, passes.count))
        jobs.later(lambda: shown.append(("rest", passes.count)))
        assert jobs.busy   # until the rest is shown

    jobs.run("a", lambda _cancel: "a", first_part)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=5000)
    assert [what for what, _ in shown] == ["a", "rest"] and shown[0][1] < shown[1][1]
    qtbot.waitUntil(lambda: not jobs.busy, timeout=5000)
    passes.timer.stop()


def test_a_result_waiting_for_its_pass_is_dropped_when_a_newer_job_takes_its_key(qtbot):
    jobs, passes, shown = ServiceJobs(), Passes(), []
    finished_together(jobs, ["a"], shown, passes)
    newer = jobs.run("a", lambda _cancel: "newer", lambda result: shown.append((result, passes.count)))
    assert newer.wait(10_000)
    qtbot.waitUntil(lambda: not jobs.busy, timeout=5000)
    assert [result for result, _ in shown] == ["newer"]
    passes.timer.stop()


def test_closing_drops_the_results_waiting_for_their_pass(qtbot):
    jobs, passes, shown = ServiceJobs(), Passes(), []
    finished_together(jobs, ["a", "b"], shown, passes)
    jobs.wait()
    qtbot.wait(50)
    assert shown == [] and not jobs.busy
    passes.timer.stop()
