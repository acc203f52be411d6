"""The scorecard's records and its settings (simulator/data/scoring.toml: weights, knobs, feedback texts)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from simulator.core.analysis.clear import ClearCoverage

CRITERIA = (
    "pauses", "pace", "loudness", "intonation", "interruptions", "empathy", "courtesy", "apology", "resolution",
    "taboo", "fillers", "clear", "persona",
)
SEVERITIES = ("good", "warn", "bad")


class ScoringConfigError(ValueError):
    """scoring.toml is missing or malformed (message names the file and the problem)."""


@dataclass(frozen=True)
class Finding:
    """One observation tied to a moment of the call; `message` says what to do instead, citing the course.
    `cost`: points of the overall score it cost; `said`: the trainee's words it is about; `better`: a better
    wording for that moment (the course's replacement for a taboo phrase)."""

    code: str
    turn: int | None
    time: float | None
    message: str
    criterion: str
    severity: str
    cost: float = 0.0
    said: str = ""
    better: str = ""


@dataclass
class Scorecard:
    overall: int | None  # None: not scored (the trainee never replied)
    criteria: dict[str, int]
    findings: list[Finding]
    clear: ClearCoverage
    not_measured: list[str] = field(default_factory=list)
    possibly_heard: list[Any] = field(default_factory=list)  # penalty phrase hits heard with too little confidence

    @property
    def scored(self) -> bool:
        return self.overall is not None


@dataclass(frozen=True)
class ScoringConfig:
    weights: dict[str, float]
    knobs: dict[str, dict[str, Any]]
    messages: dict[str, dict[str, str]]
    labels: dict[str, dict[str, str]]
    personas: dict[str, dict[str, Any]]
    betters: dict[str, dict[str, str]] = field(default_factory=dict)

    def knob(self, section: str, name: str) -> float:
        try:
            return float(self.knobs[section][name])
        except KeyError:
            raise ScoringConfigError(f"scoring.toml: [{section}] {name} is missing") from None

    def message(self, code: str, language: str, **values: Any) -> str:
        texts = self.messages.get(code)
        if texts is None:
            raise ScoringConfigError(f"scoring.toml: no [messages.{code}]")
        return texts.get(language, texts["en"]).format(**values)

    def label(self, event: str, language: str) -> str:
        return self.labels.get(language, {}).get(event, event)

    def better(self, code: str, language: str) -> str:
        """The default better wording for a finding (scoring.toml [better]); "" when there is none."""
        texts = self.betters.get(code) or {}
        return texts.get(language, texts.get("en", ""))


@lru_cache(maxsize=1)
def load_scoring_config() -> ScoringConfig:
    try:
        text = resources.files("simulator.data").joinpath("scoring.toml").read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScoringConfigError(f"scoring.toml cannot be read: {exc}") from None
    weights = {k: float(v) for k, v in data.get("weights", {}).items()}
    missing = [c for c in CRITERIA if c not in weights]
    if missing:
        raise ScoringConfigError(f"scoring.toml: [weights] lacks {', '.join(missing)}")
    special = {"weights", "messages", "labels", "persona", "better"}
    knobs = {k: v for k, v in data.items() if k not in special}
    persona = data.get("persona", {})
    knobs["persona"] = {k: v for k, v in persona.items() if not isinstance(v, dict)}
    personas = {k: v for k, v in persona.items() if isinstance(v, dict)}
    return ScoringConfig(weights, knobs, data.get("messages", {}), data.get("labels", {}), personas, data.get("better", {}))
