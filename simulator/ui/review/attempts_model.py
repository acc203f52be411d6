"""The attempts list as a Qt table model that reads the store a page at a time, so 10,000 attempts open at
once and scroll smoothly: only the rows the view has reached are fetched (canFetchMore/fetchMore), and a
click on a header re-sorts in the database (order_by), never in Python. Persona and scenario columns show
names and titles from the persona files, so they are sorted by those: the model ranks the few distinct
(persona, scenario) pairs by their shown text and the database orders rows by that rank. Every read runs
through the review service on a worker thread, which also writes each row's cells as the list shows them:
the rows arrive by signal, ready to show, and the GUI thread never waits nor formats."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal

from simulator.app import AttemptPage, AttemptSummary, ReviewService
from simulator.ui.service_jobs import ServiceJobs

PAGE = 200
COLUMNS = ("started_at", "trainee", "group", "persona", "scenario", "overall", "ending", "duration", "status")
SORTABLE = {"started_at": "started_at", "trainee": "trainee", "group": "group", "persona": "persona",
            "scenario": "scenario",
            "overall": "overall", "ending": "ending", "status": "status"}
ID_ROLE = Qt.UserRole + 1
_DISPLAY, _ALIGN, _TIP, _ID = int(Qt.DisplayRole), int(Qt.TextAlignmentRole), int(Qt.ToolTipRole), int(ID_ROLE)
_RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)
_RIGHT_COLUMNS = frozenset(COLUMNS.index(c) for c in ("duration", "overall"))
_PERSONA, _SCENARIO = COLUMNS.index("persona"), COLUMNS.index("scenario")


class AttemptsModel(QAbstractTableModel):
    """`listed` once a refresh's count and first page are shown, `failed(text)` when the store refused."""

    listed = Signal()
    failed = Signal(str)

    def __init__(self, service: ReviewService, parent: QObject | None = None,
                 personas: dict[str, Any] | None = None, jobs: ServiceJobs | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.jobs = jobs or ServiceJobs(self)
        self._generation = 0   # a page asked before the last refresh belongs to an older list
        self._fetching = False
        self.personas = personas or {}  # persona files by id: rows show names and titles, not ids
        self.filters: dict[str, Any] = {}
        self.order_by, self.descending = "started_at", True
        self.shown_order: dict[Any, int] | None = None
        self.total = 0
        self._rows: list[AttemptSummary] = []
        self._cells: list[tuple[str, ...]] = []   # each row's cells as shown, written on the worker thread
        self.refresh()

    # ------------------------------------------------------------ querying

    def set_filters(self, filters: dict[str, Any]) -> None:
        self.filters = {k: v for k, v in filters.items() if v is not None}
        self.refresh()

    def refresh(self) -> None:
        """Count again and show the first page (after a filter, sort, delete or import), in the background."""
        self._generation += 1
        generation, filters, order_by, descending = self._generation, dict(self.filters), self.order_by, self.descending
        shown_key = (lambda pairs: self._shown_order(pairs, order_by)) if order_by in ("persona", "scenario") else None
        self._fetching = True
        self.jobs.run("list", lambda _cancel: self._with_cells(
                          self.service.listing(filters, order_by, descending, PAGE, shown_key)),
                      lambda found: self._listed(generation, *found), self._failed)

    def _with_cells(self, page: Any) -> tuple[Any, list[tuple[str, ...]]]:
        """Worker thread: a page (or its rows) with the cells the list shows for them."""
        rows = page.rows if isinstance(page, AttemptPage) else page
        return page, [self.cells(row) for row in rows]

    def _listed(self, generation: int, page: AttemptPage, cells: list[tuple[str, ...]]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self.shown_order, self.total, self._rows, self._cells = page.shown_order, page.total, list(page.rows), cells
        self._fetching = False
        self.endResetModel()
        self.listed.emit()

    def _failed(self, text: str) -> None:
        self._fetching = False
        self.failed.emit(text)

    def _shown_order(self, pairs: list[tuple[str, str]], order_by: str) -> dict[Any, int]:
        """Position of each persona id (or persona/scenario pair) when sorted by the text its cell shows."""
        if order_by == "persona":
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
        return not parent.isValid() and not self._fetching and len(self._rows) < self.total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: N802 (Qt naming)
        """Ask for the next page; it is appended when it arrives (`listed` is emitted then too)."""
        if parent.isValid() or self._fetching:
            return
        self._fetching = True
        generation, offset = self._generation, len(self._rows)
        filters, order_by, descending, shown = dict(self.filters), self.order_by, self.descending, self.shown_order
        self.jobs.run("page", lambda _cancel: self._with_cells(
                          self.service.page(filters, order_by, descending, offset, PAGE, shown)),
                      lambda found: self._fetched(generation, offset, *found), self._failed)

    def _fetched(self, generation: int, offset: int, page: list[AttemptSummary], cells: list[tuple[str, ...]]) -> None:
        if generation != self._generation or offset != len(self._rows):
            return
        self._fetching = False
        if not page:
            self.total = len(self._rows)  # someone deleted attempts meanwhile
        else:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
            self._rows.extend(page)
            self._cells.extend(cells)
            self.endInsertRows()
        self.listed.emit()

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
            self._cells[row] = self.cells(self._rows[row])
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
        """Called for every cell and role at each paint: the cells are ready, nothing is formatted here."""
        if not index.isValid():
            return None
        role = int(role)
        if role == _DISPLAY:
            return self._cells[index.row()][index.column()]
        if role == _ALIGN:
            return _RIGHT if index.column() in _RIGHT_COLUMNS else None
        if role == _ID:
            return self._rows[index.row()].id
        if role == _TIP:
            column = index.column()
            row = self._rows[index.row()]
            if column == _PERSONA:
                return f"{row.persona_id} ({row.persona_type})"
            if column == _SCENARIO:   # the column gives way on a narrow screen
                return self._cells[index.row()][column]
        return None

    def cells(self, row: AttemptSummary) -> tuple[str, ...]:
        """The row as the list shows it, column by column (runs on the worker thread that read it)."""
        return tuple(self._label(row, column) for column in COLUMNS)

    def shown(self, first: int = 0) -> list[tuple[str, ...]]:
        """The cells of the rows from `first` on, as shown (the window fits its columns to them)."""
        return self._cells[first:]

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
