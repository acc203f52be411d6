"""Persona checks of DESIGN §3 that no single phrase shows; each looks across turns or at the audio.

- consistent_answers (投诉成癖型: 回答准确一致): no two turns give different times for the same action,
  different amounts or different reference numbers.
- detail_breakthrough (固执己见型: 细节突破): a turn brings a specific fact the customer did not say (a
  measurement, a date, a reference number), or a named next step tied to the customer's own key words.
- steer_back (言语伤人型: 对事不对人, 把话题拉回问题): the reply after each insult returns to the problem
  (key words, a commitment, a rule, options) without taking the insult up or hitting back.
- calm_voice (易怒威吓型: 比客户稍慢、稍低、平稳): no reply louder or higher-pitched than the customer's turn
  before it, as it sounded over its last seconds (needs the recording).

A check returns None when it does not apply (no insult, no concrete answers) or was not measured (no audio).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from simulator.core.analysis.facts import contradictions, facts_in
from simulator.core.analysis.phrases import PhraseHit, load_customer_lists, load_phrase_lists, match_patterns
from simulator.core.analysis.scorecard import ScoringConfigError
from simulator.core.analysis.shared_run import GrowingText
from simulator.core.analysis.text import normalise
from simulator.core.analysis.thresholds import Thresholds, load_thresholds
from simulator.core.analysis.timing import is_backchannel_text
from simulator.core.timeline import Timeline

ON_TOPIC = ("restate", "resolution", "follow_up", "options", "explain_rule")
OFF_TOPIC = ("retaliation", "taboo")


@dataclass(frozen=True)
class Check:
    """One check's outcome: whether it was met, the moment it points to, and values for its message."""

    ok: bool
    turn: int | None
    time: float | None
    values: dict[str, Any] = field(default_factory=dict)


def _turns_with(hits: dict[str, list[PhraseHit]], categories: tuple[str, ...]) -> dict[int, PhraseHit]:
    out: dict[int, PhraseHit] = {}
    for c in categories:
        for h in hits.get(c, []):
            out.setdefault(h.turn, h)
    return out


def consistent_answers(timeline: Timeline, hits: dict[str, list[PhraseHit]], measures: Any, thr: Thresholds) -> Check | None:
    lists = load_phrase_lists(timeline.language)
    said = [(i, facts_in(t.text, timeline.language, lists)) for i, t in enumerate(timeline.turns) if t.speaker == "trainee"]
    concrete = [i for i, facts in said if any(f.kind in ("time", "amount", "reference") for f in facts)]
    if len(concrete) < 2:
        return None  # one concrete answer cannot contradict itself
    found = contradictions(said)
    if not found:
        turn = concrete[-1]
        return Check(True, turn, timeline.turns[turn].start)
    x = found[0]
    return Check(False, x.turn, timeline.turns[x.turn].start, {"first_turn": x.first_turn, "first": x.first, "second": x.second})


def detail_breakthrough(timeline: Timeline, hits: dict[str, list[PhraseHit]], measures: Any, thr: Thresholds) -> Check | None:
    language = timeline.language
    lists = load_phrase_lists(language)
    customer_said = GrowingText()
    tied = _turns_with(hits, ("restate",))
    steps = {h.turn: h for h in hits.get("resolution", []) if h.tag == "commitment"}
    for i, turn in enumerate(timeline.turns):
        if turn.speaker == "customer":
            customer_said.extend(normalise(turn.text, language))
            continue
        new = [f for f in facts_in(turn.text, language, lists)
               if f.kind in ("measurement", "date", "reference") and f.text not in customer_said]
        if new:
            return Check(True, i, turn.start, {"text": new[0].text})
        if i in steps and i in tied:
            return Check(True, i, steps[i].time, {"text": steps[i].text})
    first = next((i for i, t in enumerate(timeline.turns) if t.speaker == "trainee"), None)
    return Check(False, first, None if first is None else timeline.turns[first].start)


def steer_back(timeline: Timeline, hits: dict[str, list[PhraseHit]], measures: Any, thr: Thresholds) -> Check | None:
    language = timeline.language
    lists = load_customer_lists(language)
    on_topic, off_topic = _turns_with(hits, ON_TOPIC), _turns_with(hits, OFF_TOPIC)
    key_words = [normalise(str(k), language) for k in timeline.extra.get("key_words", []) or []]
    turns = timeline.turns
    following: list[int | None] = [None] * len(turns)  # the next trainee turn that is more than a 嗯
    after: int | None = None
    for j in range(len(turns) - 1, -1, -1):
        following[j] = after
        if turns[j].speaker == "trainee" and not is_backchannel_text(turns[j].text, thr.backchannel_phrases):
            after = j
    steered: Check | None = None
    for i, turn in enumerate(turns):
        if turn.speaker != "customer":
            continue
        insult = match_patterns(normalise(turn.text, language), lists["insult"], lists)
        if not insult:
            continue
        reply = following[i]
        values = {"insult": insult[0].text}
        if reply is None:  # silence after an insult backfires (DESIGN §3)
            return Check(False, i, turn.end, values)
        said = normalise(turns[reply].text, language)
        dwelt = match_patterns(said, lists["dwell"], lists)
        back = reply in on_topic or any(k and k in said for k in key_words)
        if dwelt or reply in off_topic or not back:
            return Check(False, reply, turns[reply].start, values)
        steered = steered or Check(True, reply, turns[reply].start, {**values, "text": turns[reply].text})
    return steered


def calm_voice(timeline: Timeline, hits: dict[str, list[PhraseHit]], measures: Any, thr: Thresholds) -> Check | None:
    measured = [t for t in getattr(measures, "turns", None) or []
                if getattr(t, "loudness_vs_customer_db", None) is not None or getattr(t, "pitch_vs_customer_st", None) is not None]
    if not measured:
        return None  # no recording: loudness and pitch were not measured
    for t in measured:
        db, st = t.loudness_vs_customer_db, t.pitch_vs_customer_st
        if (db is not None and db > thr.calm_loudness_db) or (st is not None and st > thr.calm_pitch_semitones):
            return Check(False, t.turn, t.start, {"db": _signed(db), "st": _signed(st)})
    return Check(True, measured[0].turn, measured[0].start)


def _signed(x: float | None) -> str:
    return "?" if x is None else f"{x:+.1f}"


CHECKS: dict[str, Callable[[Timeline, dict[str, list[PhraseHit]], Any, Thresholds], Check | None]] = {
    "consistent_answers": consistent_answers, "detail_breakthrough": detail_breakthrough,
    "steer_back": steer_back, "calm_voice": calm_voice,
}


def run_checks(names: list[str], timeline: Timeline, hits: dict[str, list[PhraseHit]], measures: Any) -> dict[str, Check | None]:
    """The named checks' outcomes (None: not applicable or not measured)."""
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise ScoringConfigError(f"scoring.toml: unknown persona rubric check '{unknown[0]}' (have: {', '.join(CHECKS)})")
    thr = load_thresholds()
    return {name: CHECKS[name](timeline, hits, measures, thr) for name in names}
