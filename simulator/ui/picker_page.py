"""Where a call begins: the personas of one language grouped by type, the chosen persona's situation,
difficulty and coping goal, a scenario choice, and the trainee's recent attempts."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from simulator.core.personas.loader import LoadResult, picker_entries
from simulator.core.personas.model import Persona
from simulator.core.personas.picker import PickerEntry, type_label
from simulator.app import AttemptSummary

COPING_GOALS = 3   # how many of the persona's "what works" lines the picker shows as the goal
MAX_DIFFICULTY = 5  # persona.schema.json
PERSONA_ROLE = Qt.ItemDataRole.UserRole
SCENARIO_ROLE = Qt.ItemDataRole.UserRole + 1


def stars(difficulty: int) -> str:
    return "★" * difficulty + "☆" * max(0, MAX_DIFFICULTY - difficulty)


class PickerPage(QWidget):
    """startRequested(persona_id, scenario_id); languageChanged(language) when the trainee switches zh/en."""

    startRequested = Signal(str, str)
    languageChanged = Signal(str)

    def __init__(self, library: LoadResult, language: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.language = language
        self.entries: list[PickerEntry] = []
        self._shown_persona = ""

        self.language_box = QComboBox(objectName="personaLanguage")
        self.language_box.addItem("中文", "zh")
        self.language_box.addItem("English", "en")
        self.language_box.setToolTip(self.tr("Language of the customers and of your replies"))
        self.tree = QTreeWidget(objectName="personaPicker")
        self.tree.setHeaderLabels([self.tr("Customer / scenario"), self.tr("Difficulty"), self.tr("Situation")])
        self.tree.setToolTip(self.tr("Choose the customer you will talk to"))
        self.tree.setRootIsDecorated(False)
        self.tree.setMinimumWidth(420)
        self.name_label = QLabel(objectName="personaName", textFormat=Qt.TextFormat.PlainText)
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.name_label.setFont(font)
        self.type_label = QLabel(objectName="personaType")
        self.description = QLabel(wordWrap=True, objectName="personaDescription", textFormat=Qt.TextFormat.PlainText)
        self.scenario_box = QComboBox(objectName="scenarioPicker")
        self.scenario_box.setToolTip(self.tr("What happened to this customer"))
        self.situation = QLabel(wordWrap=True, objectName="situation", textFormat=Qt.TextFormat.PlainText)
        self.goal = QLabel(wordWrap=True, objectName="copingGoal")
        self.goal.setToolTip(self.tr("What the scoring rewards with this customer"))
        self.start_button = QPushButton(self.tr("&Start call"), objectName="startButton")
        self.start_button.setToolTip(self.tr("Start the call with this customer (Ctrl+Return)"))
        self.recent = QTableWidget(0, 4, objectName="recentAttempts")
        self.recent.setHorizontalHeaderLabels([self.tr("When"), self.tr("Customer"), self.tr("Score"),
                                               self.tr("Ending")])
        self.recent.setToolTip(self.tr("Your latest calls"))
        self.recent.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.recent.verticalHeader().hide()
        self.recent.horizontalHeader().setStretchLastSection(True)
        self._build_layout()

        self.language_box.currentIndexChanged.connect(lambda _: self.set_language(self.language_box.currentData()))
        self.tree.currentItemChanged.connect(lambda *_: self._tree_moved())
        self.tree.itemActivated.connect(lambda *_: self.request_start())
        self.scenario_box.currentIndexChanged.connect(lambda _: self._scenario_chosen())
        self.start_button.clicked.connect(self.request_start)
        self._fill()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Customer language:"), buddy=self.language_box))
        top.addWidget(self.language_box)
        top.addStretch(1)
        details = QGroupBox(self.tr("The call"))
        form = QFormLayout(details)
        form.addRow(self.name_label)
        form.addRow(self.type_label)
        form.addRow(self.description)
        form.addRow(QLabel(self.tr("Sc&enario:"), buddy=self.scenario_box), self.scenario_box)
        form.addRow(self.tr("Situation:"), self.situation)
        form.addRow(self.tr("Your goal:"), self.goal)
        form.addRow(self.start_button)
        recent_box = QGroupBox(self.tr("Your recent attempts"))
        QVBoxLayout(recent_box).addWidget(self.recent)
        right = QVBoxLayout()
        right.addWidget(details, 3)
        right.addWidget(recent_box, 2)
        body = QHBoxLayout()
        body.addWidget(self.tree, 5)
        body.addLayout(right, 4)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        order = [self.language_box, self.tree, self.scenario_box, self.start_button, self.recent]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------ personas

    def set_language(self, language: str) -> None:
        if language == self.language and self.entries:
            return
        self.language = language
        self._fill()
        self.languageChanged.emit(language)

    def _fill(self) -> None:
        self.language_box.blockSignals(True)
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(self.language)))
        self.language_box.blockSignals(False)
        self.entries = picker_entries(self.library, self.language)
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for persona in self._personas():
            group = groups.get(persona.type)
            if group is None:
                group = QTreeWidgetItem(self.tree, [type_label(persona.type, self.language)])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                groups[persona.type] = group
            item = QTreeWidgetItem(group, [persona.display_name, stars(persona.difficulty), persona.description])
            item.setData(0, PERSONA_ROLE, persona.id)
            for column in range(3):
                item.setToolTip(column, persona.description)
            for scenario in persona.scenarios:
                row = QTreeWidgetItem(item, ["   " + (scenario.title or scenario.id), "", scenario.situation])
                row.setData(0, PERSONA_ROLE, persona.id)
                row.setData(0, SCENARIO_ROLE, scenario.id)
                for column in range(3):
                    row.setToolTip(column, scenario.situation)
        self.tree.expandAll()
        for column in (0, 1):
            self.tree.resizeColumnToContents(column)
        self.start_button.setEnabled(bool(self.entries))
        first = self._persona_items()
        if first:
            self.tree.setCurrentItem(first[0])
        else:
            self.name_label.setText(self.tr("No persona files could be loaded."))

    def _personas(self) -> list[Persona]:
        ids = list(dict.fromkeys(e.persona_id for e in self.entries))
        by_id = {p.id: p for p in self.library.personas}
        return [by_id[i] for i in ids]

    def _persona_items(self) -> list[QTreeWidgetItem]:
        items = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            items += [group.child(i) for i in range(group.childCount())]
        return items

    def _scenario_item(self, persona_id: str, scenario_id: str) -> QTreeWidgetItem | None:
        persona = next((i for i in self._persona_items() if i.data(0, PERSONA_ROLE) == persona_id), None)
        children = [persona.child(i) for i in range(persona.childCount())] if persona is not None else []
        return next((c for c in children if c.data(0, SCENARIO_ROLE) == scenario_id), None)

    def current_persona(self) -> Persona | None:
        item = self.tree.currentItem()
        persona_id = item.data(0, PERSONA_ROLE) if item is not None else None
        return next((p for p in self.library.personas if p.id == persona_id), None)

    def current_entry(self) -> PickerEntry | None:
        persona = self.current_persona()
        scenario_id = self.scenario_box.currentData()
        return next((e for e in self.entries if persona is not None and e.persona_id == persona.id
                     and e.scenario_id == scenario_id), None)

    def select(self, persona_id: str, scenario_id: str | None = None) -> bool:
        """Select a persona (switching language if it is in the other one) and optionally a scenario."""
        persona = next((p for p in self.library.personas if p.id == persona_id), None)
        if persona is None:
            return False
        self.set_language(persona.language)
        item = self._scenario_item(persona_id, scenario_id or persona.scenarios[0].id)
        self.tree.setCurrentItem(item or self._scenario_item(persona_id, persona.scenarios[0].id))
        return True

    def _tree_moved(self) -> None:
        """A persona row shows the persona with its first scenario; a scenario row picks that scenario."""
        item = self.tree.currentItem()
        persona = self.current_persona()
        if item is None or persona is None:
            return
        if persona.id != self._shown_persona:
            self._show_persona(persona)
        scenario_id = item.data(0, SCENARIO_ROLE) or persona.scenarios[0].id
        self.scenario_box.blockSignals(True)
        self.scenario_box.setCurrentIndex(max(0, self.scenario_box.findData(scenario_id)))
        self.scenario_box.blockSignals(False)
        self._show_scenario()

    def _scenario_chosen(self) -> None:
        persona = self.current_persona()
        row = self._scenario_item(persona.id, self.scenario_box.currentData()) if persona else None
        if row is not None:
            self.tree.blockSignals(True)
            self.tree.setCurrentItem(row)
            self.tree.blockSignals(False)
        self._show_scenario()

    def _show_persona(self, persona: Persona) -> None:
        self._shown_persona = persona.id
        self.name_label.setText(persona.display_name)
        self.type_label.setText(f"{type_label(persona.type, self.language)}  ·  "
                                + self.tr("difficulty %1").replace("%1", stars(persona.difficulty)))
        self.description.setText(persona.description)
        goals = persona.coping.works[:COPING_GOALS]
        self.goal.setText("<ul style='margin:0; -qt-list-indent:1'>"
                          + "".join(f"<li>{escape(g)}</li>" for g in goals) + "</ul>")
        self.scenario_box.blockSignals(True)
        self.scenario_box.clear()
        for scenario in persona.scenarios:
            self.scenario_box.addItem(scenario.title or scenario.id, scenario.id)
        self.scenario_box.blockSignals(False)

    def _show_scenario(self) -> None:
        entry = self.current_entry()
        self.situation.setText(entry.situation if entry else "")

    def request_start(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.startRequested.emit(entry.persona_id, entry.scenario_id)

    # ------------------------------------------------------------ recent attempts

    def show_attempts(self, attempts: list[AttemptSummary]) -> None:
        names = {p.id: p.display_name for p in self.library.personas}
        self.recent.setRowCount(len(attempts))
        for row, a in enumerate(attempts):
            cells = (a.started_at.astimezone().strftime("%Y-%m-%d %H:%M"), names.get(a.persona_id, a.persona_id),
                     self.tr("not scored") if a.overall is None else str(a.overall), self.ending_label(a.ending))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.recent.setItem(row, col, item)
        self.recent.resizeColumnsToContents()

    def ending_label(self, ending: str | None) -> str:
        return {"resolved": self.tr("resolved"), "escalated": self.tr("escalated"),
                "turn_limit": self.tr("turn limit"), "ended_early": self.tr("ended early"),
                None: self.tr("unfinished")}.get(ending, ending or "")
