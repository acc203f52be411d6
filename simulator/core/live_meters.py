"""Live meters of the trainee's turn in progress: pace, loudness and pitch, each with its target band.

Pure and testable from arrays and text: the microphone tap (simulator.speech.meter_tap) feeds audio blocks
and recognised text in, the call screen polls snapshots out. The bands come from the same thresholds the
after-call analysis uses, so what the trainee sees live is what the scorecard judges later.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from statistics import median

import numpy as np

from simulator.core.analysis.audio import pitch_track
from simulator.core.analysis.measures import CallMeasures
from simulator.core.analysis.text import content_count, normalise
from simulator.core.analysis.thresholds import Thresholds
from simulator.core.events import Event, TurnAssessment

VOICE_GATE_DBFS = -50.0   # a block above this level is taken as speech (headset microphones: silence ~ -60)
PITCH_WINDOW = 0.5        # seconds of recent audio that one pitch reading is taken over
TALKING_HOLD = 0.4        # seconds after the last voiced block that still count as talking
BASELINE_BLOCKS = 5       # voiced blocks needed before a baseline measured in this call is trusted
HISTORY_LIMIT = 600       # voiced levels / pitch readings kept for the running medians


@dataclass(frozen=True)
class Band:
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def state(self, value: float | None) -> str | None:
        """'low', 'in' or 'high' for a measured value; None when not measured."""
        if value is None:
            return None
        return "low" if value < self.low else "high" if value > self.high else "in"


@dataclass(frozen=True)
class MeterSpec:
    """One live meter as every screen shows it: its name, its unit ("rate": characters per minute in
    Chinese, words per minute in English; "db" against the trainee's normal level; "semitones" against their
    usual pitch), how a reading is written, and its target band (meter_bands)."""

    name: str
    unit: str
    decimals: int
    signed: bool
    criterion: str   # the scorecard criterion that judges the same measure over the call

    def format(self, value: float) -> str:
        return f"{value:{'+' if self.signed else ''}.{self.decimals}f}"

    def band(self, thresholds: Thresholds, language: str) -> Band:
        return meter_bands(thresholds, language)[self.name]

    def format_band(self, band: Band) -> str:
        """The band's ends written as readings are: "180–260", "-6.0–+6.0"."""
        return f"{self.format(band.low)}–{self.format(band.high)}"


METER_SPECS = (MeterSpec("pace", "rate", 0, False, "pace"), MeterSpec("loudness", "db", 1, True, "loudness"),
               MeterSpec("pitch", "semitones", 1, True, "intonation"))
METERS = tuple(spec.name for spec in METER_SPECS)
METER_BY_NAME = {spec.name: spec for spec in METER_SPECS}


def meter_bands(thresholds: Thresholds, language: str) -> dict[str, Band]:
    """Target bands: pace from the language's band; loudness within the shouting margin of the trainee's
    normal level (as far below as above: too quiet is as hard to hear on a phone line); pitch within the
    sharp-rise limit of the trainee's own median (further sounds argumentative, or strained when below)."""
    low, high = thresholds.pace_band(language)
    loud = thresholds.shouting_db
    rise = thresholds.sharp_rise_semitones
    return {"pace": Band(low, high), "loudness": Band(-loud, loud), "pitch": Band(-rise, rise)}


def call_readings(measures: CallMeasures) -> dict[str, float | None]:
    """Each meter's reading over a finished call (None: not measured), for the scorecard beside the criterion
    that judges the same measure: the call's pace over its speaking time; the loudness and the pitch of the
    turn furthest from the trainee's normal level and usual pitch (what the band flagged live)."""
    turns = measures.turns
    loud = [t.loudness_rel_db for t in turns if t.loudness_rel_db is not None] if measures.loudness else []
    usual = (measures.pitch or {}).get("median_hz")
    pitch = [12.0 * math.log2(t.pitch_mean_hz / usual) for t in turns if usual and t.pitch_mean_hz]
    return {"pace": measures.pace, "loudness": _furthest(loud), "pitch": _furthest(pitch)}


def _furthest(values: list[float]) -> float | None:
    return max(values, key=abs) if values else None


@dataclass(frozen=True)
class LiveMeters:
    """One reading. A value is None while it cannot be measured (silence, a turn too short for a pace)."""

    time: float
    talking: bool
    pace: float | None          # chars/min (zh) or words/min (en) over the turn's speaking time
    loudness_db: float | None   # relative to the trainee's baseline
    pitch_st: float | None      # semitones from the trainee's median pitch in this call
    bands: dict[str, Band]

    def value(self, name: str) -> float | None:
        return {"pace": self.pace, "loudness": self.loudness_db, "pitch": self.pitch_st}[name]

    def in_band(self, name: str) -> bool | None:
        """True/False for a measured value against its band; None when not measured."""
        value = self.value(name)
        return None if value is None else self.bands[name].contains(value)


@dataclass(frozen=True)
class TurnReading:
    """What the meters measured over one trainee turn, for the customer to react to. None: not measured."""

    loudness_db: float | None   # median level of the turn's voiced blocks against the trainee's baseline
    pace: float | None          # chars/min (zh) or words/min (en) over the turn's speaking time


def turn_events(reading: TurnReading, thresholds: Thresholds, language: str) -> frozenset[Event]:
    """What the customer hears in how the turn was said: SHOUTING above the shouting margin (as the scorecard
    judges a turn), RUSHED when the pace is far above the band (thresholds rushed_margin)."""
    events: set[Event] = set()
    if reading.loudness_db is not None and reading.loudness_db > thresholds.shouting_db:
        events.add(Event.SHOUTING)
    top = thresholds.pace_band(language)[1] * (1.0 + thresholds.rushed_margin)
    if reading.pace is not None and reading.pace > top:
        events.add(Event.RUSHED)
    return frozenset(events)


def block_dbfs(samples: np.ndarray) -> float:
    """RMS level of int16 samples in dB full scale (-120 for silence)."""
    x = np.asarray(samples, dtype=np.float64) / 32768.0
    power = float(np.mean(x * x)) if x.size else 0.0
    return 10.0 * math.log10(power) if power > 1e-12 else -120.0


def turn_pace(text: str, speaking_seconds: float, language: str, thresholds: Thresholds) -> float | None:
    """Units per minute of a turn, or None when it is too short to mean anything (same limits as the analysis)."""
    units = content_count(normalise(text, language)) if language == "zh" else len(text.split())
    if speaking_seconds < thresholds.pace_min_turn or units < thresholds.pace_min_units:
        return None
    return units / speaking_seconds * 60.0


def median_pitch(samples: np.ndarray, sample_rate: int, thresholds: Thresholds) -> float | None:
    """Median F0 (Hz) of the voiced frames in `samples`, or None when nothing is voiced."""
    x = np.asarray(samples, dtype=np.float64) / 32768.0
    _, f0 = pitch_track(x, sample_rate, thresholds.pitch_floor_hz, thresholds.pitch_ceiling_hz)
    return float(np.median(f0)) if f0.size else None


class LiveMeterState:
    """Accumulates one call's microphone blocks and recognised text; snapshot() gives the current reading.

    Not thread-safe on its own: the tap that owns it serialises calls."""

    def __init__(self, language: str, thresholds: Thresholds, baseline_db: float | None = None,
                 sample_rate: int = 16000) -> None:
        self.language = language
        self.thresholds = thresholds
        self.sample_rate = sample_rate
        self.bands = meter_bands(thresholds, language)
        self._baseline = baseline_db
        self._levels: deque[float] = deque(maxlen=HISTORY_LIMIT)
        self._pitches: deque[float] = deque(maxlen=HISTORY_LIMIT)
        self._recent: deque[np.ndarray] = deque()
        self._recent_samples = 0
        self._level: float | None = None
        self._pitch: float | None = None
        self._last_voice: float | None = None
        self._turn_start: float | None = None
        self._turn_voice_end: float | None = None
        self._finals: list[str] = []
        self._partial = ""
        self._turn_levels: list[float] = []

    # -- input ---------------------------------------------------------------------------------------
    def add_block(self, call_time: float, samples: np.ndarray) -> None:
        """One microphone block (int16) whose first sample is at `call_time`."""
        self._keep_recent(samples)
        level = block_dbfs(samples)
        end = call_time + len(samples) / self.sample_rate
        if level < VOICE_GATE_DBFS:
            self._level = self._pitch = None
            return
        self._levels.append(level)
        self._turn_levels.append(level)
        self._level = level
        self._last_voice = end
        if self._turn_start is None:
            self._turn_start = call_time
        self._turn_voice_end = end
        self._pitch = median_pitch(np.concatenate(self._recent), self.sample_rate, self.thresholds)
        if self._pitch is not None:
            self._pitches.append(self._pitch)

    def set_text(self, finals: list[str], partial: str) -> None:
        """The turn's recognised utterances so far and the utterance being recognised now."""
        self._finals = list(finals)
        self._partial = partial

    def end_turn(self) -> None:
        self._turn_start = self._turn_voice_end = None
        self._finals, self._partial = [], ""
        self._turn_levels = []

    # -- output --------------------------------------------------------------------------------------
    def snapshot(self, now: float) -> LiveMeters:
        talking = self._last_voice is not None and now - self._last_voice <= TALKING_HOLD
        return LiveMeters(now, talking, self._pace(), self._loudness() if talking else None,
                          self._pitch_st() if talking else None, self.bands)

    def turn_reading(self) -> TurnReading:
        """The turn so far as a whole: its median voiced level against the same baseline the meter shows."""
        baseline = self._baseline_db()
        loudness = None if baseline is None or not self._turn_levels else median(self._turn_levels) - baseline
        return TurnReading(loudness, self._pace())

    def _pace(self) -> float | None:
        if self._turn_start is None or self._turn_voice_end is None:
            return None
        text = " ".join([*self._finals, self._partial]).strip()
        return turn_pace(text, self._turn_voice_end - self._turn_start, self.language, self.thresholds)

    def _loudness(self) -> float | None:
        baseline = self._baseline_db()
        if self._level is None or baseline is None:
            return None
        return self._level - baseline

    def _baseline_db(self) -> float | None:
        """The calibrated level, else the median of this call's voiced blocks once there are enough."""
        if self._baseline is not None:
            return self._baseline
        return median(self._levels) if len(self._levels) >= BASELINE_BLOCKS else None

    def _pitch_st(self) -> float | None:
        if self._pitch is None or not self._pitches:
            return None
        return 12.0 * math.log2(self._pitch / median(self._pitches))

    def _keep_recent(self, samples: np.ndarray) -> None:
        self._recent.append(np.asarray(samples))
        self._recent_samples += len(samples)
        limit = int(PITCH_WINDOW * self.sample_rate)
        while self._recent_samples - len(self._recent[0]) >= limit:
            self._recent_samples -= len(self._recent.popleft())


SAME_MOMENT = 0.01        # seconds: times closer than this are the same moment (latencies are kept to 1 ms)
# Trainee events that get a marker on the live charts: the moments a trainer would stop the tape at.
MARKER_EVENTS = (Event.INTERRUPTION, Event.TABOO, Event.DEAD_AIR)


@dataclass(frozen=True)
class LiveMarker:
    kind: str     # an Event value: interruption, taboo, dead_air
    time: float   # call seconds
    text: str     # what was said, or how long the silence has lasted


class LiveMarkers:
    """Which moments of a call in progress get a marker: a turn's interruption, taboo phrase and dead air once
    the turn is assessed, and dead air also while it happens, as soon as the silence after the customer stops
    reaches the dead-air threshold, so a trainee lost for words sees it then. That silence is not marked again
    when the reply's assessment reports it (its latency reaches back to the marked silence). A call that takes
    no spoken reply (typed only) has no live silence: typing takes time, and the analysis does not time typed
    replies either.

    Used from one thread (the call's dialogue thread)."""

    def __init__(self, thresholds: Thresholds, listening: bool) -> None:
        self.dead_air = thresholds.dead_air
        self.listening = listening
        self._silence_from: float | None = None   # the customer stopped and nobody has spoken since
        self._marked: list[float] = []            # starts of the silences marked while they lasted
        self._interruptions: list[float] = []     # starts of the turns marked as interruptions while spoken

    def customer_spoke(self, end: float) -> None:
        self._silence_from = end

    def trainee_speaking(self, when: float) -> None:
        """Speech heard at `when` ends the silence (a backchannel while the customer still talks does not)."""
        if self._silence_from is not None and when >= self._silence_from:
            self._silence_from = None

    def paused(self) -> None:
        """Nobody owes a word during a pause (on resume the customer repeats its line and the wait restarts)."""
        self._silence_from = None

    def silence(self, now: float) -> LiveMarker | None:
        """The dead-air marker, once, when the silence since the customer stopped reaches the threshold."""
        since = self._silence_from
        if not self.listening or since is None or since in self._marked or now - since < self.dead_air:
            return None
        self._marked.append(since)
        return LiveMarker(str(Event.DEAD_AIR), since, f"{self.dead_air:g} s …")

    def interrupted(self, start: float, text: str) -> LiveMarker:
        """The trainee talks over the customer (not a backchannel), from `start`: marked at once, not again
        when the turn's assessment reports it."""
        self._interruptions.append(start)
        return LiveMarker(str(Event.INTERRUPTION), start, text)

    def turn(self, assessment: TurnAssessment) -> list[LiveMarker]:
        """The markers of an assessed trainee turn, without the dead air or interruption already marked while
        it lasted."""
        self._silence_from = None
        events = [e for e in MARKER_EVENTS if assessment.has(e)]
        if Event.DEAD_AIR in events and self._was_marked(assessment):
            events.remove(Event.DEAD_AIR)
        if Event.INTERRUPTION in events and any(abs(assessment.start - t) < SAME_MOMENT for t in self._interruptions):
            events.remove(Event.INTERRUPTION)
        return [LiveMarker(str(e), float(assessment.start), assessment.evidence.get(str(e)) or assessment.text)
                for e in events]

    def _was_marked(self, assessment: TurnAssessment) -> bool:
        if assessment.latency is None:
            return False
        waited_from = assessment.start - assessment.latency
        return any(abs(waited_from - t) < SAME_MOMENT for t in self._marked)
