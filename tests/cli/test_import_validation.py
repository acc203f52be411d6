"""`attempts import` checks a bundle before the database sees it, so SQLite and PostgreSQL refuse the same
bundles with the same one-line message: wrong types, values out of range, oversized members, a recording
that is not audio or is longer than its call, and a bundle imported before."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from simulator.cli import main
from simulator.storage import open_store
from simulator.storage.export import export_attempt
from tests.storage_fixtures import db_url, record_call

__all__ = ["db_url"]


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    """A genuine bundle: one recorded attempt exported from a store of its own."""
    store = open_store(f"sqlite:///{tmp_path / 'source.sqlite3'}", tmp_path / "source-recordings")
    attempt = record_call(store, "王小明", notes="打断了两次")
    path = export_attempt(store, attempt, tmp_path / "genuine.zip")
    store.close()
    return path


def rebuilt(source: Path, target: Path, meta=None, timeline=None, recording: bytes | None = None,
            extra: dict[str, bytes] | None = None) -> Path:
    """The genuine bundle with some members changed (meta: a function of attempt.json, or a value)."""
    with zipfile.ZipFile(source) as z:
        members = {name: z.read(name) for name in z.namelist()}
    original = json.loads(members["attempt.json"])
    if meta is not None:
        changed = meta(original) if callable(meta) else meta
        members["attempt.json"] = json.dumps(changed, ensure_ascii=False).encode()
    if timeline is not None:
        members["timeline.json"] = json.dumps(timeline).encode()
    if recording is not None:
        members["recording.flac"] = recording
    members.update(extra or {})
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return target


def with_(key: str, value):
    return lambda meta: {**meta, key: value}


def flac_of_zeros(seconds: float) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, np.zeros((int(seconds * 16000), 2), dtype=np.int16), 16000, format="FLAC")
    return buffer.getvalue()


def imported(capsys, url: str, bundle: Path) -> tuple[int, str, str]:
    code = main(["attempts", "--db", url, "import", str(bundle)])
    out, err = capsys.readouterr()
    return code, out, err


BAD = {
    "a list instead of an object": ([1, 2], "attempt.json is not a JSON object but list"),
    "a trainee that is a number": (with_("trainee", 42), "invalid at trainee: 42 is not of type 'string'"),
    "a score of 10^30": (with_("overall", 10**30), "invalid at overall"),
    "a score of 'high'": (with_("overall", "high"), "invalid at overall"),
    "scores as a list": (with_("scores", [1, 2]), "invalid at scores: [1, 2] is not of type 'object'"),
    "a criterion score of 101": (with_("scores", {"pace": 101}), "invalid at scores/pace"),
    "status 'hacked'": (with_("status", "hacked"), "invalid at status"),
    "notes of 30,000 characters": (with_("notes", "x" * 30_000), "invalid at notes"),
    "an end before the start": (with_("ended_at", "2020-01-01T00:00:00+00:00"), "ended_at must be between"),
    "a start that is no date": (with_("started_at", "yesterday"), "started_at is not a date and time"),
    "nesting 900 deep": (with_("scores", json.loads("[" * 900 + "]" * 900)), "nested too deeply"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_a_bad_attempt_json_is_one_line_and_stores_nothing(db_url: str, source: Path, tmp_path: Path, capsys,
                                                           case: str) -> None:
    meta, message = BAD[case]
    code, out, err = imported(capsys, db_url, rebuilt(source, tmp_path / "bad.zip", meta=meta))
    assert code == 2 and out == "" and message in err and len(err.splitlines()) == 1, err
    assert main(["attempts", "--db", db_url, "list", "--json"]) == 0 and capsys.readouterr().out == ""


def test_members_are_capped_by_what_they_hold_not_what_the_zip_claims(db_url: str, source: Path, tmp_path: Path,
                                                                      capsys) -> None:
    notes = rebuilt(source, tmp_path / "notes.zip", meta=with_("notes", "x" * (2 << 20)))
    assert notes.stat().st_size < 50_000  # 2 MB of notes compress to a few KB
    code, _, err = imported(capsys, db_url, notes)
    assert code == 2 and "attempt.json is larger than 1 MB" in err

    long = rebuilt(source, tmp_path / "long.zip", recording=flac_of_zeros(600))  # the call lasted seconds
    code, _, err = imported(capsys, db_url, long)
    assert code == 2 and "the recording is longer than the call" in err

    text = rebuilt(source, tmp_path / "text.zip", recording=b"just some text, not audio\n" * 100)
    code, _, err = imported(capsys, db_url, text)
    assert code == 2 and "the recording is not audio this version can read" in err

    broken = rebuilt(source, tmp_path / "timeline.zip", timeline={"version": 1, "turns": "many"})
    code, _, err = imported(capsys, db_url, broken)
    assert code == 2 and "the bundle's timeline is broken" in err
    assert main(["attempts", "--db", db_url, "list", "--json"]) == 0 and capsys.readouterr().out == ""


def test_a_genuine_bundle_imports_once_and_is_recognised_after(db_url: str, source: Path, tmp_path: Path,
                                                               capsys) -> None:
    code, out, _ = imported(capsys, db_url, source)
    assert code == 0 and out.strip() == f"imported {source} as attempt 1"
    again = rebuilt(source, tmp_path / "same-content.zip")  # another zip file, the same attempt
    for bundle in (source, again):
        code, out, err = imported(capsys, db_url, bundle)
        assert code == 2 and err.strip() == f"error: {bundle} was imported already, as attempt 1"
    assert main(["attempts", "--db", db_url, "list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["id"], r["trainee"], r["has_recording"]) for r in rows] == [(1, "王小明", True)]
    changed = rebuilt(source, tmp_path / "changed.zip", meta=with_("notes", "another reviewer's notes"))
    assert imported(capsys, db_url, changed)[0] == 0  # different content: a different attempt
