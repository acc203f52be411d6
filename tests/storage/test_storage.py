"""The attempts store on SQLite and on a real PostgreSQL server: schema from the migrations, every field
round-trips, filters/sort/pagination agree with a plain-Python reference, deletes take the recordings
along, files are private, and export/import moves an attempt to another store."""

from __future__ import annotations

import csv
import json
import stat
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from simulator.storage import AttemptNotFound, StorageError, database_url, open_store
from simulator.core.analysis.scorecard import CRITERIA
from simulator.storage.export import CSV_COLUMNS, export_attempt, export_csv, import_attempt
from simulator.storage.models import Base, RecordingBlob
from tests.storage_fixtures import (TRAINEES, db_url, dominant_frequency, generated, read_audio, record_call,
                                    scorecard, timeline, tone)

__all__ = ["db_url"]


@pytest.fixture()
def store(db_url: str):
    s = open_store(db_url)
    yield s
    s.close()


def test_migrations_build_the_schema_the_orm_expects(db_url: str) -> None:
    store = open_store(db_url)
    with store.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        assert {"trainees", "attempts", "recordings", "transcript_corrections", "alembic_version"} <= tables
        assert conn.scalar(text("select version_num from alembic_version")) == "0004_transcript_corrections"
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        indexed = {tuple(ix["column_names"]) for ix in inspect(conn).get_indexes("attempts")}
    assert {("started_at",), ("overall",), ("trainee_id", "started_at"), ("persona_id", "started_at"),
            ("trainee_group",)} <= indexed
    attempt_id = record_call(store)
    store.close()
    again = open_store(db_url)  # upgrading an up-to-date database changes nothing and loses nothing
    assert again.get_attempt(attempt_id).overall == scorecard(1)[0]
    again.close()


def test_a_delete_on_one_machine_removes_the_cached_audio_on_the_others(postgres, tmp_path, monkeypatch) -> None:
    url = postgres.new_database()
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "deleting-machine"))
    mine = open_store(url)
    deleted, kept = record_call(mine), record_call(mine, trainee="Li Na")
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "reviewing-machine"))
    theirs = open_store(url)
    cached = {i: theirs.recording_path(i) for i in (deleted, kept)}
    (cached[deleted].with_suffix(".timeline.json")).write_text("{}")  # anything else kept for that attempt
    unsaved = theirs.recordings_dir / "unsaved-20261201-101500.timeline.json"
    unsaved.write_text("{}")
    assert all(p.is_file() and str(tmp_path / "reviewing-machine") in str(p) for p in cached.values())
    mine.delete_attempt(deleted)
    theirs.close()
    again = open_store(url)  # the reviewing machine's next start
    assert sorted(p.name for p in again.recordings_dir.iterdir()) == sorted([cached[kept].name, unsaved.name])
    assert again.recording_path(kept) == cached[kept]
    with pytest.raises(AttemptNotFound):
        again.recording_path(deleted)
    for s in (mine, again):
        s.close()


def test_every_field_round_trips(store) -> None:
    before = datetime.now(UTC)
    attempt_id = record_call(store, notes="语气很好，但打断了两次")
    after = datetime.now(UTC)
    got = store.get_attempt(attempt_id)
    overall, scores, findings = scorecard(1)
    assert (got.id, got.trainee, got.persona_id, got.persona_type, got.scenario_id, got.language) == (
        attempt_id, "王小明", "angry_zh", "angry", "heating", "zh")
    assert before - timedelta(seconds=1) <= got.started_at <= got.ended_at <= after + timedelta(seconds=1)
    assert got.started_at.tzinfo is not None
    assert (got.status, got.ending) == ("complete", "resolved")
    assert got.ending_reason == "the customer accepted the repair time"
    assert (got.overall, got.scores, got.findings) == (overall, scores, findings)
    assert got.timeline == timeline(3) and got.notes == "语气很好，但打断了两次"
    assert got.recording == f"attempt-{attempt_id}.flac" and got.recording_error is None

    data = read_audio(store.recording_path(attempt_id))
    assert len(data) == 32000
    assert np.abs(data[:, 0] - tone(2.0, 300)).max() < 1e-3
    assert not data[:16000, 1].any() and np.abs(data[16000:, 1] - tone(1.0, 800)).max() < 1e-3


def test_postgres_without_a_shared_folder_keeps_the_audio_in_the_database(postgres, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "data"))
    url = postgres.new_database()
    store = open_store(url)
    assert store.audio_in_database
    attempt_id = record_call(store)
    local = store.recording_path(attempt_id)
    original = local.read_bytes()
    local.unlink()  # another reviewer's machine: nothing on its disk
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "other-machine"))
    other = open_store(url)
    path = other.recording_path(attempt_id)
    assert path.read_bytes() == original and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert str(tmp_path / "other-machine") in str(path)
    shared = open_store(url, recordings_dir=tmp_path / "team-share")
    assert not shared.audio_in_database
    shared_id = record_call(shared)
    assert shared.recording_path(shared_id).parent == tmp_path / "team-share"
    with shared.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(RecordingBlob)) == 1
    for s in (store, other, shared):
        s.close()


def test_progress_is_saved_turn_by_turn(store) -> None:
    attempt_id, path = store.begin_attempt("Li Na", "stubborn_zh", "stubborn", "heating", "zh")
    assert path.name == f"attempt-{attempt_id}.flac" and path.parent == store.recordings_dir
    first = store.get_attempt(attempt_id)
    assert (first.status, first.timeline, first.ended_at, first.overall) == ("in_progress", {}, None, None)
    for turns in (1, 2, 3):
        store.save_progress(attempt_id, timeline(turns))
        assert store.get_attempt(attempt_id).timeline == timeline(turns)
    assert store.count_attempts(status="in_progress") == 1 and store.count_attempts(status="complete") == 0
    with pytest.raises(AttemptNotFound, match="attempt 999 does not exist"):
        store.save_progress(999, timeline(1))


def reference(records, **f):
    """The plain-Python answer to a filter, in the store's default order (newest first)."""
    keep = [
        (i, r) for i, r in enumerate(records)
        if (f.get("trainee") is None or r.trainee == f["trainee"])
        and (f.get("persona") is None or f["persona"] in (r.persona_id, r.persona_type))
        and (f.get("scenario") is None or r.scenario_id == f["scenario"])
        and (f.get("since") is None or r.started_at >= f["since"])
        and (f.get("until") is None or r.started_at < f["until"])
        and (f.get("min_score") is None or (r.overall is not None and r.overall >= f["min_score"]))
        and (f.get("max_score") is None or (r.overall is not None and r.overall <= f["max_score"]))
        and (f.get("ending") is None or r.ending == f["ending"])
        and (f.get("status") is None or r.status == f["status"])
    ]
    return sorted(keep, key=lambda p: (p[1].started_at, p[0]), reverse=True)


FILTERS = [
    {},
    {"trainee": "王小明"},
    {"persona": "angry"},
    {"persona": "stubborn_zh", "scenario": "heating"},
    {"since": datetime(2026, 3, 1, tzinfo=UTC), "until": datetime(2026, 6, 1, tzinfo=UTC)},
    {"min_score": 40, "max_score": 60, "ending": "escalated"},
    {"trainee": "Alice Smith", "min_score": 90},
    {"trainee": "张伟", "ending": "ended_early"},
    {"status": "recovered"},
]


def test_filters_sort_and_pages_match_a_reference_on_ten_thousand_attempts(store) -> None:
    records = generated(10_000)
    ids = store.add_records(records)
    assert len(set(ids)) == 10_000
    for f in FILTERS:
        expected = reference(records, **f)
        assert store.count_attempts(**f) == len(expected), f
        got = store.list_attempts(**f, limit=50)
        assert [r.id for r in got] == [ids[i] for i, _ in expected[:50]], f
    page = [r.id for off in range(0, 300, 100) for r in store.list_attempts(trainee="张伟", limit=100, offset=off)]
    assert page == [ids[i] for i, _ in reference(records, trainee="张伟")[:300]]
    by_score = store.list_attempts(order_by="overall", descending=False, limit=10_000)
    scores = [r.overall for r in by_score]
    scored = [s for s in scores if s is not None]
    assert scored == sorted(scored) and scores[len(scored):] == [None] * (len(scores) - len(scored))
    row = store.list_attempts(trainee="Li Na", limit=1)[0]
    source = records[ids.index(row.id)]
    assert (row.persona_id, row.scenario_id, row.started_at, row.ended_at, row.overall, row.has_recording) == (
        source.persona_id, source.scenario_id, source.started_at, source.ended_at, source.overall, False)
    with pytest.raises(StorageError, match="cannot sort attempts by 'colour'"):
        store.list_attempts(order_by="colour")


def test_trainee_trend_is_their_scored_attempts_oldest_first(store) -> None:
    records = generated(300)
    store.add_records(records)
    mine = sorted((r.started_at, r.overall) for r in records if r.trainee == "Li Na" and r.overall is not None)
    assert store.trainee_trend("Li Na") == mine and len(mine) > 20
    assert store.trainee_trend("nobody") == []


def test_deletes_remove_the_recordings_too(store) -> None:
    keep = record_call(store, trainee="Li Na")
    first, second = record_call(store), record_call(store)
    paths = {i: store.recording_path(i) for i in (keep, first, second)}
    assert all(p.is_file() for p in paths.values())
    store.delete_attempt(first)
    assert not paths[first].exists() and paths[second].exists()
    with pytest.raises(AttemptNotFound):
        store.get_attempt(first)
    assert store.delete_trainee("王小明") == 1
    assert not paths[second].exists() and store.trainees() == ["Li Na"]
    assert [r.id for r in store.list_attempts()] == [keep] and paths[keep].exists()
    with store.engine.connect() as conn:
        blobs = conn.scalar(select(func.count()).select_from(RecordingBlob))
    assert blobs == (1 if store.audio_in_database else 0)
    with pytest.raises(StorageError, match="no trainee named 'nobody'"):
        store.delete_trainee("nobody")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_local_data_is_private_and_sqlite_runs_in_wal_mode(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "data"
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(root))
    monkeypatch.delenv("ROLEPLAY_SIM_DB_URL", raising=False)
    assert database_url() == f"sqlite:///{root / 'attempts.sqlite3'}"
    store = open_store()
    attempt_id = record_call(store)
    with store.engine.connect() as conn:
        assert conn.scalar(text("PRAGMA journal_mode")) == "wal"
        assert conn.scalar(text("PRAGMA foreign_keys")) == 1
        assert mode(root / "attempts.sqlite3-wal") == 0o600
    assert mode(root) == 0o700 and mode(root / "recordings") == 0o700
    assert mode(root / "attempts.sqlite3") == 0o600 and mode(store.recording_path(attempt_id)) == 0o600
    store.close()
    monkeypatch.setenv("ROLEPLAY_SIM_DB_URL", "postgresql://u:secret@/db?host=/nonexistent")
    assert database_url() == "postgresql://u:secret@/db?host=/nonexistent"
    with pytest.raises(StorageError) as err:
        open_store()
    message = str(err.value)
    assert message.startswith("cannot open the attempts database postgresql://u:***@/db")
    assert "secret" not in message and "\n" not in message


def test_bundle_export_and_import_moves_an_attempt_to_another_store(store, tmp_path: Path, monkeypatch) -> None:
    attempt_id = record_call(store, notes="good")
    bundle = export_attempt(store, attempt_id, tmp_path / "a.zip")
    with zipfile.ZipFile(bundle) as z:
        assert set(z.namelist()) == {"attempt.json", "timeline.json", "recording.flac"}
        assert json.loads(z.read("timeline.json")) == timeline(3)
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "second"))
    second = open_store(f"sqlite:///{tmp_path / 'second.sqlite3'}")
    second.add_records(generated(3))
    new_id = import_attempt(second, bundle)
    a, b = store.get_attempt(attempt_id), second.get_attempt(new_id)
    assert new_id == 4
    assert {**a.__dict__, "id": 0, "recording": None} == {**b.__dict__, "id": 0, "recording": None}
    assert (store.recording_path(attempt_id).read_bytes() == second.recording_path(new_id).read_bytes())
    second.close()


def test_anonymous_export_leaves_out_names_and_notes(store, tmp_path: Path) -> None:
    attempt_id = record_call(store, trainee="Alice Smith", notes="Alice Smith needs coaching")
    store.save_progress(attempt_id, timeline(3, trainee_says="我是Alice Smith，非常抱歉"))
    store.finish_attempt(attempt_id, "resolved", "Alice Smith calmed the customer",
                         timeline(3, trainee_says="我是Alice Smith，非常抱歉"), *scorecard(1))
    bundle = export_attempt(store, attempt_id, tmp_path / "anon.zip", anonymous=True)
    with zipfile.ZipFile(bundle) as z:
        text_parts = {n: z.read(n).decode("utf-8") for n in ("attempt.json", "timeline.json")}
        meta, turns = json.loads(text_parts["attempt.json"]), json.loads(text_parts["timeline.json"])["turns"]
    assert all("Alice" not in t and "Smith" not in t for t in text_parts.values())
    assert meta["trainee"] == "trainee 1" and meta["notes"] == ""
    assert meta["ending_reason"] == "trainee 1 calmed the customer"
    assert turns[1]["text"] == "我是trainee 1，非常抱歉" and meta["overall"] == scorecard(1)[0]


def test_csv_lists_the_filtered_attempts_with_fixed_columns(store, tmp_path: Path) -> None:
    records = generated(1500)
    ids = store.add_records(records)
    out = tmp_path / "list.csv"
    assert export_csv(store, out, persona="angry") == len(reference(records, persona="angry"))
    assert out.read_bytes()[:3] == b"\xef\xbb\xbf"                    # a BOM: Excel reads the names as UTF-8
    with out.open(encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    assert set(CRITERIA) <= set(CSV_COLUMNS)                            # every category's score, not just overall
    expected = reference(records, persona="angry")
    assert [int(r["id"]) for r in rows] == [ids[i] for i, _ in expected]
    first, source = rows[0], expected[0][1]
    assert first["trainee"] == source.trainee and first["persona_type"] == "angry"
    assert float(first["duration_s"]) == pytest.approx((source.ended_at - source.started_at).total_seconds())
    assert datetime.fromisoformat(first["started_at"]) == source.started_at
    assert first["overall"] == ("" if source.overall is None else str(source.overall))
    for row, (_, record) in zip(rows, expected):
        empathy = record.scores["empathy"]
        assert row["empathy"] == ("" if empathy is None else str(empathy)) and row["pauses"] == ""  # blank: not measured

    anon = tmp_path / "anon.csv"
    assert export_csv(store, anon, anonymous=True) == 1500
    content = anon.read_text(encoding="utf-8-sig")
    assert not any(name in content for name in TRAINEES)
    rows = list(csv.DictReader(content.splitlines()))
    real = {ids[i]: r.trainee for i, r in enumerate(records)}
    pairs = {(real[int(r["id"])], r["trainee"]) for r in rows}
    assert len(pairs) == len(TRAINEES) == len({p for _, p in pairs})  # one stable stand-in per person


def test_a_broken_bundle_is_refused_with_one_line(store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("attempt.json", "{}")
        z.writestr("timeline.json", "{}")
    with pytest.raises(StorageError, match=r"bad.zip: attempt.json is invalid at \(top level\): 'trainee' is a required"):
        import_attempt(store, bad)
    (tmp_path / "text.zip").write_text("hello")
    with pytest.raises(StorageError, match="not an attempt bundle"):
        import_attempt(store, tmp_path / "text.zip")
    broken_timeline = tmp_path / "broken.zip"
    good = export_attempt(store, record_call(store), tmp_path / "good.zip")
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken_timeline, "w") as z:
        z.writestr("attempt.json", src.read("attempt.json"))
        z.writestr("timeline.json", json.dumps({"version": 1, "language": "zh", "turns": []}))
    with pytest.raises(StorageError, match="the bundle's timeline is broken"):
        import_attempt(store, broken_timeline)
    assert store.count_attempts() == 1


def test_a_recording_left_unfinished_is_repaired_when_the_attempt_is_stored(store, tmp_path: Path) -> None:
    attempt_id, path = store.begin_attempt("Li Na", "angry_zh", "angry", "heating", "zh")
    with sf.SoundFile(tmp_path / "scratch.flac", "w", samplerate=16000, channels=2, format="FLAC") as writer:
        writer.write(np.stack([tone(1.0, 300), tone(1.0, 800)], axis=1))
        writer.flush()
        path.with_suffix(".partial.flac").write_bytes((tmp_path / "scratch.flac").read_bytes())  # never closed
    store.finish_attempt(attempt_id, None, None, timeline(1), None, {}, [], recording_error="Recording stopped")
    got = store.get_attempt(attempt_id)
    assert got.recording == path.name and got.recording_error == "Recording stopped"
    assert [p.name for p in store.recordings_dir.iterdir()] == [path.name]
    with zipfile.ZipFile(export_attempt(store, attempt_id, tmp_path / "w.zip")) as z:
        assert "recording.flac" in z.namelist()
    data = read_audio(store.recording_path(attempt_id))
    assert 0.5 * 16000 < len(data) < 16000
    assert dominant_frequency(data[:, 1]) == pytest.approx(800, abs=5)


def test_csv_cells_cannot_become_spreadsheet_formulas(store, tmp_path: Path) -> None:
    record_call(store, trainee="=HYPERLINK(\"http://x\")")
    export_csv(store, tmp_path / "f.csv")
    with (tmp_path / "f.csv").open(encoding="utf-8") as f:
        (row,) = csv.DictReader(f)
    assert row["trainee"] == "'=HYPERLINK(\"http://x\")"


def test_a_new_attempt_never_inherits_audio_left_by_a_reset_database(store) -> None:
    stale = store.recordings_dir / "attempt-1.flac"
    stale.write_bytes(b"old audio")
    attempt_id, path = store.begin_attempt("Li Na", "angry_zh", "angry", "heating", "zh")
    assert (attempt_id, path) == (1, stale) and not stale.exists()
