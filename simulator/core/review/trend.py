"""A trainee's progress: overall score per attempt over time, with a running mean that smooths single calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

RUNNING_WINDOW = 5


@dataclass(frozen=True)
class TrendSeries:
    times: list[float]  # POSIX seconds of each attempt's start, oldest first
    scores: list[int]
    running_mean: list[float]  # mean of the last RUNNING_WINDOW scores at each point

    @property
    def change(self) -> float | None:
        """Last running mean minus the first score's window: how much better the trainee got."""
        return self.running_mean[-1] - self.running_mean[0] if len(self.scores) > 1 else None


def trend_series(points: list[tuple[datetime, int]], window: int = RUNNING_WINDOW) -> TrendSeries:
    """From AttemptStore.trainee_trend(); sorted again so any order in gives date order out."""
    ordered = sorted(points, key=lambda p: p[0])
    scores = [int(s) for _, s in ordered]
    running = [sum(scores[max(0, i - window + 1):i + 1]) / (i + 1 - max(0, i - window + 1)) for i in range(len(scores))]
    return TrendSeries([t.timestamp() for t, _ in ordered], scores, running)
