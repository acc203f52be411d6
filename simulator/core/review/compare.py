"""Two attempts side by side: overall and per-criterion scores aligned row by row, the change from the first to
the second, which of the two did better, and how the trainees are named when names are hidden."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.core.review.stored import stored_criteria


@dataclass(frozen=True)
class ScoreDelta:
    name: str  # "overall" or a criterion
    first: int | None
    second: int | None

    @property
    def delta(self) -> int | None:
        """second - first; None when either attempt has no score for it."""
        return None if self.first is None or self.second is None else self.second - self.first

    @property
    def better(self) -> int | None:
        """0 when the first attempt scored higher, 1 the second; None for a tie or a missing score."""
        return None if not self.delta else int(self.delta > 0)


@dataclass(frozen=True)
class Comparison:
    first_id: int
    second_id: int
    overall: ScoreDelta
    criteria: list[ScoreDelta]
    duration_delta: float | None  # seconds, second - first
    findings: tuple[int, int]  # advice count of each (good findings left out)

    @property
    def better(self) -> int | None:
        """Which attempt did better overall: 0 the first, 1 the second, None a tie or an unscored one."""
        return self.overall.better

    @property
    def improved(self) -> list[str]:
        return [c.name for c in self.criteria if (c.delta or 0) > 0]

    @property
    def worse(self) -> list[str]:
        return [c.name for c in self.criteria if (c.delta or 0) < 0]


def ordered(a: Any, b: Any) -> tuple[Any, Any]:
    """The earlier attempt first, so a positive delta means the trainee got better."""
    return (a, b) if (a.started_at, a.id) <= (b.started_at, b.id) else (b, a)


def trainee_numbers(first: Any, second: Any) -> tuple[int, int]:
    """With names hidden: "trainee 1" for the first; the second is "trainee 1" too when it is the same person."""
    return 1, 1 if first.trainee == second.trainee else 2


def hidden_name(text: str, name: str, label: str) -> str:
    """What was said with the trainee's name replaced (they may have introduced themselves)."""
    return text.replace(name, label) if name else text


def compare_attempts(first: Any, second: Any) -> Comparison:
    """Deltas of `second` against `first` (AttemptRecord-like: overall, scores, findings, duration)."""
    one, two = stored_criteria(first.scores), stored_criteria(second.scores)
    names = list(one) + [n for n in two if n not in one]
    durations = (first.duration, second.duration)
    return Comparison(
        first_id=first.id, second_id=second.id,
        overall=ScoreDelta("overall", first.overall, second.overall),
        criteria=[ScoreDelta(n, one.get(n), two.get(n)) for n in names],
        duration_delta=None if None in durations else durations[1] - durations[0],
        findings=(_advice(first.findings), _advice(second.findings)),
    )


def _advice(findings: list[dict[str, Any]]) -> int:
    return sum(1 for f in findings if f.get("severity") != "good")
