"""Arithmetic on time spans (sorted unions, gaps, overlap), shared by voice activity and timing."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from simulator.core.analysis.measures import Interval


def union(spans: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping cover of the spans."""
    return join_close(sorted(spans, key=lambda x: x.start), 0.0)


def join_close(spans: Iterable[Interval], gap: float) -> list[Interval]:
    """Sorted spans with pauses shorter than `gap` (or overlaps) closed up."""
    out: list[Interval] = []
    for s in spans:
        if out and s.start - out[-1].end <= gap:
            out[-1] = Interval(out[-1].start, max(out[-1].end, s.end))
        else:
            out.append(s)
    return out


def gaps(spans: list[Interval], min_gap: float) -> list[Interval]:
    """Gaps longer than `min_gap` between consecutive spans of a sorted union."""
    return [Interval(a.end, b.start) for a, b in zip(spans, spans[1:]) if b.start - a.end > min_gap]


def clip(spans: list[Interval], start: float, end: float) -> list[Interval]:
    """The parts of a sorted union's spans (voice activity) that fall within [start, end]: found by
    bisection, so clipping once per turn of a long call stays linear in the call, not turns x spans."""
    first = bisect_right(spans, start, key=lambda s: s.end)
    out: list[Interval] = []
    for s in spans[first:]:
        if s.start >= end:
            break
        out.append(Interval(max(s.start, start), min(s.end, end)))
    return out


def overlap_seconds(a: list[Interval], b: list[Interval]) -> float:
    """Total time covered by both of two sorted unions."""
    total, j = 0.0, 0
    for x in a:
        while j < len(b) and b[j].end <= x.start:
            j += 1
        k = j
        while k < len(b) and b[k].start < x.end:
            total += min(x.end, b[k].end) - max(x.start, b[k].start)
            k += 1
    return total
