"""The live strip charts as drawn on screen: the target band and the readings are painted, also after the
panel is reset for a new call (a reset that wiped the plot once left every call's meters blank)."""

from __future__ import annotations

from collections import Counter

from PySide6.QtGui import QColor

from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.live_meters import LiveMeters, meter_bands
from simulator.ui.meters import BAND_FILL, IN_BAND, OUT_OF_BAND, MeterPanel


def _colours(widget) -> Counter:
    image = widget.grab().toImage()
    return Counter(image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height()))


def _band_colour(widget) -> str:
    """The band's fill as painted on the chart's white background."""
    r, g, b, a = BAND_FILL
    mix = [round(c * a / 255 + 255 * (1 - a / 255)) for c in (r, g, b)]
    return QColor(*mix).name()


def test_band_and_readings_are_drawn_after_each_reset(qtbot) -> None:
    bands = meter_bands(load_thresholds(), "zh")
    panel = MeterPanel("zh")
    qtbot.addWidget(panel)
    panel.resize(420, 480)
    panel.show()
    for call in range(2):                                  # a second call starts with a reset panel too
        panel.reset("zh")
        panel.set_bands(bands)
        for i in range(40):
            loud = 2.0 if i % 4 else 12.0                  # mostly inside the ±6 dB band, some above it
            panel.update_meters(LiveMeters(i / 10, True, 200.0, loud, 0.5, bands))
        qtbot.wait(100)
        chart = panel.charts["loudness"]
        colours = _colours(chart)
        band_pixels = sum(n for name, n in colours.items()
                          if abs(QColor(name).green() - QColor(_band_colour(chart)).green()) <= 3
                          and QColor(name).red() < QColor(name).green())
        assert band_pixels > 0.15 * chart.width() * chart.height(), f"call {call}: no band drawn"
        assert colours[QColor(IN_BAND).name()] > 20, f"call {call}: no readings inside the band drawn"
        assert colours[QColor(OUT_OF_BAND).name()] > 5, f"call {call}: no readings outside the band drawn"
        assert len(chart.shown_values()) == 40
