"""A transcript list whose lines wrap to their full height: a list view sizes a wrapped item for a few lines
at most, so a long typed reply would be cut off with nothing to show it was. Each item's height is the
wrapped text's at the list's width, again whenever the width changes."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QListWidget, QListWidgetItem

ITEM_PADDING = 6       # pixels above and below a line's text
MARGIN = 8             # pixels between the text and the list's edges
WRAP = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextWrapAnywhere   # a long run without spaces wraps too


class TranscriptList(QListWidget):
    def __init__(self, parent=None, **kwargs) -> None:
        super().__init__(parent, **kwargs)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)   # an item taller than the view scrolls
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def add_line(self, text: str) -> QListWidgetItem:
        self.addItem(text)
        item = self.item(self.count() - 1)
        self._fit(item)
        self.scrollToBottom()
        return item

    def needed_height(self, text: str) -> int:
        """The height of `text` wrapped at the list's width, padding included."""
        width = max(50, self.viewport().width() - MARGIN)
        return QFontMetrics(self.font()).boundingRect(QRect(0, 0, width, 10 ** 7), int(WRAP), text).height() + ITEM_PADDING

    def _fit(self, item: QListWidgetItem) -> None:
        item.setSizeHint(QSize(max(50, self.viewport().width() - MARGIN), self.needed_height(item.text())))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        for i in range(self.count()):
            self._fit(self.item(i))
