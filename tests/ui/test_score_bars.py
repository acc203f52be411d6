"""Score bars take their band's colour from their box's one style sheet and are reused from call to call: the
chunk drawn is the band's colour, and it changes when a reused bar's score moves to another band."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGroupBox, QVBoxLayout

from simulator.ui.score_bars import score_bar, show_score, style_score_box

COLOURS = {"good": "#27ae60", "fair": "#e6a100", "poor": "#c0392b"}


def chunk_colour(qtbot, bar) -> QColor:
    qtbot.wait(20)
    image = bar.grab().toImage()
    return image.pixelColor(image.width() // 10, image.height() // 2)   # inside the chunk of any score >= 20


def close(colour: QColor, css: str) -> bool:
    want = QColor(css)
    return max(abs(a - b) for a, b in zip(colour.getRgb()[:3], want.getRgb()[:3])) < 40


def test_a_reused_bar_shows_its_new_band(qtbot):
    box = QGroupBox()
    style_score_box(box, COLOURS)
    bar = score_bar()
    QVBoxLayout(box).addWidget(bar)
    qtbot.addWidget(box)
    box.resize(300, 60)
    box.show()
    for score, band in ((90, "good"), (25, "poor"), (60, "fair"), (95, "good")):
        show_score(bar, score)
        assert bar.value() == score and bar.property("band") == band
        colour = chunk_colour(qtbot, bar)
        assert close(colour, COLOURS[band]), (score, colour.name())
        assert not any(close(colour, other) for name, other in COLOURS.items() if name != band)
