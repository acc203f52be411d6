"""The deterministic dialogue engine: the customer's side of the call.

Its input is the analysed trainee turn (TurnAssessment: text + detected events + the words that
caused them), so it runs without audio. Per turn it moves the mood (see mood.py), checks the three
endings, and picks the next line: the ending line if the call is over; else the answer to a question
about the customer's own case (answers.py), after an angry reaction when one fired; else the line of
the strongest reaction that fits the words said (reactions.py); else, near the top of the mood scale
and getting angrier, an escalation signal; else a line from the pool of the current mood band. A
reaction or signal line is not said twice in a call. Same persona, scenario, seed and turns -> same lines.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from simulator.core.dialogue.answers import CaseAnswers
from simulator.core.dialogue.endings import Ending
from simulator.core.dialogue.lines import LineChooser
from simulator.core.dialogue.mood import Mood
from simulator.core.dialogue.questions import find_question
from simulator.core.dialogue.reactions import Candidate, fitting
from simulator.core.events import Event, TurnAssessment
from simulator.core.personas.model import BAND_NAMES, BANDS, Persona, Reaction, band_of


@dataclass(frozen=True)
class CustomerLine:
    text: str
    mood: float
    band: str
    trigger: str   # "opening" | an Event name | "pool" | "signal" | "answer:<topic>" | "<event>+answer:<topic>"
    #                | "ending:<kind>" | "interrupt_monologue"


class CallEndedError(RuntimeError):
    """respond() was called after the call ended."""


class DialogueEngine:
    def __init__(self, persona: Persona, scenario_id: str | None = None, seed: int = 0) -> None:
        self.persona = persona
        self._rng = random.Random(seed)
        self.scenario = persona.scenario(scenario_id) if scenario_id else self._rng.choice(persona.scenarios)
        self._mood = Mood(persona)
        self._chooser = LineChooser(self._rng)
        self.turns = 0
        self.ending: Ending | None = None
        self.history: list[CustomerLine] = []
        self.mood_trace: list[float] = [self._mood.value]
        self.commitment_made = False
        self._interrupted_at_turn: int | None = None
        self._answers = CaseAnswers(persona, self.scenario)

    @property
    def mood(self) -> float:
        return self._mood.value

    def opening(self) -> CustomerLine:
        return self._say(self.scenario.opening, "opening")

    def respond(self, turn: TurnAssessment) -> CustomerLine:
        """React to one trainee turn; when the call ends, sets .ending and returns the ending line."""
        if self.ending is not None:
            raise CallEndedError(f"the call already ended ({self.ending.kind})")
        events = frozenset(str(e) for e in turn.events)
        self.turns += 1
        fired = sorted((r for r in self.persona.reactions if r.fires(events)), key=lambda r: -r.priority)
        overrides: dict[str, float] = {}
        for reaction in fired:
            if reaction.mood is not None:
                overrides.setdefault(reaction.on, reaction.mood)
        question = None
        if self._answers.active:
            question = find_question(turn.text, self.persona.language, self.scenario.asks)
        asked = self._answers.mood_event(question) if question else None
        change = self._mood.apply(events | {asked} if asked else events, overrides)
        self.mood_trace.append(self.mood)
        self.commitment_made = self.commitment_made or Event.COMMITMENT in events
        self.ending = self._ending(events, change)
        if self.ending is not None:
            return self._say(self.persona.endings[self.ending.kind], f"ending:{self.ending.kind}")
        candidates = fitting(fired, turn, band_of(self.mood), self.scenario.id, change > 0, self._calming)
        if question is not None:
            answer = self._answers.answer(question, band_of(self.mood))
            if answer is not None and answer.candidates:
                angry = [c for c in candidates if not self._calming(c.reaction)]
                return self._answer(answer.candidates, answer.trigger, angry)
        return self._react(candidates) or self._signal(change) or self._pool_line()

    def interrupt_monologue(self, speaking_seconds: float) -> CustomerLine | None:
        """The persona cuts in once per trainee turn when the trainee talks longer than monologue_seconds."""
        if (self.ending is not None or speaking_seconds <= self.persona.mood.monologue_seconds
                or self._interrupted_at_turn == self.turns):
            return None
        self._interrupted_at_turn = self.turns
        return self._say(self.persona.endings["interrupt_monologue"], "interrupt_monologue")

    def listen(self, event: Event) -> float:
        """A listening cue heard while the customer speaks (BACKCHANNEL): the mood moves by its delta (a
        reaction's mood for it first, as in a turn) but there is no turn and no line, so the customer goes on
        talking. Returns the mood change."""
        if self.ending is not None:
            return 0.0
        events = frozenset({str(event)})
        top = max((r for r in self.persona.reactions if r.mood is not None and r.fires(events)),
                  key=lambda r: r.priority, default=None)
        overrides = {top.on: top.mood} if top is not None and top.mood is not None else {}
        return self._mood.apply(events, overrides, drift=False)

    def _band_pool(self) -> tuple[str, ...]:
        return self.persona.pool(band_of(self.mood), self.scenario)

    def _pool_line(self) -> CustomerLine:
        """A line of the mood band's pool not yet said in this call; when all were said, one not yet said
        of the neighbouring band the mood is nearest to (a long call in one band does not loop); only then
        a line said before (the least recently used)."""
        text = self._chooser.fresh(self._band_pool())
        if text is None:
            text = self._chooser.fresh(self.persona.pool(_other_bands(self.mood)[0], self.scenario))
        return self._record(text, "pool") if text is not None else self._say(self._band_pool(), "pool")

    def _calming(self, reaction: Reaction) -> bool:
        delta = reaction.mood if reaction.mood is not None else self._mood.delta_for(reaction.on)
        return delta < 0

    def _pick(self, candidates: list[Candidate]) -> tuple[str, str, str] | None:
        """(text, template, event) of the first fitting reaction (ties at the same priority and
        specificity broken by the seeded rng) that still has a line not said in this call."""
        while candidates:
            first = candidates[0]
            top = [c for c in candidates if (c.reaction.priority, bool(c.reaction.when)) ==
                   (first.reaction.priority, bool(first.reaction.when))]
            chosen = self._rng.choice(top)
            template = self._chooser.fresh(chosen.lines(), ordered=chosen.reaction.ordered)
            if template is not None:
                return chosen.fill(template), template, chosen.reaction.on
            candidates = [c for c in candidates if c is not chosen]
        return None

    def _react(self, candidates: list[Candidate]) -> CustomerLine | None:
        picked = self._pick(candidates)
        if picked is None:
            return None
        text, template, event = picked
        self._chooser.mark(template)
        return self._record(text, event)

    def _answer(self, lines: tuple[str, ...], trigger: str, angry: list[Candidate]) -> CustomerLine:
        """The answer, after the line of an angering reaction that fired in the same turn."""
        answer = self._chooser.fresh(lines) or self._chooser.choose(lines) or lines[0]
        picked = self._pick(angry)
        if picked is None:
            return self._record(answer, trigger)
        text, template, event = picked
        self._chooser.mark(template)
        self._chooser.mark(answer)
        joiner = "" if self.persona.language == "zh" else " "
        return self._record(text + joiner + answer, f"{event}+{trigger}")

    def _signal(self, change: float) -> CustomerLine | None:
        """An escalation signal (12345, 消协, the papers ...) when the mood is near escalate_at and rose,
        every other line at most, so the threats come between the complaints."""
        near = self.mood >= self.persona.mood.escalate_at - self.persona.escalation_within
        after_signal = bool(self.history) and self.history[-1].trigger == "signal"
        text = self._chooser.fresh(self.persona.escalation) if near and change > 0 and not after_signal else None
        return self._record(text, "signal") if text is not None else None

    def _ending(self, events: frozenset[str], change: float) -> Ending | None:
        mood = self.persona.mood
        if self.mood >= mood.escalate_at:
            kind, limit = "escalated", mood.escalate_at
        elif self.mood < mood.resolve_below and self.commitment_made and change <= 0:
            kind, limit = "resolved", mood.resolve_below
        elif self.turns >= mood.max_turns:
            kind, limit = "turn_limit", float(mood.max_turns)
        else:
            return None
        return Ending(kind, self.mood, limit, self.turns, tuple(sorted(events)), self.persona.language)

    def _say(self, pool: tuple[str, ...], trigger: str) -> CustomerLine:
        """A line of pool; when its only line was just said, one of the pool of the mood band nearest to the
        mood instead (the angrier band on a tie), so the customer never says the same line twice in a row."""
        text = self._chooser.choose(pool)
        if text is None:
            for band in [band_of(self.mood), *_other_bands(self.mood)]:
                text = self._chooser.choose(self.persona.pool(band, self.scenario))
                if text is not None:
                    break
        return self._record(text if text is not None else pool[0], trigger)

    def _record(self, text: str, trigger: str) -> CustomerLine:
        self._chooser.mark(text)
        line = CustomerLine(text, self.mood, band_of(self.mood), trigger)
        self.history.append(line)
        return line



def _other_bands(mood: float) -> list[str]:
    """The other mood bands, nearest to mood first (74 is angry, nearer furious than annoyed; the angrier
    band on a tie)."""
    def distance(index: int) -> float:
        floor = BANDS[index][1]
        ceiling = BANDS[index + 1][1] if index + 1 < len(BANDS) else 100.0
        return max(floor - mood, mood - ceiling, 0.0)

    here = BAND_NAMES.index(band_of(mood))
    return [BAND_NAMES[i] for i in sorted((i for i in range(len(BANDS)) if i != here), key=lambda i: (distance(i), -i))]
