"""The persona files by id, for screens and commands that show an attempt's persona by name."""

from __future__ import annotations

from typing import Any


def load_persona_index() -> dict[str, Any]:
    """Persona id -> Persona from the persona files (names and coping notes); broken files are skipped."""
    from simulator.core.personas.loader import default_personas_dir, load_personas

    return {p.id: p for p in load_personas(default_personas_dir()).personas}
