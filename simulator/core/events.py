"""What the analysis observed in one trainee turn: the dialogue engine's only input.

The analysis (simulator.core.analysis) produces a TurnAssessment from the trainee's words and
measurements; the engine (simulator.core.dialogue) reacts to its events. Keeping this record
between them lets the engine run and be tested without audio.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Event(StrEnum):
    """A behaviour of the trainee that a persona can react to (persona file `reactions.*.on`)."""

    INTERRUPTION = "interruption"          # started talking over the customer, not a backchannel
    BACKCHANNEL = "backchannel"            # short 嗯/对/I see while the customer talks
    DEAD_AIR = "dead_air"                  # long silence before or inside the reply
    SHOUTING = "shouting"                  # much louder than own baseline or than the customer
    RUSHED = "rushed"                      # pace above the target band
    LONG_MONOLOGUE = "long_monologue"      # trainee talks too long without a break
    EMPATHY = "empathy"                    # acknowledges or names the emotion
    RESTATE = "restate"                    # repeats the customer's own key words
    THANKS = "thanks"                      # thanks / praise
    APOLOGY = "apology"                    # sincere apology
    CANCELLED_APOLOGY = "cancelled_apology"  # "sorry, but ..."
    COMMITMENT = "commitment"              # concrete action with a time commitment
    FOLLOW_UP = "follow_up"                # reference number, call-back, follow-up time
    OPTIONS = "options"                    # offers choices (what we can do)
    BOUNDARY = "boundary"                  # calm, polite boundary ("为了尽快帮您解决，请您……")
    ESCALATION_PATH = "escalation_path"    # calmly offers a supervisor / formal channel
    EXPLAIN_RULE = "explain_rule"          # explains the policy without debating
    TABOO = "taboo"                        # 话术禁忌: 不可能 / 我不知道 / not my problem
    DEFENSIVE = "defensive"                # arguing, 辩解, "不是这样的", "规定就是这样"
    RETALIATION = "retaliation"            # insult, sarcasm or contempt back at the customer
    OVER_PROMISE = "over_promise"          # off-policy promise or compensation
    VAGUE_PROMISE = "vague_promise"        # "we'll look into it" with no action or time
    REPEATED_EXPLANATION = "repeated_explanation"  # same explanation as a previous turn


@dataclass(frozen=True)
class TurnAssessment:
    """One analysed trainee turn. Times in seconds; measures are None when not measured (typed reply)."""

    text: str
    language: str = "zh"
    events: frozenset[Event] = field(default_factory=frozenset)
    start: float = 0.0
    end: float = 0.0
    latency: float | None = None           # from the customer's end to the trainee's start
    pace: float | None = None              # chars/min (zh) or words/min (en)
    loudness_db: float | None = None       # relative to the trainee's baseline
    evidence: dict[str, str] = field(default_factory=dict)  # event -> matched text, for feedback
    words: tuple[Any, ...] = ()            # the recognised Words with their confidence (none when typed)

    def has(self, event: Event) -> bool:
        return event in self.events
