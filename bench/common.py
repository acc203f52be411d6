"""A benchmark result row and the table printer shared by every bench module."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    measure: str
    value: float
    unit: str
    target: str = ""

    def ok(self) -> str:
        if not self.target:
            return ""
        op, limit = self.target[0], float(self.target[1:].split()[0])
        return "yes" if (self.value < limit if op == "<" else self.value > limit) else "NO"


def print_table(rows: list[Row]) -> None:
    header = ("measure", "value", "unit", "target", "met")
    cells = [header] + [(r.measure, f"{r.value:.3f}", r.unit, r.target, r.ok()) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    for n, row in enumerate(cells):
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths)))
        if n == 0:
            print("-+-".join("-" * w for w in widths))
