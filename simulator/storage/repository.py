"""The attempts store: what the live call, the review screen, export and the CLI read and write.

Nothing a trainee did may be lost: the row exists from the first second of a call, the timeline is
saved after every turn, the recorder writes its file incrementally beside it, and an attempt left
`in_progress` by a crash (its lock file no longer held, see locks.py) is recovered on the next start.
Recordings are files named after the attempt in the recordings folder; with a PostgreSQL server and no
shared folder their bytes also go into the database, and the folder is then only a local cache.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Engine, and_, case, delete, func, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from . import locks, recovery
from .errors import AttemptNotFound, StorageError, first_line
from simulator.core.review.correction import StoredScore, TurnCorrection

from .models import Attempt, RecordingBlob, TranscriptCorrection, Trainee

STATUSES = ("in_progress", "complete", "recovered")
READ_ONLY = "the attempts database can only be read here (read-only disk or another user's folder); nothing was saved"
INTERRUPTED = "interrupted: the application stopped during the call"
HOST = socket.gethostname()


@dataclass
class AttemptRecord:
    id: int
    trainee: str
    persona_id: str
    persona_type: str
    scenario_id: str
    language: str
    started_at: datetime
    ended_at: datetime | None
    ending: str | None
    ending_reason: str | None
    status: str
    overall: int | None
    scores: dict[str, Any] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    timeline: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    recording: str | None = None
    recording_error: str | None = None
    group: str | None = None   # the trainee's class or team when the call was made
    corrections: list[TurnCorrection] = field(default_factory=list)  # reviewers' texts of turns, by turn
    recognised: StoredScore | None = None  # the score as recognised, while corrections stand (overall … is then theirs)

    @property
    def duration(self) -> float | None:
        return (self.ended_at - self.started_at).total_seconds() if self.ended_at else None

    @property
    def recognised_score(self) -> StoredScore:
        """The score the recogniser's words gave, whether or not the transcript was corrected since."""
        return self.recognised or StoredScore(self.overall, self.scores, self.findings)


@dataclass(frozen=True)
class AttemptSummary:
    """One row of the attempts list: the indexed columns only, no timeline."""

    id: int
    trainee: str
    persona_id: str
    persona_type: str
    scenario_id: str
    language: str
    started_at: datetime
    ended_at: datetime | None
    status: str
    ending: str | None
    overall: int | None
    has_recording: bool
    group: str | None = None

    @property
    def duration(self) -> float | None:
        return (self.ended_at - self.started_at).total_seconds() if self.ended_at else None


_SORTS = {
    "started_at": Attempt.started_at, "ended_at": Attempt.ended_at, "overall": Attempt.overall,
    "trainee": Trainee.name, "group": Attempt.trainee_group, "persona": Attempt.persona_id,
    "scenario": Attempt.scenario_id,
    "ending": Attempt.ending, "status": Attempt.status, "id": Attempt.id,
}


class AttemptStore:
    def __init__(self, engine: Engine, recordings_dir: Path, audio_in_database: bool = False,
                 private_files: bool = True, locks_dir: Path | None = None, read_only: bool = False) -> None:
        """`locks_dir`: a folder on this machine, one per database (lock files of the calls running here).
        `read_only`: a database this user may only read (review only; every write is a StorageError)."""
        self.engine = engine
        self.read_only = read_only
        self.recordings_dir = Path(recordings_dir)
        self.locks_dir = Path(locks_dir) if locks_dir is not None else self.recordings_dir / "locks"
        self.audio_in_database = audio_in_database
        self.private_files = private_files
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._held: dict[int, BinaryIO] = {}

    def close(self) -> None:
        self.engine.dispose()

    # -- during a call ------------------------------------------------------------------------------
    def begin_attempt(self, trainee: str, persona_id: str, persona_type: str, scenario_id: str,
                      language: str, group: str | None = None) -> tuple[int, Path]:
        """Create the row (in_progress) and return where the CallRecorder must write. `trainee` is the name
        the trainee gave (required), `group` their class or team (optional)."""
        self._writable()
        now = _now()
        with self._session() as s:
            row = Attempt(trainee_id=self._trainee_id(s, trainee), trainee_group=group_name(group),
                          persona_id=persona_id,
                          persona_type=persona_type, scenario_id=scenario_id, language=language,
                          started_at=now, updated_at=now, status="in_progress", scores={}, findings=[],
                          timeline={}, notes="", host=HOST, pid=os.getpid())
            s.add(row)
            s.flush()
            attempt_id = row.id
        try:
            if (held := locks.hold(self._lock_for(attempt_id))) is not None:
                self._held[attempt_id] = held
        except OSError:
            pass  # without its lock file the attempt is judged by its pid, as before lock files
        self._remove_files(attempt_id)  # leftovers of a database that was reset would pass for this call's audio
        return attempt_id, self._file_for(attempt_id)

    def save_progress(self, attempt_id: int, timeline: dict[str, Any]) -> None:
        """Called after every turn, so a crash loses at most the turn in progress."""
        with self._session() as s:
            row = self._row(s, attempt_id)
            row.timeline, row.updated_at = timeline, _now()

    def finish_attempt(self, attempt_id: int, ending: str | None, reason: str | None, timeline: dict[str, Any],
                       overall: int | None, scores: dict[str, Any], findings: list[dict[str, Any]],
                       recording_error: str | None = None) -> None:
        """Close the attempt with its results; `recording_error` is the recorder's message (disk full)."""
        audio = recovery.salvage(self._file_for(attempt_id))  # the recorder has closed it; a failed close is repaired
        with self._session() as s:
            row = self._row(s, attempt_id)
            now = _now()
            row.ended_at, row.updated_at = now, now
            row.status, row.ending, row.ending_reason = "complete", ending, reason
            row.timeline, row.overall, row.scores, row.findings = timeline, overall, scores, findings
            row.recording_error = recording_error
            self._attach(s, row, audio)
        self._release(attempt_id)

    def recover_interrupted(self) -> list[int]:
        """Attempts this machine left in_progress (their process is gone): mark them 'recovered', make
        the partial recording playable, keep the last saved timeline. Returns their ids."""
        if self.read_only:
            return []
        stale: list[int] = []  # ids, not rows: a failed commit detaches the rows before `finally` runs
        try:
            with self._session() as s:
                rows = s.scalars(select(Attempt).where(Attempt.status == "in_progress", Attempt.host == HOST)
                                 .order_by(Attempt.id)).all()
                for row in rows:
                    if not self._interrupted(row):
                        continue
                    stale.append(row.id)
                    audio = recovery.salvage(self._file_for(row.id))
                    heard_until = row.started_at
                    if audio is not None:
                        heard_until = row.started_at + timedelta(seconds=recovery.duration(audio))
                    row.status, row.ending_reason = "recovered", INTERRUPTED
                    row.ended_at = max(row.updated_at, heard_until)
                    self._attach(s, row, audio)
        finally:
            for attempt_id in stale:
                self._release(attempt_id)
        return stale

    # -- review ---------------------------------------------------------------------------------------
    def list_attempts(self, trainee: str | None = None, group: str | None = None, persona: str | None = None,
                      scenario: str | None = None,
                      since: datetime | None = None, until: datetime | None = None,
                      min_score: int | None = None, max_score: int | None = None, ending: str | None = None,
                      status: str | None = None, order_by: str = "started_at", descending: bool = True,
                      limit: int = 200, offset: int = 0, shown_order: Mapping[Any, int] | None = None
                      ) -> list[AttemptSummary]:
        """`shown_order` sorts by what the list shows instead of by id: the position of each persona id
        (order_by="persona") or (persona id, scenario id) pair (order_by="scenario") among the names and
        titles the list shows for them; see persona_scenarios()."""
        if order_by not in _SORTS:
            raise StorageError(f"cannot sort attempts by {order_by!r}; choose one of {', '.join(_SORTS)}")
        key = _shown_key(order_by, shown_order) if shown_order else _SORTS[order_by]
        stmt = select(Attempt.id, Trainee.name, Attempt.persona_id, Attempt.persona_type, Attempt.scenario_id,
                      Attempt.language, Attempt.started_at, Attempt.ended_at, Attempt.status, Attempt.ending,
                      Attempt.overall, Attempt.recording.is_not(None), Attempt.trainee_group).join(Trainee)
        stmt = _filtered(stmt, trainee=trainee, group=group, persona=persona, scenario=scenario, since=since,
                         until=until, min_score=min_score, max_score=max_score, ending=ending, status=status)
        order = [key.desc(), Attempt.id.desc()] if descending else [key.asc(), Attempt.id.asc()]
        stmt = stmt.order_by(key.is_(None), *order).limit(limit).offset(offset)
        with self._session() as s:
            return [AttemptSummary(r[0], r[1], r[2], r[3], r[4], r[5], _aware(r[6]), _aware(r[7]), r[8], r[9],
                                   r[10], bool(r[11]), r[12]) for r in s.execute(stmt)]

    def attempt_scores(self, attempt_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """The per-criterion scores of some attempts, by id (the list leaves them out: they are a JSON object)."""
        ids = list(attempt_ids)
        if not ids:
            return {}
        with self._session() as s:
            return {i: dict(scores or {}) for i, scores in s.execute(select(Attempt.id, Attempt.scores)
                                                                      .where(Attempt.id.in_(ids)))}

    def persona_scenarios(self) -> list[tuple[str, str]]:
        """Every (persona id, scenario id) pair that has attempts: what the list can show in those columns."""
        with self._session() as s:
            return [(p, c) for p, c in s.execute(select(Attempt.persona_id, Attempt.scenario_id).distinct())]

    def count_attempts(self, **filters: Any) -> int:
        """How many attempts list_attempts would page through with the same filters."""
        stmt = _filtered(select(func.count(Attempt.id)).select_from(Attempt).join(Trainee), **filters)
        with self._session() as s:
            return int(s.scalar(stmt) or 0)

    def get_attempt(self, attempt_id: int) -> AttemptRecord:
        with self._session() as s:
            row = self._row(s, attempt_id)
            return AttemptRecord(
                id=row.id, trainee=row.trainee.name, persona_id=row.persona_id, persona_type=row.persona_type,
                scenario_id=row.scenario_id, language=row.language, started_at=_aware(row.started_at),
                ended_at=_aware(row.ended_at), ending=row.ending, ending_reason=row.ending_reason,
                status=row.status, overall=row.overall, scores=row.scores, findings=row.findings,
                timeline=row.timeline, notes=row.notes, recording=row.recording,
                recording_error=row.recording_error, group=row.trainee_group,
                corrections=[TurnCorrection(c.turn, c.text, c.reviewer, _aware(c.corrected_at))
                             for c in row.corrections],
                recognised=StoredScore.from_json(row.recognised_score) if row.recognised_score else None)

    def save_corrections(self, attempt_id: int, corrections: list[TurnCorrection], score: StoredScore,
                         recognised: StoredScore) -> None:
        """Make `corrections` the attempt's corrections (replacing the ones it had) and `score` its current
        score, keeping `recognised` beside it while any correction stands; see storage/corrections.py."""
        self._writable()
        with self._session() as s:
            row = self._row(s, attempt_id)
            s.execute(delete(TranscriptCorrection).where(TranscriptCorrection.attempt_id == attempt_id))
            s.add_all(_correction_rows(attempt_id, corrections))
            row.overall, row.scores, row.findings = score.overall, dict(score.scores), list(score.findings)
            row.recognised_score = recognised.to_json() if corrections else None
            row.updated_at = _now()

    def recording_path(self, attempt_id: int) -> Path | None:
        """The playable file; audio kept in the database is first written to the local cache folder."""
        with self._session() as s:
            name = self._row(s, attempt_id).recording
            if name is None:
                return None
            path = self.recordings_dir / name
            if path.is_file():
                return path
            blob = s.get(RecordingBlob, attempt_id) if self.audio_in_database else None
            if blob is None:
                raise StorageError(f"the recording of attempt {attempt_id} is missing ({path})")
            self._write_private(path, blob.data)
            return path

    def set_notes(self, attempt_id: int, text: str) -> None:
        with self._session() as s:
            self._row(s, attempt_id).notes = text

    def trainee_trend(self, name: str, group: str | None = None) -> list[tuple[datetime, int]]:
        """(start, overall score) of every scored attempt of one trainee, oldest first; with `group`, only
        those made in that group (two people of one name in two classes are told apart by their class)."""
        stmt = _filtered(select(Attempt.started_at, Attempt.overall).join(Trainee), trainee=name, group=group)
        stmt = stmt.where(Attempt.overall.is_not(None)).order_by(Attempt.started_at, Attempt.id)
        with self._session() as s:
            return [(_aware(t), int(o)) for t, o in s.execute(stmt)]

    def trainees(self, group: str | None = None) -> list[str]:
        """Every trainee's name; with `group`, those with an attempt in that group."""
        stmt = select(Trainee.name).order_by(Trainee.name)
        if group is not None:
            stmt = stmt.where(Trainee.id.in_(select(Attempt.trainee_id).where(Attempt.trainee_group == group)))
        with self._session() as s:
            return list(s.scalars(stmt))

    def groups(self) -> list[str]:
        """Every group that has attempts, sorted."""
        stmt = (select(Attempt.trainee_group).where(Attempt.trainee_group.is_not(None)).distinct()
                .order_by(Attempt.trainee_group))
        with self._session() as s:
            return list(s.scalars(stmt))

    # -- privacy ----------------------------------------------------------------------------------------
    def delete_attempt(self, attempt_id: int) -> None:
        """Remove the attempt with its recording (file, cache and database copy)."""
        with self._session() as s:
            self._row(s, attempt_id)
            s.execute(delete(Attempt).where(Attempt.id == attempt_id))
        self._remove_files(attempt_id)

    def prune_cache(self) -> int:
        """With the audio in the database the folder is a cache: drop the files of attempts deleted since
        (possibly by another reviewer), so a delete reaches every machine. Returns how many files went."""
        files: dict[int, list[Path]] = {}
        for path in self.recordings_dir.glob("attempt-*.*"):
            number = path.name.removeprefix("attempt-").split(".", 1)[0]
            if number.isdigit():
                files.setdefault(int(number), []).append(path)
        ids = sorted(files)
        with self._session() as s:
            kept = {i for start in range(0, len(ids), 500)
                    for i in s.scalars(select(Attempt.id).where(Attempt.id.in_(ids[start:start + 500])))}
        gone = [path for attempt_id in ids if attempt_id not in kept for path in files[attempt_id]]
        for path in gone:
            path.unlink(missing_ok=True)
        return len(gone)

    def delete_trainee(self, name: str) -> int:
        """Remove a trainee, all their attempts and recordings; returns how many attempts went."""
        with self._session() as s:
            trainee = s.scalar(select(Trainee).where(Trainee.name == name))
            if trainee is None:
                raise StorageError(f"no trainee named {name!r}")
            ids = list(s.scalars(select(Attempt.id).where(Attempt.trainee_id == trainee.id)))
            s.execute(delete(Trainee).where(Trainee.id == trainee.id))
        for attempt_id in ids:
            self._remove_files(attempt_id)
        return len(ids)

    # -- import -----------------------------------------------------------------------------------------
    def add_records(self, records: Iterable[AttemptRecord], recordings: Iterable[Path | None] = (),
                    content_hashes: Iterable[str | None] = ()) -> list[int]:
        """Store finished attempts made elsewhere (import, generated test data) in one transaction; the
        records' ids are ignored and new ones returned. `recordings` and `content_hashes` (of imported
        bundles, see attempt_with_content) pair with `records` when given."""
        self._writable()
        records = list(records)
        audio = list(recordings) or [None] * len(records)
        hashes = list(content_hashes) or [None] * len(records)
        trainees: dict[str, int] = {}
        with self._session() as s:
            values = []
            for rec, content_hash in zip(records, hashes):
                if rec.trainee not in trainees:
                    trainees[rec.trainee] = self._trainee_id(s, rec.trainee)
                values.append(dict(
                    trainee_id=trainees[rec.trainee], trainee_group=group_name(rec.group),
                    persona_id=rec.persona_id, persona_type=rec.persona_type,
                    scenario_id=rec.scenario_id, language=rec.language, started_at=_naive(rec.started_at),
                    updated_at=_naive(rec.ended_at or rec.started_at), ended_at=_naive(rec.ended_at),
                    status="complete" if rec.status == "in_progress" else rec.status, ending=rec.ending,
                    ending_reason=rec.ending_reason, overall=rec.overall, scores=rec.scores,
                    findings=rec.findings, timeline=rec.timeline, notes=rec.notes,
                    recording_error=rec.recording_error, host=HOST, pid=0, content_hash=content_hash,
                    recognised_score=rec.recognised.to_json() if rec.recognised and rec.corrections else None))
            if not values:
                return []
            # Core multi-row INSERT … RETURNING in large batches: the ORM's bulk path splits rows by which
            # fields are empty, into thousands of tiny batches on PostgreSQL
            table = Attempt.__table__
            ids = list(s.connection().scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                              values))
            s.add_all(row for attempt_id, rec in zip(ids, records) for row in _correction_rows(attempt_id, rec.corrections))
            for attempt_id, source in zip(ids, audio):
                if source is not None:
                    target = self.recordings_dir / f"attempt-{attempt_id}{source.suffix.lower()}"
                    shutil.copyfile(source, target)
                    self._attach(s, s.get(Attempt, attempt_id), target)
            return ids

    def attempt_with_content(self, content_hash: str) -> int | None:
        """The attempt imported from a bundle with this content hash, if any."""
        with self._session() as s:
            return s.scalar(select(Attempt.id).where(Attempt.content_hash == content_hash))

    # -- helpers ------------------------------------------------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise StorageError(READ_ONLY)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with self._sessions.begin() as s:
                yield s
        except SQLAlchemyError as exc:
            raise StorageError(f"attempts database error: {first_line(exc)}") from exc
        except OSError as exc:
            raise StorageError(f"cannot write attempt data: {exc}") from exc
        except (ValueError, TypeError) as exc:  # a row the driver cannot turn into values: bad JSON, a bad date
            raise StorageError(f"the attempts database holds a damaged row ({first_line(exc)}); restore it from "
                               f"a backup or delete the damaged attempt") from exc

    def _row(self, s: Session, attempt_id: int) -> Attempt:
        row = s.get(Attempt, attempt_id)
        if row is None:
            raise AttemptNotFound(attempt_id)
        return row

    def _trainee_id(self, s: Session, name: str) -> int:
        name = name.strip()
        if not name:
            raise StorageError("a trainee name is required")
        found = s.scalar(select(Trainee.id).where(Trainee.name == name))
        if found is not None:
            return found
        try:
            with s.begin_nested():
                trainee = Trainee(name=name, created_at=_now())
                s.add(trainee)
            return trainee.id
        except IntegrityError:  # another reviewer's machine created the same trainee just now
            return s.scalar(select(Trainee.id).where(Trainee.name == name))

    def _lock_for(self, attempt_id: int) -> Path:
        return self.locks_dir / f"attempt-{attempt_id}.lock"

    def _interrupted(self, row: Attempt) -> bool:
        """Its call no longer runs: nobody holds its lock file (then this store holds it until released);
        without a lock file (another user's data folder, or made before lock files) its pid is gone."""
        if row.id in self._held:
            return False
        path = self._lock_for(row.id)
        if not path.exists():
            return not _process_alive(row.pid)
        try:
            held = locks.hold(path)
        except OSError:
            return False
        if held is not None:
            self._held[row.id] = held
        return held is not None

    def _release(self, attempt_id: int) -> None:
        if (held := self._held.pop(attempt_id, None)) is not None:
            locks.release(held, self._lock_for(attempt_id))

    def _file_for(self, attempt_id: int) -> Path:
        return self.recordings_dir / f"attempt-{attempt_id}.flac"

    def _attach(self, s: Session, row: Attempt, audio: Path | None) -> None:
        """Point the row at its audio file, make the file private, copy it into the database if needed."""
        row.recording = audio.name if audio is not None else None
        if audio is None:
            return
        if self.private_files:
            audio.chmod(0o600)
        if self.audio_in_database:
            s.merge(RecordingBlob(attempt_id=row.id, filename=audio.name, data=audio.read_bytes()))

    def _write_private(self, path: Path, data: bytes) -> None:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)

    def _remove_files(self, attempt_id: int) -> None:
        for path in self.recordings_dir.glob(f"attempt-{attempt_id}.*"):
            path.unlink(missing_ok=True)


def group_name(group: str | None) -> str | None:
    """A group as stored: spaces trimmed; blank is no group."""
    if group is None:
        return None
    return " ".join(group.split()) or None


def _filtered(stmt, *, trainee: str | None = None, group: str | None = None, persona: str | None = None,
              scenario: str | None = None,
              since: datetime | None = None, until: datetime | None = None, min_score: int | None = None,
              max_score: int | None = None, ending: str | None = None, status: str | None = None):
    """The list filters as WHERE conditions; `persona` matches a persona id or a persona type."""
    conditions = []
    if trainee is not None:
        conditions.append(Trainee.name == trainee)
    if group is not None:
        conditions.append(Attempt.trainee_group == group)
    if persona is not None:
        conditions.append((Attempt.persona_id == persona) | (Attempt.persona_type == persona))
    if scenario is not None:
        conditions.append(Attempt.scenario_id == scenario)
    if since is not None:
        conditions.append(Attempt.started_at >= _naive(since))
    if until is not None:
        conditions.append(Attempt.started_at < _naive(until))
    if min_score is not None:
        conditions.append(Attempt.overall >= min_score)
    if max_score is not None:
        conditions.append(Attempt.overall <= max_score)
    if ending is not None:
        conditions.append(Attempt.ending == ending)
    if status is not None:
        conditions.append(Attempt.status == status)
    return stmt.where(*conditions) if conditions else stmt


def _shown_key(order_by: str, positions: Mapping[Any, int]):
    """A CASE giving each row its position in the shown order; anything not listed goes last."""
    last = len(positions)
    if order_by == "persona":
        return case(dict(positions), value=Attempt.persona_id, else_=last)
    if order_by == "scenario":
        return case(*((and_(Attempt.persona_id == p, Attempt.scenario_id == c), n) for (p, c), n in positions.items()),
                    else_=last)
    raise StorageError(f"attempts sorted by {order_by!r} have no shown order")


def _correction_rows(attempt_id: int, corrections: Iterable[TurnCorrection]) -> list[TranscriptCorrection]:
    return [TranscriptCorrection(attempt_id=attempt_id, turn=c.turn, text=c.text, reviewer=c.reviewer,
                                 corrected_at=_naive(c.corrected_at)) for c in corrections]


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _naive(dt: datetime | None) -> datetime | None:
    """Naive UTC for the database; a naive input is taken as UTC already."""
    if dt is None or dt.tzinfo is None:
        return dt
    return dt.astimezone(UTC).replace(tzinfo=None)


def _aware(dt: datetime | None) -> datetime | None:
    return dt.replace(tzinfo=UTC) if dt is not None else None
