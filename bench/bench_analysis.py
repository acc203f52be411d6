"""Benchmark: analyse a 10-minute stereo call (target: under 3 s on the 2-core build machine).

The call is built from espeak-ng speech (customer left, trainee right, alternating turns with pauses,
backchannels and a few interruptions, over low noise) and written as FLAC, the app's recording format.
The target is what a user waits for: a cold `python -m simulator analyze --audio call.flac --json`
(with and without `--timeline`) in a fresh process, imports included; the warm in-process call is
shown beside it to tell start-up from analysis.
Run: python -m bench.bench_analysis (or all benchmarks: python -m bench.run)
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

from bench.common import Row, print_table
from simulator.core.analysis.call import analyze_call
from simulator.core.timeline import Timeline, Turn

SR = 16000
CALL_SECONDS = 600.0
TARGET_SECONDS = 3.0
CUSTOMER_LINES = ["我的宽带已经断了三天了，你们到底什么时候能修好", "我已经打了好几次电话了，每次都说会处理", "你们这样的服务太让人失望了"]
TRAINEE_LINES = ["非常抱歉给您带来不便，我马上帮您查询一下", "我理解您的心情，我们今天下午五点前安排师傅上门", "感谢您的耐心，我会跟进到问题解决为止"]


def speak(text: str, pitch: int, folder: Path) -> np.ndarray:
    path = folder / f"{abs(hash((text, pitch)))}.wav"
    subprocess.run(["espeak-ng", "-v", "cmn", "-p", str(pitch), "-w", str(path), text], check=True)
    x, sr = soundfile.read(str(path), dtype="float32")
    return np.interp(np.arange(int(len(x) * SR / sr)) / SR, np.arange(len(x)) / sr, x).astype(np.float32)


def build_call(folder: Path) -> tuple[Path, Timeline]:
    rng = np.random.default_rng(1)
    customer = [speak(t, 30, folder) for t in CUSTOMER_LINES]
    trainee = [speak(t, 70, folder) for t in TRAINEE_LINES]
    uh = speak("嗯", 70, folder)
    n = int(CALL_SECONDS * SR)
    left = rng.normal(0, 0.002, n).astype(np.float32)
    right = rng.normal(0, 0.002, n).astype(np.float32)
    turns: list[Turn] = []
    t, k = 0.5, 0
    while True:
        c, r = customer[k % 3], trainee[k % 3]
        if t + (len(c) + len(r)) / SR + 3.0 > CALL_SECONDS:
            break
        _put(left, c, t)
        turns.append(Turn("customer", t, t + len(c) / SR, CUSTOMER_LINES[k % 3]))
        if k % 4 == 1:
            _put(right, uh, t + 1.0)
            turns.append(Turn("trainee", t + 1.0, t + 1.0 + len(uh) / SR, "嗯"))
        start = t + len(c) / SR + (-0.8 if k % 7 == 3 else 0.6 + 0.2 * (k % 3))
        _put(right, r, start)
        turns.append(Turn("trainee", start, start + len(r) / SR, TRAINEE_LINES[k % 3]))
        t, k = start + len(r) / SR + 0.7, k + 1
    path = folder / "call.flac"
    soundfile.write(str(path), np.stack([left, right], axis=1), SR, format="FLAC", subtype="PCM_16")
    return path, Timeline("zh", "angry", turns)


def _put(channel: np.ndarray, clip: np.ndarray, at: float) -> None:
    a = int(at * SR)
    channel[a : a + len(clip)] += clip


def cold_cli(args: list[str], runs: int = 3) -> tuple[float, float]:
    """Median wall time and CPU time (user + system) of `python -m simulator analyze ... --json` in a fresh
    process, what a user runs. CPU time is what the wall time would be on an otherwise idle machine."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "simulator", "analyze", *args, "--json"], check=True,
                       stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return sorted(walls)[runs // 2], sorted(cpus)[runs // 2]


def run() -> list[Row]:
    rows = []
    minutes = f"{CALL_SECONDS / 60:.0f}-minute"
    with tempfile.TemporaryDirectory() as tmp:
        path, timeline = build_call(Path(tmp))
        tl_path = Path(tmp) / "call.json"
        tl_path.write_text(timeline.dumps(), encoding="utf-8")
        for case, args in (("audio only", ["--audio", str(path)]),
                           ("audio + timeline", ["--audio", str(path), "--timeline", str(tl_path)])):
            wall, cpu = cold_cli(args)
            rows.append(Row(f"analyze CLI, cold process, {minutes} FLAC call ({case}), median of 3", wall,
                            "s", f"< {TARGET_SECONDS:.0f} s"))
            rows.append(Row("  the same, CPU time (user + system)", cpu, "s"))
        for case, tl in (("audio only", None), ("audio + timeline", timeline)):
            analyze_call(tl, path, language="zh")  # warm-up: imports, phrase lists, caches
            t0 = time.perf_counter()
            analyze_call(tl, path, language="zh")
            rows.append(Row(f"analyze_call in process, warm, {minutes} FLAC call ({case})", time.perf_counter() - t0, "s"))
    return rows


if __name__ == "__main__":
    result = run()
    print_table(result)
    missed = [r.measure for r in result if r.ok() == "NO"]
    if missed:
        print("\nTARGET MISSED: " + "; ".join(missed))
