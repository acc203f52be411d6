"""Who takes the calls: the dialog that asks for the trainee's name and group (first start, or "Other
trainee…"), and the button in the main window's menu bar that shows the current trainee and switches to a
recent one in two clicks. A facilitator running a class on one laptop switches here between calls; the
name is what every attempt is stored under, so it is asked, never taken from the computer's user name."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QMenu, QToolButton, QVBoxLayout, QWidget,
)

from simulator.settings import NAME_LENGTH, tidy_name

SHOWN_WIDTH = 260   # pixels of the name the menu bar shows: a long name is elided, not a wider window


def shown_name(name: str, group: str) -> str:
    """"Name (group)", or the name alone."""
    return f"{name} ({group})" if group else name


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


class TraineeDialog(QDialog):
    """Name (required) and group (optional), each typed or picked from the recent ones; picking a recent
    name fills in the group it was last used with."""

    def __init__(self, recent: list[dict[str, str]], name: str = "", group: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recent = list(recent)
        self.setObjectName("traineeDialog")
        self.setWindowTitle(self.tr("Trainee"))
        intro = QLabel(self.tr("Who takes the next calls? Every attempt is saved under this name, so that "
                               "reviews and trends show whose calls they are."), wordWrap=True)
        self.name = self._combo("traineeName", _unique([e["name"] for e in self.recent]), name,
                                self.tr("The trainee's name as it should appear in reviews and reports"),
                                self.tr("e.g. Li Na"))
        self.group = self._combo("traineeGroup", _unique([e["group"] for e in self.recent]), group,
                                 self.tr("Optional: the class or team, to filter and compare in reviews"),
                                 self.tr("optional, e.g. Class 2"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        for text, widget in ((self.tr("&Name:"), self.name), (self.tr("&Group or class:"), self.group)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.name.currentTextChanged.connect(lambda _: self._update_ok())
        self.name.activated.connect(self._recent_name_picked)
        self._update_ok()

    def _combo(self, object_name: str, items: list[str], text: str, tip: str, placeholder: str) -> QComboBox:
        combo = QComboBox(objectName=object_name, editable=True, toolTip=tip)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(items)
        combo.setEditText(text)
        combo.lineEdit().setMaxLength(NAME_LENGTH)
        combo.lineEdit().setPlaceholderText(placeholder)
        combo.setMinimumContentsLength(16)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)  # long names
        return combo

    def _recent_name_picked(self, index: int) -> None:
        name = self.name.itemText(index)
        group = next((e["group"] for e in self.recent if e["name"] == name), "")
        self.group.setEditText(group)

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(tidy_name(self.name.currentText())))

    def chosen(self) -> tuple[str, str]:
        """(name, group) as typed, tidied."""
        return tidy_name(self.name.currentText()), tidy_name(self.group.currentText())


class TraineeButton(QToolButton):
    """Shows the current trainee; its menu lists the recent ones (picked: picked(name, group)) and "Other
    trainee…" (otherRequested)."""

    picked = Signal(str, str)
    otherRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("traineeButton")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tip = self.tr("Who takes the next call; switch between calls (Ctrl+T for another name)")
        self.setAccessibleName(self.tr("Trainee"))
        self.setMenu(QMenu(self))

    def show_trainee(self, name: str, group: str, recent: list[dict[str, str]]) -> None:
        full = (self.tr("Trainee: %1").replace("%1", shown_name(name, group)) if name
                else self.tr("Trainee: (not set)"))
        self.setText(self.fontMetrics().elidedText(full, Qt.TextElideMode.ElideRight, SHOWN_WIDTH))
        self.setToolTip(f"{full}\n{self.tip}")
        menu = self.menu()
        menu.clear()
        for entry in recent:
            action = menu.addAction(shown_name(entry["name"], entry["group"]))
            action.setCheckable(True)
            action.setChecked(entry == {"name": name, "group": group})
            action.triggered.connect(lambda _=False, e=entry: self.picked.emit(e["name"], e["group"]))
        if recent:
            menu.addSeparator()
        menu.addAction(self.tr("&Other trainee…"), self.otherRequested.emit)
