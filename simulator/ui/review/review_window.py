"""The manager's review screen: filters and the attempts list on the left; the selected attempt (scorecard,
timeline, transcript, notes), a comparison of two attempts and a trainee's trend on the right; exports,
import and deletion in the Attempts menu. Every action has a shortcut and a tooltip. Every read and change of
the store runs through the review service on a worker thread (a team database across a network never
freezes the window); the status bar shows a busy indicator while one is under way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QHeaderView, QLabel, QMainWindow, QMessageBox, QProgressBar, QSplitter,
    QStyle, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from simulator.app import PreparedReport, ReviewService
from simulator.core.personas.index import load_persona_index
from simulator.core.review.trend import trend_series
from simulator.memory import release_freed_memory
from simulator.ui.review.attempt_detail import AttemptDetail
from simulator.ui.review.attempts_model import COLUMNS, AttemptsModel
from simulator.ui.review.compare_view import CompareView
from simulator.ui.review.filter_bar import FilterBar
from simulator.ui.review.trend_chart import TrendChart
from simulator.ui.service_jobs import ServiceJobs

SCENARIO_MIN_WIDTH = 120  # pixels the scenario column keeps when the list is fitted (it gives way, the full title
                          # is in its tooltip): every other column is shown whole without scrolling sideways


class ReviewWindow(QMainWindow):
    def __init__(self, service: ReviewService, parent: QWidget | None = None, trainee: str | None = None) -> None:
        """`trainee`: whose trend the Trend tab shows while no attempt is selected (the app's current one)."""
        super().__init__(parent)
        self.service = service
        self.jobs = ServiceJobs(self)
        self.current_trainee = trainee
        self._select: int | None = None   # an attempt to select once its page has arrived
        self.setWindowTitle(self.tr("Review attempts"))
        self.personas = load_persona_index()
        persona_keys = sorted({*self.personas, *(p.type for p in self.personas.values())})
        scenarios = sorted({s.id for p in self.personas.values() for s in p.scenarios})

        self.filter_bar = FilterBar([], persona_keys, scenarios, groups=[])
        self.filter_bar.changed.connect(self.apply_filters)
        self.busy = QProgressBar(minimum=0, maximum=0, maximumWidth=120, textVisible=False)
        self.busy.setAccessibleName(self.tr("Working"))
        self.busy.setToolTip(self.tr("Waiting for the attempts database"))
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)
        self.jobs.busyChanged.connect(self._busy_changed)
        self.model = AttemptsModel(service, self, self.personas, self.jobs)
        self.model.listed.connect(self._listed)
        self.model.failed.connect(self._warn)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSortIndicator(COLUMNS.index("started_at"), Qt.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setAccessibleName(self.tr("Attempts"))
        self.table.setToolTip(self.tr("Select an attempt to review it; select two (Ctrl+click) to compare them"))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        header = self.table.horizontalHeader()
        for column, name in enumerate(COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.Stretch if name == "scenario"
                                        else QHeaderView.Interactive)
        self._widths = [0] * len(COLUMNS)   # what each column needs: its header and widest cell so far
        self.model.modelReset.connect(self._fit_columns)
        self.model.rowsInserted.connect(lambda _parent, first, _last: self._fit_columns(first))
        self.model.dataChanged.connect(lambda top, *_: self._fit_columns(top.row()))
        self.count_label = QLabel()

        self.detail = AttemptDetail(service, self.model, self.jobs)
        self.detail.corrected.connect(self.model.rescored)
        self.detail.notes.saved.connect(lambda _: self.statusBar().showMessage(self.tr("Notes saved"), 3000))
        self.compare_view = CompareView(self.model, self.detail.scorecard.criterion_label, service, self.jobs)
        self.trend_chart = TrendChart()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.detail, self.tr("&Attempt"))
        self.tabs.addTab(self.compare_view, self.tr("Co&mpare"))
        self.tabs.addTab(self.trend_chart, self.tr("Tr&end"))
        self.tabs.currentChanged.connect(self._tab_changed)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.filter_bar)
        left_layout.addWidget(self.count_label)
        left_layout.addWidget(self.table, 1)
        self.split = split = QSplitter()   # either side can be collapsed by dragging the handle to the edge
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 0)      # the list keeps its fitted width; the detail takes what the window gains
        split.setStretchFactor(1, 1)
        self._fitted = False
        self.setCentralWidget(split)
        self.actions = self._make_actions()
        delete = self.actions["delete_attempt"]
        delete.setShortcutContext(Qt.WidgetWithChildrenShortcut)  # Del in the notes deletes text, not the attempt
        self.table.addAction(delete)
        self._update_count()
        self._update_actions()
        self._read_choices()
        self.resize(1500, 900)

    def _fit_columns(self, first: int = 0) -> None:
        """Widen the columns to the rows from `first` on (all of them: fit anew, narrower too). Measured with the
        font from the cells the worker prepared, once per row as it arrives: Qt's fit-to-contents asked the
        model for every cell and role at each resize, 0.5-1.5 s of the GUI thread on 200 rows."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        margin = 2 * (self.table.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, self.table) + 1) + 3
        if first == 0:
            self._widths = [header.sectionSizeHint(c) for c in range(len(COLUMNS))]
        for column, name in enumerate(COLUMNS):
            texts = {cells[column] for cells in self.model.shown(first)}
            widest = max((metrics.horizontalAdvance(text) for text in texts), default=0) + margin
            self._widths[column] = max(self._widths[column], widest)
            if name != "scenario":
                header.resizeSection(column, self._widths[column])

    def list_width(self) -> int:
        """The width of the list's side that shows date, trainee, persona, score, ending and the rest whole,
        without scrolling sideways, with SCENARIO_MIN_WIDTH for the scenario."""
        columns = sum(width for width, name in zip(self._widths, COLUMNS) if name != "scenario")
        margins = self.split.widget(0).layout().contentsMargins()
        return (columns + SCENARIO_MIN_WIDTH + self.table.verticalScrollBar().sizeHint().width()
                + 2 * self.table.frameWidth() + margins.left() + margins.right())

    def fit_list(self, shrink: bool = False) -> None:
        """Give the list the width it needs (as far as the detail's minimum allows); `shrink` also narrows it."""
        sizes = self.split.sizes()
        total = sum(sizes)
        wanted = min(self.list_width(), total - self.tabs.minimumSizeHint().width() - self.split.handleWidth())
        if total > 0 and (sizes[0] < wanted or shrink):
            self.split.setSizes([wanted, total - wanted])

    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            self.fit_list(shrink=True)

    # ------------------------------------------------------------ actions and menus

    def _make_actions(self) -> dict[str, QAction]:
        specs: list[tuple[str, str, str, Any, Callable[[], Any], str]] = [
            # key, menu, text, shortcut, slot, tooltip
            ("compare", "view", self.tr("&Compare two attempts"), "Ctrl+D", self.compare_selected,
             self.tr("Compare the two selected attempts criterion by criterion")),
            ("trend", "view", self.tr("Trainee &trend"), "Ctrl+T", self.show_trend,
             self.tr("The selected attempt's trainee: overall score over time")),
            ("refresh", "view", self.tr("&Refresh"), QKeySequence.Refresh, self.refresh,
             self.tr("Read the attempts again (new calls, other reviewers' changes)")),
            ("pdf_en", "export", self.tr("PDF report (&English)…"), "Ctrl+P", lambda: self.export_pdf("en"),
             self.tr("The selected attempt as a PDF report in English")),
            ("pdf_zh", "export", self.tr("PDF report (&Chinese)…"), "Ctrl+Shift+P", lambda: self.export_pdf("zh"),
             self.tr("The selected attempt as a PDF report in Chinese")),
            ("csv", "export", self.tr("Attempts list as C&SV…"), "Ctrl+E", lambda: self.export_csv(),
             self.tr("The filtered attempts list as a CSV file")),
            ("csv_anonymous", "export", self.tr("Attempts list as CSV &without names…"), "Ctrl+Shift+E",
             lambda: self.export_csv(anonymous=True),
             self.tr("The filtered list with trainees as 'trainee 1', 'trainee 2'…")),
            ("bundle", "export", self.tr("Attempt &bundle…"), "Ctrl+B", lambda: self.export_bundle(),
             self.tr("The selected attempt with its recording, to import on another machine")),
            ("bundle_anonymous", "export", self.tr("Attempt bundle without &names…"), "Ctrl+Shift+B",
             lambda: self.export_bundle(anonymous=True),
             self.tr("The selected attempt without the trainee's name and the notes")),
            ("timeline_json", "export", self.tr("Timeline &JSON…"), "Ctrl+J", lambda: self.export_timeline(),
             self.tr("The selected attempt's timeline in the simulator's JSON format")),
            ("import", "file", self.tr("&Import attempt…"), "Ctrl+I", lambda: self.import_bundle(),
             self.tr("Add an attempt bundle exported on another machine")),
            ("delete_attempt", "file", self.tr("&Delete attempt…"), QKeySequence.Delete, self.delete_attempt,
             self.tr("Delete the selected attempt and its recording")),
            ("delete_trainee", "file", self.tr("Delete &trainee…"), "Ctrl+Shift+Del", self.delete_trainee,
             self.tr("Delete the selected attempt's trainee with all their attempts and recordings")),
            ("close", "file", self.tr("&Close"), QKeySequence.Close, self.close, self.tr("Close the review window")),
        ]
        menus = {"file": self.menuBar().addMenu(self.tr("&Attempts")),
                 "view": self.menuBar().addMenu(self.tr("&View")),
                 "export": self.menuBar().addMenu(self.tr("E&xport"))}
        for menu in menus.values():
            menu.setToolTipsVisible(True)
        toolbar = self.addToolBar(self.tr("Review"))
        toolbar.setObjectName("review_toolbar")
        actions = {}
        for key, menu, text, shortcut, slot, tip in specs:
            action = QAction(text, self, shortcut=QKeySequence(shortcut), toolTip=tip, statusTip=tip)
            action.triggered.connect(slot)
            menus[menu].addAction(action)
            actions[key] = action
            if key in ("compare", "trend", "pdf_en", "pdf_zh", "csv", "delete_attempt"):
                toolbar.addAction(action)
        return actions

    # ------------------------------------------------------------ list

    def apply_filters(self, filters: dict[str, Any]) -> None:
        self.model.set_filters(filters)
        self._update_count()
        self.fit_list()

    def refresh(self) -> None:
        self._read_choices()
        self.model.refresh()
        self._update_count()
        self.fit_list()

    def _read_choices(self) -> None:
        """The trainees and groups the filters offer, read in the background."""
        self.jobs.run("choices", lambda _cancel: self.service.choices(), self._chosen, self._warn)

    def _chosen(self, choices: tuple[list[str], list[str]]) -> None:
        trainees, groups = choices
        self.filter_bar.set_trainees(trainees)
        self.filter_bar.set_groups(groups)

    def _busy_changed(self, busy: bool) -> None:
        self.busy.setVisible(busy)

    def _listed(self) -> None:
        self._update_count()
        if self._select is not None:
            self.select_attempt(self._select)

    def _update_count(self) -> None:
        if self.model._fetching and not self.model.rowCount():
            self.count_label.setText(self.tr("Reading the attempts…"))
        else:
            self.count_label.setText(self.tr("%s attempt(s)") % self.model.total)

    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.attempt(r).id for r in rows]

    def select_attempt(self, attempt_id: int) -> None:
        """Select an attempt by id, asking for pages until it is in the list (for tests and links)."""
        self._select = attempt_id
        row = self.model.row_of(attempt_id)
        if row is not None:
            self._select = None
            self.table.selectRow(row)
        elif self.model.canFetchMore():
            self.model.fetchMore()
        elif not self.model._fetching:
            self._select = None   # not in this list

    def _selection_changed(self, *_: Any) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.tabs.setCurrentWidget(self.detail)
            self.detail.show_attempt(ids[0])
            self.fit_list()
        elif ids:
            self.detail.stop_loading()   # two to compare: the first one's analysis would only be thrown away
        self._update_actions()

    def _update_actions(self) -> None:
        count = len(self.selected_ids())
        for key in ("trend", "pdf_en", "pdf_zh", "bundle", "bundle_anonymous", "timeline_json", "delete_attempt",
                    "delete_trainee"):
            self.actions[key].setEnabled(count == 1)
        self.actions["compare"].setEnabled(count == 2)

    # ------------------------------------------------------------ comparison and trend

    def compare_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 2:
            return
        self.detail.scorecard.stop()
        self.tabs.setCurrentWidget(self.compare_view)
        total = sum(self.split.sizes())     # two attempts side by side: the list gives them its room
        narrow = self.split.widget(0).minimumSizeHint().width()
        self.split.setSizes([narrow, total - narrow])
        self.jobs.run("comparison", lambda _cancel: self.service.comparison(*ids),
                      lambda found: self.compare_view.set_comparison(*found), self._warn)

    def show_trend(self) -> None:
        trainee = self.trend_trainee()
        if trainee is None:
            return
        group = self.filter_bar.group.currentData()   # one class's namesake is not another's
        shown = f"{trainee} ({group})" if group else trainee
        self.jobs.run("trend", lambda _cancel: trend_series(self.service.trend(trainee, group)),
                      lambda series: self.trend_chart.set_trend(shown, series), self._warn)
        if self.tabs.currentWidget() is not self.trend_chart:
            self.tabs.setCurrentWidget(self.trend_chart)

    def trend_trainee(self) -> str | None:
        """Whose trend the Trend tab shows: the selected attempt's trainee, else the trainee filtered on,
        else the app's current trainee; within the group filtered on, if any."""
        ids = self.selected_ids()
        if ids:
            return self.model.attempt(self.model.row_of(ids[0])).trainee
        return self.filter_bar.trainee.currentData() or self.current_trainee or None

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.trend_chart:  # opened by its tab: filled without Ctrl+T
            self.show_trend()

    # ------------------------------------------------------------ export and import

    def export_csv(self, path: Path | None = None, anonymous: bool = False) -> None:
        path = path or self._save_path(self.tr("Export attempts list"), "attempts.csv", self.tr("CSV files (*.csv)"))
        if path is not None:
            filters = dict(self.model.filters)
            self._run(lambda: self.service.export_csv(path, anonymous, filters),
                      lambda count: self.tr("Wrote %1 attempt(s) to %2").replace("%1", str(count))
                      .replace("%2", str(path)))

    def export_bundle(self, path: Path | None = None, anonymous: bool = False) -> None:
        attempt_id = self._one_selected()
        if attempt_id is None:
            return
        path = path or self._save_path(self.tr("Export attempt"), f"attempt-{attempt_id}.zip",
                                       self.tr("Attempt bundles (*.zip)"))
        if path is not None:
            self._run(lambda: self.service.export_bundle(attempt_id, path, anonymous), self._wrote)

    def export_timeline(self, path: Path | None = None) -> None:
        attempt_id = self._one_selected()
        if attempt_id is None:
            return
        path = path or self._save_path(self.tr("Export timeline"), f"attempt-{attempt_id}-timeline.json",
                                       self.tr("JSON files (*.json)"))
        if path is not None:
            self._run(lambda: self.service.export_timeline(attempt_id, path), self._wrote)

    def export_pdf(self, language: str, path: Path | None = None, anonymous: bool = False) -> bool:
        """The report is prepared in the background (the attempt, its recording decoded once, the analysis);
        the timeline picture is drawn on the GUI thread a step at a time, and the PDF laid out and written in
        the background again. False when nothing was asked."""
        from simulator.ui.report_pdf import draw_picture_later, write_pdf

        attempt_id = self._one_selected()
        if attempt_id is None:
            return False
        path = path or self._save_path(self.tr("Export PDF report"), f"attempt-{attempt_id}-{language}.pdf",
                                       self.tr("PDF files (*.pdf)"))
        if path is None:
            return False
        self.statusBar().showMessage(self.tr("Preparing the report…"))
        personas = self.personas

        def draw(prepared: PreparedReport) -> None:
            release = self.jobs.hold()   # still busy while the picture is drawn, between the two jobs

            def write(picture: Any) -> None:
                self._run(lambda: write_pdf(prepared.report, path, picture), self._wrote)
                release()

            draw_picture_later(prepared, write)

        self.jobs.run(None, lambda cancel: self.service.report(attempt_id, language, personas, anonymous, cancel),
                      draw, self._warn)
        return True

    def import_bundle(self, path: Path | None = None) -> None:
        """Import in the background; the new attempt is selected once the list has it."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Import attempt"), "",
                                                    self.tr("Attempt bundles (*.zip)"))
            path = Path(chosen) if chosen else None
        if path is None:
            return

        def imported(new_id: int) -> str:
            self.refresh()
            self.select_attempt(new_id)
            return self.tr("Imported as attempt %s") % new_id

        self._run(lambda: self.service.import_bundle(path), imported)

    # ------------------------------------------------------------ deleting

    def delete_attempt(self) -> None:
        attempt_id = self._one_selected()
        if attempt_id is None or not self.confirm(
                self.tr("Delete attempt %s and its recording? This cannot be undone.") % attempt_id):
            return
        self.detail.clear()
        self._run(lambda: self.service.delete_attempt(attempt_id), lambda _: self._deleted(
            self.tr("Deleted attempt %s") % attempt_id))

    def delete_trainee(self) -> None:
        """Count the trainee's attempts in the background, then ask, then delete."""
        attempt_id = self._one_selected()
        if attempt_id is None:
            return
        trainee = self.model.attempt(self.model.row_of(attempt_id)).trainee
        self.jobs.run("count", lambda _cancel: self.service.count(trainee=trainee),
                      lambda total: self._delete_trainee(trainee, total), self._warn)

    def _delete_trainee(self, trainee: str, total: int) -> None:
        if not self.confirm(self.tr("Delete trainee %1 with all %2 attempt(s) and their recordings? This cannot be "
                                    "undone.").replace("%1", trainee).replace("%2", str(total))):
            return
        self.detail.clear()
        self._run(lambda: self.service.delete_trainee(trainee),
                  lambda n: self._deleted(self.tr("Deleted %s attempt(s)") % n))

    def _deleted(self, message: str) -> str:
        self.refresh()
        return message

    def confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Please confirm"), question,
                                      QMessageBox.Yes | QMessageBox.Cancel, QMessageBox.Cancel)
        return answer == QMessageBox.Yes

    # ------------------------------------------------------------ helpers

    def _one_selected(self) -> int | None:
        ids = self.selected_ids()
        return ids[0] if len(ids) == 1 else None

    def _save_path(self, title: str, name: str, kinds: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), kinds)
        return Path(chosen) if chosen else None

    def _wrote(self, path: Path) -> str:
        return self.tr("Wrote %s") % path

    def _run(self, job: Callable[[], Any], done: Callable[[Any], str] | None = None) -> None:
        """Run a store or file job in the background; a user-facing error goes to a message box, `done(result)`
        to the status bar."""
        self.jobs.run(None, lambda _cancel: job(), lambda result: self._done(result, done), self._warn)

    def _done(self, result: Any, done: Callable[[Any], str] | None) -> None:
        if done:
            self.statusBar().showMessage(done(result), 5000)

    def _warn(self, text: str) -> None:
        QMessageBox.warning(self, self.tr("Review"), text)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self.detail.scorecard.release_audio()
        self.compare_view.release_audio()
        self.jobs.wait()
        super().closeEvent(event)
        release_freed_memory()   # the attempts' recordings and analyses are let go with the window


def open_review(service: ReviewService, parent: QWidget | None = None, trainee: str | None = None) -> ReviewWindow:
    """Open the review screen on the attempts the service reads, and show it."""
    window = ReviewWindow(service, parent, trainee)
    window.setAttribute(Qt.WA_DeleteOnClose)
    window.show()
    return window
