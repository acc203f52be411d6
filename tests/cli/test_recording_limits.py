"""Recordings that lie or are long: a FLAC header claiming 2^36 samples is one clear error, not a
MemoryError; an hour-long call recording without a length in its header (as a crash leaves it) is read
in large blocks into one array of its exact size, in seconds and without holding it twice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

from simulator.cli import main
from simulator.core.recording_file import _STREAMINFO_COUNT, READ_BLOCK

REPO = Path(__file__).resolve().parents[2]
RATE = 16000


def set_claimed_length(path: Path, frames: int) -> None:
    """Write `frames` into STREAMINFO's 36-bit sample count (0: unknown, as in a file never closed)."""
    with path.open("r+b") as f:
        head = bytearray(f.read(_STREAMINFO_COUNT.stop))
        value = int.from_bytes(head[_STREAMINFO_COUNT], "big")
        value = (value & ~((1 << 36) - 1)) | frames
        f.seek(_STREAMINFO_COUNT.start)
        f.write(value.to_bytes(5, "big"))


def stereo(path: Path, seconds: int) -> None:
    """A call-like stereo FLAC: a quiet tone on each side in turn, written a minute at a time."""
    t = np.arange(60 * RATE) / RATE
    left = (0.2 * np.sin(2 * np.pi * 220 * t) * (t % 20 < 8)).astype(np.float32)
    right = (0.2 * np.sin(2 * np.pi * 180 * t) * ((t + 10) % 20 < 8)).astype(np.float32)
    with sf.SoundFile(path, "w", samplerate=RATE, channels=2, format="FLAC", subtype="PCM_16") as f:
        for _ in range(seconds // 60):
            f.write(np.column_stack([left, right]))


def test_a_header_claiming_2_to_the_36_samples_is_one_error_line(tmp_path: Path, capsys) -> None:
    path = tmp_path / "liar.flac"
    stereo(path, 60)
    set_claimed_length(path, (1 << 36) - 1)
    code = main(["analyze", "--audio", str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == f"error: {path}: its header claims 49.7 days of audio; the analysis takes at most 4.0 hours\n"


def test_a_header_claiming_hours_but_holding_a_minute_is_one_error_line(tmp_path: Path, capsys) -> None:
    path = tmp_path / "liar.flac"
    stereo(path, 60)
    set_claimed_length(path, 3 * 3600 * RATE)
    code = main(["analyze", "--audio", str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.startswith(f"error: {path}: cannot read audio (") and err.count("\n") == 1


MEASURE = r"""
import resource, sys, time
from simulator.core.analysis.audio import load_stereo
start = time.perf_counter()
customer, trainee, sr = load_stereo(sys.argv[1])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(len(customer) / sr, float(abs(customer).max()), float(abs(trainee).max()), peak, seconds)
"""


def test_an_hour_without_a_length_loads_whole(tmp_path: Path) -> None:
    path = tmp_path / "crashed.flac"
    stereo(path, 3600)
    set_claimed_length(path, 0)
    with sf.SoundFile(path) as f:
        assert f.frames >= 2**62  # libsndfile: length unknown
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, check=True,
                          cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    seconds, left, right, peak, elapsed = map(float, done.stdout.split())
    assert 3600 - READ_BLOCK / RATE <= seconds <= 3600 and 0.19 < left < 0.21 and 0.19 < right < 0.21
    # how fast and in how much memory is a benchmark's question (bench/bench_long_input.py), not a test's
    print(json.dumps({"peak_mb": round(peak / 1e6), "seconds": round(elapsed, 1)}))
