"""The persona's mood (0 calm .. 100 furious) and how one trainee turn moves it.

A turn's change is the sum of the deltas of its events, times the persona's sensitivity, plus a small
drift (impatience) when nothing in the turn calmed the customer. A delta comes from, in order: the
reaction that fired for that event (`[[reactions]] mood`), the file's `[mood.deltas]`, the persona
type's default below, the general default below. A calming behaviour counts less each time it is
repeated in a call (REPEAT_FACTOR), so the same apology every turn does not settle anyone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from simulator.core.events import Event
from simulator.core.personas.model import Persona

MOOD_MIN, MOOD_MAX = 0.0, 100.0
DEFAULT_DRIFT = 2.0
REPEAT_FACTOR = 0.7

E = Event
DEFAULT_DELTAS: dict[str, float] = {
    E.INTERRUPTION: 10, E.BACKCHANNEL: -1, E.DEAD_AIR: 6, E.SHOUTING: 10, E.RUSHED: 4,
    E.LONG_MONOLOGUE: 5, E.EMPATHY: -8, E.RESTATE: -6, E.THANKS: -3, E.APOLOGY: -6,
    E.CANCELLED_APOLOGY: 4, E.COMMITMENT: -10, E.FOLLOW_UP: -6, E.OPTIONS: -6, E.BOUNDARY: -3,
    E.ESCALATION_PATH: -4, E.EXPLAIN_RULE: -2, E.TABOO: 10, E.DEFENSIVE: 8, E.RETALIATION: 15,
    E.OVER_PROMISE: -4, E.VAGUE_PROMISE: 5, E.REPEATED_EXPLANATION: 6,
}

# Pseudo-events of a question about the customer's own case (answers.py): a good question answered
# calms a little; being asked for the same thing again (不要让我重复讲) angers.
ANSWERED = "answered_question"
ASKED_AGAIN = "asked_again"
QUESTION_DELTAS: dict[str, float] = {ANSWERED: -3.0, ASKED_AGAIN: 6.0}

# What each type is known for (DESIGN.md §3): the angry caller hates interruptions and waiting, the
# stubborn one ignores a bare apology but moves on restating and options, the habitual complainer
# is not calmed by an off-policy promise (it asks for more), the insulting one escalates on retaliation
# and calms on a calm boundary.
TYPE_DELTAS: dict[str, dict[str, float]] = {
    "angry_threatening": {E.INTERRUPTION: 14, E.DEAD_AIR: 8, E.SHOUTING: 12, E.VAGUE_PROMISE: 8,
                          E.EMPATHY: -10, E.COMMITMENT: -12, E.ESCALATION_PATH: -6},
    "stubborn": {E.APOLOGY: 0, E.RESTATE: -10, E.OPTIONS: -10, E.DEFENSIVE: 10,
                 E.REPEATED_EXPLANATION: 10, E.EXPLAIN_RULE: -3},
    "habitual_complainer": {E.OVER_PROMISE: 4, E.FOLLOW_UP: -10, E.EXPLAIN_RULE: -5, E.DEFENSIVE: 10},
    "insulting": {E.RETALIATION: 25, E.BOUNDARY: -10, E.SHOUTING: 12, E.DEAD_AIR: 8},
}


def clamp(value: float) -> float:
    return min(MOOD_MAX, max(MOOD_MIN, value))


class Mood:
    """The running mood of one call."""

    def __init__(self, persona: Persona) -> None:
        self._persona = persona
        self._deltas = {**DEFAULT_DELTAS, **QUESTION_DELTAS, **TYPE_DELTAS.get(persona.type, {}), **persona.mood.deltas}
        self._drift = DEFAULT_DRIFT if persona.mood.drift is None else persona.mood.drift
        self._calming_seen: Counter[str] = Counter()
        self.value = clamp(persona.mood.initial)

    def delta_for(self, event: str) -> float:
        return self._deltas.get(event, 0.0)

    def apply(self, events: frozenset[str], overrides: Mapping[str, float], drift: bool = True) -> float:
        """Move the mood for one turn's events; returns the change actually applied (after clamping).
        drift False: events heard outside a turn (a listening cue), where no impatience builds up."""
        total = 0.0
        calmed = False
        for event in sorted(events):
            delta = overrides.get(event, self.delta_for(event))
            if delta < 0:
                delta *= REPEAT_FACTOR ** self._calming_seen[event]
                self._calming_seen[event] += 1
                calmed = True
            total += delta
        total *= self._persona.mood.sensitivity
        if drift and not calmed:
            total += self._drift
        before = self.value
        self.value = clamp(before + total)
        return self.value - before
