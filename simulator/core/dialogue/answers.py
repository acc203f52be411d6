"""The customer's answer to a question about their own case, from the scenario's [scenarios.case].

The answer is a template of the persona's [answers] for the current mood band, filled with the fact
("{fact}，你们系统里没有吗？" when angry, "{fact}。" when calm). A topic asked for a second time gets a
`repeated` line (不要让我重复讲) and angers; a question the customer cannot answer gets an `unknown` line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.core.dialogue.mood import ANSWERED, ASKED_AGAIN
from simulator.core.dialogue.questions import UNKNOWN, Question
from simulator.core.personas.model import Persona, Scenario


@dataclass(frozen=True)
class Answer:
    candidates: tuple[str, ...]   # filled lines to choose from
    trigger: str                  # "answer:<topic>" | "answer:repeated:<topic>" | "answer:unknown"
    mood_event: str | None        # ANSWERED, ASKED_AGAIN or None


@dataclass
class CaseAnswers:
    """What was asked so far in one call."""

    persona: Persona
    scenario: Scenario
    asked: set[str] = field(default_factory=set)

    @property
    def active(self) -> bool:
        """Only personas that have [answers] answer questions (older files keep their behaviour)."""
        return bool(self.persona.answers)

    def mood_event(self, question: Question) -> str | None:
        """How the question moves the mood, before it is answered."""
        if question.topic == UNKNOWN or question.topic not in self.scenario.case:
            return None
        return ASKED_AGAIN if question.topic in self.asked and self.persona.answers.get("repeated") else ANSWERED

    def answer(self, question: Question, band: str) -> Answer | None:
        """The candidate lines (band: the mood band after this turn); records the topic as asked."""
        answers = self.persona.answers
        fact = self.scenario.case.get(question.topic)
        if question.topic == UNKNOWN or fact is None:
            unknown = answers.get("unknown", ())
            return Answer(unknown, "answer:unknown", None) if unknown else None
        if question.topic in self.asked and answers.get("repeated"):
            return Answer(_fill(answers["repeated"], fact), f"answer:repeated:{question.topic}", ASKED_AGAIN)
        self.asked.add(question.topic)
        templates = answers.get(band) or next((answers[b] for b in ("annoyed", "calm", "angry", "furious") if b in answers), ())
        return Answer(_fill(templates, fact), f"answer:{question.topic}", ANSWERED) if templates else None


def _fill(templates: tuple[str, ...], fact: str) -> tuple[str, ...]:
    """The templates with the fact, capitalised where it starts a sentence ("oh seven seven…" opening a line
    is "Oh seven seven…")."""
    return tuple(t.replace("{fact}", _capitalised(fact) if _starts_sentence(t) else fact) for t in templates)


def _starts_sentence(template: str) -> bool:
    before = template[:template.find("{fact}")].rstrip()
    return not before or before[-1] in ".!?"


def _capitalised(fact: str) -> str:
    return fact[:1].upper() + fact[1:] if fact[:1].isascii() else fact
