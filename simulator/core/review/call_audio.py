"""A call recording decoded once for a view: both channels for playback and analysis, and their waveform
envelopes for the timeline, the scorecard and the PDF, so nothing decodes or scans the file again."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from simulator.core.analysis.audio import load_stereo
from simulator.core.review.envelope import Envelope, envelope

SPEAKERS = ("customer", "trainee")


@dataclass(frozen=True)
class CallAudio:
    customer: np.ndarray
    trainee: np.ndarray
    rate: int
    envelopes: dict[str, Envelope] = field(default_factory=dict)

    @classmethod
    def of(cls, customer: np.ndarray, trainee: np.ndarray, rate: int) -> CallAudio:
        """The channels with their envelopes computed now (on the caller's thread: a worker's)."""
        return cls(customer, trainee, rate, {s: envelope(x, rate) for s, x in zip(SPEAKERS, (customer, trainee))})

    @classmethod
    def read(cls, path: Path) -> CallAudio:
        """Decode a stereo call recording (customer left, trainee right); AnalysisInputError when it cannot be."""
        return cls.of(*load_stereo(path))

    @property
    def seconds(self) -> float:
        return max(len(self.customer), len(self.trainee)) / self.rate

    def channels(self) -> tuple[np.ndarray, np.ndarray, int]:
        """(customer, trainee, sample rate), as the player and the timeline take them."""
        return self.customer, self.trainee, self.rate
