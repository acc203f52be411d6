"""What was said, as rich text in which words the recogniser was unsure of are dimmed and underlined with
their confidence on hover: one rendering for the live transcript, the scorecard and review (the judgement of
which words are doubtful is simulator.core.review.heard's)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from simulator.core.review.heard import HeardWord, heard_words

DOUBT_STYLE = "color:#8a8a8a; text-decoration: underline"


def doubtful(turn: Any) -> list[HeardWord]:
    """The turn's words heard with too little confidence for a penalty (none for a typed or confident turn)."""
    return [w for w in heard_words(turn) or [] if w.doubtful]


def said_html(turn: Any, doubt: str, hide: Callable[[str], str] = str) -> str:
    """The turn's text, escaped; its doubtful words marked, `doubt` (with the confidence for %s) as their
    tooltip. `hide` rewrites what was said (names left out)."""
    words = heard_words(turn)
    if not words or not any(w.doubtful for w in words):
        return escape(hide(turn.text))
    return " ".join(
        f"<span style='{DOUBT_STYLE}' title='{escape(doubt % f'{w.confidence:.2f}')}'>{escape(hide(w.text))}</span>"
        if w.doubtful else escape(hide(w.text)) for w in words)
