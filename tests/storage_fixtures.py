"""What the storage, recovery and attempts-CLI tests share: one database per test on each backend, and
sample attempts built from the real timeline format."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from simulator.core.timeline import Timeline, Turn, Word
from simulator.speech.recorder import CallRecorder
from simulator.storage import AttemptRecord, AttemptStore

BACKENDS = ("sqlite", "postgresql")
PERSONAS = (("angry_zh", "angry"), ("stubborn_zh", "stubborn"), ("complainer_en", "complainer"),
            ("insulting_en", "insulting"))
SCENARIOS = ("heating", "credit_card", "broadband")
ENDINGS = ("resolved", "escalated", "turn_limit", "ended_early")
TRAINEES = ("王小明", "Li Na", "Alice Smith", "张伟")


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh, empty database; the data folder (recordings, cache) is the test's own."""
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("ROLEPLAY_SIM_DB_URL", raising=False)
    monkeypatch.delenv("ROLEPLAY_SIM_RECORDINGS", raising=False)
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'attempts.sqlite3'}"
    return request.getfixturevalue("postgres").new_database()


def timeline(turns: int = 3, persona: str = "angry_zh", trainee_says: str = "您好，非常抱歉") -> dict:
    """A call in the real timeline format: the customer and trainee take turns, two seconds each."""
    out = []
    for i in range(turns):
        start = 4.0 * i
        if i % 2 == 0:
            line = "你们的暖气两天都不热了！"
            out.append(Turn("customer", start, start + 2, line, extra={"mood": 70 - i}))
        else:
            words = [Word("您好", start, start + 0.8, 0.9), Word("非常抱歉", start + 0.9, start + 2, 0.8)]
            out.append(Turn("trainee", start, start + 2, trainee_says, words))
    return Timeline("zh", persona, out).to_json()


def scorecard(seed: int) -> tuple[int, dict, list[dict]]:
    rnd = random.Random(seed)
    scores = {c: rnd.randint(0, 100) for c in ("pauses", "pace", "empathy", "apology", "resolve")}
    findings = [{"code": "interruption", "turn": 1, "time": 4.5, "message": "打断了客户", "criterion": "pauses",
                 "severity": "major"},
                {"code": "taboo", "turn": 3, "time": 12.25, "message": "Said “that's the rule”",
                 "criterion": "taboo", "severity": "minor"}]
    return round(sum(scores.values()) / len(scores)), scores, findings


def generated(count: int, seed: int = 7) -> list[AttemptRecord]:
    """Attempts spread over a year, every filterable field varied; some unscored, and one in twenty cut off by
    a crash (status recovered, no ending) as the app leaves them."""
    rnd = random.Random(seed)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    records = []
    for i in range(count):
        persona_id, persona_type = rnd.choice(PERSONAS)
        started = base + timedelta(minutes=rnd.randrange(365 * 24 * 60))
        overall = None if rnd.random() < 0.1 else rnd.randint(0, 100)
        status = "recovered" if rnd.random() < 0.05 else "complete"
        records.append(AttemptRecord(
            id=0, trainee=rnd.choice(TRAINEES), persona_id=persona_id, persona_type=persona_type,
            scenario_id=rnd.choice(SCENARIOS), language="zh" if persona_id.endswith("zh") else "en",
            started_at=started, ended_at=started + timedelta(seconds=rnd.randint(60, 1200)),
            ending=None if status == "recovered" else rnd.choice(ENDINGS), ending_reason=None, status=status,
            overall=overall, scores={"empathy": overall}, findings=[], timeline={}, notes=f"n{i}"))
    return records


def tone(seconds: float, freq: float, rate: int = 16000, amplitude: float = 0.3, offset: int = 0) -> np.ndarray:
    n = np.arange(offset, offset + round(seconds * rate))
    return (amplitude * np.sin(2 * np.pi * freq * n / rate)).astype(np.float32)


def dominant_frequency(samples: np.ndarray, rate: int = 16000) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spectrum)])


def read_audio(path: Path) -> np.ndarray:
    data, rate = sf.read(path, dtype="float32")
    assert rate == 16000 and data.ndim == 2 and data.shape[1] == 2
    return data


def record_call(store: AttemptStore, trainee: str = "王小明", persona: tuple[str, str] = PERSONAS[0],
                seconds: float = 2.0, seed: int = 1, notes: str = "", group: str | None = None) -> int:
    """A whole attempt as the live call makes it: row, recording, progress after a turn, results."""
    attempt_id, path = store.begin_attempt(trainee, persona[0], persona[1], "heating", "zh", group=group)
    recorder = CallRecorder(path)
    recorder.add_customer(0.0, tone(seconds, 300))
    store.save_progress(attempt_id, timeline(1, persona[0]))
    recorder.add_trainee(seconds / 2, tone(seconds / 2, 800))
    assert recorder.close() == path
    overall, scores, findings = scorecard(seed)
    store.finish_attempt(attempt_id, "resolved", "the customer accepted the repair time", timeline(3, persona[0]),
                         overall, scores, findings)
    if notes:
        store.set_notes(attempt_id, notes)
    return attempt_id
