"""Stores for the review-screen and PDF tests: attempts made from the hand-written review calls, spoken by
espeak-ng into a real stereo recording and scored by the real analysis, plus generated attempts in bulk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from simulator.core.analysis.call import analyze_call
from simulator.core.timeline import Timeline
from simulator.storage import AttemptRecord, AttemptStore, open_store
from tests.review_call import review_timeline, speak_call, zh_review_timeline

CALLS = {"zh": ("zh.angry_threatening", zh_review_timeline), "en": ("en.angry_threatening", review_timeline)}


def new_store(folder: Path, url: str | None = None) -> AttemptStore:
    """SQLite in `folder`; with a PostgreSQL URL, recordings go into the database as on a team's server (this
    machine's cache and locks in `folder`)."""
    folder.mkdir(parents=True, exist_ok=True)
    if url is None:
        return open_store(f"sqlite:///{folder / 'attempts.sqlite3'}", recordings_dir=folder / "recordings")
    with pytest.MonkeyPatch.context() as env:  # the store keeps the folders it found when it opened
        env.setenv("ROLEPLAY_SIM_DATA", str(folder / "data"))
        env.delenv("ROLEPLAY_SIM_RECORDINGS", raising=False)
        return open_store(url)


def backend_url(request: pytest.FixtureRequest, backend: str) -> str | None:
    """None for SQLite (new_store makes it), else a fresh database on the tests' PostgreSQL server."""
    return None if backend == "sqlite" else request.getfixturevalue("postgres").new_database()


def spoken_attempt(store: AttemptStore, folder: Path, language: str, trainee: str, started: datetime,
                   notes: str = "") -> int:
    """One analysed attempt with its recording, stored as a finished call is."""
    persona_id, make = CALLS[language]
    timeline: Timeline = make()
    folder.mkdir(parents=True, exist_ok=True)
    recording = speak_call(timeline, folder / f"call-{language}-{started:%H%M%S}.wav")
    analysis = analyze_call(timeline, audio=recording, language=language, persona_type="angry_threatening")
    score = analysis.to_json()
    record = AttemptRecord(
        id=0, trainee=trainee, persona_id=persona_id, persona_type="angry_threatening",
        scenario_id="heating_below_standard", language=language, started_at=started,
        ended_at=started + timedelta(seconds=timeline.duration), ending="resolved", ending_reason=None,
        status="complete", overall=score["score"]["overall"], scores=score["score"], findings=score["findings"],
        timeline=timeline.to_json(), notes=notes)
    return store.add_records([record], [recording])[0]


def spoken_attempts(store: AttemptStore, folder: Path) -> dict[str, int]:
    """A Chinese and an English attempt of the same (first) trainee, a day apart."""
    base = datetime(2026, 12, 30, 9, 0, tzinfo=UTC)
    return {"zh": spoken_attempt(store, folder, "zh", "王小明", base, notes="先处理情绪"),
            "en": spoken_attempt(store, folder, "en", "王小明", base + timedelta(days=1))}
