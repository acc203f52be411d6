"""Line numbers for fields of a TOML file.

tomllib returns values without positions, so the file text is scanned once: table headers
(`[mood]`, `[[scenarios]]`, `[scenarios.lines]` — array-of-tables are numbered in order of
appearance) and `key =` lines are recorded under their full path, e.g. ('scenarios', 1, 'key_words').
Elements of a multi-line array that start on their own line are recorded too ('lines', 'calm', 3).
Strings and comments are skipped so that text inside them is never mistaken for a key or header.
A field that is not in the file (a missing required field) is reported at the line of the nearest
enclosing table that is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Path_ = tuple[str | int, ...]

_BARE = r'[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\''
_KEY = re.compile(rf"^\s*((?:{_BARE})(?:\s*\.\s*(?:{_BARE}))*)\s*=")
_HEADER = re.compile(r"^\s*(\[\[|\[)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_PART = re.compile(_BARE)


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(p.strip("\"'") for p in _PART.findall(dotted))


def _scan(text: str, multiline: str | None, depth: int) -> tuple[str | None, int, list[int]]:
    """Walk one line of a value: returns the open multi-line string delimiter, the bracket depth and
    the bracket depth at which each string on the line starts."""
    starts: list[int] = []
    i, n = 0, len(text)
    while i < n:
        if multiline:
            end = text.find(multiline, i)
            if end < 0:
                return multiline, depth, starts
            i, multiline = end + 3, None
            continue
        c = text[i]
        if c == "#":
            break
        if text.startswith('"""', i) or text.startswith("'''", i):
            starts.append(depth)
            multiline, i = text[i:i + 3], i + 3
            continue
        if c in "\"'":
            starts.append(depth)
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if c == '"' and text[j] == "\\" else 1
            i = j + 1
            continue
        depth += (c in "[{") - (c in "]}")
        i += 1
    return multiline, depth, starts


class LineIndex:
    """Maps field paths of one TOML text to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._lines: dict[Path_, int] = {}
        self._build(text)

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line of the field, or of its nearest recorded parent; None for a missing top-level field."""
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None

    def _record(self, path: Path_, line: int) -> None:
        self._lines.setdefault(path, line)

    def _build(self, text: str) -> None:
        table: Path_ = ()
        array_index: dict[Path_, int] = {}
        multiline: str | None = None
        depth = 0
        array: Path_ | None = None
        count = 0
        for number, raw in enumerate(text.splitlines(), 1):
            if multiline or depth > 0:
                multiline, depth, starts = _scan(raw, multiline, depth)
                if array is not None:
                    for _ in (s for s in starts if s == 1):
                        self._record(array + (count,), number)
                        count += 1
                continue
            header = _HEADER.match(raw)
            if header:
                table = self._resolve(_parts(header.group(2)), header.group(1) == "[[", array_index)
                self._record(table, number)
                continue
            key = _KEY.match(raw)
            if not key:
                continue
            path = table + _parts(key.group(1))
            self._record(path, number)
            multiline, depth, starts = _scan(raw[key.end():], None, 0)
            array, count = (path, sum(1 for s in starts if s == 1)) if depth > 0 else (None, 0)

    @staticmethod
    def _resolve(parts: tuple[str, ...], is_array: bool, array_index: dict[Path_, int]) -> Path_:
        """Header parts -> full path, inserting the current index of every array of tables on the way."""
        path: Path_ = ()
        for position, part in enumerate(parts):
            path += (part,)
            if is_array and position == len(parts) - 1:
                array_index[path] = array_index.get(path, -1) + 1
            if path in array_index:
                path += (array_index[path],)
        return path
