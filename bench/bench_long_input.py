"""Benchmark: long input in linear time (issue 13). A 10,000-turn timeline through the timing measures
alone and through the whole timeline analysis; the same length of call with every reply different (the
labelled replies of tests/fixtures/judgement, two to a turn), where no text is met twice; one turn of
50,000 characters (those replies run together) in each language; a one-hour recording without a length in
its header (as a crash leaves it) loaded for analysis and recovered at start-up.
Targets: the timeline and long-turn rows under 3 s on the 2-core machine; the hour-long recording under
10 s each (loading took 33 s and recovery 42 s reading 256 frames at a time). Each analysis runs once, in
the order listed, so that no row finds the texts of another already worked out.
Run: python -m bench.bench_long_input (or all benchmarks: python -m bench.run)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

from bench.common import Row, print_table
from simulator.core.analysis.audio import load_stereo
from simulator.core.analysis.call import analyze_call
from simulator.core.analysis.corpus import load_corpus
from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.analysis.timing import measure_timing
from simulator.core.recording_file import _STREAMINFO_COUNT, partial_path
from simulator.core.timeline import Timeline, Turn
from simulator.storage.recovery import salvage

TURNS = 10_000
LONG_TURN = 50_000
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "judgement"
TARGET_SECONDS = 3.0
LOAD_TARGET_SECONDS = 10.0
SR = 16000
CUSTOMER = ("我的宽带已经断了三天了，你们到底什么时候能修好", "你们这样的服务太让人失望了")
TRAINEE = ("非常抱歉给您带来不便，我马上帮您查询一下", "嗯", "我理解您的心情，我们今天下午五点前安排师傅上门")


def long_timeline(turns: int = TURNS) -> Timeline:
    """Alternating turns with pauses, backchannels inside customer turns and some interruptions, quick enough
    (2.7 s a pair) for 10,000 turns to fit in the four hours the analysis takes."""
    out: list[Turn] = []
    t = 0.0
    for i in range(turns):
        if i % 2 == 0:
            out.append(Turn("customer", t, t + 1.2, CUSTOMER[i % 4 // 2]))
            t += 1.2
        else:
            text = TRAINEE[i % 3]
            start = t - 0.6 if text == "嗯" else t - (0.5 if i % 7 == 3 else -0.3)
            out.append(Turn("trainee", start, start + (0.4 if text == "嗯" else 1.0), text))
            t = max(t, start + 1.0) + 0.2
    return Timeline("zh", "angry", out)


def _replies(language: str) -> tuple[list[str], list[str]]:
    """The labelled replies of one language, and the customer lines they answer."""
    replies = [r for path in sorted(CORPUS.glob(f"*_{language}.toml")) for r in load_corpus(path)]
    return [r.text for r in replies], sorted({r.customer for r in replies if r.customer})


def varied_timeline(turns: int = TURNS, language: str = "zh") -> Timeline:
    """Customer lines and replies in turn, every reply a different pair of labelled replies."""
    replies, customer = _replies(language)
    n, joint = len(replies), "，" if language == "zh" else ", "
    out: list[Turn] = []
    t = 0.0
    for i in range(turns // 2):
        out.append(Turn("customer", t, t + 1.2, customer[i % len(customer)]))
        text = replies[i % n] + joint + replies[(i // n * 101 + i * 7) % n]
        out.append(Turn("trainee", t + 1.5, t + 2.5, text))
        t += 2.7
    return Timeline(language, "angry_threatening", out)


def long_turn(language: str, size: int = LONG_TURN) -> Timeline:
    """One reply of `size` characters (the labelled replies run together) after one customer line."""
    replies, customer = _replies(language)
    text, i = "", 0
    while len(text) < size:
        text += replies[i % len(replies)] + " "
        i += 1
    return Timeline(language, "angry_threatening",  # spoken at some 250 characters a minute
                    [Turn("customer", 0.0, 5.0, customer[0]), Turn("trainee", 5.5, 5.5 + size / 4, text[:size])])


def hour_without_length(folder: Path) -> Path:
    """A one-hour stereo FLAC whose header has no sample count."""
    path = folder / "crashed.flac"
    t = np.arange(60 * SR) / SR
    minute = np.column_stack([0.2 * np.sin(2 * np.pi * 220 * t), 0.2 * np.sin(2 * np.pi * 180 * t)]).astype(np.float32)
    with soundfile.SoundFile(path, "w", samplerate=SR, channels=2, format="FLAC", subtype="PCM_16") as f:
        for _ in range(60):
            f.write(minute)
    with path.open("r+b") as f:
        head = bytearray(f.read(_STREAMINFO_COUNT.stop))
        value = int.from_bytes(head[_STREAMINFO_COUNT], "big") & ~((1 << 36) - 1)
        f.seek(_STREAMINFO_COUNT.start)
        f.write(value.to_bytes(5, "big"))
    return path


def best_of(job, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def _load_peak_mb(path: Path) -> float:
    """Peak resident memory of a fresh process that loads the recording: what a user's machine needs for it."""
    code = ("import resource, sys; from simulator.core.analysis.audio import load_stereo; load_stereo(sys.argv[1]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)")
    repo = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True, cwd=repo,
                          env={**os.environ, "PYTHONPATH": str(repo)})
    return round(float(done.stdout) / 1e6)


def run() -> list[Row]:
    timeline, thr = long_timeline(), load_thresholds()
    rows = [Row(f"timing measures, {TURNS:,}-turn timeline", best_of(lambda: measure_timing(timeline, thr)), "s",
                f"< {TARGET_SECONDS:.0f} s"),
            Row(f"whole analysis, {TURNS:,}-turn timeline", best_of(lambda: analyze_call(timeline), 1), "s",
                f"< {TARGET_SECONDS:.0f} s")]
    varied = varied_timeline()
    rows.append(Row(f"whole analysis, {TURNS:,} turns, every reply different (zh)",
                    best_of(lambda: analyze_call(varied), 1), "s", ""))
    for language in ("zh", "en"):
        one = long_turn(language)
        rows.append(Row(f"whole analysis, one {LONG_TURN:,}-character turn ({language})",
                        best_of(lambda: analyze_call(one), 1), "s", f"< {TARGET_SECONDS:.0f} s"))
    with tempfile.TemporaryDirectory() as tmp:
        path = hour_without_length(Path(tmp))
        rows.append(Row("load a 1-hour recording without a length", best_of(lambda: load_stereo(path), 1), "s",
                        f"< {LOAD_TARGET_SECONDS:.0f} s"))
        rows.append(Row("  its peak memory in a fresh process (461 MB of samples)", _load_peak_mb(path), "MB", "< 700 MB"))
        recording = Path(tmp) / "attempt-1.flac"
        os.replace(path, partial_path(recording))
        rows.append(Row("recover a 1-hour call cut off by a crash", best_of(lambda: salvage(recording), 1), "s",
                        f"< {LOAD_TARGET_SECONDS:.0f} s"))
    return rows


if __name__ == "__main__":
    print_table(run())
