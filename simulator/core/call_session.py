"""One call as a pure state machine: customer lines and trainee turns in, timeline and reactions out.

The live runner (simulator.speech.live_call) and the typed-reply mode both drive this class, so the
dialogue logic is the same with or without audio and is testable from data alone.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable

from simulator.core.analysis.assess import assess_turn
from simulator.core.analysis.phrases import was_transferred
from simulator.core.analysis.scoring import ENDING_KEY
from simulator.core.analysis.thresholds import Thresholds, load_thresholds
from simulator.core.analysis.timing import customer_talking_at, is_listening_cue, measure_timing, speech_units
from simulator.core.dialogue.engine import CustomerLine, DialogueEngine, Ending
from simulator.core.events import Event, TurnAssessment
from simulator.core.personas.model import Persona, Scenario
from simulator.core.timeline import Timeline, Turn, Word


@dataclass
class TraineeReply:
    """What the trainee said, as recognised (words) or typed (no words)."""

    text: str
    start: float
    end: float
    words: list[Word] | None = None
    measured: frozenset[Event] = field(default_factory=frozenset)
    typed: bool = False


class CallSession:
    def __init__(self, persona: Persona, scenario_id: str | None = None, seed: int = 0,
                 thresholds: Thresholds | None = None) -> None:
        self.persona = persona
        self.engine = DialogueEngine(persona, scenario_id, seed)
        self.scenario: Scenario = self.engine.scenario  # the one the customer is in, also when the seed chose it
        self.thresholds = thresholds or load_thresholds()
        self.timeline = Timeline(persona.language, persona.id, extra={
            "persona_type": persona.type, "scenario": self.scenario.id,
            "key_words": list(self.scenario.key_words), "wants": self.scenario.wants, "seed": seed,
            "transferred": was_transferred(self.scenario.situation, persona.language)})
        self.assessments: list[TurnAssessment] = []

    @property
    def ending(self) -> Ending | None:
        return self.engine.ending

    @property
    def mood(self) -> float:
        return self.engine.mood

    def opening(self) -> CustomerLine:
        return self.engine.opening()

    def customer_spoke(self, line: CustomerLine, start: float, end: float) -> None:
        """Record a customer line once its playback times are known."""
        self.timeline.turns.append(Turn("customer", start, end, line.text,
                                        extra={"mood": round(line.mood, 1), "trigger": line.trigger}))

    def trainee_replied(self, reply: TraineeReply) -> tuple[TurnAssessment, CustomerLine]:
        """Add the trainee's turn, measure it against the call so far, and get the customer's answer.

        A typed reply is not speech: it is placed after the customer's line and has no timing events."""
        if reply.typed:
            at = max([reply.start] + [t.end for t in self.timeline.turns if t.speaker == "customer"])
            turn = Turn("trainee", at, at, reply.text, extra={"typed": True})
            if Event.LONG_MONOLOGUE in reply.measured:
                turn.extra["spoken_seconds"] = round(self.spoken_seconds(reply.text), 1)
        else:
            turn = Turn("trainee", reply.start, reply.end, reply.text, reply.words)
        self.timeline.turns.append(turn)
        self.timeline.turns.sort(key=lambda t: t.start)
        index = self.timeline.turns.index(turn)
        assessment = replace(self._assess(index, reply.measured, timed=not reply.typed), words=tuple(turn.words or ()))
        turn.extra["events"] = sorted(assessment.events)
        self.assessments.append(assessment)
        line = self.engine.respond(assessment)
        if self.engine.ending is not None:  # kept with the call: the analysis judges it knowing how it ended
            self.timeline.extra[ENDING_KEY] = self.engine.ending.kind
        return assessment, line

    def rehearsal(self) -> CallSession:
        """A copy to try an answer on (the answer prepared during the trainee's silence) without touching the
        call; the persona and thresholds are shared, not copied, as nothing changes them."""
        return copy.deepcopy(self, {id(self.persona): self.persona, id(self.thresholds): self.thresholds})

    def warm_up(self) -> Callable[[], None]:
        """A throwaway reply assessed on a copy taken now, to run on any thread while the call opens: the first
        real reply would otherwise pay for loading and compiling the phrase lists (0.3-0.5 s), so its answer
        would not be ready when the trainee's silence ends."""
        rehearsal, text = self.rehearsal(), min(self.persona.all_lines())

        def assess() -> None:
            rehearsal.trainee_replied(TraineeReply(text, 0.0, 1.0))
        return assess

    def is_listening_cue(self, reply: TraineeReply) -> bool:
        """Spoken while a customer line is under way and short enough to be a backchannel (嗯, 对, "right"):
        the same rule the timing measures apply afterwards, so what the customer took for listening is
        never scored as an interruption."""
        if reply.typed:
            return False
        customer = [t for t in self.timeline.turns if t.speaker == "customer"]
        return (customer_talking_at(reply.start, customer, self.thresholds.min_overlap) is not None
                and is_listening_cue(reply.text, reply.end - reply.start, self.thresholds))

    def listening_cue(self, reply: TraineeReply) -> TurnAssessment:
        """A backchannel said while the customer speaks: kept in the timeline as a trainee turn (the timing
        measures count it as a backchannel, not a reply) and given to the engine as BACKCHANNEL, which moves
        the mood a little; no answer comes, the customer's line goes on."""
        turn = Turn("trainee", reply.start, reply.end, reply.text, reply.words,
                    extra={"events": [Event.BACKCHANNEL.value]})
        self.timeline.turns.append(turn)
        self.timeline.turns.sort(key=lambda t: t.start)
        self.engine.listen(Event.BACKCHANNEL)
        return TurnAssessment(reply.text, self.persona.language, frozenset({Event.BACKCHANNEL}),
                              reply.start, reply.end, words=tuple(reply.words or ()))

    def monologue_check(self, speaking_seconds: float) -> CustomerLine | None:
        return self.engine.interrupt_monologue(speaking_seconds)

    def spoken_seconds(self, text: str) -> float:
        """How long a typed reply would take to say at the middle of the pace band: typing has no clock."""
        low, high = self.thresholds.pace_band(self.persona.language)
        return speech_units(text) / ((low + high) / 2) * 60.0

    def typed_reply(self, text: str, at: float) -> tuple[TraineeReply, CustomerLine | None]:
        """A typed reply, and the customer's cut-in when it is longer than the persona lets anyone talk
        (monologue_seconds, as the characters would be spoken): the reply then carries LONG_MONOLOGUE."""
        seconds = self.spoken_seconds(text)
        cut_in = self.monologue_check(seconds)
        measured = frozenset({Event.LONG_MONOLOGUE}) if cut_in is not None else frozenset()
        return TraineeReply(text, at, at, measured=measured, typed=True), cut_in

    def _assess(self, index: int, measured: Iterable[Event], timed: bool) -> TurnAssessment:
        turn = self.timeline.turns[index]
        events = set(measured)
        measures = measure_timing(self.timeline, self.thresholds)
        mine = next((m for m in measures.turns if m.turn == index), None) if timed else None
        if timed and any(i.turn == index for i in measures.interruptions):
            events.add(Event.INTERRUPTION)
        if mine is not None and (mine.dead_air or (mine.latency or 0.0) > self.thresholds.max_latency):
            events.add(Event.DEAD_AIR)
        previous = self.timeline.last("customer", before=index)
        previous_customer = previous.text if previous is not None else ""
        previous_trainee = [t.text for t in self.timeline.turns[:index] if t.speaker == "trainee"]
        transferred = bool(self.timeline.extra.get("transferred")) or any(
            was_transferred(t.text, self.persona.language) for t in self.timeline.turns[:index] if t.speaker == "customer")
        return assess_turn(
            turn.text, self.persona.language, customer_text=previous_customer,
            key_words=self.scenario.key_words, previous_trainee_texts=previous_trainee,
            start=turn.start, end=turn.end, latency=mine.latency if mine else None,
            pace=mine.pace if mine else None, measured=events, transferred=transferred)
