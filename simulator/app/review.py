"""Everything the review screens read or change, each a blocking call meant for a worker thread: the attempts
list a page at a time, one attempt with its recording decoded once and analysed, comparisons, notes,
transcript corrections, trends, exports, import and deletion. `cancel` (a threading.Event) stops a slow job
between its steps: the manager moved on, its result is no longer wanted."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.core.analysis.audio import AnalysisInputError
from simulator.core.private_files import private_file
from simulator.core.review.call_audio import CallAudio
from simulator.core.review.compare import Comparison, compare_attempts, ordered
from simulator.core.review.report import Report, build_report
from simulator.core.review.stored import review_analysis
from simulator.storage import AttemptRecord, AttemptStore, AttemptSummary, StorageError

StoreProblem = StorageError   # what a job raises for the user to read (database, disk, bundle)


class Cancelled(Exception):
    """The job was cancelled before it finished; nobody waits for its result."""


@dataclass(frozen=True)
class AttemptPage:
    """A count and the first rows of the attempts list, in the order asked."""

    total: int
    rows: list[AttemptSummary]
    shown_order: dict[Any, int] | None


@dataclass(frozen=True)
class ReviewedCall:
    """One attempt as review shows it: the stored record, the analysis (markers, stored scores) and the
    recording decoded once (None: no recording, or `problem` says why it cannot be read)."""

    record: AttemptRecord
    analysis: Any
    audio: CallAudio | None
    problem: str = ""
    has_recording: bool = False


@dataclass(frozen=True)
class PreparedReport:
    """What a PDF report needs that is slow to get; the ui draws it on the GUI thread."""

    report: Report
    call: ReviewedCall | None


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled


class ReviewService:
    def __init__(self, store: AttemptStore) -> None:
        self.store = store

    @property
    def read_only(self) -> bool:
        return bool(getattr(self.store, "read_only", False))

    # ------------------------------------------------------------ the list

    def listing(self, filters: dict[str, Any], order_by: str, descending: bool, limit: int,
                shown_key: Callable[[list[tuple[str, str]]], dict[Any, int]] | None = None) -> AttemptPage:
        """Count the attempts the filters keep and read the first page. `shown_key` ranks the (persona,
        scenario) pairs by the text the list shows, when it sorts by one of those."""
        shown_order = shown_key(self.store.persona_scenarios()) if shown_key is not None else None
        total = self.store.count_attempts(**filters)
        return AttemptPage(total, self.page(filters, order_by, descending, 0, limit, shown_order), shown_order)

    def page(self, filters: dict[str, Any], order_by: str, descending: bool, offset: int, limit: int,
             shown_order: dict[Any, int] | None) -> list[AttemptSummary]:
        return self.store.list_attempts(**filters, order_by=order_by, descending=descending, limit=limit,
                                        offset=offset, shown_order=shown_order)

    def choices(self) -> tuple[list[str], list[str]]:
        """The trainees and the groups the filters offer."""
        return self.store.trainees(), self.store.groups()

    def count(self, **filters: Any) -> int:
        return self.store.count_attempts(**filters)

    # ------------------------------------------------------------ one attempt

    def attempt(self, attempt_id: int) -> AttemptRecord:
        return self.store.get_attempt(attempt_id)

    def reviewed_call(self, record: AttemptRecord, cancel: threading.Event | None = None) -> ReviewedCall:
        """Fetch the recording, decode it once and analyse the call with it (seconds for a long call)."""
        _check(cancel)
        recording = self.store.recording_path(record.id)
        _check(cancel)
        audio, problem = None, ""
        if recording is not None:
            try:
                audio = CallAudio.read(recording)
            except AnalysisInputError as exc:
                problem = str(exc)
        _check(cancel)
        analysis = review_analysis(record, audio)
        return ReviewedCall(record, analysis, audio, problem, recording is not None)

    def comparison(self, first_id: int, second_id: int) -> tuple[AttemptRecord, AttemptRecord, Comparison]:
        """The two attempts, the earlier first, and what changed between them."""
        first, second = ordered(self.store.get_attempt(first_id), self.store.get_attempt(second_id))
        return first, second, compare_attempts(first, second)

    def trend(self, trainee: str, group: str | None) -> list[Any]:
        return self.store.trainee_trend(trainee, group)

    def report(self, attempt_id: int, language: str, personas: dict[str, Any] | None = None,
               anonymous: bool = False, cancel: threading.Event | None = None) -> PreparedReport:
        record = self.store.get_attempt(attempt_id)
        persona = (personas or {}).get(record.persona_id)
        scenario = next((s for s in getattr(persona, "scenarios", ()) if s.id == record.scenario_id), None)
        report = build_report(record, language, persona.display_name if persona else None, anonymous,
                              scenario.title if scenario else None)
        call = self.reviewed_call(record, cancel) if record.timeline or record.recording else None
        return PreparedReport(report, call)

    # ------------------------------------------------------------ changes

    def save_notes(self, attempt_id: int, text: str) -> None:
        self.store.set_notes(attempt_id, text)

    def correct(self, attempt_id: int, turn: int, text: str, reviewer: str) -> AttemptRecord:
        """Correct what was recognised in a turn and score the call again (seconds with its recording)."""
        from simulator.storage.corrections import correct_turn

        return correct_turn(self.store, attempt_id, turn, text, reviewer)

    def revert(self, attempt_id: int, turn: int) -> AttemptRecord:
        from simulator.storage.corrections import revert_turn

        return revert_turn(self.store, attempt_id, turn)

    def delete_attempt(self, attempt_id: int) -> None:
        self.store.delete_attempt(attempt_id)

    def delete_trainee(self, trainee: str) -> int:
        return self.store.delete_trainee(trainee)

    # ------------------------------------------------------------ files

    def export_csv(self, path: Path, anonymous: bool, filters: dict[str, Any]) -> int:
        from simulator.storage.export import export_csv

        return export_csv(self.store, path, anonymous=anonymous, **filters)

    def export_bundle(self, attempt_id: int, path: Path, anonymous: bool) -> Path:
        from simulator.storage.export import export_attempt

        return export_attempt(self.store, attempt_id, path, anonymous=anonymous)

    def export_timeline(self, attempt_id: int, path: Path) -> Path:
        timeline = self.store.get_attempt(attempt_id).timeline
        try:
            with private_file(Path(path), "w", encoding="utf-8") as f:
                f.write(json.dumps(timeline, ensure_ascii=False, indent=1))
        except OSError as exc:
            raise StorageError(f"cannot write {path}: {exc.strerror}") from exc
        return Path(path)

    def import_bundle(self, path: Path) -> int:
        from simulator.storage.export import import_attempt

        return import_attempt(self.store, path)
