"""`python -m simulator analyze`: measure and score a recorded or typed call, as a report or JSON."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "analyze",
        help="analyse a call: pace, pauses, interruptions, loudness, pitch, phrases, CLEAR, score",
        description="Give a timeline, a stereo call recording (customer left, trainee right), both, "
        "or one speaker's recording with --text.",
    )
    parser.add_argument("--timeline", metavar="FILE", help="call timeline JSON (turn times and text)")
    parser.add_argument("--audio", metavar="FILE", help="stereo call recording, or one speaker's recording with --text")
    parser.add_argument("--text", help="what the single speaker in --audio said")
    parser.add_argument("--lang", choices=["zh", "en"], help="language (default: the timeline's, else zh)")
    parser.add_argument("--persona", help="persona type the call was against (default: the timeline's)")
    parser.add_argument("--baseline-db", type=float, metavar="DBFS",
                        help="the trainee's calibrated speaking level; loudness is judged against it "
                        "(default: the level the app saved in the timeline, else the trainee's own median turn)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a report")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from simulator.core.analysis.audio import AnalysisInputError
    from simulator.core.analysis.call import analyze_call
    from simulator.core.analysis.phrases import PhraseListError
    from simulator.core.analysis.scorecard import ScoringConfigError
    from simulator.core.analysis.thresholds import ThresholdsError
    from simulator.core.review.stored import stored_baseline
    from simulator.core.timeline import Timeline, TimelineError

    try:
        if args.timeline is None and args.audio is None:
            raise AnalysisInputError("give --timeline FILE, --audio FILE, or both")
        if args.text is not None and (args.audio is None or args.timeline is not None):
            raise AnalysisInputError("--text goes with --audio (one speaker) and without --timeline")
        timeline = Timeline.load(args.timeline) if args.timeline else None
        if timeline is not None and args.lang:
            timeline.language = args.lang
        language = args.lang or (timeline.language if timeline else "zh")
        if args.baseline_db is not None and not math.isfinite(args.baseline_db):
            raise AnalysisInputError("--baseline-db must be a finite number of dBFS")
        baseline = args.baseline_db
        if baseline is None and timeline is not None:
            baseline = stored_baseline(timeline)
        result = analyze_call(timeline, args.audio, args.text, language, args.persona, baseline_db=baseline).to_json()
    except (AnalysisInputError, TimelineError, ThresholdsError, PhraseListError, ScoringConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else format_report(result))
    return 0


def format_report(r: dict[str, Any]) -> str:
    """The readable report: one line per measure, then the findings."""
    pace, lat, loud, pitch = r["pace"], r["response_latency"], r["loudness"], r["pitch"]
    band = f"{pace['band'][0]:.0f}-{pace['band'][1]:.0f}"
    lines = [
        f"Pace: {_num(pace['value'], '.0f')} {pace['unit']} (target {band}; customer {_num(pace['customer'], '.0f')})",
        f"Response latency: mean {_num(lat['mean'], '.1f', ' s')}, max {_num(lat['max'], '.1f', ' s')}",
        f"Dead air: {_spans(r['dead_air'])}",
        f"Interruptions: {len(r['interruptions'])}"
        + "".join(f"\n  {x['start']:.1f}-{x['end']:.1f} s  {x['text']}" for x in r["interruptions"]),
        f"Backchannels: {r['backchannels']}",
        f"Overtalk: {r['overtalk_seconds']:.1f} s",
    ]
    if loud:
        lines.append(
            f"Loudness: trainee {_num(loud['trainee_db'], '.1f', ' dBFS')}, customer {_num(loud['customer_db'], '.1f', ' dBFS')}"
            f"{' (louder than the customer)' if loud['louder_than_customer'] else ''}; raised-voice turns: {_list(loud['shouting_turns'])}"
            f" (against {'the calibrated level' if loud['baseline'] == 'calibrated' else 'the own median turn'},"
            f" {_num(loud['baseline_db'], '.1f', ' dBFS')})"
        )
    elif pitch:
        lines.append("Loudness: not measured (no trainee speech in the recording)")
    if pitch:
        lines.append(
            f"Pitch: median {_num(pitch['median_hz'], '.0f', ' Hz')}, spread {_num(pitch['sd_semitones'], '.1f', ' st')}"
            f"{' (monotone)' if pitch['monotone'] else ''}; sharp rises at turn ends: {_list(pitch['sharp_rise_turns'])}"
        )
    else:
        lines.append("Loudness, pitch: no recording given")
    lines.append("Phrases: " + (", ".join(f"{k} {len(v)}" for k, v in r["phrases"].items() if v) or "none"))
    lines.append(f"Fillers: {r['fillers']:.1f} per 100 {'characters' if r['language'] == 'zh' else 'words'}")
    clear = dict(r["clear"])
    order = clear.pop("emotion_before_solution", None)
    lines.append(
        "CLEAR: " + "  ".join(f"{k} {_yes(v)}" for k, v in clear.items()) + f"  (feelings before the fix: {_yes(order)})"
    )
    score = {k: v for k, v in r["score"].items() if k != "overall"}
    lines.append(f"Score: {_num(r['score']['overall'], '.0f')}/100  " + "  ".join(f"{k} {v}" for k, v in score.items()))
    if r["not_measured"]:
        lines.append("Not measured: " + ", ".join(r["not_measured"]))
    if r["next_time"]:
        lines.append("Next time (what cost most):")
        for i, f in enumerate(r["next_time"], 1):
            lines.append(f"  {i}. [{_where(f)}] {f['message']} (-{f['cost']:.1f} points)")
            if f["said"].strip():
                lines.append(f"     said: \"{f['said']}\"")
            if f["better"]:
                lines.append(f"     better: {f['better']}")
    lines.append(f"Findings: {len(r['findings'])}")
    for f in r["findings"]:
        lines.append(f"  [{_where(f)}] {f['code']}: {f['message']}")
    return "\n".join(lines)


def _where(f: dict[str, Any]) -> str:
    where = f"turn {f['turn']}" if f["turn"] is not None else "call"
    return where + (f", {f['time']:.1f} s" if f["time"] is not None else "")


def _num(value: float | None, fmt: str, unit: str = "") -> str:
    return "-" if value is None else f"{value:{fmt}}{unit}"


def _yes(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def _spans(spans: list[dict[str, float]]) -> str:
    return ", ".join(f"{s['start']:.1f}-{s['end']:.1f} s" for s in spans) or "none"


def _list(items: list[int]) -> str:
    return ", ".join(map(str, items)) or "none"
