"""CLEAR coverage (seed 000 第三讲 三) and the 先心情后事情 order (seed 001) over a whole call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.core.analysis.phrases import PhraseHit
from simulator.core.timeline import Timeline

EMOTION = ("empathy", "restate", "apology")
SOLUTION = ("resolution", "follow_up", "options", "explain_rule", "vague_promise")
LOSS_OF_CONTROL = ("retaliation", "taboo")


@dataclass(frozen=True)
class ClearCoverage:
    # None: not judged (Listen on a typed call, where nothing was timed; every step of a call never answered)
    control: bool | None
    listen: bool | None
    establish: bool | None
    apologize: bool | None
    resolve: bool | None
    emotion_before_solution: bool | None  # None: no solution was offered, so the order cannot be judged
    # call seconds of the first establish / apologize / resolve, and of the first emotion and solution words
    first_times: dict[str, float] = field(default_factory=dict)

    def steps(self) -> dict[str, bool | None]:
        """The five CLEAR steps in order; None for a step that could not be judged (Listen without timing)."""
        return {"control": self.control, "listen": self.listen, "establish": self.establish,
                "apologize": self.apologize, "resolve": self.resolve}


def first_hit(hits: dict[str, list[PhraseHit]], categories: tuple[str, ...]) -> PhraseHit | None:
    found = [h for c in categories for h in hits.get(c, [])]
    return min(found, key=lambda h: h.time, default=None)


def shouting_turns(measures: Any) -> list[int]:
    """Turn indices the measures flagged as shouting (dict key from the measurement side; absent = none)."""
    loud = getattr(measures, "loudness", None) or {}
    return [s if isinstance(s, int) else getattr(s, "turn", -1) for s in loud.get("shouting_turns", loud.get("shouting", []))]


def _listened(measures: Any) -> bool | None:
    """No interruption, judged only when turn or word timing was measured; a typed call has none."""
    found = getattr(measures, "interruptions", None)
    return None if found is None else not found


def clear_coverage(timeline: Timeline, hits: dict[str, list[PhraseHit]], measures: Any = None) -> ClearCoverage:
    firsts = {
        "establish": first_hit(hits, ("empathy", "restate")),
        "apologize": first_hit(hits, ("apology",)),
        "resolve": first_hit(hits, ("resolution", "follow_up")),
        "emotion": first_hit(hits, EMOTION),
        "solution": first_hit(hits, SOLUTION),
    }
    emotion, solution = firsts["emotion"], firsts["solution"]
    order = None if solution is None else emotion is not None and emotion.time <= solution.time
    return ClearCoverage(
        control=first_hit(hits, LOSS_OF_CONTROL) is None and not shouting_turns(measures),
        listen=_listened(measures),
        establish=firsts["establish"] is not None,
        apologize=firsts["apologize"] is not None,
        resolve=firsts["resolve"] is not None,
        emotion_before_solution=order,
        first_times={k: h.time for k, h in firsts.items() if h is not None},
    )
