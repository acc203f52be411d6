"""A mood band whose pool has one line: the customer does not say it twice in a row but takes a line of
the band nearest to the mood (the angrier one on a tie)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from simulator.core.dialogue import DialogueEngine
from simulator.core.events import TurnAssessment
from simulator.core.personas import load_persona

FIXTURE = Path(__file__).parents[1] / "fixtures" / "personas" / "valid" / "stubborn.toml"
LINES = {"calm": ("calm only",), "annoyed": ("annoyed only",), "angry": ("angry only",), "furious": ("furious only",)}
NOTHING = TurnAssessment(text="……")


def _engine(initial: float, lines: dict[str, tuple[str, ...]] = LINES) -> DialogueEngine:
    base = load_persona(FIXTURE)
    mood = replace(base.mood, initial=initial, drift=0.0)
    scenarios = tuple(replace(s, lines={}) for s in base.scenarios)
    engine = DialogueEngine(replace(base, lines=lines, mood=mood, scenarios=scenarios), seed=5)
    engine.opening()
    return engine


@pytest.mark.parametrize("initial, band, second", [
    (70, "angry", "furious only"),    # 70 is nearer furious (75) than annoyed (50)
    (55, "angry", "annoyed only"),
    (62.5, "angry", "furious only"),  # halfway: the angrier one
    (10, "calm", "annoyed only"),
    (90, "furious", "angry only"),
])
def test_one_line_pool_falls_back_to_the_nearest_band(initial: float, band: str, second: str) -> None:
    engine = _engine(initial)
    first = engine.respond(NOTHING)
    assert (first.text, first.band, first.trigger) == (f"{band} only", band, "pool")
    again = engine.respond(NOTHING)
    assert again.band == band and again.trigger == "pool" and again.text == second
    third = engine.respond(NOTHING)
    assert third.text == f"{band} only"
    texts = [line.text for line in engine.history]
    assert all(a != b for a, b in zip(texts, texts[1:]))


def test_a_band_whose_only_line_is_everywhere_still_answers() -> None:
    same = {band: ("the same",) for band in LINES}
    engine = _engine(60, same)
    assert [engine.respond(NOTHING).text for _ in range(2)] == ["the same", "the same"]


def test_a_long_call_in_one_band_takes_unsaid_lines_of_the_nearest_band_before_repeating() -> None:
    """Three angry lines, a mood held at 70 (nearer furious than annoyed): after the three, the furious
    lines, never an annoyed one; only when both are used up does a line come back."""
    lines = {"calm": ("c1", "c2"), "annoyed": ("a1", "a2"), "angry": ("g1", "g2", "g3"), "furious": ("f1", "f2")}
    engine = _engine(70, lines)
    said = [engine.respond(NOTHING).text for _ in range(7)]
    assert sorted(said[:3]) == ["g1", "g2", "g3"] and sorted(said[3:5]) == ["f1", "f2"]
    assert said[5] in lines["angry"] and said[6] in lines["angry"] and said[5] != said[6]
    low = _engine(55, lines)
    assert sorted(low.respond(NOTHING).text for _ in range(5))[:2] == ["a1", "a2"]   # 55: nearer annoyed
