"""One entry point for analysing a call: timeline and/or stereo recording in, measures + phrases + score out.

Used by `python -m simulator analyze` and by review after a live call, so both report the same numbers.
"""

from __future__ import annotations

from bisect import bisect_left
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from statistics import mean, median
from typing import Any

import numpy as np

from simulator.core.analysis.audio import (
    FLOOR_DBFS,
    SILENCE_DBFS,
    AnalysisInputError,
    load_mono,
    load_stereo,
    loudness_db,
    pitch_track,
    voice_activity,
)
from simulator.core.analysis.intervals import clip, join_close
from simulator.core.analysis.measures import CallMeasures, Interval
from simulator.core.analysis.thresholds import Thresholds, load_thresholds
from simulator.core.review.findings import next_time
from simulator.core.analysis.timing import measure_timing
from simulator.core.timeline import MAX_TURN_CHARS, Timeline, Turn, beyond_limits

UNKNOWN_PERSONA = "unknown"
MIN_VOICED_FRAMES = 20  # 0.2 s of voicing before a turn's pitch spread or end rise means anything
PITCH_STEP = 0.01
LEVEL_STEP_FACTOR = 3
CUSTOMER_WINDOW = 2.0  # seconds at the end of the customer's turn that a reply's voice is compared with


@dataclass
class CallAnalysis:
    timeline: Timeline
    measures: CallMeasures
    hits: dict
    scorecard: Any
    fillers: float = 0.0
    pronouns: dict | None = None

    def to_json(self) -> dict[str, Any]:
        """The `analyze --json` object."""
        m = self.measures
        card = self.scorecard
        return {
            "language": m.language,
            "pace": {"value": m.pace, "unit": m.pace_unit, "band": list(m.pace_band), "customer": m.customer_pace},
            "response_latency": {
                "mean": round(mean(m.latencies), 3) if m.latencies else None,
                "max": max(m.latencies) if m.latencies else None,
                "values": m.latencies,
            },
            "dead_air": [_span(d) for d in m.dead_air],
            "interruptions": [{**_span(x), "text": x.text, "turn": x.turn} for x in m.interruptions],
            "backchannels": m.backchannels,
            "overtalk_seconds": m.overtalk_seconds,
            "loudness": m.loudness,
            "pitch": m.pitch,
            "turns": [
                {
                    "turn": t.turn, "start": t.start, "end": t.end, "pace": t.pace, "latency": t.latency,
                    "cut_in_early": t.cut_in_early, "dead_air": [_span(d) for d in t.dead_air],
                    "loudness_rel_db": t.loudness_rel_db, "pitch_mean_hz": t.pitch_mean_hz,
                    "pitch_sd_semitones": t.pitch_sd_semitones,
                    "loudness_vs_customer_db": t.loudness_vs_customer_db, "pitch_vs_customer_st": t.pitch_vs_customer_st,
                }
                for t in m.turns
            ],
            "phrases": {k: [{"turn": h.turn, "time": round(h.time, 3), "text": h.text, "confidence": h.confidence}
                            for h in v] for k, v in self.hits.items()},
            "possibly_heard": [{"category": h.category, "turn": h.turn, "time": round(h.time, 3), "text": h.text,
                                "confidence": h.confidence} for h in card.possibly_heard],
            "fillers": round(self.fillers, 2),
            "pronouns": self.pronouns or {},
            "clear": {**card.clear.steps(), "emotion_before_solution": card.clear.emotion_before_solution},
            "score": {"overall": card.overall, **card.criteria},
            "not_measured": card.not_measured + [f"clear.{k}" for k, v in card.clear.steps().items() if v is None],
            "findings": [_finding(f) for f in card.findings],
            "next_time": [_finding(f) for f in next_time(card.findings)],
        }


def _finding(f: Any) -> dict[str, Any]:
    return {"code": f.code, "turn": f.turn, "time": f.time, "message": f.message, "criterion": f.criterion,
            "severity": f.severity, "cost": f.cost, "said": f.said, "better": f.better}


def _span(d: Interval) -> dict[str, float]:
    return {"start": round(d.start, 3), "end": round(d.end, 3)}


def analyze_call(
    timeline: Timeline | None,
    audio: Path | Any = None,
    text: str | None = None,
    language: str = "zh",
    persona_type: str | None = None,
    thresholds: Thresholds | None = None,
    baseline_db: float | None = None,
) -> CallAnalysis:
    """Analyse a timeline, a stereo call recording (customer left, trainee right), both, or one speaker's
    recording with its text. With audio, loudness and pitch are measured and silences inside turns come
    from voice activity; without a timeline, turns are the voice-activity spans of each channel.
    `baseline_db` is the trainee's calibrated speaking level (dBFS); without it loudness is judged
    against the trainee's own median turn, which cannot catch a trainee loud all call long. `audio` may also
    be a recording already decoded (simulator.core.review.call_audio.CallAudio), so review decodes it once."""
    from simulator.core.analysis.phrases import filler_density, find_phrases, pronoun_use
    from simulator.core.analysis.scoring import score_call

    problem = beyond_limits(timeline) if timeline is not None else None
    if text is not None and len(text) > MAX_TURN_CHARS:
        problem = f"the text has {len(text):,} characters; the analysis takes at most {MAX_TURN_CHARS:,} per turn"
    if problem is not None:  # refused before any work: matching grows with the text, and a reviewer waits
        raise AnalysisInputError(problem)
    thr = thresholds or load_thresholds()
    hits = None
    if audio is not None:
        with ThreadPoolExecutor(1) as pool:
            # libsndfile decodes without holding the GIL: match the words, when known, meanwhile
            loading = pool.submit(_load_channels, audio, text is not None)
            if timeline is not None and text is None:
                hits = find_phrases(timeline)
            channels, sr = loading.result()
        timeline, measures = measure_recording(channels, sr, thr, timeline, text, language, baseline_db)
    elif timeline is not None:
        measures = measure_timing(timeline, thr)
    else:
        raise AnalysisInputError("nothing to analyse: give a timeline, a recording, or both")
    if hits is None:
        hits = find_phrases(timeline)
    # typed replies carry no voice: whatever the open microphone picked up meanwhile is not the trainee's delivery
    card = score_call(timeline, hits, None if _typed(timeline) else measures, persona_type)
    return CallAnalysis(timeline, measures, hits, card, filler_density(timeline), pronoun_use(timeline))


def _typed(timeline: Timeline) -> bool:
    """A call typed throughout has no loudness, pitch, pace or pauses to score: it is judged on its words."""
    replies = timeline.by("trainee")
    return bool(replies) and all(t.extra.get("typed") for t in replies)


def measure_recording(
    channels: dict[str, np.ndarray],
    sr: int,
    thr: Thresholds,
    timeline: Timeline | None = None,
    text: str | None = None,
    language: str = "zh",
    baseline_db: float | None = None,
) -> tuple[Timeline, CallMeasures]:
    """Timing, loudness and pitch of a recording. `channels` holds "trainee" and, for a call, "customer".
    The timeline is the one given, else one trainee turn with `text`, else each channel's voice activity."""
    speech = {who: _vad(x, sr, thr) for who, x in channels.items()}
    if text is not None:
        timeline = _single_speaker_timeline(speech["trainee"], text, language)
    elif timeline is None:
        timeline = _timeline_from_speech(speech, language, thr.turn_gap)
    measures = measure_timing(timeline, thr, speech)
    own = _add_audio_measures(measures, channels, sr, speech, thr, baseline_db)
    if "customer" in channels:
        _compare_with_customer(measures, timeline, own, channels["customer"], sr, speech.get("customer", []), thr)
    return timeline, measures


def _load_channels(path: Path | Any, single: bool) -> tuple[dict[str, np.ndarray], int]:
    if not isinstance(path, (str, Path)):   # decoded already (CallAudio)
        return {"customer": path.customer, "trainee": path.trainee}, path.rate
    if single:
        samples, sr = load_mono(path)
        return {"trainee": samples}, sr
    customer, trainee, sr = load_stereo(path)
    return {"customer": customer, "trainee": trainee}, sr


def _vad(samples: np.ndarray, sr: int, thr: Thresholds) -> list[Interval]:
    return voice_activity(samples, sr, thr.vad_aggressiveness, thr.vad_merge_gap, thr.vad_min_speech, thr.vad_pad)


def _single_speaker_timeline(spans: list[Interval], text: str, language: str) -> Timeline:
    if not spans:
        raise AnalysisInputError("no speech found in the recording")
    return Timeline(language, UNKNOWN_PERSONA, [Turn("trainee", spans[0].start, spans[-1].end, text)])


def _timeline_from_speech(speech: dict[str, list[Interval]], language: str, turn_gap: float) -> Timeline:
    """Turns from voice activity: each channel's speech, with pauses shorter than `turn_gap` kept inside a turn."""
    turns = []
    for who, spans in speech.items():
        for span in join_close(spans, turn_gap):
            turns.append(Turn(who, span.start, span.end, ""))  # type: ignore[arg-type]
    if not turns:
        raise AnalysisInputError("no speech found on either channel of the recording")
    if "trainee" in speech and not any(t.speaker == "trainee" for t in turns):
        raise AnalysisInputError("no trainee speech found on the right channel of the recording: nothing to judge")
    turns.sort(key=lambda t: (t.start, t.end))
    return Timeline(language, UNKNOWN_PERSONA, turns)


def _add_audio_measures(
    m: CallMeasures,
    channels: dict[str, np.ndarray],
    sr: int,
    speech: dict[str, list[Interval]],
    thr: Thresholds,
    calibrated_db: float | None = None,
) -> dict[int, tuple[float, float | None]]:
    """Loudness against the calibrated level (else the trainee's own median turn) and the customer;
    pitch level, spread and end rises. Returns each trainee turn's level (dBFS) and median F0 (Hz)."""
    trainee = channels["trainee"]
    levels: dict[int, float] = {}
    tracks: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for t in m.turns:
        spans = clip(speech.get("trainee", []), t.start, t.end) or [Interval(t.start, t.end)]
        levels[t.turn] = loudness_db(trainee, sr, spans)
        a, b = int(spans[0].start * sr), int(spans[-1].end * sr)
        tracks[t.turn] = pitch_track(trainee[a:b], sr, thr.pitch_floor_hz, thr.pitch_ceiling_hz)
    voiced = np.concatenate([f0 for _, f0 in tracks.values()]) if tracks else np.zeros(0)
    ref = float(np.median(voiced)) if voiced.size else None
    own = median(levels.values()) if levels else None
    baseline = calibrated_db if calibrated_db is not None and own is not None else own
    customer_db = loudness_db(channels["customer"], sr, speech.get("customer") or []) if "customer" in channels else None
    sharp: list[int] = []
    flat: list[int] = []
    for t in m.turns:
        if baseline is not None:
            t.loudness_rel_db = round(levels[t.turn] - baseline, 2)
        times, f0 = tracks[t.turn]
        if ref is None or f0.size < MIN_VOICED_FRAMES:
            continue
        st = 12 * np.log2(f0 / ref)
        t.pitch_mean_hz = round(float(f0.mean()), 1)
        t.pitch_sd_semitones = round(float(st.std()), 2)
        end = st[times >= times[-1] - thr.pitch_end_window]
        if float(np.median(end) - np.median(st)) > thr.sharp_rise_semitones:
            sharp.append(t.turn)
        if t.pitch_sd_semitones < thr.monotone_sd:
            flat.append(t.turn)
    has_customer = customer_db is not None and customer_db > -100 and own is not None
    if own is None or own <= SILENCE_DBFS:
        m.loudness = {}  # a silent channel (dead microphone, typed replies) has no loudness to judge: not 100
    else:
        m.loudness = _loudness_record(m, own, baseline, calibrated_db, customer_db if has_customer else None, thr)
    sd = float((12 * np.log2(voiced / ref)).std()) if ref else None
    m.pitch = {
        "median_hz": None if ref is None else round(ref, 1),
        "sd_semitones": None if sd is None else round(sd, 2),
        "monotone": sd is not None and sd < thr.monotone_sd,
        "monotone_turns": flat,
        "sharp_rise_turns": sharp,
    }
    return {k: (levels[k], float(np.median(f0)) if f0.size >= MIN_VOICED_FRAMES else None) for k, (_, f0) in tracks.items()}


def _loudness_record(m: CallMeasures, own: float, baseline: float | None, calibrated_db: float | None,
                     customer_db: float | None, thr: Thresholds) -> dict[str, Any]:
    return {
        "trainee_db": round(own, 2),
        "baseline_db": None if baseline is None else round(baseline, 2),
        "baseline": "calibrated" if calibrated_db is not None else "own_median",
        "customer_db": None if customer_db is None else round(customer_db, 2),
        "vs_customer_db": None if customer_db is None else round(own - customer_db, 2),
        "louder_than_customer": bool(customer_db is not None and own - customer_db > thr.louder_than_customer_db),
        "shouting_turns": [t.turn for t in m.turns if (t.loudness_rel_db or 0.0) > thr.shouting_db],
    }


def _compare_with_customer(
    m: CallMeasures, timeline: Timeline, own: dict[int, tuple[float, float | None]], customer: np.ndarray, sr: int,
    speech: list[Interval], thr: Thresholds,
) -> None:
    """Per trainee turn: loudness (dB) and median pitch (semitones) against the customer's turn just before,
    each over its own channel's speech. A calm answer to an angry caller is not louder nor higher (DESIGN §3)."""
    theirs: dict[int, tuple[float, float | None]] = {}
    customers = sorted((c.start, i) for i, c in enumerate(timeline.turns) if c.speaker == "customer")
    starts = [start for start, _ in customers]
    latest = list(accumulate((i for _, i in customers), max))  # the last customer turn (in timeline order) so far
    for t in m.turns:
        begun = bisect_left(starts, t.start)  # customer turns that started before this trainee turn
        if not begun or t.turn not in own:
            continue
        ref = latest[begun - 1]
        if ref not in theirs:
            theirs[ref] = _level_and_pitch(customer, sr, speech, timeline.turns[ref], thr)
        (c_db, c_hz), (t_db, t_hz) = theirs[ref], own[t.turn]
        if c_db > FLOOR_DBFS and t_db > FLOOR_DBFS:
            t.loudness_vs_customer_db = round(t_db - c_db, 2)
        if c_hz and t_hz:
            t.pitch_vs_customer_st = round(float(12 * np.log2(t_hz / c_hz)), 2)


def _level_and_pitch(x: np.ndarray, sr: int, speech: list[Interval], turn: Turn, thr: Thresholds) -> tuple[float, float | None]:
    """RMS level and median F0 (None with too little voicing) over the last CUSTOMER_WINDOW seconds of the
    turn's speech: how the customer sounded when the trainee took over, at a fraction of a long turn's cost."""
    spans = clip(speech, max(turn.start, turn.end - CUSTOMER_WINDOW), turn.end)
    if not spans:
        return FLOOR_DBFS, None
    step = LEVEL_STEP_FACTOR * PITCH_STEP  # a median level needs no 10 ms detail
    _, f0 = pitch_track(x[int(spans[0].start * sr): int(spans[-1].end * sr)], sr, thr.pitch_floor_hz, thr.pitch_ceiling_hz, step)
    enough = f0.size * LEVEL_STEP_FACTOR >= MIN_VOICED_FRAMES  # the same 0.2 s of voicing
    return loudness_db(x, sr, spans), float(np.median(f0)) if enough else None
