"""Benchmark: how long a silence may end a turn, from the pauses inside real replies (no devices, seconds to run).

Each clip of ../shared/realspeech (zh and en, read and spontaneous speech) goes through the app's own voice
activity (MicrophoneVad, two readings: see READINGS) and, at each offset, the
pitch rule the live call uses (rises_before). A pause inside a clip that lasts at least the silence the rules
wait at its start is a false cut-off. The words are left out: with only the Korean model installed they are
not the clips' words (bench_turn_taking runs the real recogniser).

The short silence (after a complete-sounding, non-rising end) is chosen as the longest such pause plus a margin;
leave-one-clip-out says how that choice holds on a clip it was not chosen from, and the two halves (zh / en) as
tuning and held-back sets say the same with a harder split. Run: python -m bench.bench_end_of_turn
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from bench.common import Row, print_table
from simulator.speech.resample import resample
from simulator.core.turn_taking import frame_dbfs
from simulator.speech.vad import MicrophoneVad, rises_before

RATE = 16000
BLOCK = RATE // 10
REALSPEECH = Path(__file__).resolve().parents[2] / "shared" / "realspeech"
# A pause read twice (here and through the virtual microphone) differs by a frame or two (0.02-0.04 s); the live call
# judges the silence per 20 ms block and only up to an onset being confirmed, so no more margin is needed than that.
MARGIN = 0.04
# Each clip is read as bench_turn_taking plays it (peak 0.5, uncalibrated) and as recorded with the trainee's level
# calibrated (tests/speech/test_turn_taking.py): the gates move a soft word end by a few frames (zh08's pause after 就是 is
# 0.46 s in one reading, 0.60 s in the other), and a trainee may be heard either way.
READINGS = [(0.5, False), (None, True)]


@dataclass(frozen=True)
class Pause:
    clip: str
    at: float            # the offset, seconds into the clip
    length: float | None  # None: the clip's end (the reply is over)
    rising: bool


def calibrated_level(pcm: np.ndarray) -> float:
    """The speaker's normal level as the set-up assistant measures it: the median level of voiced 0.1 s blocks."""
    levels = [frame_dbfs(pcm[i:i + BLOCK]) for i in range(0, pcm.size, BLOCK)]
    return float(np.median([v for v in levels if v > -50.0]))


def clip_pauses(name: str, samples: np.ndarray, gain: float | None, calibrated: bool) -> list[Pause]:
    """The offsets of one clip as the live call sees them, each with the pause after it and its pitch. `gain`:
    the clip's peak is scaled to it (None: as recorded); `calibrated`: the trainee's level was calibrated
    (the onset gate follows it), else the gate follows the noise floor only."""
    peak = float(np.abs(samples).max()) or 1.0
    pcm = (np.clip(samples * ((gain / peak) if gain else 1.0), -1, 1) * 32767).astype(np.int16)
    lead = RATE // 2
    audio = np.concatenate([np.zeros(lead, np.int16), pcm, np.zeros(2 * RATE, np.int16)])
    blocks = [(i / RATE, audio[i:i + BLOCK]) for i in range(0, audio.size, BLOCK)]
    vad = MicrophoneVad(RATE, calibrated_level(pcm) if calibrated else None)
    edges = [edge for t, b in blocks for edge in vad.block(t, b)]
    out = []
    for n, edge in enumerate(edges):
        if edge.kind != "offset":
            continue
        following = edges[n + 1].time - edge.time if n + 1 < len(edges) else None
        out.append(Pause(name, edge.time - lead / RATE, following, rises_before(blocks, edge.time, RATE)))
    return out


def real_pauses() -> list[Pause]:
    out = []
    for path in sorted(REALSPEECH.glob("zh/*.wav")) + sorted(REALSPEECH.glob("en/*.wav")) + \
            sorted(REALSPEECH.glob("en/*.flac")):
        samples, rate = soundfile.read(path, dtype="float32")
        if samples.ndim == 2:
            samples = samples.mean(axis=1)
        samples = resample(samples, rate, RATE)
        for gain, calibrated in READINGS:
            out += clip_pauses(path.name.split("_")[0], samples, gain, calibrated)
    return out


def inner_falling(pauses: list[Pause], skip: tuple[str, ...] = ("en05",)) -> list[Pause]:
    """Pauses inside a reply after a pitch that does not rise: the ones only the short silence guards. en05 reads
    digit groups (1.1-1.2 s apart), which only its words (a trailing number) can keep open."""
    return [p for p in pauses if p.length is not None and not p.rising and p.clip not in skip]


def chosen_short(pauses: list[Pause]) -> float:
    return max((p.length for p in inner_falling(pauses)), default=0.0) + MARGIN  # type: ignore[type-var]


def cut(pauses: list[Pause], short: float) -> list[str]:
    """Clips with a pause the short silence does not clear by the margin."""
    return sorted({p.clip for p in inner_falling(pauses) if p.length + MARGIN > short + 1e-6})  # type: ignore[operator]


def run() -> list[Row]:
    pauses = real_pauses()
    clips = sorted({p.clip for p in pauses})
    falling = sorted(inner_falling(pauses), key=lambda p: -p.length)  # type: ignore[arg-type, operator]
    short = chosen_short(pauses)
    loo = [c for c in clips if cut([p for p in pauses if p.clip == c], chosen_short([p for p in pauses if p.clip != c]))]
    zh = [p for p in pauses if p.clip.startswith("zh")]
    en = [p for p in pauses if p.clip.startswith("en")]
    rows = [Row(f"longest pauses inside a reply after a non-rising pitch, either reading: {falling[0].clip} "
                f"(then {', '.join(f'{p.clip} {p.length:.2f}' for p in falling[1:5])})", falling[0].length or 0.0, "s"),
            Row(f"pauses inside replies, both readings (of {len(clips)} clips)",
                sum(p.length is not None for p in pauses), "pauses"),
            Row("  after a rising pitch", sum(p.length is not None and p.rising for p in pauses), "pauses"),
            Row("short silence chosen on all clips: longest + margin", short, "s"),
            Row(f"clips cut at it, leave-one-clip-out (each clip's silence chosen on the other {len(clips) - 1}) "
                f"{' '.join(loo)}", len(loo), "clips", "< 1"),
            Row(f"zh clips cut at the silence chosen on en ({chosen_short(en):.2f} s) {' '.join(cut(zh, chosen_short(en)))}",
                len(cut(zh, chosen_short(en))), "clips"),
            Row(f"en clips cut at the silence chosen on zh ({chosen_short(zh):.2f} s) {' '.join(cut(en, chosen_short(zh)))}",
                len(cut(en, chosen_short(zh))), "clips")]
    for candidate in (0.5, 0.55, 0.6, 0.62, 0.64):
        hit = cut(pauses, candidate)
        rows.append(Row(f"clips cut at a short silence of {candidate:.2f} s {' '.join(hit)}", len(hit), "clips"))
    return rows


if __name__ == "__main__":
    if not REALSPEECH.is_dir():
        sys.exit(f"the real-speech clips are not at {REALSPEECH}")
    print_table(run())
