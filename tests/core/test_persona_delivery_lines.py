"""Every shipped persona can answer how a reply was said (issue 10: SHOUTING, RUSHED and LONG_MONOLOGUE reach
the customer from the live meters, each with the persona's own lines)."""

from __future__ import annotations

import pytest

from simulator.core.personas import default_personas_dir, load_personas

PERSONAS = load_personas(default_personas_dir()).personas


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.id for p in PERSONAS])
def test_shouting_rushed_and_monologue_have_four_lines_each(persona) -> None:
    lines = {on: [line for r in persona.reactions if r.on == on for line in r.lines] for on in ("shouting", "rushed")}
    assert len(lines["shouting"]) >= 4 and len(lines["rushed"]) >= 4, lines
    assert len(set(persona.endings["interrupt_monologue"])) >= 4
    calming = [r for r in persona.reactions if r.on in ("shouting", "rushed") and (r.mood or 0) <= 0]
    assert calming == []  # being shouted at or rushed never calms the customer
