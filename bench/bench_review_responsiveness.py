"""Benchmark: the review window and the end of a call on a team PostgreSQL 100 ms away (target: the event loop
never held for more than 100 ms). A private PostgreSQL server (tests/postgres.py) with 10,000 attempts and two
spoken ones, reached through a latency proxy on 127.0.0.1 (100 ms each way); the steps of
tests/remote_review.py: list, filter, scroll, open, notes, PDF, compare, then a typed call ended in the
trainee's window. Per step the largest gap between two ticks of a 10 ms timer, the 99th percentile, and the
GUI thread's own CPU time within one gap (the rest of a gap is waiting for a core or the GIL: a busy machine).
Run: python -m bench.bench_review_responsiveness [rounds] [--where] (offscreen Qt, settings in a temporary
folder; --where prints where each step's stalls spent their time)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import Row, print_table

TARGET = 0.1


def _wait(done: Callable[[], bool], timeout: float = 60.0) -> None:
    from PySide6.QtCore import QEventLoop

    loop, deadline = QEventLoop(), time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the step did not finish within a minute")
        loop.processEvents(QEventLoop.AllEvents, 5)


def _round(server, folder: Path, where: bool) -> list:
    """One pass over every step, in a new database; the steps with their gaps. `where`: print where the
    time of each step's stalls went (tests/remote_review.py StallSampler)."""
    from simulator.app import ReviewService
    from simulator.settings import Settings
    from simulator.speech.tts import SpeechRenderer
    from simulator.ui.call_controller import CallController, Capabilities
    from simulator.ui.main_window import MainWindow
    from simulator.ui.review import ReviewWindow
    from tests.remote_review import TRAINEE, GapMeter, StallSampler, end_of_call, remote_team, review_steps

    team = remote_team(server, folder)
    meter = GapMeter()
    sampler = StallSampler(meter) if where else None

    def said(step) -> None:
        print(f"{step.name}: largest gap {step.largest * 1000:.0f} ms, p99 {step.p99 * 1000:.0f} ms, GUI thread's "
              f"work in one gap at most {step.largest_work * 1000:.0f} ms", file=sys.stderr)
        if sampler is not None:
            print(sampler.report(), file=sys.stderr)

    try:
        window = ReviewWindow(ReviewService(team.store))
        window.show()
        review_steps(team, window, folder, _wait, meter, said)
        window.jobs.settle()
        window.close()
        controller = CallController(renderer=SpeechRenderer(folder / "tts"), store=team.store,
                                    capabilities=Capabilities(audio=False, model_path=None, problems=()),
                                    settings=Settings(trainee_name=TRAINEE))
        main = MainWindow(controller, "zh")
        main.show()
        end_of_call(team, main, _wait, meter, said)
        main.jobs.settle()
        main.close()
        controller.renderer.close()   # lines still being voiced ahead, before their folder goes
        return team.steps
    finally:
        if sampler is not None:
            sampler.stop()
        meter.stop()
        team.close()


def run(rounds: int = 3, where: bool = False) -> list[Row]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from tests.postgres import postgres_missing, postgres_session

    if (missing := postgres_missing()) is not None:
        print(f"bench_review_responsiveness skipped: {missing}", file=sys.stderr)
        return []
    app = QApplication.instance() or QApplication([])
    largest: dict[str, float] = {}
    p99: dict[str, float] = {}
    work: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ROLEPLAY_SIM_CONFIG"] = f"{tmp}/config"   # the windows save their settings here
        os.environ["ROLEPLAY_SIM_DATA"] = f"{tmp}/data"
        server_session = postgres_session()
        server = next(server_session)
        try:
            for n in range(rounds):
                for step in _round(server, Path(tmp) / f"round{n}", where):
                    largest[step.name] = max(largest.get(step.name, 0.0), step.largest)
                    p99[step.name] = max(p99.get(step.name, 0.0), step.p99)
                    work[step.name] = max(work.get(step.name, 0.0), step.largest_work)
        finally:
            server_session.close()
    del app
    rows = [Row(f"remote review, 100 ms each way: {name}, largest event-loop gap (worst of {rounds})", largest[name],
                "s", f"< {TARGET}") for name in largest]
    rows += [Row(f"remote review: {name}, 99th percentile gap (worst of {rounds})", p99[name], "s") for name in p99]
    rows += [Row(f"remote review: {name}, the GUI thread's CPU time within one gap (worst of {rounds})", work[name],
                 "s", f"< {TARGET}") for name in work]
    return rows


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    print_table(run(int(numbers[0]) if numbers else 3, where="--where" in sys.argv))
