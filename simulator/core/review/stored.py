"""An attempt as the store keeps it, turned into what review draws: its timeline, and its scorecard with the
scores the trainee was given (stored), not a fresh re-score that could differ after a thresholds change."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from simulator.core.analysis.audio import AnalysisInputError
from simulator.core.analysis.call import analyze_call
from simulator.core.analysis.scorecard import CRITERIA, Finding
from simulator.core.review.correction import StoredScore, TurnCorrection, corrected_timeline, stored_score
from simulator.core.timeline import Timeline, TimelineError


@dataclass(frozen=True)
class StandInCoping:
    works: tuple[str, ...] = ()
    backfires: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class StandInPersona:
    """For an attempt whose persona file is not on this machine (imported bundle): its id as the name."""

    display_name: str
    coping: StandInCoping = field(default_factory=StandInCoping)


def record_timeline(record: Any) -> Timeline:
    """The attempt's timeline as the reviewers corrected it (what review, reports and re-scoring use); an
    attempt saved before its first turn (or a broken one) has no turns."""
    return corrected_timeline(recognised_timeline(record), getattr(record, "corrections", ()))


def recognised_timeline(record: Any) -> Timeline:
    """The timeline as the recogniser heard it, before any correction."""
    try:
        return Timeline.from_json(record.timeline) if record.timeline else _empty(record)
    except TimelineError:
        return _empty(record)


def _empty(record: Any) -> Timeline:
    return Timeline(record.language, record.persona_id, [])


def stored_criteria(scores: dict[str, Any]) -> dict[str, int]:
    """Per-criterion scores in scorecard order: the store keeps `analyze --json`'s score object (with
    "overall"; older exports also held "not_measured" there) or a plain {criterion: score}; anything not a
    number is left out."""
    numbers = {k: int(v) for k, v in scores.items()
               if k != "overall" and isinstance(v, (int, float)) and not isinstance(v, bool)}
    known = [c for c in CRITERIA if c in numbers]
    return {c: numbers[c] for c in known + sorted(set(numbers) - set(known))}


def stored_findings(findings: list[dict[str, Any]]) -> list[Finding]:
    out = []
    for f in findings:
        time = f.get("time")
        out.append(Finding(code=str(f.get("code", "")), turn=f.get("turn"),
                           time=float(time) if isinstance(time, (int, float)) else None,
                           message=str(f.get("message", "")), criterion=str(f.get("criterion", "")),
                           severity=str(f.get("severity", "warn")), cost=_number(f.get("cost")),
                           said=str(f.get("said", "")), better=str(f.get("better", ""))))
    return out


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) else 0.0


def with_stored_scores(analysis: Any, record: Any) -> Any:
    """The analysis (markers, CLEAR coverage) with the stored overall, criteria and findings; unchanged for
    an attempt that was never scored."""
    if record.overall is None:
        return analysis
    criteria = stored_criteria(record.scores)
    not_measured = [c for c in CRITERIA if c not in criteria]
    card = replace(analysis.scorecard, overall=int(record.overall), criteria=criteria,
                   findings=stored_findings(record.findings), not_measured=not_measured)
    return replace(analysis, scorecard=card)


BASELINE_KEY = "baseline_db"  # top-level timeline key: the trainee's calibrated level (dBFS) when the call started


def stored_baseline(timeline: Timeline) -> float | None:
    """The calibrated speaking level saved with the call, so a re-analysis judges loudness as the call did
    (None: not calibrated, or an attempt from before it was saved: the trainee's own median turn then)."""
    value = timeline.extra.get(BASELINE_KEY)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def review_analysis(record: Any, recording: Path | None) -> Any:
    """The attempt analysed again for its markers (with the recording's voice activity when there is one,
    from the turns' times otherwise), showing the stored scores. Slow with audio: run it off the GUI thread."""
    timeline = record_timeline(record)
    analysis = None
    if recording is not None:
        try:
            analysis = analyze_call(timeline if timeline.turns else None, audio=recording,
                                    language=record.language, persona_type=record.persona_type,
                                    baseline_db=stored_baseline(timeline))
        except AnalysisInputError:
            analysis = None  # unreadable or silent recording: the turns still give the markers
    if analysis is None:
        analysis = analyze_call(timeline, language=record.language, persona_type=record.persona_type)
    return with_stored_scores(analysis, record)


def rescored(record: Any, corrections: Sequence[TurnCorrection], recording: Path | None) -> StoredScore:
    """The attempt scored again on its recognised timeline with `corrections` applied, the way a finished call
    is scored (with its recording and calibrated level when there are; from the turns alone otherwise)."""
    timeline = corrected_timeline(recognised_timeline(record), corrections)
    analysis = None
    if recording is not None:
        try:
            analysis = analyze_call(timeline, audio=recording, language=record.language,
                                    persona_type=record.persona_type, baseline_db=stored_baseline(timeline))
        except AnalysisInputError:
            analysis = None
    if analysis is None:
        analysis = analyze_call(timeline, language=record.language, persona_type=record.persona_type)
    return stored_score(analysis.scorecard)
