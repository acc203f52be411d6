"""A CallListener for tests of the live call: keeps everything it is told and lets the test wait for it."""

from __future__ import annotations

import threading


class Collector:
    """customer: (text, trigger, start, end) per line said; trainee: the assessed turns; problems: messages;
    markers: the live markers raised."""

    def __init__(self) -> None:
        self.customer: list[tuple[str, str, float, float]] = []
        self.trainee: list = []
        self.problems: list[str] = []
        self.markers: list = []
        self.changed = threading.Condition()

    def _add(self, items: list, item) -> None:
        with self.changed:
            items.append(item)
            self.changed.notify_all()

    def customer_line(self, line, start, end) -> None:
        self._add(self.customer, (line.text, line.trigger, start, end))

    def partial(self, text: str) -> None: ...
    def ended(self, ending) -> None: ...

    def marker(self, marker) -> None:
        self._add(self.markers, marker)

    def trainee_turn(self, assessment) -> None:
        self._add(self.trainee, assessment)

    def problem(self, message: str) -> None:
        self._add(self.problems, message)

    def wait(self, condition, timeout: float) -> None:
        with self.changed:
            assert self.changed.wait_for(condition, timeout), f"timed out; problems: {self.problems}"
