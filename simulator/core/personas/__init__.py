"""Persona files: format, validation, loading and the picker's view of them (see personas/README.md)."""

from simulator.core.personas.errors import PersonaError, PersonaFileError
from simulator.core.personas.loader import LoadResult, default_personas_dir, load_persona, load_personas
from simulator.core.personas.model import (
    BAND_NAMES,
    PERSONA_TYPES,
    Coping,
    MoodSettings,
    Persona,
    Reaction,
    Scenario,
    UnknownScenarioError,
    band_of,
)
from simulator.core.personas.picker import PickerEntry, picker_entries, type_label

__all__ = [
    "BAND_NAMES", "PERSONA_TYPES", "Coping", "LoadResult", "MoodSettings", "Persona", "PersonaError",
    "PersonaFileError", "PickerEntry", "Reaction", "Scenario", "UnknownScenarioError", "band_of",
    "default_personas_dir", "load_persona", "load_personas", "picker_entries", "type_label",
]
