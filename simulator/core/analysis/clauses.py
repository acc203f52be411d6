"""Sentence and clause bounds in a normalised text, from its punctuation marks found once and then bisected,
so that asking for the sentence or clause of every phrase found costs log time each, not a scan of the
text (recognised speech has no punctuation at all: a scan would run to the end every time)."""

from __future__ import annotations

import re
from bisect import bisect_left

SENTENCE_END = re.compile(r"[.!?]")
CLAUSE_MARK = re.compile(r"[,.!?;]")


class Stops:
    """Where the sentences and clauses of one text end."""

    def __init__(self, text: str) -> None:
        self._length = len(text)
        self._sentence = [m.start() for m in SENTENCE_END.finditer(text)]
        self._clause = [m.start() for m in CLAUSE_MARK.finditer(text)]

    def sentence_start(self, offset: int) -> int:
        """Just after the last full stop, question or exclamation mark before `offset` (0 without one)."""
        i = bisect_left(self._sentence, offset)
        return self._sentence[i - 1] + 1 if i else 0

    def sentence_end(self, offset: int) -> int:
        """The first sentence mark at or after `offset` (the text's length without one)."""
        i = bisect_left(self._sentence, offset)
        return self._sentence[i] if i < len(self._sentence) else self._length

    def clause(self, start: int, end: int | None = None) -> tuple[int, int]:
        """The stretch between punctuation marks around a span (or an offset): after the last mark before
        `start`, up to the first mark at or after `end`."""
        stop = start if end is None else end
        i = bisect_left(self._clause, start)
        j = bisect_left(self._clause, stop)
        return (self._clause[i - 1] + 1 if i else 0, self._clause[j] if j < len(self._clause) else self._length)
