"""The picker's recent attempts come from the call service off the GUI thread: the window opens and stays live
while the database answers, a newer read (another trainee) replaces an older one, and a damaged attempts table
is said in the window, with an empty list."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from simulator.settings import Settings
from simulator.speech.tts import SpeechRenderer
from simulator.storage.db import open_store
from simulator.ui.call_controller import CallController, Capabilities
from simulator.ui.main_window import MainWindow
from tests.storage_fixtures import record_call

TYPED_ONLY = Capabilities(audio=False, model_path=None, problems=())
HELD_S = 5.0   # how long a read waits for the test's go-ahead at most


def _window(qtbot, tmp_path: Path, store, trainee: str) -> MainWindow:
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), capabilities=TYPED_ONLY, store=store,
                                settings=Settings(trainee_name=trainee))
    window = MainWindow(controller, "zh")
    qtbot.addWidget(window)
    return window


def test_the_recent_attempts_are_read_off_the_gui_thread(qtbot, tmp_path: Path, store, monkeypatch) -> None:
    for trainee in ("王小明", "王小明", "李雷"):
        record_call(store, trainee)
    go, readers = threading.Event(), []
    read = store.list_attempts

    def held_read(**filters):
        """The real read, once the test lets it go: a database that is slow to answer."""
        readers.append(threading.current_thread())
        go.wait(HELD_S)
        return read(**filters)

    monkeypatch.setattr(store, "list_attempts", held_read)
    began = time.monotonic()
    window = _window(qtbot, tmp_path, store, "王小明")
    window.show()
    opened = time.monotonic() - began
    ticks: list[float] = []
    qtbot.waitUntil(lambda: bool(readers), timeout=5000)
    for _ in range(5):                                  # the event loop runs while the read waits
        qtbot.wait(20)
        ticks.append(time.monotonic())
    assert opened < HELD_S / 2 and window.jobs.busy and window.picker.recent.rowCount() == 0
    assert max(b - a for a, b in zip(ticks, ticks[1:])) < 0.5
    go.set()
    qtbot.waitUntil(lambda: window.picker.recent.rowCount() == 2, timeout=10000)
    assert threading.main_thread() not in readers

    assert window.switch_trainee("李雷")
    window.jobs.settle()
    assert window.picker.recent.rowCount() == 1 and threading.main_thread() not in readers


def test_a_damaged_attempts_table_is_said_and_the_list_stays_empty(qtbot, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'attempts.sqlite3'}"
    store = open_store(url, tmp_path / "recordings")
    record_call(store, "王小明")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX IF EXISTS ix_attempts_status"))
        connection.execute(text("ALTER TABLE attempts DROP COLUMN status"))
    engine.dispose()
    try:
        window = _window(qtbot, tmp_path, store, "王小明")
        window.jobs.settle()
        assert window.picker.recent.rowCount() == 0
        assert "attempts database" in window.problems.text() and window.problems.isVisibleTo(window)
    finally:
        store.close()
