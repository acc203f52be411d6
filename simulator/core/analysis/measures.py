"""Records of what the analysis measured on a call: timing, loudness and pitch, per trainee turn and per call.

Kept free of logic so the text side, the scoring and the report can share them without import cycles.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Interval:
    start: float
    end: float

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class Interruption:
    """Trainee speech that began while the customer was talking (overlap span) and was not a backchannel."""

    start: float
    end: float
    text: str
    turn: int


@dataclass
class TurnMeasures:
    """One trainee turn. `latency` is None when the turn does not answer a customer turn."""

    turn: int
    start: float
    end: float
    pace: float | None
    latency: float | None
    cut_in_early: bool
    dead_air: list[Interval]
    loudness_rel_db: float | None
    pitch_mean_hz: float | None
    pitch_sd_semitones: float | None
    # against the customer's turn just before (DESIGN §3: calmer, slightly lower than an angry caller)
    loudness_vs_customer_db: float | None = None
    pitch_vs_customer_st: float | None = None


@dataclass
class CallMeasures:
    language: str
    pace: float | None
    pace_unit: str
    pace_band: tuple[float, float]
    latencies: list[float]
    dead_air: list[Interval]
    interruptions: list[Interruption]
    backchannels: int
    overtalk_seconds: float
    loudness: dict
    pitch: dict
    turns: list[TurnMeasures]
    customer_pace: float | None = None
    backchannel_turns: list[int] = field(default_factory=list)
