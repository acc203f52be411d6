"""Persona records: what a persona file (personas/<lang>/<type>.toml) describes, after validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from simulator.core.voice import VoiceSettings

PERSONA_TYPES = ("angry_threatening", "stubborn", "habitual_complainer", "insulting")

# Mood bands: (name, lowest mood in the band). A mood belongs to the last band whose floor it reaches.
BANDS: tuple[tuple[str, float], ...] = (("calm", 0.0), ("annoyed", 25.0), ("angry", 50.0), ("furious", 75.0))
BAND_NAMES = tuple(name for name, _ in BANDS)


def band_of(mood: float) -> str:
    """The mood band (calm / annoyed / angry / furious) of a mood 0..100."""
    name = BAND_NAMES[0]
    for band, floor in BANDS:
        if mood >= floor:
            name = band
    return name


Pools = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class MoodSettings:
    """How the persona's mood starts and moves; `deltas` holds only what the file sets (engine fills the rest)."""

    initial: float
    sensitivity: float
    resolve_below: float
    escalate_at: float
    max_turns: int
    monologue_seconds: float
    deltas: dict[str, float] = field(default_factory=dict)
    drift: float | None = None


@dataclass(frozen=True)
class Reaction:
    """The customer's answer to one trainee behaviour (an Event name)."""

    on: str
    lines: tuple[str, ...]
    unless: tuple[str, ...] = ()
    mood: float | None = None
    priority: int = 0
    ordered: bool = False
    when: tuple[str, ...] = ()        # phrase group: only when the words that triggered `on` contain one
    bands: tuple[str, ...] = ()       # mood bands it fits (empty: all)
    scenarios: tuple[str, ...] = ()   # scenario ids it belongs to (empty: all)

    def fires(self, events: frozenset[str]) -> bool:
        return self.on in events and not any(e in events for e in self.unless)



BARGE_IN_BEHAVIOURS = ("yield", "finish", "snap_back")


@dataclass(frozen=True)
class BargeIn:
    """What the customer does when the trainee talks over a line (not a backchannel), per mood band: `yield`
    stops the line and lets the trainee talk; `finish` finishes the clause, louder, then listens; `snap_back`
    stops and snaps back with one of `lines` (你让我说完！), then listens. Bands not set yield."""

    bands: dict[str, str] = field(default_factory=dict)
    lines: tuple[str, ...] = ()

    def behaviour(self, band: str) -> str:
        return self.bands.get(band, "yield")


@dataclass(frozen=True)
class Coping:
    """The coping strategy shown after the call."""

    works: tuple[str, ...]
    backfires: tuple[str, ...]
    notes: str = ""


@dataclass(frozen=True)
class Scenario:
    id: str
    industry: str
    title: str
    situation: str
    wants: str
    facts: tuple[str, ...]
    key_words: tuple[str, ...]
    opening: tuple[str, ...]
    lines: Pools = field(default_factory=dict)
    case: dict[str, str] = field(default_factory=dict)                # topic -> what the customer knows
    asks: dict[str, tuple[str, ...]] = field(default_factory=dict)   # topic -> extra question words


@dataclass(frozen=True)
class Persona:
    id: str
    language: str
    type: str
    display_name: str
    difficulty: int
    description: str
    voice: VoiceSettings
    mood: MoodSettings
    scenarios: tuple[Scenario, ...]
    lines: Pools
    reactions: tuple[Reaction, ...]
    endings: Pools
    coping: Coping
    source: Path | None = None
    answers: Pools = field(default_factory=dict)   # band templates with {fact}; unknown; repeated
    escalation: tuple[str, ...] = ()               # escalation signals near the top of the mood scale
    escalation_within: float = 20.0                # ... within this many points of escalate_at
    barge_in: BargeIn = field(default_factory=BargeIn)

    def scenario(self, scenario_id: str) -> Scenario:
        for scenario in self.scenarios:
            if scenario.id == scenario_id:
                return scenario
        known = ", ".join(s.id for s in self.scenarios)
        raise UnknownScenarioError(f"persona {self.id} has no scenario {scenario_id!r} (it has: {known})")

    def pool(self, band: str, scenario: Scenario) -> tuple[str, ...]:
        """The persona-wide pool of a band merged with the scenario's own lines for it."""
        return _unique(self.lines.get(band, ()) + scenario.lines.get(band, ()))

    def all_lines(self) -> set[str]:
        """Every distinct line the persona can say as written (for counting and TTS prefetch); templates
        with a slot ({said}, {fact}) are filled during the call and are not counted."""
        lines: set[str] = set(self.escalation) | set(self.answers.get("unknown", ()))
        for pools in (self.lines, self.endings, *(s.lines for s in self.scenarios)):
            for pool in pools.values():
                lines.update(pool)
        for scenario in self.scenarios:
            lines.update(scenario.opening)
        for reaction in self.reactions:
            lines.update(reaction.lines)
        lines.update(self.barge_in.lines)
        return {line for line in lines if not has_slot(line)}


def has_slot(line: str) -> bool:
    """A template line, filled when it is said ({said}: the trainee's words; {fact}: a case fact)."""
    return "{said}" in line or "{fact}" in line


class UnknownScenarioError(ValueError):
    """A scenario id that the persona does not have."""


def _unique(lines: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(lines))
