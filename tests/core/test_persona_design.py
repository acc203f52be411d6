"""The shipped personas follow DESIGN.md §3: for each persona type, what works calms the customer and
what backfires angers them. Each behaviour is played alone as the first trainee turn of a call, through
the real engine (reactions, [mood.deltas], type defaults, sensitivity and drift all apply)."""

from __future__ import annotations

import pytest

from simulator.core.dialogue import DialogueEngine
from simulator.core.events import Event as E
from simulator.core.events import TurnAssessment
from simulator.core.personas import PERSONA_TYPES, Persona, default_personas_dir, load_personas

SHIPPED = load_personas(default_personas_dir()).personas

# DESIGN.md §3, "what works (rewarded)" / "what backfires (penalised)", as trainee events.
WORKS: dict[str, set[E]] = {
    # acknowledge the emotion first; sincere apology; fast concrete action with a time; calm escalation path
    "angry_threatening": {E.EMPATHY, E.APOLOGY, E.COMMITMENT, E.ESCALATION_PATH},
    # restate in their words; explain the rule without debating; offer options; firm but polite boundary
    "stubborn": {E.RESTATE, E.EXPLAIN_RULE, E.OPTIONS, E.BOUNDARY},
    # clarify responsibility and follow the procedure; reference number and follow-up; deliverable promise
    "habitual_complainer": {E.EXPLAIN_RULE, E.FOLLOW_UP, E.COMMITMENT},
    # a polite boundary
    "insulting": {E.BOUNDARY},
}
BACKFIRES: dict[str, set[E]] = {
    # interrupting; arguing or defending; matching their volume; vague promises; dead air
    "angry_threatening": {E.INTERRUPTION, E.DEFENSIVE, E.SHOUTING, E.VAGUE_PROMISE, E.DEAD_AIR},
    # "不是这样的"/"规定就是这样"; repeating the same explanation; giving in off-policy
    "stubborn": {E.DEFENSIVE, E.REPEATED_EXPLANATION, E.OVER_PROMISE},
    # over-promising or off-policy compensation; defensiveness
    "habitual_complainer": {E.OVER_PROMISE, E.DEFENSIVE},
    # retaliating or sarcasm; raising the voice; silence after an insult
    "insulting": {E.RETALIATION, E.SHOUTING, E.DEAD_AIR},
}


def _change(persona: Persona, event: E | None) -> float:
    """The mood change of a first trainee turn with only `event` (None: nothing detected)."""
    engine = DialogueEngine(persona, seed=0)
    engine.opening()
    events = frozenset({event} if event else ())
    engine.respond(TurnAssessment(text="……", language=persona.language, events=events))
    return engine.mood - engine.mood_trace[0]


def test_every_type_ships_in_both_languages_and_the_table_covers_it() -> None:
    assert {(p.language, p.type) for p in SHIPPED} == {(lang, t) for lang in ("zh", "en") for t in PERSONA_TYPES}
    assert set(WORKS) == set(BACKFIRES) == set(PERSONA_TYPES)


CASES = [(p, e, "works") for p in SHIPPED for e in sorted(WORKS[p.type])] + \
        [(p, e, "backfires") for p in SHIPPED for e in sorted(BACKFIRES[p.type])]


@pytest.mark.parametrize("persona, event, effect", CASES, ids=lambda v: getattr(v, "id", str(v)))
def test_mood_moves_as_design_section_3_says(persona: Persona, event: E, effect: str) -> None:
    change = _change(persona, event)
    if effect == "works":
        assert change < 0, f"{persona.id}: {event} should calm (DESIGN §3), changed mood by {change:+.1f}"
    else:   # more than a turn in which nothing happened (impatience drift)
        assert change > _change(persona, None) >= 0, \
            f"{persona.id}: {event} should anger (DESIGN §3), changed mood by {change:+.1f}"


@pytest.mark.parametrize("persona", SHIPPED, ids=lambda p: p.id)
def test_explaining_the_rule_without_debating_never_angers(persona: Persona) -> None:
    """The calm explanation is the opposite of 辩解 (defensive), which is what backfires."""
    assert _change(persona, E.EXPLAIN_RULE) <= 0 < _change(persona, E.DEFENSIVE)
