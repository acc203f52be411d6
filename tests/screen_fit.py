"""What "fits a laptop screen" means for a window, as checks that name every widget that breaks it.

A window fits when its minimum size is within the screen's usable area, every visible widget lies inside
the window (or inside the content of the scroll area it scrolls in), no widget is squeezed below its own
minimum, and text is shown whole: a word-wrapped label has the height its wrapped lines need, a one-line
label the width its text needs, a label that elides ends without "…"."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QSizePolicy, QWidget

SCREENS = ((1280, 720), (1366, 768))
DECORATION = 64   # pixels of height a desktop takes from a maximised window: its title bar and a panel
ELLIPSIS = "…"


def usable(screen: tuple[int, int]) -> QSize:
    """The area a maximised window gets on a screen of this size."""
    return QSize(screen[0], screen[1] - DECORATION)


def minimum_of(window: QWidget) -> QSize:
    """The smallest size the window can be given: its own minimum or its layout's, whichever is larger."""
    size = window.minimumSize().expandedTo(window.minimumSizeHint())
    if window.layout() is not None:
        size = size.expandedTo(window.layout().totalMinimumSize())
    return size


def _describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel) else ""
    name = widget.objectName() or (f"“{text[:30]}”" if text else "")
    return f"{type(widget).__name__}{'#' + name if name else ''}"


def _clip_root(widget: QWidget, window: QWidget) -> QWidget:
    """The widget that bounds where `widget` may be: the content of the scroll area it scrolls in, or the window."""
    child, parent = widget, widget.parentWidget()
    while parent is not None and parent is not window:
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractScrollArea) and grand.viewport() is parent:
            return child
        child, parent = parent, grand
    return window


def geometry_problems(window: QWidget) -> list[str]:
    problems = []
    for widget in window.findChildren(QWidget):
        if (widget.isWindow() or not widget.isVisibleTo(window) or widget.width() <= 0 or widget.height() <= 0
                or widget.objectName().startswith("qt_")):
            continue    # Qt's own parts of a widget (a spin box's line edit) are the widget's business
        root = _clip_root(widget, window)
        if root is widget:
            continue    # scrolled content: it may extend beyond its viewport, that is what the scroll area is for
        box = QRect(widget.mapTo(root, widget.rect().topLeft()), widget.size())
        if not root.rect().contains(box):
            problems.append(f"{_describe(widget)} at {box.getRect()} is outside "
                            f"{'the window' if root is window else _describe(root)} {root.rect().getRect()}")
        if isinstance(widget, QAbstractScrollArea):
            continue    # its content scrolls: its own minimum is a generic guess, not what it needs
        policy, hint = widget.sizePolicy(), widget.minimumSizeHint()
        squeezed_w = (policy.horizontalPolicy() != QSizePolicy.Policy.Ignored and hint.width() > 0
                      and widget.width() < min(hint.width(), widget.maximumWidth()))
        squeezed_h = (policy.verticalPolicy() != QSizePolicy.Policy.Ignored and hint.height() > 0
                      and not widget.hasHeightForWidth() and widget.height() < min(hint.height(), widget.maximumHeight()))
        if squeezed_w or squeezed_h:
            problems.append(f"{_describe(widget)} is {widget.width()}×{widget.height()}, below its minimum "
                            f"{hint.width()}×{hint.height()}")
    return problems


def text_problems(window: QWidget) -> list[str]:
    """Labels whose text is cut: wrapped lines taller than the label, one line wider, or elided with "…"."""
    problems = []
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or not label.text() or label.width() <= 0:
            continue
        shown = getattr(label, "shown_text", None)
        if shown is not None:     # a label that elides what does not fit (the projector's title)
            if ELLIPSIS in shown() and ELLIPSIS not in label.text():
                problems.append(f"{_describe(label)} is elided: {shown()!r}")
            continue
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height() + 1:
                problems.append(f"{_describe(label)} needs {needed} px for its wrapped text, has {label.height()}")
        elif label.width() + 1 < label.minimumSizeHint().width() and label.pixmap().isNull():
            problems.append(f"{_describe(label)} needs {label.minimumSizeHint().width()} px for its text, "
                            f"has {label.width()}")
    return problems


def fit_problems(window: QWidget) -> list[str]:
    return geometry_problems(window) + text_problems(window)
