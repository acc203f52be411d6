"""webrtcvad on microphone blocks: splits each block into 20 ms frames and feeds the pure VoiceActivity
rules (simulator.core.turn_taking), which add the noise gate and the hangover. Runs on the listening thread."""

from __future__ import annotations

import numpy as np
import webrtcvad

from simulator.core.turn_taking import (FRAME_SECONDS, VadSettings, VoiceActivity, VoiceEdge, frame_dbfs,
                                         pitch_rises_at_end)

AGGRESSIVENESS = 2   # webrtcvad 0..3; 2 keeps soft word ends that 3 drops, and the level gate handles hiss


class MicrophoneVad:
    """Speech onsets and offsets of a 16 kHz int16 stream given in blocks stamped with call times."""

    def __init__(self, sample_rate: int = 16000, calibrated_db: float | None = None,
                 settings: VadSettings | None = None) -> None:
        self.sample_rate = sample_rate
        self.frame = int(sample_rate * FRAME_SECONDS)
        self.activity = VoiceActivity(calibrated_db, settings)
        self._vad = webrtcvad.Vad(AGGRESSIVENESS)
        self._carry = np.zeros(0, dtype=np.int16)
        self._carry_time = 0.0
        self.heard_until = 0.0     # call time up to which the audio has been classified

    @property
    def speaking(self) -> bool:
        return self.activity.speaking

    @property
    def sure_until(self) -> float:
        """Call time up to which the audio is sure to hold no speech after the last offset: `heard_until`, or
        the first frame of an onset still being confirmed."""
        suspected = self.activity.suspected_onset()
        return self.heard_until if suspected is None else min(suspected, self.heard_until)

    def block(self, call_time: float, samples: np.ndarray) -> list[VoiceEdge]:
        """Classify a block (its first sample at `call_time`); returns the onsets and offsets it completes."""
        block = np.asarray(samples, dtype=np.int16)
        if self._carry.size and abs(self._carry_time + self._carry.size / self.sample_rate - call_time) > 0.005:
            self._carry = np.zeros(0, dtype=np.int16)       # a gap in the stream: do not join across it
        if not self._carry.size:
            self._carry_time = call_time
        data = np.concatenate([self._carry, block])
        edges: list[VoiceEdge] = []
        whole = data.size - data.size % self.frame
        for start in range(0, whole, self.frame):
            frame = data[start:start + self.frame]
            at = self._carry_time + start / self.sample_rate
            edge = self.activity.frame(at, self._vad.is_speech(frame.tobytes(), self.sample_rate), frame_dbfs(frame))
            if edge is not None:
                edges.append(edge)
        self._carry_time += whole / self.sample_rate
        self._carry = data[whole:].copy()
        self.heard_until = self._carry_time
        return edges


def rises_before(recent: list[tuple[float, np.ndarray]], offset: float, sample_rate: int,
                 span: float = 0.6) -> bool:
    """Whether the pitch rose over the speech just before `offset`, from the latest (call time, block) pairs."""
    from simulator.core.analysis.audio import pitch_track

    kept = [(t, b) for t, b in recent if t < offset and t + len(b) / sample_rate > offset - span]
    if not kept:
        return False
    first = kept[0][0]
    samples = np.concatenate([b for _, b in kept]).astype(np.float64) / 32768.0
    lo = max(0, int(round((offset - span - first) * sample_rate)))
    hi = max(lo, int(round((offset - first) * sample_rate)))
    times, f0 = pitch_track(samples[lo:hi], sample_rate)
    return pitch_rises_at_end(times, f0)
