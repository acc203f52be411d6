"""Live assessment of one trainee turn: the events the persona reacts to, with the words that caused them."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Sequence

from simulator.core.analysis.phrases import ReplyContext, load_phrase_lists, match_text
from simulator.core.analysis.scorecard import load_scoring_config
from simulator.core.analysis.text import is_content, normalise
from simulator.core.events import Event, TurnAssessment

_BY_CATEGORY = {
    "empathy": Event.EMPATHY, "restate": Event.RESTATE, "thanks": Event.THANKS, "apology": Event.APOLOGY,
    "cancelled_apology": Event.CANCELLED_APOLOGY, "follow_up": Event.FOLLOW_UP, "options": Event.OPTIONS,
    "boundary": Event.BOUNDARY, "escalation_path": Event.ESCALATION_PATH, "explain_rule": Event.EXPLAIN_RULE,
    "taboo": Event.TABOO, "retaliation": Event.RETALIATION, "over_promise": Event.OVER_PROMISE,
    "vague_promise": Event.VAGUE_PROMISE,
}
_BY_TAG = {("taboo", "defensive"): Event.DEFENSIVE, ("resolution", "commitment"): Event.COMMITMENT}


def event_for(category: str, tag: str = "") -> Event | None:
    """The engine event a phrase hit stands for (negative words, fillers and steps have none)."""
    if (category, tag) in _BY_TAG:
        return _BY_TAG[(category, tag)]
    return None if category == "resolution" else _BY_CATEGORY.get(category)


def _units(norm: str, language: str) -> list[str]:
    """Bigrams of content characters (zh) or of words (en): what a repeated explanation shares."""
    if language == "zh":
        chars = [c for c in norm if is_content(c)]
        return [a + b for a, b in zip(chars, chars[1:])]
    words = re.findall(r"[a-z0-9']+", norm)
    return [a + " " + b for a, b in zip(words, words[1:])]


def bigrams(text: str, language: str) -> Counter[str]:
    """The bigrams of a text with their counts: worked out once per reply, then compared with many."""
    return Counter(_units(normalise(text, language), language))


def dice(x: Counter[str], y: Counter[str]) -> float:
    """Dice overlap of two bigram counts, 0..1: shared bigrams (each as often as both have it) over all."""
    if not x or not y:
        return 0.0
    shared = sum(min(x[u], y[u]) for u in x.keys() & y.keys())
    return 2.0 * shared / (x.total() + y.total())


def similarity(a: str, b: str, language: str) -> float:
    """Dice overlap of bigrams between two texts, 0..1."""
    return dice(bigrams(a, language), bigrams(b, language))


REPEAT_WINDOW = 20  # replies back that a repeated explanation is compared with: what the customer still hears


def long_enough(units: Counter[str], language: str) -> bool:
    """Enough bigrams for sameness to mean a repeated explanation rather than a repeated 好的."""
    return units.total() >= load_scoring_config().knob("text", f"repeat_min_units_{language}")


def repeats(units: Counter[str], earlier: Counter[str]) -> bool:
    """Mostly the same bigrams as an earlier reply (固执己见型: 重复同一解释 backfires), given long_enough()."""
    return dice(units, earlier) >= load_scoring_config().knob("text", "repeat_similarity")


def assess_turn(
    text: str,
    language: str,
    customer_text: str = "",
    key_words: Sequence[str] = (),
    previous_trainee_texts: Sequence[str] = (),
    start: float = 0.0,
    end: float = 0.0,
    latency: float | None = None,
    pace: float | None = None,
    loudness_db: float | None = None,
    measured: Iterable[Event] = (),
    transferred: bool = False,
) -> TurnAssessment:
    """Text events of one reply plus the measured ones passed in; evidence quotes the first words for each.
    `transferred`: the customer has already been passed on (a transfer is then no escalation path)."""
    lists = load_phrase_lists(language)
    _, matches = match_text(text, language, lists, ReplyContext(customer_text, tuple(key_words), transferred))
    evidence: dict[str, str] = {}
    for m in matches:
        event = event_for(m.category, m.tag)
        if event is not None:
            evidence.setdefault(event.value, m.text)
    units = bigrams(text, language)
    earlier = None
    if long_enough(units, language):
        earlier = next((p for p in previous_trainee_texts[-REPEAT_WINDOW:] if repeats(units, bigrams(p, language))), None)
    if earlier is not None:
        evidence[Event.REPEATED_EXPLANATION.value] = earlier
    events = frozenset(Event(e) for e in evidence) | frozenset(Event(e) for e in measured)
    return TurnAssessment(text, language, events, start, end, latency, pace, loudness_db, evidence)
