"""Issue 14 point 2 (review transcript): words the recogniser was unsure of are dimmed and underlined, and
hovering shows the confidence; typed or confident turns are shown as they are."""

from __future__ import annotations

from PySide6.QtWidgets import QTextBrowser

from simulator.core.review.heard import heard_words
from simulator.core.timeline import Turn, Word
from simulator.ui.review.attempt_detail import transcript_html

NAMES = {"customer": "Customer", "trainee": "Trainee"}


def test_doubtful_words_are_marked_with_their_confidence(qapp) -> None:
    heard = Turn("trainee", 5.0, 7.0, "这 不可能 马上 查", [Word("这", 5.0, 5.3, 0.96), Word("不可能", 5.3, 6.0, 0.41),
                                                        Word("马上", 6.0, 6.5, 0.93), Word("查", 6.5, 7.0, 0.9)])
    typed = Turn("trainee", 8.0, 8.0, "我们马上安排", extra={"typed": True})
    assert [w.doubtful for w in heard_words(heard)] == [False, True, False, False] and heard_words(typed) is None
    browser = QTextBrowser()
    browser.setHtml(transcript_html([heard, typed], NAMES, "none", doubt="confidence %s"))
    doubtful = browser.document().find("不可能").charFormat()
    assert doubtful.fontUnderline() and doubtful.toolTip() == "confidence 0.41"
    sure = browser.document().find("马上").charFormat()
    assert not sure.fontUnderline() and sure.toolTip() == ""
    assert "我们马上安排" in browser.toPlainText()
