"""Choosing what the customer says next from a pool: never the line just said, and lines not used
for the longest time first, so a call does not sound like a loop. All randomness comes from the
engine's seeded random.Random."""

from __future__ import annotations

import random
from collections.abc import Sequence


class LineChooser:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._last_used: dict[str, int] = {}
        self._said = 0
        self.last: str | None = None

    def choose(self, pool: Sequence[str], ordered: bool = False) -> str | None:
        """A line from pool, or None when the only candidate is the line just said.

        ordered: take the first line not yet used (then the least recently used), for reactions
        whose lines build up, e.g. a complainer's growing demands."""
        candidates = [line for line in dict.fromkeys(pool) if line != self.last]
        if not candidates:
            return None
        unused = [line for line in candidates if line not in self._last_used]
        if ordered:
            choice = unused[0] if unused else min(candidates, key=self._last_used.__getitem__)
        elif unused:
            choice = self._rng.choice(unused)
        else:
            oldest = sorted(candidates, key=self._last_used.__getitem__)
            choice = self._rng.choice(oldest[: max(1, len(oldest) // 2)])
        return choice

    def fresh(self, pool: Sequence[str], ordered: bool = False) -> str | None:
        """A line of pool not yet said in this call (the first in order when ordered), or None."""
        unused = [line for line in dict.fromkeys(pool) if line not in self._last_used]
        if not unused:
            return None
        return unused[0] if ordered else self._rng.choice(unused)

    def mark(self, line: str) -> None:
        self._said += 1
        self._last_used[line] = self._said
        self.last = line
