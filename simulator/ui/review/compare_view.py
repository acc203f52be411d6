"""Two attempts side by side: overall and each criterion, with the change from the earlier to the later."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from simulator.core.review.compare import Comparison, ScoreDelta
from simulator.storage import AttemptRecord
from simulator.ui.scorecard_view import ScorecardView

UP, DOWN = "#27ae60", "#c0392b"


class CompareView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Select two attempts in the list and choose Compare (Ctrl+D)."), wordWrap=True)
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.setAccessibleName(self.tr("Comparison of two attempts"))
        self.summary = QLabel(wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self._labels = ScorecardView.criterion_label  # the scorecard's own names for criteria
        self.comparison: Comparison | None = None

    def set_comparison(self, first: AttemptRecord, second: AttemptRecord, comparison: Comparison) -> None:
        self.comparison = comparison
        self.title.setText(self.tr("Attempt %1 (%2) compared with attempt %3 (%4)")
                           .replace("%1", str(first.id)).replace("%2", f"{first.started_at:%Y-%m-%d}")
                           .replace("%3", str(second.id)).replace("%4", f"{second.started_at:%Y-%m-%d}"))
        self.table.setHorizontalHeaderLabels([self.tr("Criterion"), self.tr("Attempt %s") % first.id,
                                              self.tr("Attempt %s") % second.id, self.tr("Change")])
        rows = [comparison.overall, *comparison.criteria]
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            name = self.tr("Overall") if row.name == "overall" else self._labels(self, row.name)
            cells = [name, _score(row.first), _score(row.second), _delta(row)]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(Qt.AlignCenter)
                if j == 3 and row.delta:
                    item.setForeground(QBrush(QColor(UP if row.delta > 0 else DOWN)))
                if i == 0:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, j, item)
        better = QLocale().createSeparatedList([self._labels(self, n) for n in comparison.improved]) or "—"
        worse = QLocale().createSeparatedList([self._labels(self, n) for n in comparison.worse]) or "—"
        self.summary.setText(self.tr("Better: %1\nWorse: %2\nAdvice items: %3 → %4")
                             .replace("%1", better).replace("%2", worse)
                             .replace("%3", str(comparison.findings[0])).replace("%4", str(comparison.findings[1])))

    def cell(self, row: int, column: int) -> str:
        return self.table.item(row, column).text()


def _score(value: int | None) -> str:
    return "—" if value is None else str(value)


def _delta(row: ScoreDelta) -> str:
    return "—" if row.delta is None else f"{row.delta:+d}"
