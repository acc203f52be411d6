"""Longest runs that one text shares with another, in time linear in both (a suffix automaton of the
other text), so that restating is checked on a long reply as fast as on a short one; and a growing text
asked whether it holds a snippet, in time linear in the snippet (what the customer has said so far)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence


class SuffixAutomaton:
    """Suffix automaton of a sequence: every substring of it is a path from the root."""

    def __init__(self, items: Sequence[Hashable]) -> None:
        self.next: list[dict[Hashable, int]] = [{}]
        self.link = [-1]
        self.length = [0]
        self.last = 0
        for item in items:
            self.add(item)

    def add(self, item: Hashable) -> None:
        """Append one item to the sequence the automaton describes."""
        self.last = self._extend(self.last, item)

    def holds(self, items: Sequence[Hashable]) -> bool:
        """True when `items` occur as a run in the sequence so far."""
        state = 0
        for item in items:
            state = self.next[state].get(item, -1)
            if state < 0:
                return False
        return True

    def _new(self, length: int, link: int, edges: dict[Hashable, int]) -> int:
        self.next.append(edges)
        self.link.append(link)
        self.length.append(length)
        return len(self.length) - 1

    def _extend(self, last: int, item: Hashable) -> int:
        cur = self._new(self.length[last] + 1, 0, {})
        p = last
        while p != -1 and item not in self.next[p]:
            self.next[p][item] = cur
            p = self.link[p]
        if p == -1:
            return cur
        q = self.next[p][item]
        if self.length[p] + 1 == self.length[q]:
            self.link[cur] = q
            return cur
        clone = self._new(self.length[p] + 1, self.link[q], dict(self.next[q]))
        while p != -1 and self.next[p].get(item) == q:
            self.next[p][item] = clone
            p = self.link[p]
        self.link[q] = self.link[cur] = clone
        return cur


class GrowingText(SuffixAutomaton):
    """Text appended to piece by piece, asked `snippet in text` without a scan of all of it."""

    def __init__(self) -> None:
        super().__init__("")

    def extend(self, text: str) -> None:
        for ch in text:
            self.add(ch)

    def __contains__(self, snippet: str) -> bool:
        return self.holds(snippet)


def shared_suffix_lengths(
    mine: Sequence[Hashable], theirs: Sequence[Hashable] | SuffixAutomaton, allowed: Callable[[int], bool] | None = None
) -> list[int]:
    """For each position j of `mine`, the length of the longest run ending at j that also occurs in `theirs`
    (a sequence, or its automaton when many replies are compared with one customer line).
    A position where `allowed(j)` is false ends every run (punctuation, masked stop words)."""
    auto = theirs if isinstance(theirs, SuffixAutomaton) else SuffixAutomaton(theirs)
    state, length = 0, 0
    out = []
    for j, item in enumerate(mine):
        if allowed is not None and not allowed(j):
            state, length = 0, 0
            out.append(0)
            continue
        while state and item not in auto.next[state]:
            state = auto.link[state]
            length = auto.length[state]
        if item in auto.next[state]:
            state = auto.next[state][item]
            length += 1
        else:
            state, length = 0, 0
        out.append(length)
    return out
