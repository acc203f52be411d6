"""Markers on a call's timeline (interruptions, taboo, empathy, dead air, and the scorecard's findings) and
the window of a moment to replay.

Findings whose moment is already drawn by a measured or phrase marker (an interruption finding is the
interruption) are not drawn twice; the other findings of one moment share one marker, so the ten
call-level findings placed at the first reply do not stack up as ten lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

INTERRUPTION, TABOO, EMPATHY, DEAD_AIR, ADVICE, PRAISE = (
    "interruption", "taboo", "empathy", "dead_air", "advice", "praise")
KINDS = (INTERRUPTION, TABOO, EMPATHY, DEAD_AIR, ADVICE, PRAISE)

TABOO_CATEGORIES = ("taboo", "retaliation")  # taboo includes the "defensive" tag
EMPATHY_CATEGORIES = ("empathy", "restate")
# Finding codes that are the same moment as a marker drawn from the measures or phrase hits.
DRAWN_CODES = frozenset({"interruption", "taboo", "defensive", "retaliation", "dead_air", "empathy_good", "restate_good"})
SAME_MOMENT = 0.05  # seconds: findings closer than this share a marker


@dataclass(frozen=True)
class Marker:
    kind: str
    time: float
    end: float | None
    text: str
    turn: int | None


def call_markers(analysis: Any) -> list[Marker]:
    """Every marker of a CallAnalysis-like object (.measures, .hits, .scorecard.findings), sorted by time."""
    measures = getattr(analysis, "measures", None)
    hits = getattr(analysis, "hits", None) or {}
    card = getattr(analysis, "scorecard", None)
    markers = [Marker(INTERRUPTION, x.start, x.end, x.text, x.turn) for x in getattr(measures, "interruptions", None) or []]
    markers += [Marker(DEAD_AIR, d.start, d.end, "", None) for d in getattr(measures, "dead_air", None) or []]
    markers += _hit_markers(hits, TABOO_CATEGORIES, TABOO)
    markers += _hit_markers(hits, EMPATHY_CATEGORIES, EMPATHY)
    markers += finding_markers(getattr(card, "findings", None) or [])
    return sorted(markers, key=lambda m: (m.time, KINDS.index(m.kind)))


def _hit_markers(hits: dict[str, list[Any]], categories: tuple[str, ...], kind: str) -> list[Marker]:
    return [Marker(kind, h.time, None, h.text, h.turn) for c in categories for h in hits.get(c, [])]


def finding_markers(findings: list[Any]) -> list[Marker]:
    """Timed findings not already drawn, one marker per moment and kind (praise for good ones, else advice)."""
    markers: list[Marker] = []
    for kind, wanted in ((ADVICE, lambda f: f.severity != "good"), (PRAISE, lambda f: f.severity == "good")):
        timed = sorted((f for f in findings if f.time is not None and f.code not in DRAWN_CODES and wanted(f)),
                       key=lambda f: f.time)
        group: list[Any] = []
        for f in timed + [None]:
            if group and (f is None or f.time - group[0].time > SAME_MOMENT):
                markers.append(Marker(kind, group[0].time, None, "\n".join(g.message for g in group), group[0].turn))
                group = []
            if f is not None:
                group.append(f)
    return markers


def moment_window(time: float, before: float = 1.0, after: float = 6.0,
                  duration: float | None = None) -> tuple[float, float]:
    """(start, end) seconds to replay around a moment: a little lead-in, then what followed it."""
    start, end = max(0.0, time - before), time + after
    if duration is not None:
        start, end = min(start, duration), min(end, duration)
    return start, end


def next_marker(markers: list[Marker], time: float, forward: bool = True, gap: float = SAME_MOMENT) -> Marker | None:
    """The first marker after (or the last before) `time`, skipping those at `time` itself."""
    if forward:
        return min((m for m in markers if m.time > time + gap), key=lambda m: m.time, default=None)
    return max((m for m in markers if m.time < time - gap), key=lambda m: m.time, default=None)


def turns_at(turns: list[Any], time: float) -> list[Any]:
    """The turns under way at `time` (both speakers when they overlap), in timeline order."""
    return [t for t in turns if t.start <= time < t.end]
