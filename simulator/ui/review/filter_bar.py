"""The row of filters above the attempts list; emits the store's filter arguments whenever one changes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QDateEdit, QGridLayout, QLabel, QLineEdit, QSpinBox, QWidget,
)

from simulator.core.review.filters import ENDINGS, SCORE_MAX, SCORE_MIN, list_filters


class FilterBar(QWidget):
    changed = Signal(dict)

    def __init__(self, trainees: list[str], personas: list[str], scenarios: list[str], parent=None,
                 groups: list[str] = ()) -> None:
        super().__init__(parent)
        self.trainee = QComboBox(toolTip=self.tr("Show one trainee's attempts"))
        self.group = QComboBox(toolTip=self.tr("Show the attempts made in one group or class"))
        # A long name does not widen the list's side beyond a laptop screen: the open list shows it whole.
        for names in (self.trainee, self.group):
            names.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            names.setMinimumContentsLength(12)
        self.persona = self._text_filter(personas, self.tr("Persona id or type, e.g. angry_threatening"))
        self.scenario = self._text_filter(scenarios, self.tr("Scenario id"))
        self.ending = QComboBox(toolTip=self.tr("How the call ended"))
        self.ending.addItem(self.tr("Any ending"), None)
        for ending in ENDINGS:
            self.ending.addItem(self.ending_label(ending), ending)
        self.min_score = QSpinBox(minimum=SCORE_MIN, maximum=SCORE_MAX, value=SCORE_MIN,
                                  toolTip=self.tr("Lowest overall score (0: also unscored attempts)"))
        self.max_score = QSpinBox(minimum=SCORE_MIN, maximum=SCORE_MAX, value=SCORE_MAX,
                                  toolTip=self.tr("Highest overall score (100: also unscored attempts)"))
        self.use_from = QCheckBox(self.tr("&From"), toolTip=self.tr("Only attempts on or after this day (UTC)"))
        self.use_to = QCheckBox(self.tr("&To"), toolTip=self.tr("Only attempts on or before this day (UTC)"))
        today = QDate.currentDate()
        self.from_day = QDateEdit(today.addMonths(-1), calendarPopup=True, displayFormat="yyyy-MM-dd", enabled=False)
        self.to_day = QDateEdit(today, calendarPopup=True, displayFormat="yyyy-MM-dd", enabled=False)
        self.set_trainees(trainees)
        self.set_groups(list(groups))

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        cells = [(self.tr("T&rainee"), self.trainee), (self.tr("&Persona"), self.persona),
                 (self.tr("S&cenario"), self.scenario), (self.tr("&Ending"), self.ending),
                 (self.tr("Score &min"), self.min_score), (self.tr("ma&x"), self.max_score)]
        for i, (text, widget) in enumerate(cells):
            label = QLabel(text)
            label.setBuddy(widget)
            layout.addWidget(label, i // 3, 2 * (i % 3))
            layout.addWidget(widget, i // 3, 2 * (i % 3) + 1)
        layout.addWidget(self.use_from, 2, 0)
        layout.addWidget(self.from_day, 2, 1)
        layout.addWidget(self.use_to, 2, 2)
        layout.addWidget(self.to_day, 2, 3)
        group_label = QLabel(self.tr("&Group"))
        group_label.setBuddy(self.group)
        layout.addWidget(group_label, 2, 4)
        layout.addWidget(self.group, 2, 5)

        for combo in (self.trainee, self.group, self.ending):
            combo.currentIndexChanged.connect(self._emit)
        for edit in (self.persona, self.scenario):
            edit.editingFinished.connect(self._emit)
        for spin in (self.min_score, self.max_score):
            spin.valueChanged.connect(self._emit)
        for box, day in ((self.use_from, self.from_day), (self.use_to, self.to_day)):
            box.toggled.connect(day.setEnabled)
            box.toggled.connect(self._emit)
            day.dateChanged.connect(self._emit)

    def ending_label(self, ending: str) -> str:
        """The words the attempts list shows for an ending or status."""
        return {"resolved": self.tr("Resolved"), "escalated": self.tr("Escalated"),
                "turn_limit": self.tr("Turn limit"), "ended_early": self.tr("Ended early"),
                "recovered": self.tr("Recovered")}.get(ending, ending)

    def _text_filter(self, choices: list[str], tip: str) -> QLineEdit:
        edit = QLineEdit(toolTip=tip, placeholderText=self.tr("any"), clearButtonEnabled=True)
        edit.setCompleter(QCompleter(sorted(set(choices)), edit))
        return edit

    def set_trainees(self, names: list[str]) -> None:
        """Refill the trainee choice (after an import or a delete), keeping the current one if it is left."""
        _refill(self.trainee, self.tr("All trainees"), names)

    def set_groups(self, groups: list[str]) -> None:
        """Refill the group choice, keeping the current one if it is left."""
        _refill(self.group, self.tr("All groups"), groups)

    def filters(self) -> dict[str, Any]:
        return list_filters(
            trainee=self.trainee.currentData(), group=self.group.currentData(), persona=self.persona.text(),
            scenario=self.scenario.text(),
            ending=self.ending.currentData(), min_score=self.min_score.value(), max_score=self.max_score.value(),
            first_day=self.from_day.date().toPython() if self.use_from.isChecked() else None,
            last_day=self.to_day.date().toPython() if self.use_to.isChecked() else None)

    def _emit(self, *_: Any) -> None:
        self.changed.emit(self.filters())


def _refill(combo: QComboBox, everyone: str, values: list[str]) -> None:
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everyone, None)
    for value in values:
        combo.addItem(value, value)
    found = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(found, 0))
    combo.blockSignals(False)
