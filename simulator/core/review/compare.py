"""Two attempts side by side: overall and per-criterion scores with the change from the first to the second."""

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


@dataclass(frozen=True)
class Comparison:
    first_id: int
    second_id: int
    overall: ScoreDelta
    criteria: list[ScoreDelta]
    duration_delta: float | None  # seconds, second - first
    findings: tuple[int, int]  # advice count of each (good findings left out)

    @property
    def improved(self) -> list[str]:
        return [c.name for c in self.criteria if (c.delta or 0) > 0]

    @property
    def worse(self) -> list[str]:
        return [c.name for c in self.criteria if (c.delta or 0) < 0]


def ordered(a: Any, b: Any) -> tuple[Any, Any]:
    """The earlier attempt first, so a positive delta means the trainee got better."""
    return (a, b) if (a.started_at, a.id) <= (b.started_at, b.id) else (b, a)


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
