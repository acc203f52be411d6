"""An anonymous export cannot leak: the trainee's name, the computer's user name and any absolute path
are nowhere in the bundle (every file of it, the recording included), names go on word boundaries only,
and what remains is a valid attempt that imports. Exports are readable by the user only."""

from __future__ import annotations

import csv
import getpass
import json
import os
import re
import stat
import zipfile
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.core.timeline import Timeline, Turn
from simulator.storage import open_store
from simulator.storage.export import export_attempt
from tests.storage_fixtures import BACKENDS, record_call

ABSOLUTE_PATH = re.compile(rb"""(?<![\w.~/\\])(?:~?/|[A-Za-z]:[\\/])[^\s"'/\\]+[/\\]""")


def bundle_text(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return b"\n".join(z.read(name) for name in z.namelist()) + "\n".join(z.namelist()).encode()


def leaky_attempt(store, trainee: str, tmp_path: Path) -> int:
    """An attempt whose every free-text field holds the name, the user name and paths."""
    attempt = record_call(store, trainee, notes=f"{trainee} was nervous")
    record = store.get_attempt(attempt)
    user = getpass.getuser()
    lines = [Turn("customer", 0.0, 2.0, f"你好，是{trainee}吗？ Is that {trainee.upper()}?", extra={"mood": 70}),
             Turn("trainee", 2.5, 5.0, f"Yes, {trainee} speaking, the trainee; we need e.g. a root-cause fix",
                  extra={"typed": True, "events": [{"kind": "note", "detail": f"saved to {tmp_path}/x.flac"}]}),
             Turn("customer", 5.5, 7.0, "好的", extra={"mood": 60})]
    timeline = Timeline("zh", record.persona_id, lines, {"scenario": "heating"}).to_json()
    findings = [{"code": "slow_reply", "turn": 1, "time": 2.5, "criterion": "pauses", "severity": "warn",
                 "message": f"{trainee} paused; see C:\\Users\\{user}\\notes.txt"}]
    store.finish_attempt(attempt, "resolved", f"ended by {trainee} ({user})", timeline, 70, {"pauses": 70},
                         findings, recording_error=f"cannot write {tmp_path}/recordings/attempt-{attempt}.flac "
                                                   f"for {user}: No space left on device")
    return attempt


@pytest.mark.parametrize("trainee", ["Alice Smith", "王小明", "e"])
def test_nothing_personal_is_left_in_the_anonymous_bundle(store, tmp_path: Path, trainee: str) -> None:
    attempt = leaky_attempt(store, trainee, tmp_path)
    bundle = export_attempt(store, attempt, tmp_path / "out.zip", anonymous=True)
    everything = bundle_text(bundle)
    if len(trainee) > 1:  # a one-letter name is in every English word; it is replaced as the trainee field
        assert trainee.encode() not in everything, everything[everything.find(trainee.encode()) - 200:][:300]
        assert trainee.upper().encode() not in everything
    assert not re.search(rb"(?<![^\W_])%s(?![^\W_])" % re.escape(getpass.getuser().encode()), everything)
    assert not ABSOLUTE_PATH.search(everything), ABSOLUTE_PATH.search(everything)
    assert str(tmp_path).encode() not in everything and b"nervous" not in everything

    with zipfile.ZipFile(bundle) as z:
        meta, timeline = json.loads(z.read("attempt.json")), json.loads(z.read("timeline.json"))
    assert meta["trainee"] == "trainee 1" and meta["notes"] == ""
    assert [t["speaker"] for t in timeline["turns"]] == ["customer", "trainee", "customer"]
    said = timeline["turns"][1]["text"]
    if len(trainee) > 1:
        assert said == "Yes, trainee 1 speaking, the trainee; we need e.g. a root-cause fix".replace(
            "root", "[user]" if getpass.getuser() == "root" else "root")
    else:
        assert said.endswith("speaking, the trainee; we need e.g. a root-cause fix".replace(
            "root", "[user]" if getpass.getuser() == "root" else "root"))
    assert meta["recording_error"].startswith("cannot write [path] for [user]: No space left on device")
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600

    other = open_store(f"sqlite:///{tmp_path / 'other.sqlite3'}", tmp_path / "other-recordings")
    try:
        from simulator.storage.export import import_attempt

        imported = other.get_attempt(import_attempt(other, bundle))
        assert imported.trainee == "trainee 1" and imported.timeline == timeline
    finally:
        other.close()


def test_every_export_is_private(store, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("ROLEPLAY_SIM_RECORDINGS", str(store.recordings_dir))
    os.umask(0o022)
    record_call(store, "王小明")
    url = str(store.engine.url)
    for args, made in ((["export", "1", "--out", str(tmp_path / "a.zip")], tmp_path / "a.zip"),
                       (["export", "--csv", str(tmp_path / "a.csv")], tmp_path / "a.csv"),
                       (["export", "--csv", str(tmp_path / "b.csv"), "--anonymous"], tmp_path / "b.csv")):
        assert main(["attempts", "--db", url, *args]) == 0
        assert stat.S_IMODE(made.stat().st_mode) == 0o600, args
    with (tmp_path / "b.csv").open(encoding="utf-8") as f:
        assert [row["trainee"] for row in csv.DictReader(f)] == ["trainee 1"]
