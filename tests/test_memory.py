"""Memory that does not grow with calls (the figures are in bench/bench_memory.py): every call's recogniser
shares the one loaded model, and memory freed after a call is handed back to the system."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest


def _loaded_models() -> list:
    import vosk

    return [o for o in gc.get_objects() if isinstance(o, vosk.Model)]


def test_a_second_call_does_not_load_a_second_model(ko_model: Path, tmp_path: Path) -> None:
    from simulator.speech.recognizer import StreamingRecognizer, load_model

    first = StreamingRecognizer(ko_model)                 # the first call's recogniser loads the model
    first.accept(np.zeros(1600, dtype=np.int16))
    loaded = _loaded_models()
    link = tmp_path / "same-model"                        # the same folder reached another way (settings, env)
    link.symlink_to(ko_model, target_is_directory=True)
    for path in (ko_model, link, Path(f"{ko_model}/")):
        StreamingRecognizer(path, time_offset=12.0).accept(np.zeros(1600, dtype=np.int16))
        assert load_model(path) is load_model(ko_model)
    assert len(_loaded_models()) == len(loaded) >= 1


CHILD = r"""
import ctypes, json, sys
from pathlib import Path
from simulator.memory import release_freed_memory, tune_allocator

def rss():
    line = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmRSS"))
    return int(line.split()[1]) / 1024

if not tune_allocator():
    print(json.dumps({"glibc": False}))
    sys.exit(0)
blocks = [bytearray(4000) for _ in range(40_000)]     # 160 MB in blocks below the mapping threshold
kept = blocks[-1]                                     # the last one keeps the heap from shrinking by itself
before = rss()
del blocks
freed = rss()
release_freed_memory()
print(json.dumps({"glibc": True, "before": before, "freed": freed, "released": rss()}))
"""


def test_memory_freed_after_a_call_goes_back_to_the_system() -> None:
    """In a child process: the allocator is set up as the app sets it, not in the test process."""
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    mib = json.loads(out.stdout)
    if not mib["glibc"]:
        pytest.skip("not glibc: the allocator is the system's own")
    assert mib["before"] > 150
    assert mib["freed"] > mib["before"] - 40          # freed inside the process, still held by it
    assert mib["released"] < mib["freed"] - 120       # handed back
