"""A transcript list whose lines wrap to their full height: a list view sizes a wrapped item for a few lines
at most, so a long typed reply would be cut off with nothing to show it was. Each item's height is the
wrapped text's at the list's width, again whenever the width changes. A line may also be rich text (words
the recogniser was unsure of dimmed and underlined, see heard_html.py), drawn by a delegate, with the doubtful
words and their confidence as the line's tooltip."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QFontMetrics, QPalette, QTextDocument, QTextOption
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QStyledItemDelegate, QStyleOptionViewItem

ITEM_PADDING = 6       # pixels above and below a line's text
MARGIN = 8             # pixels between the text and the list's edges
WRAP = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextWrapAnywhere   # a long run without spaces wraps too
HTML_ROLE = Qt.ItemDataRole.UserRole + 1   # an item's rich text, when it has some


class TranscriptList(QListWidget):
    def __init__(self, parent=None, **kwargs) -> None:
        super().__init__(parent, **kwargs)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)   # an item taller than the view scrolls
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(_RichLineDelegate(self))

    def add_line(self, text: str, html: str | None = None, tooltip: str | None = None) -> QListWidgetItem:
        """A line of plain `text`; with `html`, that is what is drawn (`text` stays the item's text, for search,
        copying and screen readers)."""
        self.addItem(text)
        item = self.item(self.count() - 1)
        if html is not None:
            item.setData(HTML_ROLE, html)
        if tooltip:
            item.setToolTip(tooltip)
        self._fit(item)
        self.scrollToBottom()
        return item

    def text_width(self) -> int:
        return max(50, self.viewport().width() - MARGIN)

    def needed_height(self, text: str, html: str | None = None) -> int:
        """The height of `text` (or `html`) wrapped at the list's width, padding included."""
        if html is not None:
            return int(rich_document(html, self, self.text_width()).size().height()) + ITEM_PADDING
        return QFontMetrics(self.font()).boundingRect(QRect(0, 0, self.text_width(), 10 ** 7), int(WRAP),
                                                      text).height() + ITEM_PADDING

    def _fit(self, item: QListWidgetItem) -> None:
        item.setSizeHint(QSize(self.text_width(), self.needed_height(item.text(), item.data(HTML_ROLE))))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        for i in range(self.count()):
            self._fit(self.item(i))


def rich_document(html: str, widget, width: int) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultFont(widget.font())
    doc.setDocumentMargin(0)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    doc.setHtml(html)
    doc.setTextWidth(width)
    return doc


class _RichLineDelegate(QStyledItemDelegate):
    """Draws an item's rich text (HTML_ROLE) in place of its plain text; other items as usual."""

    def paint(self, painter, option: QStyleOptionViewItem, index) -> None:
        html = index.data(HTML_ROLE)
        if html is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        doc = rich_document(html, widget, max(50, opt.rect.width() - 4))
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        painter.save()
        painter.translate(opt.rect.left() + 2, opt.rect.top() + ITEM_PADDING // 2)
        painter.setClipRect(QRect(0, 0, opt.rect.width(), opt.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()
