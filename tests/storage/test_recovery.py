"""Nothing a trainee did may be lost: a call whose process is killed is recovered on the next start with a
playable recording and its last saved timeline, and a full disk ends the recording, not the attempt."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from sqlalchemy import update

from simulator.core.recording_file import READ_BLOCK
from simulator.speech.recorder import COMPRESSION, CallRecorder
from simulator.storage import open_store
from simulator.storage.models import Attempt
from simulator.storage.recovery import salvage
from tests.small_disk import small_disk
from tests.storage_fixtures import db_url, read_audio, timeline, tone

__all__ = ["db_url"]

RATE = 16000

CALL = """
import json, sys, time
from simulator.speech.recorder import CallRecorder
from simulator.storage import open_store
from tests.storage_fixtures import timeline, tone

store = open_store(sys.argv[1])
attempt_id, path = store.begin_attempt("王小明", "angry_zh", "angry", "heating", "zh")
recorder = CallRecorder(path)
block = 0.1
for i in range(10_000):
    t = i * block
    recorder.add_customer(t, tone(block, 300, offset=round(t * 16000)))
    recorder.add_trainee(t, tone(block, 800, offset=round(t * 16000)))
    if i % 10 == 9:
        store.save_progress(attempt_id, timeline(i // 10 + 1))
    print(json.dumps({"id": attempt_id, "fed": t + block, "turns": i // 10}), flush=True)
    time.sleep(block)
"""


def test_a_killed_call_is_recovered_with_its_audio_and_last_saved_timeline(db_url: str, tmp_path: Path) -> None:
    call = subprocess.Popen([sys.executable, "-c", CALL, db_url], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    state = {"fed": 0.0}
    while state["fed"] < 3.5:
        line = call.stdout.readline()
        assert line, "the call process ended early"
        state = json.loads(line)
    call.send_signal(signal.SIGKILL)
    call.wait(timeout=10)
    for line in call.stdout.read().split("\n"):
        state = json.loads(line) if line else state

    store = open_store(db_url)
    live_id, _ = store.begin_attempt("Li Na", "angry_zh", "angry", "heating", "zh")  # this process: still live
    assert store.get_attempt(state["id"]).status == "in_progress"
    assert store.recover_interrupted() == [state["id"]]
    assert store.recover_interrupted() == []

    got = store.get_attempt(state["id"])
    assert got.status == "recovered" and "interrupted" in got.ending_reason and got.ending is None
    assert got.timeline == timeline(state["turns"]) and state["turns"] >= 3
    assert store.get_attempt(live_id).status == "in_progress"
    assert [r.status for r in store.list_attempts()] == ["in_progress", "recovered"]

    path = store.recording_path(state["id"])
    assert sf.info(str(path)).format == "FLAC" and not path.with_suffix(".partial.flac").exists()
    assert [p.name for p in store.recordings_dir.iterdir()] == [path.name]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = read_audio(path)
    kept = len(data) / RATE
    assert state["fed"] - 1.5 <= kept <= state["fed"]
    assert got.duration >= kept - 0.2
    expected = np.stack([tone(kept, 300), tone(kept, 800)], axis=1)
    assert np.abs(data - expected).max() < 1e-3
    store.close()


HOLDER = """
import sys
from simulator.storage import open_store

store = open_store(sys.argv[1])
attempt_id, _ = store.begin_attempt("Li Na", "angry_zh", "angry", "heating", "zh")
print(attempt_id, flush=True)
sys.stdin.read()  # the call runs until the test closes stdin
"""


def test_recovery_goes_by_the_running_call_s_lock_not_by_its_pid(db_url: str) -> None:
    store = open_store(db_url)  # the schema exists before the calls open the database
    calls = [subprocess.Popen([sys.executable, "-c", HOLDER, db_url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, cwd=Path(__file__).resolve().parents[2]) for _ in range(2)]
    live_id, dead_id = (int(call.stdout.readline()) for call in calls)
    calls[1].kill()
    calls[1].wait(timeout=10)
    with store.engine.begin() as db:  # the restarted app got the dead call's pid; the live call's pid is free
        db.execute(update(Attempt).where(Attempt.id == dead_id).values(pid=os.getpid()))
        db.execute(update(Attempt).where(Attempt.id == live_id).values(pid=calls[1].pid))
    assert store.recover_interrupted() == [dead_id]
    assert store.get_attempt(live_id).status == "in_progress"
    calls[0].stdin.close()  # its process ends without finishing the attempt
    calls[0].wait(timeout=10)
    assert store.recover_interrupted() == [live_id]
    assert store.get_attempt(live_id).status == "recovered" and list(store.locks_dir.iterdir()) == []
    store.close()


def cut_off_flac(path: Path, audio: np.ndarray, scratch: Path) -> int:
    """What a kill mid-call leaves: the FLAC as flushed so far (no length in its header), ending in half a
    frame. Returns how many bytes it holds."""
    with sf.SoundFile(scratch, "w", samplerate=RATE, channels=2, format="FLAC", subtype="PCM_16",
                      compression_level=COMPRESSION) as writer:
        writer.write(audio)
        writer.flush()
        raw = scratch.read_bytes()[:-7]
    path.write_bytes(raw)
    return len(raw)


def test_salvage_re_encodes_a_cut_off_flac_into_a_clean_one(tmp_path: Path) -> None:
    final = tmp_path / "attempt-1.flac"
    audio = np.stack([tone(1.5, 300), tone(1.5, 800)], axis=1)
    cut_off_flac(final.with_suffix(".partial.flac"), audio, tmp_path / "scratch.flac")
    with pytest.raises(Exception):
        sf.read(final.with_suffix(".partial.flac"))   # as the crash left it, a plain read fails
    assert salvage(final) == final and not final.with_suffix(".partial.flac").exists()
    data = read_audio(final)
    assert 1.5 * RATE - 2 * 1152 - READ_BLOCK <= len(data) < 1.5 * RATE  # less the encoder's and the torn frame
    assert np.abs(data - audio[:len(data)]).max() < 1e-3
    assert salvage(tmp_path / "attempt-2.flac") is None


@pytest.fixture()
def tiny_disk(tmp_path: Path):
    """A 64 KiB tmpfs (about 1 s of 16 kHz stereo)."""
    with small_disk(tmp_path / "tiny", "64k") as mount:
        yield mount


def test_a_full_disk_ends_the_recording_and_the_attempt_keeps_what_was_written(tiny_disk: Path, tmp_path,
                                                                               monkeypatch) -> None:
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "data"))
    store = open_store(f"sqlite:///{tmp_path / 'a.sqlite3'}", recordings_dir=tiny_disk)
    attempt_id, path = store.begin_attempt("王小明", "angry_zh", "angry", "heating", "zh")
    recorder = CallRecorder(path)
    noise = np.random.default_rng(3).uniform(-0.5, 0.5, 8 * RATE).astype(np.float32)  # barely compresses
    for i in range(80):
        recorder.add_customer(i * 0.1, noise[i * 1600:(i + 1) * 1600])
    recorder.close()
    assert recorder.error is not None and "disk is full" in recorder.error
    store.finish_attempt(attempt_id, "resolved", None, timeline(3), 70, {"empathy": 70}, [],
                         recording_error=recorder.error)
    got = store.get_attempt(attempt_id)
    assert got.status == "complete" and got.overall == 70 and got.timeline == timeline(3)
    assert got.recording_error == recorder.error and got.recording == path.name
    data = read_audio(store.recording_path(attempt_id))
    assert 0.5 * RATE < len(data) < 4 * RATE
    assert np.abs(data[:, 0] - noise[:len(data)]).max() < 1e-4 and not data[:, 1].any()
    store.close()


def test_recovery_on_a_full_disk_repairs_the_flac_in_place(tiny_disk: Path, tmp_path: Path) -> None:
    final = tiny_disk / "attempt-1.flac"
    noise = np.random.default_rng(5).uniform(-0.5, 0.5, (RATE * 9 // 10, 2)).astype(np.float32)
    size = cut_off_flac(final.with_suffix(".partial.flac"), noise, tmp_path / "scratch.flac")
    assert size > 32 * 1024   # noise barely compresses: more than half the disk, no room for a re-encoded copy
    assert salvage(final) == final and list(tiny_disk.iterdir()) == [final]
    assert sf.info(str(final)).format == "FLAC"
    data = read_audio(final)
    assert 0.7 * RATE < len(data) < 0.9 * RATE and np.abs(data - noise[:len(data)]).max() < 1e-4
