"""Guards against a Qt binding that loses references to True/False/None (PySide6 6.12.0 does): such a
leak aborts Python after a few thousand signals ("none_dealloc"), i.e. minutes into a call."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


class _Emitter(QObject):
    anything = Signal(object)
    flag = Signal(bool)


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
    assert _lost(None, QApplication.processEvents) <= 0
    assert _lost(None, lambda: QTest.qWait(0)) <= 0
