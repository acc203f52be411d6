"""Wrapped text in layouts that must not scroll or squeeze for nothing.

Qt lays out a widget with wrapping labels by height-for-width, and a layout reports its *preferred* height there
(the timeline at full height, every list at full length): a vertical layout takes that as the widget's minimum
and squeezes its neighbours, and a scroll area scrolls. A FitsWidth widget reports no height-for-width; instead
its minimum height follows its width: the least its layout needs at that width, wrapped lines included."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QScrollArea, QWidget


def minimum_height_for_width(widget: QWidget, width: int) -> int:
    """The least height `widget`'s layout needs at `width`, wrapped text included."""
    layout, margins = widget.layout(), widget.contentsMargins()
    inner = layout.minimumHeightForWidth(width - margins.left() - margins.right())
    if inner < 0:      # nothing in it wraps
        inner = layout.minimumSize().height()
    return inner + margins.top() + margins.bottom()


def follow_width(widget: QWidget, width: int) -> None:
    """Set `widget`'s minimum height to what it needs at `width` (from its resizeEvent)."""
    widget.setMinimumHeight(minimum_height_for_width(widget, width))


class FitsWidth(QWidget):
    """A container whose minimum height is what its wrapped content needs at its width (see the module)."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return False

    def heightForWidth(self, _width: int) -> int:  # noqa: N802 (Qt name)
        return -1     # a scroll area asks even so: it then takes the minimum size, which follows the width

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        follow_width(self, event.size().width())

    def event(self, event: QEvent) -> bool:
        """New content (a scorecard filled in) changes what it needs at the same width; a scroll area holding it
        is told, as it does not notice a new minimum of its widget by itself."""
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            follow_width(self, self.width())
            viewport = self.parentWidget()
            area = viewport.parentWidget() if viewport is not None else None
            if isinstance(area, QScrollArea) and area.widget() is self:
                QCoreApplication.postEvent(area, QEvent(QEvent.Type.LayoutRequest))
        return handled
