"""A typed call without audio (`python -m simulator play`): the customer's opening, then one customer line
per typed trainee reply until the call ends, through the same CallSession as the app, so the lines, the
mood and the timeline are what the app would give for the same persona, scenario, seed and replies.

Customer lines get playback times estimated from their length, so the timeline is ordered like a real
call and the usual analysis (analyze_call, score_call) can score the typed call on its words.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.core.call_session import CallSession, TraineeReply
from simulator.core.dialogue.engine import CustomerLine, DialogueEngine, Ending
from simulator.core.personas.model import Persona

if TYPE_CHECKING:
    from simulator.core.analysis.call import CallAnalysis

SECONDS_PER_CHAR_ZH = 0.22   # about 270 characters a minute
SECONDS_PER_WORD_EN = 0.38   # about 160 words a minute
GAP_SECONDS = 0.5            # between the trainee's reply and the customer's next line


@dataclass(frozen=True)
class PlayedLine:
    """One customer line of a typed call; turn 0 is the opening, turn n answers the n-th reply."""

    turn: int
    line: CustomerLine
    ending: Ending | None
    reply: str | None = None   # the trainee reply it answers

    def to_json(self) -> dict[str, Any]:
        """The `play --json` object."""
        return {"turn": self.turn, "text": self.line.text, "mood": round(self.line.mood, 1), "band": self.line.band,
                "trigger": self.line.trigger, "ending": self.ending.kind if self.ending else None}


class TypedCall:
    def __init__(self, persona: Persona, scenario_id: str | None = None, seed: int = 0) -> None:
        """Unknown scenario ids raise UnknownScenarioError; without one the seed picks it, as in the app."""
        if scenario_id is None:
            scenario_id = DialogueEngine(persona, seed=seed).scenario.id
        self.persona = persona
        self.session = CallSession(persona, scenario_id, seed)
        self._clock = 0.0

    @property
    def ending(self) -> Ending | None:
        return self.session.ending

    def opening(self) -> PlayedLine:
        return self._spoken(0, self.session.opening(), None)

    def reply(self, text: str) -> PlayedLine:
        """The customer's answer to one typed reply (CallEndedError after the ending)."""
        reply, cut_in = self.session.typed_reply(text, self._clock)
        _, line = self.session.trainee_replied(reply)
        if cut_in is not None:  # a reply too long to hear out: the customer cuts in (kept in the timeline) first
            self._spoken(self.session.engine.turns, cut_in, None)
        return self._spoken(self.session.engine.turns, line, text)

    def play(self, replies: Iterable[str]) -> Iterator[PlayedLine]:
        """The opening, then a line per non-empty reply, until the call ends or the replies run out."""
        yield self.opening()
        for raw in replies:
            text = raw.strip()
            if not text:
                continue
            yield self.reply(text)
            if self.ending is not None:
                return

    def analysis(self) -> CallAnalysis:
        """The usual analysis and scorecard of the typed call (judged on its words); imported here
        because the analysis pulls in numpy, which `play --json` does not need."""
        from simulator.core.analysis.call import analyze_call

        return analyze_call(self.session.timeline, language=self.persona.language, persona_type=self.persona.type)

    def _spoken(self, turn: int, line: CustomerLine, reply: str | None) -> PlayedLine:
        start = self._clock + (GAP_SECONDS if turn else 0.0)
        self._clock = start + _duration(line.text, self.persona.language)
        self.session.customer_spoke(line, start, self._clock)
        return PlayedLine(turn, line, self.ending if line.trigger.startswith("ending:") else None, reply)


def _duration(text: str, language: str) -> float:
    if language == "zh":
        return max(1.0, len(text) * SECONDS_PER_CHAR_ZH)
    return max(1.0, len(text.split()) * SECONDS_PER_WORD_EN)
