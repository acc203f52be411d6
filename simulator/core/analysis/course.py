"""Course checks over the whole call, each a finding that quotes the course:

- 四个同步 · 需求同步 (seed 001): some reply names what the customer wants (the scenario's `wants`);
- 四个"要命" · 不要让我想 (seed 004; seed 002 避免专业术语与行话): jargon the caller cannot know;
- 四个"要命" · 不要让我重复讲 (seed 004): asking a customer who has already explained, or been passed
  around, to say it again, or passing them on once more;
- 控制事态 (seed 000 第三讲 四): after an escalation signal (12345, the media, a lawyer, a recording …) the
  next reply records the complaint or offers the formal channel calmly, and does not argue or ignore it;
- Resolve · 预见性 (seed 000 第三讲 三.5): "anything else I can help with?" near the end of a call;
- 用心倾听 (seed 000 第二讲 二.3): a reply so long the customer cut in (spoken or typed).

Each check returns what it found; scoring turns it into findings and points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from simulator.core.analysis.phrases import PhraseHit, load_customer_lists, match_patterns
from simulator.core.analysis.text import is_content, normalise
from simulator.core.timeline import Timeline

MIN_TURNS_FOR_CLOSE = 3  # a call this long has reached the point where "anything else?" belongs
CLOSING_TURNS = 2        # ... said in one of the last replies


@dataclass(frozen=True)
class CourseCheck:
    code: str
    criterion: str
    severity: str  # good / warn / bad
    turn: int | None
    time: float | None
    said: str = ""
    values: dict[str, Any] = field(default_factory=dict)


def _replies(timeline: Timeline) -> list[int]:
    return [i for i, t in enumerate(timeline.turns) if t.speaker == "trainee" and t.text.strip()]


def _units(text: str, language: str) -> set[str]:
    """Content bigrams (zh) or content words of four letters or more (en): what two texts can share."""
    norm = normalise(text, language)
    if language == "zh":
        chars = [c for c in norm if is_content(c)]
        return {a + b for a, b in zip(chars, chars[1:])}
    return {w for w in re.findall(r"[a-z0-9']+", norm) if len(w) >= 4}


def need_sync(timeline: Timeline, min_shared: int = 2) -> CourseCheck | None:
    """需求同步: a reply that names what the customer wants. Not judged without the scenario's wants."""
    wants = str(timeline.extra.get("wants") or "")
    replies = _replies(timeline)
    if not wants or not replies:
        return None
    wanted = _units(wants, timeline.language)
    for i in replies:
        shared = _units(timeline.turns[i].text, timeline.language) & wanted
        if len(shared) >= min_shared:
            return CourseCheck("need_sync_good", "empathy", "good", i, timeline.turns[i].start, timeline.turns[i].text,
                               {"text": timeline.turns[i].text})
    last = replies[-1]
    return CourseCheck("need_sync", "empathy", "warn", last, timeline.turns[last].start, "", {"wants": wants})


def jargon(hits: dict[str, list[PhraseHit]]) -> list[CourseCheck]:
    return [CourseCheck("jargon", "courtesy", "warn", h.turn, h.time, h.text, {"text": h.text})
            for h in hits.get("jargon", [])]


def made_to_repeat(hits: dict[str, list[PhraseHit]]) -> list[CourseCheck]:
    return [CourseCheck("make_repeat", "courtesy", "bad", h.turn, h.time, h.text, {"text": h.text})
            for h in hits.get("ask_repeat", [])]


CALM_ANSWERS = ("follow_up", "escalation_path", "record")
ARGUING = ("taboo", "retaliation")


def escalation_signals(timeline: Timeline, hits: dict[str, list[PhraseHit]]) -> list[CourseCheck]:
    """The reply after each customer turn with an escalation signal: calm and on record, or not."""
    lists = load_customer_lists(timeline.language)
    by_turn: dict[int, set[str]] = {}
    for category, found in hits.items():
        for h in found:
            by_turn.setdefault(h.turn, set()).add(category)
    out = []
    turns = timeline.turns
    reply: int | None = None  # the next trainee turn with words, found walking back from the end
    for i in range(len(turns) - 1, -1, -1):
        turn = turns[i]
        if turn.speaker == "trainee" and turn.text.strip():
            reply = i
        if turn.speaker != "customer" or reply is None:
            continue
        signal = match_patterns(normalise(turn.text, timeline.language), lists["escalation_signal"], lists)
        if not signal:
            continue
        said = by_turn.get(reply, set())
        ok = bool(said & set(CALM_ANSWERS)) and not said & set(ARGUING)
        out.append(CourseCheck("escalation_signal_good" if ok else "escalation_signal", "resolution",
                               "good" if ok else "bad", reply, turns[reply].start, turns[reply].text,
                               {"signal": signal[0].text, "text": turns[reply].text}))
    return out[::-1]


def long_monologues(timeline: Timeline) -> list[CourseCheck]:
    """用心倾听: each reply the customer cut into for running on (spoken past the persona's limit, or typed
    longer than it takes to say in that time); the turn carries the event the call recorded."""
    out = []
    for i, turn in enumerate(timeline.turns):
        if turn.speaker == "trainee" and "long_monologue" in (turn.extra.get("events") or []):
            seconds = turn.extra.get("spoken_seconds") or turn.duration
            out.append(CourseCheck("long_monologue", "courtesy", "warn", i, turn.start, turn.text,
                                   {"seconds": round(float(seconds))}))
    return out


def anything_else(timeline: Timeline, hits: dict[str, list[PhraseHit]]) -> CourseCheck | None:
    """预见性: asked near the end whether there is anything else; judged once a call has run its course."""
    replies = _replies(timeline)
    if len(replies) < MIN_TURNS_FOR_CLOSE:
        return None
    closing = set(replies[-CLOSING_TURNS:])
    asked = next((h for h in hits.get("anything_else", []) if h.turn in closing), None)
    if asked is not None:
        return CourseCheck("anything_else_good", "courtesy", "good", asked.turn, asked.time, asked.text, {"text": asked.text})
    last = replies[-1]
    return CourseCheck("anything_else", "courtesy", "warn", last, timeline.turns[last].start)


def course_checks(timeline: Timeline, hits: dict[str, list[PhraseHit]]) -> list[CourseCheck]:
    found: list[CourseCheck | None] = [need_sync(timeline), anything_else(timeline, hits)]
    checks = [c for c in found if c is not None]
    return checks + jargon(hits) + made_to_repeat(hits) + escalation_signals(timeline, hits) + long_monologues(timeline)
