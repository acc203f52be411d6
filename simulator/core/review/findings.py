"""The scorecard's findings as review lists them: the few that cost most first, then advice and praise apart,
each in call order."""

from __future__ import annotations

from typing import Any


def split_findings(findings: list[Any]) -> tuple[list[Any], list[Any]]:
    """(advice, praise): warn/bad findings and good ones, each sorted by time; untimed ones (call-level) last."""
    def order(f: Any) -> tuple[bool, float]:
        return (f.time is None, f.time or 0.0)

    advice = sorted((f for f in findings if f.severity != "good"), key=order)
    praise = sorted((f for f in findings if f.severity == "good"), key=order)
    return advice, praise


NEXT_TIME = 3  # what the scorecard leads with: a few things, not a list to wade through


def next_time(findings: list[Any], count: int = NEXT_TIME) -> list[Any]:
    """The few pieces of advice that cost the most points, most costly first (ties: earlier first)."""
    advice = [f for f in findings if f.severity != "good" and getattr(f, "cost", 0.0) > 0]
    return sorted(advice, key=lambda f: (-f.cost, f.time is None, f.time or 0.0))[:count]


GOOD_SCORE, FAIR_SCORE = 80, 60


def score_band(score: int) -> str:
    """"good" / "fair" / "poor": how a 0-100 score is coloured in review."""
    return "good" if score >= GOOD_SCORE else "fair" if score >= FAIR_SCORE else "poor"
