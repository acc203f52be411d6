"""The review window and the end of a call on a team PostgreSQL 100 ms away (a latency proxy on 127.0.0.1 in
front of the tests' server), driven step by step while a 10 ms timer measures how long the event loop was held
at a time. Shared by tests/ui/test_remote_database_responsive.py (a bound that holds on a busy machine) and
bench/bench_review_responsiveness.py (the 100 ms target, with max and p99 per step)."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QTimer

from simulator.memory import set_aside_startup_objects
from simulator.storage import AttemptStore
from tests.dialogs import answer_end_question
from tests.latency_proxy import LatencyProxy
from tests.review_store import new_store, spoken_attempt
from tests.storage_fixtures import generated

ATTEMPTS = 10_000
DELAY = 0.1          # seconds each way
TRAINEE = "Li Na"    # one of the generated trainees; the spoken attempts and the call are hers too
NOTES = "slow network, quick window"

Wait = Callable[[Callable[[], bool]], None]   # run the event loop until the condition holds (or fail)


class GapMeter:
    """Every time between two ticks of a 10 ms timer: how long the event loop was held each time, and how much
    of it the GUI thread spent working (its CPU time: on a busy machine the rest is waiting for a core or for
    the GIL); `watch()` is asked at each tick too (is the busy state on screen?)."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)
        self.reset()
        self.timer.start()

    def _tick(self) -> None:
        now, cpu = time.monotonic(), time.thread_time()
        self.gaps.append(now - self.last)
        self.cpu_gaps.append(cpu - self.last_cpu)
        self.seen.append(self.watch())
        self.last, self.last_cpu = now, cpu

    def reset(self, watch: Callable[[], bool] = lambda: False) -> None:
        self.last, self.gaps, self.seen, self.watch = time.monotonic(), [], [], watch
        self.last_cpu, self.cpu_gaps = time.thread_time(), []   # the GUI thread's own work between two ticks
        self.measuring = True   # until the step's end (StallSampler looks only then)

    def stop(self) -> None:
        self.timer.stop()


class StallSampler:
    """Where the time goes while the event loop is held (bench --where): every 3 ms of a stall longer than
    30 ms, the GUI thread's stack and that of every other thread running Python, counted by their last frames."""

    def __init__(self, meter: GapMeter, depth: int = 5) -> None:
        import collections
        import threading

        self.meter, self.depth, self.gui = meter, depth, threading.get_ident()
        self.gui_stacks: collections.Counter = collections.Counter()
        self.other_stacks: collections.Counter = collections.Counter()
        self._stop = threading.Event()
        threading.Thread(target=self._sample, daemon=True, name="stall-sampler").start()

    def _sample(self) -> None:
        import sys
        import threading
        import traceback

        me = threading.get_ident()
        while not self._stop.wait(0.003):
            if not self.meter.measuring or time.monotonic() - self.meter.last < 0.03:
                continue
            for ident, frame in sys._current_frames().items():
                stack = traceback.extract_stack(frame)[-self.depth:]
                if ident == me or (ident != self.gui and any(w in (stack[-1].line or "") for w in IDLE)):
                    continue
                where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(stack))
                (self.gui_stacks if ident == self.gui else self.other_stacks)[where] += 1

    def report(self, top: int = 6) -> str:
        lines = [f"  GUI {n:4d} x 3 ms  {where}" for where, n in self.gui_stacks.most_common(top)]
        lines += [f"  other {n:4d} x 3 ms  {where}" for where, n in self.other_stacks.most_common(top)]
        self.gui_stacks.clear()
        self.other_stacks.clear()
        return "\n".join(lines)

    def stop(self) -> None:
        self._stop.set()


IDLE = ("recv", "sleep", ".get(", ".wait(", "acquire(", "accept(", "select(", "poll(")   # a thread waiting, not working


@dataclass
class Step:
    """One step's gaps and the GUI thread's work in each (seconds), whether the busy state was on screen while
    the step waited, and the SQL the GUI thread itself sent meanwhile (it waits 200 ms a round trip)."""

    name: str
    gaps: list[float]
    cpu_gaps: list[float]
    busy_shown: bool
    gui_sql: list[str] = field(default_factory=list)

    @property
    def largest(self) -> float:
        return max(self.gaps, default=0.0)

    @property
    def largest_work(self) -> float:
        return max(self.cpu_gaps, default=0.0)

    @property
    def p99(self) -> float:
        ordered = sorted(self.gaps)
        return ordered[int(0.99 * (len(ordered) - 1))] if ordered else 0.0


@dataclass
class RemoteTeam:
    """The store as the app sees it across the slow network, and the two spoken attempts (zh, en) in it."""

    store: AttemptStore
    proxy: LatencyProxy
    spoken: dict[str, int]
    steps: list[Step] = field(default_factory=list)
    on_gui_thread: list[str] = field(default_factory=list)   # SQL sent from the GUI thread while a step ran

    def __post_init__(self) -> None:
        from sqlalchemy import event

        gui = threading.main_thread()
        event.listen(self.store.engine, "before_cursor_execute",
                     lambda _conn, _cursor, statement, *_: self.on_gui_thread.append(statement)
                     if threading.current_thread() is gui else None)

    def close(self) -> None:
        self.store.close()
        self.proxy.close()
        gc.unfreeze()   # the objects set aside by remote_team() are collected again (later tests' memory)


def remote_team(server, folder: Path) -> RemoteTeam:
    """A new database on the tests' server with ATTEMPTS generated attempts and two spoken ones (recordings
    in the database, the newest of all), reached through the latency proxy; the objects made so far set
    aside from full garbage collections until close(), as the app sets aside its start-up objects (a full
    collection over the test process's ~500,000 objects held the GUI thread 150-350 ms in a step)."""
    from tests.postgres import PORT, USER

    url = server.new_database()
    direct = new_store(folder / "direct", url)
    direct.add_records(generated(ATTEMPTS))
    spoken = {language: spoken_attempt(direct, folder / "spoken", language, TRAINEE,
                                       datetime(2027, 1, day, 9, 0, tzinfo=UTC))
              for language, day in (("zh", 1), ("en", 2))}
    direct.close()
    proxy = LatencyProxy(server.socket_dir / f".s.PGSQL.{PORT}", DELAY)
    database = url.split("@/")[1].split("?")[0]
    store = new_store(folder / "remote", f"postgresql+psycopg://{USER}@127.0.0.1:{proxy.port}/{database}")
    team = RemoteTeam(store, proxy, spoken)
    set_aside_startup_objects()   # as the started app does once its window is up (simulator.ui.app.run)
    return team


def measure(team: RemoteTeam, meter: GapMeter, name: str, action: Callable[[], object], done: Callable[[], bool],
            wait: Wait, busy: Callable[[], bool]) -> Step:
    """Run `action`, then the event loop until `done()`; `busy()` is asked at each tick meanwhile."""
    team.on_gui_thread.clear()
    meter.reset(busy)
    action()
    wait(done)
    meter.measuring = False
    return Step(name, list(meter.gaps), list(meter.cpu_gaps), any(meter.seen), list(team.on_gui_thread))


def review_steps(team: RemoteTeam, window, folder: Path, wait: Wait, meter: GapMeter | None = None,
                 on_step: Callable[[Step], None] = lambda _step: None) -> list[Step]:
    """List, filter, scroll, open a spoken attempt (its recording decoded and analysed), save notes, write
    its PDF report and compare the two spoken attempts, in the review window; each step's gaps."""
    own = meter is None
    meter = meter or GapMeter()
    jobs = window.jobs

    def step(name: str, action: Callable[[], object], done: Callable[[], bool]) -> Step:
        found = measure(team, meter, name, action, lambda: done() and not jobs.busy, wait, window.busy.isVisible)
        team.steps.append(found)
        on_step(found)
        return found

    step("list", lambda: None, lambda: window.model.total == ATTEMPTS + 2)
    bar = window.filter_bar
    step("filter", lambda: bar.ending.setCurrentIndex(bar.ending.findData("resolved")),
         lambda: window.model.filters == {"ending": "resolved"})
    step("scroll", window.table.scrollToBottom, lambda: window.model.rowCount() > 200)
    newest = team.spoken["en"]
    step("open", lambda: window.select_attempt(newest),
         lambda: window.detail.analysis is not None and window.detail.record.id == newest
         and window.detail.scorecard.has_audio)   # its recording read over the network, decoded, analysed
    window.detail.notes.edit.setPlainText(NOTES)
    step("notes", window.detail.notes.save, lambda: window.detail.notes.status.text() == "Saved")
    target = folder / "report.pdf"
    written: list[str] = []
    window.statusBar().messageChanged.connect(written.append)
    step("pdf", lambda: window.export_pdf("en", target), lambda: any(str(target) in m for m in written))
    window.table.selectRow(window.model.row_of(team.spoken["zh"]))
    window.table.selectionModel().select(window.model.index(window.model.row_of(newest), 0),
                                         QItemSelectionModel.Select | QItemSelectionModel.Rows)
    shown: list[bool] = []
    window.compare_view.shown.connect(lambda: shown.append(True))
    step("compare", window.compare_selected, lambda: bool(shown))
    if own:
        meter.stop()
    return team.steps


def end_of_call(team: RemoteTeam, main_window, wait: Wait, meter: GapMeter | None = None,
                on_step: Callable[[Step], None] = lambda _step: None) -> Step:
    """A typed call in the trainee's window, ended after one reply: from the end until the scorecard is shown
    and the trainee's recent attempts list has the new one (read again over the slow network)."""
    controller = main_window.controller
    wait(lambda: main_window.picker.recent.rowCount() > 0)
    main_window.picker.select("zh.insulting")
    main_window.start_call()
    wait(lambda: main_window.call_page.transcript.count() >= 1)
    main_window.call_page.reply.setText("这不是我们的问题。")
    main_window.call_page.send_reply()
    wait(lambda: main_window.call_page.transcript.count() >= 3)
    saved: list[int] = []
    controller.attemptSaved.connect(saved.append)
    listed = main_window.picker.recent
    listed.setRowCount(0)   # filled again once the saved attempt was read back
    own = meter is None
    meter = meter or GapMeter()
    status = main_window.call_page.status
    found = measure(team, meter, "end of call", lambda: (answer_end_question(), main_window.end_call()),
                    lambda: main_window.result_page.isVisible() and bool(saved) and listed.rowCount() > 0
                    and not main_window.jobs.busy, wait,
                    lambda: status.isVisible() and status.text() == main_window.tr("Scoring the call…"))
    if own:
        meter.stop()
    controller.wait_finished()
    team.steps.append(found)
    on_step(found)
    return found
