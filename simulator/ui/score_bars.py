"""Score bars coloured by their band through one style sheet on the box that holds them and a `band` property,
and updated in place: making every criterion's bar anew, each with its own style sheet, whenever an attempt is
shown was most of the GUI thread's work when review opens or compares attempts (some 45 widgets made, polished
and laid out per scorecard, 100-300 ms on a busy machine)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QProgressBar, QWidget

from simulator.core.review import score_band


def style_score_box(box: QWidget, colours: dict[str, str]) -> None:
    """The bars inside `box` take their chunk colour from their band (colours: band -> CSS colour)."""
    box.setStyleSheet("".join(f'QProgressBar[band="{band}"]::chunk {{ background: {colour}; }}'
                              for band, colour in colours.items()) + "QProgressBar { text-align: center; }")


def score_bar() -> QProgressBar:
    bar = QProgressBar(minimum=0, maximum=100, format="%v", textVisible=True)
    bar.setMaximumHeight(16)
    return bar


def show_score(bar: QProgressBar, score: int) -> None:
    """The value, and the band's colour (the bar is polished again only when its band changes)."""
    bar.setValue(score)
    band = score_band(score)
    if bar.property("band") != band:
        bar.setProperty("band", band)
        bar.style().unpolish(bar)
        bar.style().polish(bar)


@contextmanager
def filling(box: QWidget) -> Iterator[None]:
    """Fill a shown box's rows while it is hidden, then show it once: in a shown box, showing a row lays out
    every layout up to the window at once, and setting a bar's value repaints it at once, row after row."""
    shown = box.isVisible()
    if shown:
        box.hide()
    try:
        yield
    finally:
        if shown:
            box.show()
