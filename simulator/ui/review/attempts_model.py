"""The attempts list as a Qt table model that reads the store a page at a time, so 10,000 attempts open at
once and scroll smoothly: only the rows the view has reached are fetched (canFetchMore/fetchMore), and a
click on a header re-sorts in the database (order_by), never in Python. Persona and scenario columns show
names and titles from the persona files, so they are sorted by those: the model ranks the few distinct
(persona, scenario) pairs by their shown text and the database orders rows by that rank."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from simulator.storage import AttemptStore, AttemptSummary

PAGE = 200
COLUMNS = ("started_at", "trainee", "group", "persona", "scenario", "overall", "ending", "duration", "status")
SORTABLE = {"started_at": "started_at", "trainee": "trainee", "group": "group", "persona": "persona",
            "scenario": "scenario",
            "overall": "overall", "ending": "ending", "status": "status"}
ID_ROLE = Qt.UserRole + 1


class AttemptsModel(QAbstractTableModel):
    def __init__(self, store: AttemptStore, parent: QObject | None = None,
                 personas: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.personas = personas or {}  # persona files by id: rows show names and titles, not ids
        self.filters: dict[str, Any] = {}
        self.order_by, self.descending = "started_at", True
        self.shown_order: dict[Any, int] | None = None
        self.total = 0
        self._rows: list[AttemptSummary] = []
        self.refresh()

    # ------------------------------------------------------------ querying

    def set_filters(self, filters: dict[str, Any]) -> None:
        self.filters = {k: v for k, v in filters.items() if v is not None}
        self.refresh()

    def refresh(self) -> None:
        """Count again and show the first page (after a filter, sort, delete or import)."""
        self.beginResetModel()
        self.shown_order = self._shown_order() if self.order_by in ("persona", "scenario") else None
        self.total = self.store.count_attempts(**self.filters)
        self._rows = self._page(0)
        self.endResetModel()

    def _page(self, offset: int) -> list[AttemptSummary]:
        return self.store.list_attempts(**self.filters, order_by=self.order_by, descending=self.descending,
                                        limit=PAGE, offset=offset, shown_order=self.shown_order)

    def _shown_order(self) -> dict[Any, int]:
        """Position of each persona id (or persona/scenario pair) when sorted by the text its cell shows."""
        pairs = self.store.persona_scenarios()
        if self.order_by == "persona":
            keys = sorted({p for p, _ in pairs}, key=lambda p: (self.persona_label(p).casefold(), p))
        else:
            keys = sorted(set(pairs), key=lambda k: (self.scenario_label(*k).casefold(), k))
        return {k: i for i, k in enumerate(keys)}

    def persona_label(self, persona_id: str) -> str:
        persona = self.personas.get(persona_id)
        return persona.display_name if persona is not None else persona_id

    def scenario_label(self, persona_id: str, scenario_id: str) -> str:
        persona = self.personas.get(persona_id)
        scenarios = persona.scenarios if persona is not None else ()
        return next((s.title for s in scenarios if s.id == scenario_id), scenario_id)

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: N802 (Qt naming)
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: N802 (Qt naming)
        if parent.isValid():
            return
        page = self._page(len(self._rows))
        if not page:
            self.total = len(self._rows)  # someone deleted attempts meanwhile
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        key = SORTABLE.get(COLUMNS[column])
        if key is None:
            return
        self.order_by, self.descending = key, order == Qt.DescendingOrder
        self.refresh()

    # ------------------------------------------------------------ reading

    def rescored(self, attempt_id: int, overall: int | None) -> None:
        """An attempt scored again (its transcript corrected in review): its row shows the new score."""
        row = self.row_of(attempt_id)
        if row is not None:
            self._rows[row] = replace(self._rows[row], overall=overall)
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def attempt(self, row: int) -> AttemptSummary:
        return self._rows[row]

    def loaded(self) -> list[AttemptSummary]:
        return list(self._rows)

    def row_of(self, attempt_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == attempt_id), None)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 (Qt naming)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 (Qt naming)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Horizontal:
            return None
        if role == Qt.DisplayRole:
            return self.column_title(COLUMNS[section])
        if role == Qt.ToolTipRole:
            return (self.tr("Click to sort by this column") if COLUMNS[section] in SORTABLE
                    else self.tr("This column cannot be sorted"))
        return None

    def column_title(self, column: str) -> str:
        return {"started_at": self.tr("Date"), "trainee": self.tr("Trainee"), "group": self.tr("Group"),
                "persona": self.tr("Persona"), "scenario": self.tr("Scenario"), "duration": self.tr("Duration"),
                "overall": self.tr("Score"), "ending": self.tr("Ending"), "status": self.tr("Status")}[column]

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.DisplayRole:
            return self._label(row, column)
        if role == ID_ROLE:
            return row.id
        if role == Qt.TextAlignmentRole and column in ("duration", "overall"):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole and column == "persona":
            return f"{row.persona_id} ({row.persona_type})"
        if role == Qt.ToolTipRole and column == "scenario":   # the column gives way on a narrow screen
            return self.scenario_label(row.persona_id, row.scenario_id)
        return None


    def _label(self, row: AttemptSummary, column: str) -> str:
        if column == "persona":
            return self.persona_label(row.persona_id)
        if column == "scenario":
            return self.scenario_label(row.persona_id, row.scenario_id)
        if column in ("ending", "status"):
            return self.word(getattr(row, column) or "")
        return _cell(row, column)

    def word(self, code: str) -> str:
        return {"resolved": self.tr("Resolved"), "escalated": self.tr("Escalated"),
                "turn_limit": self.tr("Turn limit"), "ended_early": self.tr("Ended early"),
                "complete": self.tr("Complete"), "recovered": self.tr("Recovered"),
                "in_progress": self.tr("In progress")}.get(code, code)


def _cell(row: AttemptSummary, column: str) -> str:
    if column == "started_at":
        return f"{row.started_at:%Y-%m-%d %H:%M}"
    if column == "duration":
        seconds = row.duration
        return "" if seconds is None else f"{int(seconds) // 60}:{int(seconds) % 60:02d}"
    if column == "overall":
        return "" if row.overall is None else str(row.overall)
    value = getattr(row, column)
    return value or ""
