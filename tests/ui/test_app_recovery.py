"""After a crash mid-call, the next start of the app recovers the attempt and says so (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import sys
from pathlib import Path

from tests.storage_fixtures import db_url

__all__ = ["db_url"]  # the fixture: SQLite and PostgreSQL

CHILD = r"""
import sys, time
import numpy as np
from pathlib import Path

from tests.storage_fixtures import db_url

__all__ = ["db_url"]  # the fixture: SQLite and PostgreSQL
from simulator.speech.recorder import CallRecorder
from simulator.storage.db import open_store

store = open_store(sys.argv[1], Path(sys.argv[2]))
attempt_id, path = store.begin_attempt("王五", "zh.angry_threatening", "angry_threatening", "heating_below_standard", "zh")
store.save_progress(attempt_id, {"version": 1, "language": "zh", "persona": "zh.angry_threatening",
                                 "turns": [{"speaker": "customer", "start": 0.0, "end": 2.0, "text": "暖气不热"}]})
recorder = CallRecorder(path)
t = 0.0
while True:
    recorder.add_customer(t, (0.1 * np.sin(np.arange(1600) / 5)).astype(np.float32))
    t += 0.1
    print(f"{t:.1f}", flush=True)
    time.sleep(0.1)
"""


def test_next_start_recovers_a_call_killed_mid_way(qapp, db_url: str, tmp_path: Path) -> None:
    from simulator.settings import Settings
    from simulator.ui.app import open_attempts, recover_calls

    url = db_url
    recordings = tmp_path / "recordings"
    env = {**os.environ, "ROLEPLAY_SIM_RECORDINGS": str(recordings)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, url, str(recordings)], env=env, text=True,
                             stdout=subprocess.PIPE, cwd=Path(__file__).resolve().parents[2])
    fed = 0.0
    while fed < 3.0:
        fed = float(child.stdout.readline())
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    fed = max([fed, *(float(line) for line in child.stdout.read().split())])

    os.environ["ROLEPLAY_SIM_RECORDINGS"] = str(recordings)
    try:
        store, notes = open_attempts(Settings(db_url=url))
        notes += recover_calls(store)
    finally:
        del os.environ["ROLEPLAY_SIM_RECORDINGS"]
    assert store is not None
    assert notes and "1" in notes[0] and "interrupted" in notes[0]
    attempt = store.list_attempts()[0]
    assert attempt.status == "recovered"
    record = store.get_attempt(attempt.id)
    assert record.timeline["turns"][0]["text"] == "暖气不热"
    import soundfile

    recording = store.recording_path(attempt.id)
    info = soundfile.info(str(recording))
    assert info.format == "FLAC" and fed - 1.5 <= info.duration <= fed
    assert [p.name for p in recordings.iterdir()] == [recording.name]   # the partial file is gone
    again, notes_again = open_attempts(Settings(db_url=url))
    assert notes_again == [] and recover_calls(again) == []


CRASHED_AT_START = r"""
import os, sys
from pathlib import Path
from simulator.storage.db import open_store
store = open_store(sys.argv[1], Path(sys.argv[2]))
attempt_id, path = store.begin_attempt("王五", "zh.angry_threatening", "angry_threatening", "heating", "zh")
print(attempt_id, path, flush=True)
os._exit(0)  # a crash: the attempt stays in_progress, its lock is dropped with the process
"""


def test_the_window_opens_while_an_hour_long_call_is_recovered(qtbot, tmp_path: Path, monkeypatch) -> None:
    from simulator.core.recording_file import partial_path
    from simulator.settings import Settings
    from simulator.ui.app import build_window
    from tests.cli.test_recording_limits import set_claimed_length, stereo

    url, recordings = f"sqlite:///{tmp_path / 'attempts.sqlite3'}", tmp_path / "recordings"
    monkeypatch.setenv("ROLEPLAY_SIM_RECORDINGS", str(recordings))
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "data"))
    started = subprocess.run([sys.executable, "-c", CRASHED_AT_START, url, str(recordings)], check=True, text=True,
                             capture_output=True, cwd=Path(__file__).resolve().parents[2])
    attempt_id, path = started.stdout.split()
    partial = partial_path(Path(path))
    stereo(partial, 3600)  # what the recorder had written in an hour when the app died
    set_claimed_length(partial, 0)

    window = build_window(Settings(db_url=url))
    qtbot.addWidget(window)
    # The window is back before the recording is: no event has run yet, so a recovery done on the GUI
    # thread would already have said so here.
    assert window.statusBar().currentMessage() == "Recovering interrupted calls…"
    assert "Recovered" not in window.problems.text()
    qtbot.waitUntil(lambda: "Recovered 1 interrupted call" in window.problems.text(), timeout=120_000)
    assert window.statusBar().currentMessage() == ""
    record = window.controller.store.get_attempt(int(attempt_id))
    assert record.status == "recovered" and 3599 <= record.duration <= 3601
