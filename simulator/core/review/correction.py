"""A reviewer's correction of what the recogniser heard in one turn, and what it does to the call: the turn
gets the corrected words with the recognised timing kept where the words still line up (a correction fixes
words, not when they were said), every word of a corrected turn fully confident (the reviewer listened to
it), and the attempt's current score is the re-scored one while any correction stands, the recognised one
again once all are reverted."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from difflib import SequenceMatcher
from typing import Any

from simulator.core.timeline import MAX_TURN_CHARS, Timeline, Turn, Word

MAX_REVIEWER_CHARS = 200


class CorrectionError(ValueError):
    """A correction that cannot apply: no such turn, or no text."""


@dataclass(frozen=True)
class TurnCorrection:
    turn: int               # index into the timeline's turns, as findings number them
    text: str               # what the reviewer heard
    reviewer: str
    corrected_at: datetime  # aware, UTC

    def to_json(self) -> dict[str, Any]:
        return {"turn": self.turn, "text": self.text, "reviewer": self.reviewer,
                "corrected_at": self.corrected_at.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TurnCorrection:
        when = datetime.fromisoformat(data["corrected_at"])
        return cls(int(data["turn"]), str(data["text"]), str(data["reviewer"]),
                   when if when.tzinfo is not None else when.replace(tzinfo=UTC))


@dataclass(frozen=True)
class StoredScore:
    """The results as the store keeps them (overall, per-criterion scores, findings as dicts)."""

    overall: int | None
    scores: dict[str, Any] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"overall": self.overall, "scores": dict(self.scores), "findings": list(self.findings)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoredScore:
        return cls(data.get("overall"), dict(data.get("scores") or {}), list(data.get("findings") or []))


def stored_score(card: Any) -> StoredScore:
    """A scorecard in the store's form, as a finished call saves it."""
    return StoredScore(card.overall, dict(card.criteria), [asdict(f) for f in card.findings])


def clean_text(text: str) -> str:
    """The corrected text with its runs of white space made single spaces; a CorrectionError when empty."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise CorrectionError("the corrected text is empty")
    if len(cleaned) > MAX_TURN_CHARS:
        raise CorrectionError(f"the corrected text is longer than {MAX_TURN_CHARS:,} characters")
    return cleaned


def check_turn(timeline: Timeline, turn: int) -> None:
    count = len(timeline.turns)
    if not 0 <= turn < count:
        where = f"0 to {count - 1}" if count else "none: no turns were saved"
        raise CorrectionError(f"the attempt has no turn {turn} (its turns are {where})")


def corrected_turn(turn: Turn, text: str) -> Turn:
    """`turn` saying `text`. Without recognised words (a typed reply) only the text changes; otherwise each
    corrected character takes the time of the recognised character it lines up with, and new characters
    share out the time of what they replace (or the gap they fill)."""
    text = clean_text(text)
    if not turn.words:
        return replace(turn, text=text, extra=dict(turn.extra))
    old = [(ch, i, start, end) for i, w in enumerate(turn.words) for ch, start, end in _spread(w)]
    chars = [ch for ch in text if not ch.isspace()]
    times: list[tuple[float, float]] = [(turn.start, turn.start)] * len(chars)
    sources: list[Any] = [None] * len(chars)
    matcher = SequenceMatcher(None, [c[0].lower() for c in old], [c.lower() for c in chars], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(j2 - j1):
                times[j1 + k], sources[j1 + k] = (old[i1 + k][2], old[i1 + k][3]), old[i1 + k][1]
        elif tag in ("replace", "insert"):
            lo = old[i1][2] if tag == "replace" else (old[i1 - 1][3] if i1 > 0 else turn.start)
            hi = old[i2 - 1][3] if tag == "replace" else (old[i1][2] if i1 < len(old) else turn.end)
            step = max(0.0, hi - lo) / (j2 - j1)
            for k in range(j2 - j1):
                times[j1 + k], sources[j1 + k] = (lo + k * step, lo + (k + 1) * step), ("new", j1)
    return replace(turn, text=text, words=_words(text, times, sources), extra=dict(turn.extra))


def _spread(word: Word) -> list[tuple[str, float, float]]:
    """The word's characters with its time shared out evenly among them."""
    chars = [c for c in word.word if not c.isspace()]
    if not chars:
        return []
    step = (word.end - word.start) / len(chars)
    return [(c, word.start + k * step, word.start + (k + 1) * step) for k, c in enumerate(chars)]


def _words(text: str, times: list[tuple[float, float]], sources: list[Any]) -> list[Word]:
    """Words split at spaces and, in Chinese written without spaces, where the characters come from another
    recognised word or from the reviewer."""
    words: list[Word] = []
    k = 0
    for chunk in text.split():
        first = 0   # where the current word starts in the chunk
        for j in range(1, len(chunk)):
            if sources[k + j] != sources[k + j - 1] and (_cjk(chunk[j]) or _cjk(chunk[j - 1])):
                words.append(_word(chunk[first:j], times[k + first:k + j]))
                first = j
        words.append(_word(chunk[first:], times[k + first:k + len(chunk)]))
        k += len(chunk)
    return words


def _word(text: str, times: list[tuple[float, float]]) -> Word:
    return Word(text, min(t[0] for t in times), max(t[1] for t in times), 1.0)


def _cjk(ch: str) -> bool:
    return unicodedata.category(ch) == "Lo" and "\u2e80" <= ch <= "\U0003134f"


def corrected_timeline(timeline: Timeline, corrections: Iterable[TurnCorrection]) -> Timeline:
    """The timeline as the reviewers heard it: each corrected turn replaced; the others as recognised."""
    turns = list(timeline.turns)
    for c in corrections:
        if 0 <= c.turn < len(turns):
            turns[c.turn] = corrected_turn(timeline.turns[c.turn], c.text)
    return replace(timeline, turns=turns, extra=dict(timeline.extra))


def with_correction(corrections: Sequence[TurnCorrection], new: TurnCorrection) -> list[TurnCorrection]:
    """The corrections after `new` is saved: it replaces an earlier correction of the same turn."""
    return sorted([c for c in corrections if c.turn != new.turn] + [new], key=lambda c: c.turn)


def without_turn(corrections: Sequence[TurnCorrection], turn: int) -> list[TurnCorrection]:
    """The corrections after `turn` is reverted to what was recognised; a CorrectionError if it was not corrected."""
    if not any(c.turn == turn for c in corrections):
        raise CorrectionError(f"turn {turn} has no correction to revert")
    return [c for c in corrections if c.turn != turn]


def current_score(corrections: Sequence[TurnCorrection], recognised: StoredScore,
                  rescore: Callable[[Sequence[TurnCorrection]], StoredScore]) -> StoredScore:
    """The score that counts: re-scored on the corrected words while any correction stands; with none left,
    the recognised score itself (not a re-analysis, which a later thresholds change could move)."""
    return rescore(corrections) if corrections else recognised


def latest(corrections: Iterable[TurnCorrection]) -> TurnCorrection | None:
    """The most recent correction: whose name and date the scorecard gives."""
    return max(corrections, key=lambda c: c.corrected_at, default=None)
