"""Timing measures from turn and word times: pace, response latency, dead air, interruptions, overtalk.

Works on any timeline (typed, recognised or derived from voice activity), so the live call and the
`analyze` command judge pauses and overlaps the same way. Audio only refines what is inside a turn.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

from simulator.core.analysis.intervals import clip, gaps, overlap_seconds, union
from simulator.core.analysis.measures import CallMeasures, Interruption, Interval, TurnMeasures
from simulator.core.analysis.thresholds import Thresholds
from simulator.core.timeline import Timeline, Turn

UNIT_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]|[^\W_\u3400-\u4dbf\u4e00-\u9fff]+(?:['’-][^\W_]+)*")
PACE_UNITS = {"zh": "chars/min", "en": "words/min"}
NON_WORD_RE = re.compile(r"[\W_]+")


def speech_units(text: str) -> int:
    """What pace counts: each Chinese character, and each word of other scripts (mixed zh/en text works)."""
    return len(UNIT_RE.findall(text))


def is_backchannel_text(text: str, phrases: Iterable[str]) -> bool:
    """True for text made only of listener tokens (嗯嗯, 对对对, "OK, I see"); blank text counts too."""
    norm = _normalise(text)
    return not norm or _backchannel_re(tuple(phrases)).fullmatch(norm) is not None


def is_listening_cue(text: str, duration: float, thr: Thresholds) -> bool:
    """Trainee speech said while the customer talks that is a backchannel, not a bid for the turn: no longer
    than backchannel_max and made of listener tokens, or a lone word no longer than lone_word_max (a hum that
    the recogniser turned into some short word)."""
    if duration > thr.backchannel_max:
        return False
    return is_backchannel_text(text, thr.backchannel_phrases) or (
        speech_units(text) == 1 and duration <= thr.lone_word_max)


@lru_cache(maxsize=8)
def _backchannel_re(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Any run of the phrases (longest first, so 嗯嗯 and "I see" win over their parts)."""
    options = sorted({_normalise(p) for p in phrases} - {""}, key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, options)) + ")+")


def _normalise(text: str) -> str:
    return NON_WORD_RE.sub("", text.lower())


def measure_timing(
    timeline: Timeline, thr: Thresholds, speech: dict[str, list[Interval]] | None = None
) -> CallMeasures:
    """Per-turn and per-call timing. `speech` (voice activity per speaker) finds silences inside turns
    when the timeline has no word times."""
    turns = timeline.turns
    order = sorted(range(len(turns)), key=lambda i: (turns[i].start, turns[i].end))
    customer = [turns[i] for i in order if turns[i].speaker == "customer"]
    backchannels, interruptions = _trainee_overlaps(turns, order, customer, thr)
    interrupted = {x.turn for x in interruptions}
    listening = set(backchannels)
    main = [i for i in order if i not in listening]

    measures: list[TurnMeasures] = []
    reached, prev = 0, None  # prev: the turn that ended last among those that started before this one
    for i in main:
        turn = turns[i]
        while reached < len(main) and turns[main[reached]].start < turn.start:  # main is sorted by start
            j = main[reached]
            if prev is None or turns[j].end > turns[prev].end:
                prev = j
            reached += 1
        if turn.speaker != "trainee":
            continue
        latency = None
        if i not in interrupted and prev is not None and not turn.extra.get("typed"):
            if turns[prev].speaker == "customer":
                latency = round(turn.start - turns[prev].end, 3)
        inner = _inner_silences(turn, thr.dead_air, (speech or {}).get("trainee"))
        measures.append(
            TurnMeasures(
                turn=i,
                start=turn.start,
                end=turn.end,
                pace=_pace([turn], [inner], thr.pace_min_turn, thr.pace_min_units),
                latency=latency,
                cut_in_early=latency is not None and latency < thr.cut_in_early,
                dead_air=inner,
                loudness_rel_db=None,
                pitch_mean_hz=None,
                pitch_sd_semitones=None,
            )
        )

    trainee_main = [turns[m.turn] for m in measures]
    spoken = [(t, m.dead_air) for t, m in zip(trainee_main, measures) if not t.extra.get("typed")]
    between = gaps(union([Interval(t.start, t.end) for t in turns] + _paused(timeline) + _typing(turns)), thr.dead_air)
    customer_spans = union(Interval(t.start, t.end) for t in customer)
    trainee_spans = union(Interval(t.start, t.end) for t in trainee_main)
    return CallMeasures(
        language=timeline.language,
        pace=_pace([t for t, _ in spoken], [d for _, d in spoken]),  # typed words take no speaking time
        pace_unit=PACE_UNITS.get(timeline.language, "words/min"),
        pace_band=thr.pace_band(timeline.language),
        latencies=[m.latency for m in measures if m.latency is not None],
        dead_air=sorted(between + [d for m in measures for d in m.dead_air], key=lambda d: d.start),
        interruptions=interruptions,
        backchannels=len(backchannels),
        overtalk_seconds=round(overlap_seconds(customer_spans, trainee_spans), 3),
        loudness={},
        pitch={},
        turns=measures,
        customer_pace=_pace(customer, [[] for _ in customer]),
        backchannel_turns=backchannels,
    )


def _typing(turns: list[Turn]) -> list[Interval]:
    """The time before each typed reply, back to the end of the latest other turn that ended by then: the
    trainee was typing, not silent. Ends are sorted once and bisected, not scanned per reply."""
    ends = sorted(t.end for t in turns)
    out = []
    for turn in turns:
        if turn.speaker == "trainee" and turn.extra.get("typed"):
            k = bisect_right(ends, turn.start)  # ends[:k] ended by the reply's start, its own among them if empty
            if turn.end <= turn.start and k and ends[k - 1] == turn.end:
                k -= 1  # drop one copy of its own end: the latest other end is then the one before
            if k:
                out.append(Interval(ends[k - 1], turn.start))
    return out


def _paused(timeline: Timeline) -> list[Interval]:
    """Spans when the call was paused (timeline extra "pauses": [[start, end], ...]): nobody owed a word."""
    return [Interval(float(a), float(b)) for a, b in timeline.extra.get("pauses", []) if b is not None and b > a]


def _trainee_overlaps(
    turns: list[Turn], order: list[int], customer: list[Turn], thr: Thresholds
) -> tuple[list[int], list[Interruption]]:
    """Trainee turns that start while the customer talks: short listener tokens, or interruptions."""
    backchannels: list[int] = []
    interruptions: list[Interruption] = []
    talking = _CustomerTalking(customer, thr.min_overlap)
    for i in order:
        turn = turns[i]
        over = talking.at(turn.start) if turn.speaker == "trainee" else None
        if over is None:
            continue
        if is_listening_cue(turn.text, turn.duration, thr):
            backchannels.append(i)
        else:
            interruptions.append(Interruption(turn.start, min(turn.end, over.end), turn.text, i))
    return backchannels, interruptions


class _CustomerTalking:
    """Which customer turn is under way at a time, in O(log n) per question: the first turn (in start
    order) that has begun and still has at least `min_overlap` to go."""

    def __init__(self, customer: list[Turn], min_overlap: float) -> None:
        self.customer = customer  # sorted by start
        self.starts = [c.start for c in customer]
        self.reach = list(accumulate((c.end - min_overlap for c in customer), max))  # running maximum
        self.min_overlap = min_overlap

    def at(self, t: float) -> Turn | None:
        begun = bisect_right(self.starts, t)  # customer[:begun] have started by t
        first = bisect_right(self.reach, t, 0, begun)  # the first of them whose (end - overlap) passes t
        return self.customer[first] if first < begun else None


def customer_talking_at(t: float, customer: list[Turn], min_overlap: float) -> Turn | None:
    """The customer turn under way at time t, if it still has at least `min_overlap` to go."""
    return _CustomerTalking(sorted(customer, key=lambda c: c.start), min_overlap).at(t)


def _inner_silences(turn: Turn, min_gap: float, speech: list[Interval] | None) -> list[Interval]:
    """Dead air inside a turn: between its words, or between voice-activity spans within it."""
    if turn.words:
        spans = [Interval(w.start, w.end) for w in turn.words]
    elif speech is not None:
        spans = clip(speech, turn.start, turn.end)
    else:
        return []
    if not spans:
        return [Interval(turn.start, turn.end)] if turn.duration > min_gap else []
    edges = [Interval(turn.start, turn.start), *union(spans), Interval(turn.end, turn.end)]
    return gaps(edges, min_gap)


def _pace(turns: list[Turn], silences: list[list[Interval]], min_seconds: float = 0.0, min_units: int = 1) -> float | None:
    """Units per minute of speaking time (turn spans minus dead air inside them)."""
    units = sum(speech_units(t.text) for t in turns)
    seconds = sum(t.duration - sum(d.duration for d in s) for t, s in zip(turns, silences))
    if units < min_units or seconds <= 0 or seconds < min_seconds:
        return None
    return round(units / seconds * 60.0, 1)
