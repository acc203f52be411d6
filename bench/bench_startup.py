"""Benchmark: app start to window shown, and peak memory of the app with a call's speech parts loaded.

Each run is a fresh `python` process (offscreen Qt, empty data folders), so interpreter start-up and
imports count, as they do for a user. Run: python -m bench.bench_startup
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from bench.common import Row, print_table

RUNS = 3
CHILD = r"""
import json, resource, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from simulator.settings import load_settings
from simulator.ui.app import build_window

app = QApplication(sys.argv)
window = build_window(load_settings(), "zh")
window.show()
result = {}

def shown():
    result["shown"] = time.time()
    from simulator.speech.models import find_model
    from simulator.speech.recognizer import load_model
    load_model(find_model("ko"))
    persona = window.controller.library.personas[0]
    for text in sorted(persona.all_lines())[:20]:
        window.controller.renderer.render(text, persona.voice)
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))
    window.close()      # as a user quits: the window waits for its background reads (no QThread left running)
    app.quit()

QTimer.singleShot(0, shown)
app.exec()
"""


def _once(tmp: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ROLEPLAY_SIM_DATA": f"{tmp}/data",
           "ROLEPLAY_SIM_CONFIG": f"{tmp}/config", "ROLEPLAY_SIM_SKIP_SETUP": "1", "XDG_CACHE_HOME": f"{tmp}/cache"}
    started = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["startup"] = result["shown"] - started
    return result


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        results = [_once(tmp) for _ in range(RUNS)]
    return [
        Row("app start to window shown (median of 3)", statistics.median(r["startup"] for r in results), "s", "< 3 s"),
        Row("peak memory: window + speech model + 20 voiced lines", max(r["peak_mib"] for r in results), "MiB",
            "< 1024 MiB"),
    ]


if __name__ == "__main__":
    print_table(run())
