"""What this machine can do for a call now (voice, or typed replies only) and why not, checked at every call
start so that a headset plugged in since the last call is found."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.core.messages import problem_of
from simulator.settings import Settings


@dataclass(frozen=True)
class Capabilities:
    """What this machine can do now, with a user-facing reason for what it cannot."""

    audio: bool
    model_path: Path | None
    problems: tuple[str, ...]


def detect_capabilities(language: str, settings: Settings) -> Capabilities:
    from simulator.speech.audio_io import audio_problem
    from simulator.speech.models import ModelError, find_model
    from simulator.speech.tts import tts_problem

    audio_issue = audio_problem(refresh=True)
    problems = [p for p in (tts_problem(), audio_issue) if p]
    model_path: Path | None = None
    try:
        model_path = find_model(language, settings.model_dirs.get(language) or None)
    except ModelError as exc:
        problems.append(problem_of(exc))
    return Capabilities(audio_issue is None, model_path, tuple(problems))
