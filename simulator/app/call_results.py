"""A finished call scored and stored: its recording decoded once (for the analysis, then the scorecard's
waveform and playback), the attempt written to the database, or, when the database refuses it, its timeline
and results written beside the recording, so that nothing is lost."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from simulator.core.messages import Message
from simulator.core.personas.model import Persona
from simulator.core.private_files import private_file
from simulator.core.review.call_audio import CallAudio
from simulator.speech.live_call import LiveCall
from simulator.storage import AttemptStore, StorageError

ENDED_EARLY = "ended_early"  # the stored ending of a call the trainee ended before the customer did


@dataclass
class CallAttempt:
    """A call in progress and where it is stored; `store_error` when the database refused to start it
    (the call goes on in memory and is written to files at the end)."""

    call: LiveCall
    attempt_id: int | None
    files: Path | None = None       # the recording's path; the timeline goes beside it if the store fails
    store_error: str | None = None

    def audio(self) -> Path | None:
        """The recording file the call left, if any."""
        recorder = self.call.recorder
        if recorder is None:
            return None
        return next((p for p in (recorder.path, recorder.partial_path) if p.is_file()), None)


@dataclass(frozen=True)
class CallOutcome:
    """A finished call as the scorecard needs it."""

    analysis: Any                # simulator.core.analysis.call.CallAnalysis
    persona: Persona
    scenario_id: str
    recording: Path | None
    attempt_id: int | None
    audio: CallAudio | None = None   # the recording decoded once


def score_call(attempt: CallAttempt, recording: Path | None) -> tuple[Any, CallAudio | None]:
    """The stopped call's analysis and its recording decoded; ValueError (AnalysisInputError) or OSError when
    the recording cannot be read."""
    from simulator.core.analysis.call import analyze_call
    from simulator.core.analysis.scoring import ENDING_KEY
    from simulator.core.review.stored import stored_baseline

    session = attempt.call.session
    timeline = session.timeline
    timeline.extra.setdefault(ENDING_KEY, ENDED_EARLY)  # the session keeps the customer's ending; else the trainee's
    audio = CallAudio.read(recording) if recording is not None else None
    analysis = analyze_call(timeline, audio=audio, language=timeline.language, persona_type=session.persona.type,
                            baseline_db=stored_baseline(timeline))
    return analysis, audio


def store_results(store: AttemptStore, attempt: CallAttempt, analysis: Any) -> tuple[int | None, Message | None]:
    """Store the finished attempt: its id, or None and the problem to tell the user once the timeline and
    results are written beside the recording instead."""
    call, session = attempt.call, attempt.call.session
    ending, card = session.ending, analysis.scorecard
    results = {"ending": ending.kind if ending else ENDED_EARLY,
               "ending_reason": ending.reason if ending else "ended by the trainee",
               "overall": card.overall, "scores": dict(card.criteria),
               "findings": [asdict(f) for f in card.findings]}
    error = attempt.store_error
    if attempt.attempt_id is not None:
        try:
            store.finish_attempt(attempt.attempt_id, results["ending"], results["ending_reason"],
                                 session.timeline.to_json(), results["overall"], results["scores"],
                                 results["findings"], recording_error=call.recorder.error if call.recorder else None)
            return attempt.attempt_id, None
        except StorageError as exc:
            error = str(exc)
    kept = [str(p) for p in keep_on_disk(attempt, results)]
    return None, Message("call.not_saved", error=error or "", kept=kept or Message("call.window_only"))


def keep_on_disk(attempt: CallAttempt, results: dict) -> list[Path]:
    """The timeline (interchange format, results as extra keys) as JSON beside the recording."""
    kept = [p for p in (attempt.audio(),) if p is not None]
    if attempt.files is None:
        return kept
    target = attempt.files.with_suffix(".timeline.json")
    try:
        with private_file(target, "w", encoding="utf-8") as f:
            json.dump({**attempt.call.session.timeline.to_json(), **results}, f, ensure_ascii=False, indent=1)
    except OSError:
        target.unlink(missing_ok=True)
        return kept
    return kept + [target]
