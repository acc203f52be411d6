"""The live meters measure 0.1 s blocks whatever block size a call's microphone hands over."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.speech.meter_tap import _Joiner


def test_short_blocks_are_joined_into_meter_blocks_and_a_gap_starts_a_new_one() -> None:
    joiner = _Joiner(1600, 16000)
    out = [joiner.add(n * 0.02, np.full(320, n, np.int16)) for n in range(10)]
    whole = [o for o in out if o is not None]
    assert [t for t, _ in whole] == pytest.approx([0.0, 0.1])
    assert [list(np.unique(b)) for _, b in whole] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    assert joiner.add(0.2, np.zeros(320, np.int16)) is None
    assert joiner.add(0.5, np.zeros(320, np.int16)) is None         # samples lost: the 0.2 s block is dropped
    for n in range(1, 4):
        assert joiner.add(0.5 + n * 0.02, np.zeros(320, np.int16)) is None
    start, block = joiner.add(0.58, np.zeros(320, np.int16))
    assert start == pytest.approx(0.5) and block.size == 1600
    assert joiner.add(1.0, np.ones(1600, np.int16))[0] == pytest.approx(1.0)   # 0.1 s blocks pass as they are
