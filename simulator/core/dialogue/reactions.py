"""Which reaction line fits what the trainee actually said.

A reaction fires on an event, but its line must fit the words: a reaction written for a phrase group
(`when`) is used only when the words that triggered the event contain one of them, and a line may
quote those words through the {said} slot. A line with {said} is never used when the words are not
known (a measured event, or an assessment without evidence), so no line quotes words nobody said.
A reaction also fits only its mood bands and scenarios, and a calming reaction is not used in a
turn in which the mood rose (the customer does not say "就是啊" while getting angrier).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from simulator.core.analysis.text import normalise
from simulator.core.events import TurnAssessment
from simulator.core.personas.model import Reaction

SAID = "{said}"


@dataclass(frozen=True)
class Candidate:
    reaction: Reaction
    said: str | None   # the trainee's words that triggered the reaction, as they were matched

    def lines(self) -> tuple[str, ...]:
        """The reaction's lines usable now: templates only when the words are known."""
        return tuple(line for line in self.reaction.lines if SAID not in line or self.said)

    def fill(self, line: str) -> str:
        return line.replace(SAID, self.said) if self.said else line


def said_for(turn: TurnAssessment, event: str) -> str | None:
    """The words that triggered event, as the trainee wrote them when they can be found in the text
    (the evidence is normalised: "i don't know" is quoted as "I don't know")."""
    words = (turn.evidence or {}).get(event, "").strip()
    if not words:
        return None
    at = turn.text.lower().find(words.lower())
    return turn.text[at:at + len(words)] if at >= 0 else words


def fitting(fired: list[Reaction], turn: TurnAssessment, band: str, scenario_id: str, rose: bool,
            calming: Callable[[Reaction], bool]) -> list[Candidate]:
    """The fired reactions that fit the words, band and scenario, most specific first within a
    priority (a `when` reaction before a general one), highest priority first."""
    out = []
    for reaction in fired:
        said = said_for(turn, reaction.on)
        if _fits(reaction, said, turn.language, band, scenario_id) and not (rose and calming(reaction)):
            out.append(Candidate(reaction, said))
    return sorted(out, key=lambda c: (-c.reaction.priority, not c.reaction.when))


def _fits(reaction: Reaction, said: str | None, language: str, band: str, scenario_id: str) -> bool:
    """The band and scenario match, and a `when` reaction's words are among the words said (both
    normalised, so 对不起，但是 matches what the analysis reports as 对不起,但是)."""
    if reaction.bands and band not in reaction.bands:
        return False
    if reaction.scenarios and scenario_id not in reaction.scenarios:
        return False
    if not reaction.when:
        return True
    words = normalise(said, language) if said else ""
    return any(normalise(w, language) in words for w in reaction.when if w.strip())
