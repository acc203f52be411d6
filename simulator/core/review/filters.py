"""The review screen's filter choices as AttemptStore.list_attempts/count_attempts keyword arguments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

SCORE_MIN, SCORE_MAX = 0, 100
RECOVERED = "recovered"  # the ending choice for calls cut off by a crash: they have a status, no ending
ENDINGS = ("resolved", "escalated", "turn_limit", "ended_early", RECOVERED)


def list_filters(trainee: str | None = None, persona: str | None = None, scenario: str | None = None,
                 ending: str | None = None, group: str | None = None, min_score: int = SCORE_MIN,
                 max_score: int = SCORE_MAX,
                 first_day: date | None = None, last_day: date | None = None) -> dict[str, Any]:
    """Only the filters that narrow something: the full 0-100 score range keeps unscored attempts (a score
    bound would drop them), the day range includes its last day (the store's `until` is exclusive), and the
    ending RECOVERED selects interrupted calls by their status."""
    text = {k: (v or "").strip() or None for k, v in
            (("trainee", trainee), ("group", group), ("persona", persona), ("scenario", scenario),
             ("ending", ending))}
    out: dict[str, Any] = {k: v for k, v in text.items() if v is not None}
    if out.get("ending") == RECOVERED:
        out["status"] = out.pop("ending")
    if min_score > SCORE_MIN:
        out["min_score"] = min_score
    if max_score < SCORE_MAX:
        out["max_score"] = max_score
    if first_day is not None:
        out["since"] = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    if last_day is not None:
        out["until"] = datetime(last_day.year, last_day.month, last_day.day, tzinfo=UTC) + timedelta(days=1)
    return out
