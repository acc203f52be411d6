"""Guards against a Qt binding that loses references to True/False/None (PySide6 6.12.0 does): such a
leak aborts Python after a few thousand signals ("none_dealloc"), i.e. minutes into a call."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


class _Emitter(QObject):
    anything = Signal(object)
    flag = Signal(bool)


LEAK = 100  # of 300 calls: one lost per call is the bug, a handful is leftovers being freed


def _lost(obj: object, action, times: int = 300) -> int:
    before = sys.getrefcount(obj)
    for _ in range(times):
        action()
    return before - sys.getrefcount(obj)


@pytest.mark.parametrize("value", [True, False, None])
def test_signals_keep_references_to_singletons(qapp, value) -> None:
    emitter = _Emitter()
    received: list = []
    emitter.anything.connect(received.append)
    emitter.flag.connect(received.append)
    assert _lost(value, lambda: emitter.anything.emit(value)) <= 0
    if value is not None:
        assert _lost(value, lambda: emitter.flag.emit(value)) <= 0
    assert len(received) >= 300


def test_event_processing_keeps_references_to_none(qapp) -> None:
    # Objects an earlier test left for deferred deletion give back their references to None when the loop
    # runs: drain them first. The binding bug loses one reference per call, 300 here; leftovers lose a few.
    QTest.qWait(50)
    gc.collect()
    assert _lost(None, QApplication.processEvents) < LEAK
    assert _lost(None, lambda: QTest.qWait(0)) < LEAK


CHARTS_SCRIPT = """
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.live_meters import LiveMeters, meter_bands
from simulator.ui.meters import MeterPanel
panel = MeterPanel("zh")
bands = meter_bands(load_thresholds(), "zh")
panel.set_bands(bands)
panel.show()
readings = iter(range(10_000))
def update():
    i = next(readings)
    talking = i % 7 != 0
    panel.update_meters(LiveMeters(i / 10, talking, 180.0 + i % 50 if talking else None,
                                   2.0 if talking else None, -1.0 if talking else None, bands))
    app.processEvents()
for _ in range(50):
    update()
lost = {}
for value in (True, False, None):
    before = sys.getrefcount(value)
    for _ in range(300):
        update()
    lost[repr(value)] = before - sys.getrefcount(value)
print(json.dumps({"lost": lost, "shown": len(panel.charts["pace"].shown_values())}))
"""


def test_live_charts_keep_references_to_singletons() -> None:
    """pyqtgraph emits bools on every data and range update: the call screen's charts, updated ten times a
    second, must not leak them. Counted in a fresh process, where no thread of an earlier test frees one."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", CHARTS_SCRIPT], capture_output=True, text=True, env=env,
                          cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert all(lost <= 0 for lost in result["lost"].values()), result
    assert result["shown"] > 200
