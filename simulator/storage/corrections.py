"""Correcting an attempt's transcript and undoing it, for the review window and `attempts correct`: check the
turn and text, score the attempt again on the corrected words (simulator.core.review.correction decides which
score counts), and store both in one step. The recognised timeline itself is never changed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from simulator.core.review.correction import (
    MAX_REVIEWER_CHARS,
    CorrectionError,
    TurnCorrection,
    check_turn,
    clean_text,
    current_score,
    with_correction,
    without_turn,
)
from simulator.core.review.stored import recognised_timeline, rescored

from .errors import StorageError
from .repository import AttemptRecord, AttemptStore


def correct_turn(store: AttemptStore, attempt_id: int, turn: int, text: str, reviewer: str,
                 when: datetime | None = None) -> AttemptRecord:
    """Save `reviewer`'s text for `turn` (replacing an earlier correction of it) and re-score; returns the
    attempt as now stored. A bad id, turn, text or reviewer is a StorageError with the reason."""
    record = _correctable(store, attempt_id)
    reviewer = " ".join(reviewer.split())
    if not reviewer:
        raise StorageError("a reviewer name is required to correct a transcript")
    if len(reviewer) > MAX_REVIEWER_CHARS:
        raise StorageError(f"the reviewer name is longer than {MAX_REVIEWER_CHARS} characters")
    try:
        check_turn(recognised_timeline(record), turn)
        new = TurnCorrection(turn, clean_text(text), reviewer, (when or datetime.now(UTC)).replace(microsecond=0))
    except CorrectionError as exc:
        raise StorageError(str(exc)) from None
    return _save(store, record, with_correction(record.corrections, new))


def revert_turn(store: AttemptStore, attempt_id: int, turn: int) -> AttemptRecord:
    """Back to the recognised text of `turn`; with no correction left, back to the recognised score."""
    record = _correctable(store, attempt_id)
    try:
        check_turn(recognised_timeline(record), turn)
        remaining = without_turn(record.corrections, turn)
    except CorrectionError as exc:
        raise StorageError(str(exc)) from None
    return _save(store, record, remaining)


def _correctable(store: AttemptStore, attempt_id: int) -> AttemptRecord:
    record = store.get_attempt(attempt_id)
    if record.status == "in_progress":
        raise StorageError(f"attempt {attempt_id} is still in progress; correct it once the call has ended")
    return record


def _save(store: AttemptStore, record: AttemptRecord, corrections: Sequence[TurnCorrection]) -> AttemptRecord:
    recognised = record.recognised_score
    try:
        recording = store.recording_path(record.id)
    except StorageError:
        recording = None   # its file is gone: the turns' times still score everything but the voice
    score = current_score(corrections, recognised, lambda cs: rescored(record, cs, recording))
    store.save_corrections(record.id, list(corrections), score, recognised)
    return store.get_attempt(record.id)
