"""Getting attempts out of one store and into another: a CSV of the list, and a zip bundle per attempt.

A bundle holds attempt.json (everything but the timeline), timeline.json and the recording, so an attempt
can be reviewed on a machine that never saw it. The anonymous options replace the trainee's name by
"trainee N" (numbered in order of appearance, so one person's attempts still group together) wherever it
appears, the trainee's group by "group N" (a small class, or one named after its leader, points at people
as surely as a name), and leave out the manager's notes, which may name people.
"""

from __future__ import annotations

import csv
import json
import tempfile
import zipfile
from dataclasses import asdict, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from simulator.core.analysis.scorecard import CRITERIA
from simulator.core.private_files import private_file
from simulator.core.review.correction import StoredScore, TurnCorrection

from .anonymise import Scrubber
from .bundle import BUNDLE_FORMAT, parse_time, read_bundle
from .errors import StorageError
from .repository import READ_ONLY, AttemptRecord, AttemptStore, AttemptSummary

REVIEWER_STAND_IN = "reviewer"   # an anonymous export names nobody, reviewers included
CSV_PAGE = 1000
CSV_COLUMNS = ("id", "trainee", "group", "persona_id", "persona_type", "scenario_id", "language", "started_at",
               "ended_at", "duration_s", "status", "ending", "overall", "has_recording", *CRITERIA)


class Pseudonyms:
    """Stable stand-ins for names (or groups: kind="group") within one export."""

    def __init__(self, kind: str = "trainee") -> None:
        self.kind = kind
        self._names: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        return self._names.setdefault(name, f"{self.kind} {len(self._names) + 1}")

    def optional(self, name: str | None) -> str | None:
        """No group stays no group."""
        return None if name is None else self(name)


def export_csv(store: AttemptStore, path: Path, anonymous: bool = False, **filters: Any) -> int:
    """Write the (filtered) attempts list with every criterion's score (blank: not measured); returns the
    number of rows. UTF-8 with a byte-order mark, so a spreadsheet opened on it shows Chinese names."""
    pseudonym, group_pseudonym = Pseudonyms(), Pseudonyms("group")
    count = 0
    try:
        with private_file(Path(path), "w", newline="", encoding="utf-8-sig") as f:
            writer = csv.writer(f)
            writer.writerow(CSV_COLUMNS)
            while page := store.list_attempts(**filters, limit=CSV_PAGE, offset=count):
                scores = store.attempt_scores(row.id for row in page)
                for row in page:
                    who = ((pseudonym(row.trainee), group_pseudonym.optional(row.group)) if anonymous
                           else (row.trainee, row.group))
                    writer.writerow(_csv_row(row, *who) + _score_cells(scores.get(row.id, {})))
                count += len(page)
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {exc.strerror}") from exc
    return count


def export_attempt(store: AttemptStore, attempt_id: int, path: Path, anonymous: bool = False) -> Path:
    """Write one attempt as a zip bundle (attempt.json, timeline.json, recording.*); returns the path."""
    record = store.get_attempt(attempt_id)
    recording = store.recording_path(attempt_id)
    if anonymous:
        record = anonymised(record, Pseudonyms()(record.trainee), Pseudonyms("group").optional(record.group))
    meta = {k: v for k, v in _jsonable(asdict(record)).items() if k not in ("timeline", "id", "recording")}
    meta["corrections"] = [c.to_json() for c in record.corrections]
    meta["recognised"] = record.recognised.to_json() if record.recognised else None
    meta["bundle_format"] = BUNDLE_FORMAT
    path = Path(path)
    try:
        with private_file(path) as f, zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("attempt.json", json.dumps(meta, ensure_ascii=False, indent=1))
            z.writestr("timeline.json", json.dumps(record.timeline, ensure_ascii=False, indent=1))
            if recording is not None:
                z.write(recording, "recording" + recording.suffix.lower(), compress_type=zipfile.ZIP_STORED)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise StorageError(f"cannot write {path}: {exc.strerror}") from exc
    return path


def import_attempt(store: AttemptStore, path: Path) -> int:
    """Add an exported attempt to this store as a new attempt; returns its id here. The bundle is checked
    first (bundle.py); one imported before (same content) is refused, naming the attempt it became."""
    if store.read_only:
        raise StorageError(READ_ONLY)
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        bundle = read_bundle(path, Path(tmp))
        if (existing := store.attempt_with_content(bundle.content_hash)) is not None:
            raise StorageError(f"{path} was imported already, as attempt {existing}")
        record = _record_from(bundle.meta, bundle.timeline)
        return store.add_records([record], [bundle.recording], content_hashes=[bundle.content_hash])[0]


def anonymised(record: AttemptRecord, stand_in: str, group_stand_in: str | None = None) -> AttemptRecord:
    """The record with the trainee's name, the OS user name and every path replaced in its free text (see
    anonymise.py), the group replaced by `group_stand_in`, the recording's name dropped, the notes left out and
    the reviewers named by their role."""
    data = _jsonable(asdict(record))
    data["corrections"] = [{**c.to_json(), "reviewer": REVIEWER_STAND_IN} for c in record.corrections]
    data["recognised"] = record.recognised.to_json() if record.recognised else None
    data = Scrubber([record.trainee, *(c.reviewer for c in record.corrections)], stand_in).value(data)
    data["trainee"], data["group"], data["notes"], data["recording"] = stand_in, group_stand_in, "", None
    return _record_from(data, data.pop("timeline"))


def _record_from(meta: dict[str, Any], timeline: dict[str, Any]) -> AttemptRecord:
    """A record from checked bundle contents (or from an anonymised record's own fields)."""
    names = {f.name for f in fields(AttemptRecord)}
    values = {k: v for k, v in meta.items() if k in names}
    values.update(id=0, timeline=timeline, recording=None, started_at=parse_time(meta, "started_at"),
                  ended_at=parse_time(meta, "ended_at"),
                  corrections=[TurnCorrection.from_json(c) for c in meta.get("corrections") or []],
                  recognised=StoredScore.from_json(meta["recognised"]) if meta.get("recognised") else None)
    return AttemptRecord(**values)


def _csv_row(row: AttemptSummary, trainee: str, group: str | None) -> list[Any]:
    duration = f"{row.duration:.1f}" if row.duration is not None else ""
    return [row.id, _cell(trainee), _cell(group or ""), _cell(row.persona_id), _cell(row.persona_type),
            _cell(row.scenario_id), row.language, row.started_at.isoformat(),
            row.ended_at.isoformat() if row.ended_at else "", duration, row.status, _cell(row.ending or ""),
            "" if row.overall is None else row.overall, int(row.has_recording)]


def _score_cells(scores: dict[str, Any]) -> list[Any]:
    """One cell per criterion in CRITERIA order: its score, or blank when it was not measured."""
    return [scores[c] if isinstance(scores.get(c), (int, float)) and not isinstance(scores.get(c), bool) else ""
            for c in CRITERIA]


def _cell(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()}
