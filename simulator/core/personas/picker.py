"""Rows for the persona/scenario picker: one per (persona, scenario) of a language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.core.personas.model import PERSONA_TYPES

if TYPE_CHECKING:   # loader re-exports picker_entries, so no runtime import back to it
    from simulator.core.personas.loader import LoadResult

TYPE_LABELS: dict[str, dict[str, str]] = {
    "zh": {"angry_threatening": "易怒威吓型", "stubborn": "固执己见型",
           "habitual_complainer": "投诉成癖型", "insulting": "言语伤人型"},
    "en": {"angry_threatening": "Angry & threatening", "stubborn": "Stubborn",
           "habitual_complainer": "Habitual complainer", "insulting": "Insulting"},
}


def type_label(persona_type: str, language: str) -> str:
    """The persona type as shown to users, in zh or en (en for any other language)."""
    return TYPE_LABELS.get(language, TYPE_LABELS["en"]).get(persona_type, persona_type)


@dataclass(frozen=True)
class PickerEntry:
    persona_id: str
    scenario_id: str
    name: str            # the persona's display name
    type_label: str
    difficulty: int
    situation: str
    title: str = ""      # the scenario's title


def picker_entries(result: LoadResult, language: str) -> list[PickerEntry]:
    """Entries of the personas in `language`, by persona type, then difficulty, then file order."""
    personas = [p for p in result.personas if p.language == language]
    personas.sort(key=lambda p: (PERSONA_TYPES.index(p.type), p.difficulty))
    return [
        PickerEntry(p.id, s.id, p.display_name, type_label(p.type, language), p.difficulty, s.situation, s.title)
        for p in personas
        for s in p.scenarios
    ]
