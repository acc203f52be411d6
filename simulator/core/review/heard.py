"""How sure the recogniser was of each word of a turn, for transcripts that show what may be misheard."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.timeline import Turn


@dataclass(frozen=True)
class HeardWord:
    text: str
    confidence: float
    doubtful: bool   # below the confidence a penalty needs (thresholds.toml [confidence] penalty)


def heard_words(turn: Turn) -> list[HeardWord] | None:
    """The recognised words with their confidence, or None for a turn without recognised words (typed, or a
    transcript alone): there is nothing to doubt in it."""
    if not turn.words:
        return None
    floor = load_thresholds().penalty_confidence
    return [HeardWord(w.word, w.conf, w.conf < floor) for w in turn.words]
