"""Thresholds for the speech measures, read from simulator/data/thresholds.toml (sources stated there).

A frozen record so one loaded set can be shared by every measure and the scoring without being changed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any


class ThresholdsError(ValueError):
    """A thresholds file that is missing a value or cannot be read."""


@dataclass(frozen=True)
class Thresholds:
    pace_zh: tuple[float, float]
    pace_en: tuple[float, float]
    pace_min_turn: float
    rushed_margin: float
    pace_min_units: int
    max_latency: float
    dead_air: float
    cut_in_early: float
    min_overlap: float
    backchannel_max: float
    backchannel_phrases: tuple[str, ...]
    lone_word_max: float
    shouting_db: float
    louder_than_customer_db: float
    calm_loudness_db: float
    calm_pitch_semitones: float
    pitch_floor_hz: float
    pitch_ceiling_hz: float
    monotone_sd: float
    sharp_rise_semitones: float
    pitch_end_window: float
    vad_aggressiveness: int
    vad_merge_gap: float
    vad_min_speech: float
    vad_pad: float
    turn_gap: float
    penalty_confidence: float = 0.75
    reward_confidence: float = 0.5

    def pace_band(self, language: str) -> tuple[float, float]:
        return self.pace_zh if language == "zh" else self.pace_en


def load_thresholds(path: Path | None = None) -> Thresholds:
    """Read the packaged thresholds, or a site's own copy when `path` is given."""
    try:
        if path is None:
            text = resources.files("simulator.data").joinpath("thresholds.toml").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise ThresholdsError(f"{path}: cannot read thresholds ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ThresholdsError(f"{path or 'thresholds.toml'}: not valid TOML ({exc})") from exc
    try:
        return _from_dict(data)
    except KeyError as exc:
        raise ThresholdsError(f"{path or 'thresholds.toml'}: missing value {exc.args[0]}") from None


def _from_dict(d: dict[str, Any]) -> Thresholds:
    pace, pauses, overlap, loud, pitch, vad = (d[k] for k in ("pace", "pauses", "overlap", "loudness", "pitch", "vad"))
    return Thresholds(
        pace_zh=_band(pace["zh"]),
        pace_en=_band(pace["en"]),
        pace_min_turn=float(pace["min_turn_seconds"]),
        rushed_margin=float(pace["rushed_margin"]),
        pace_min_units=int(pace["min_turn_units"]),
        max_latency=float(pauses["max_latency"]),
        dead_air=float(pauses["dead_air"]),
        cut_in_early=float(pauses["cut_in_early"]),
        min_overlap=float(overlap["min_overlap"]),
        backchannel_max=float(overlap["backchannel_max"]),
        backchannel_phrases=tuple(str(p) for p in overlap["backchannel_phrases"]),
        lone_word_max=float(overlap["lone_word_max"]),
        shouting_db=float(loud["shouting"]),
        louder_than_customer_db=float(loud["louder_than_customer"]),
        calm_loudness_db=float(loud["calm_vs_customer"]),
        calm_pitch_semitones=float(pitch["calm_vs_customer"]),
        pitch_floor_hz=float(pitch["floor_hz"]),
        pitch_ceiling_hz=float(pitch["ceiling_hz"]),
        monotone_sd=float(pitch["monotone_sd"]),
        sharp_rise_semitones=float(pitch["sharp_rise"]),
        pitch_end_window=float(pitch["end_window"]),
        vad_aggressiveness=int(vad["aggressiveness"]),
        vad_merge_gap=float(vad["merge_gap"]),
        vad_min_speech=float(vad["min_speech"]),
        vad_pad=float(vad["pad"]),
        turn_gap=float(vad["turn_gap"]),
        # a site's copy from before [confidence] keeps working with the packaged defaults
        penalty_confidence=float(d.get("confidence", {}).get("penalty", 0.75)),
        reward_confidence=float(d.get("confidence", {}).get("reward", 0.5)),
    )


def _band(values: list[float]) -> tuple[float, float]:
    low, high = (float(v) for v in values)
    return (low, high)
